"""``autograd_course.autograd``: PyTorch's ``torch.autograd`` subset.

The engine's reading order starts here: ``function.py`` (the graph node), ``engine.py`` (the
backward walk), then ``../tensor.py`` and ``../ops/arithmetic.py``. Beside them:
``grad_mode.py`` (``no_grad``), ``gradcheck.py`` (checking gradients) and ``functional.py``
(jacobian, hessian, vjp, jvp, hvp; loaded with the package, after the operations).
"""

from ..grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .engine import backward, grad
from .function import Function, once_differentiable
from .gradcheck import GradcheckError, gradcheck, gradgradcheck
from .variable import Variable

__all__ = [
    "Function",
    "GradcheckError",
    "backward",
    "enable_grad",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "inference_mode",
    "is_grad_enabled",
    "no_grad",
    "once_differentiable",
    "set_grad_enabled",
    "Variable",
]
