"""Utilities with PyTorch's API; ``utils.data`` feeds a model with batches."""

from . import data

__all__ = ["data"]
