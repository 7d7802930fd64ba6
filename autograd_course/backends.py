"""``backends``: PyTorch's ``torch.backends`` flags a CPU-only engine answers (no MPS, no cuDNN)."""

from __future__ import annotations

from types import SimpleNamespace

# Apple's GPU is not available, and was not built in.
mps = SimpleNamespace(is_available=lambda: False, is_built=lambda: False)
# Settable flags that scripts set for reproducibility; the engine is deterministic anyway.
cudnn = SimpleNamespace(deterministic=False, benchmark=False, enabled=True,
                        is_available=lambda: False)  # fmt: skip
