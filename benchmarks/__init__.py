"""Benchmarks: the course's workloads on the engine, in hand-written NumPy and in PyTorch."""
