"""``autograd_course.autograd``: PyTorch's ``torch.autograd`` subset.

Read in this order: ``function.py`` (how an operation records itself), ``engine.py`` (the
backward pass), ``grad_mode.py`` (``no_grad``), ``gradcheck.py`` (checking gradients).
"""

from .engine import backward, grad
from .function import Function
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import GradcheckError, gradcheck, gradgradcheck

__all__ = [
    "Function",
    "GradcheckError",
    "backward",
    "enable_grad",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "is_grad_enabled",
    "no_grad",
    "set_grad_enabled",
]
