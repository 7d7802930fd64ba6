"""autograd_course: a small NumPy autograd engine with PyTorch's API, and the course around it.

``import autograd_course as ac`` gives the ``torch``-like namespace: ``ac.tensor``,
``ac.no_grad``, ``ac.nn``, ``ac.optim``... The engine is in ``tensor.py`` (the data),
``ops.py`` (every operation's forward and backward) and ``autograd/`` (graph and backward).
"""

from . import autograd, nn, optim, utils
from .autograd import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .creation import (
    arange,
    as_tensor,
    empty,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    manual_seed,
    ones,
    ones_like,
    rand,
    randint,
    randn,
    randperm,
    tensor,
    zeros,
    zeros_like,
)
from .dtypes import bool_ as bool  # noqa: A004 - PyTorch's name
from .dtypes import double, dtype, float16, float32, float64, int32, int64, long
from .dtypes import float as float  # noqa: A004
from .functions import (
    abs,
    add,
    argmax,
    argmin,
    cat,
    clamp,
    clip,
    concat,
    cos,
    div,
    exp,
    flatten,
    log,
    log_softmax,
    matmul,
    max,
    maximum,
    mean,
    min,
    minimum,
    mm,
    mul,
    neg,
    permute,
    pow,
    relu,
    reshape,
    sigmoid,
    sin,
    softmax,
    sqrt,
    square,
    squeeze,
    stack,
    sub,
    sum,
    tanh,
    transpose,
    unsqueeze,
    where,
)
from .tensor import Size, Tensor

__version__ = "0.1.0"


def is_tensor(obj: object) -> bool:
    """True for autograd_course tensors (and nn.Parameter)."""
    return isinstance(obj, Tensor)


def numel(t: Tensor) -> int:
    """Number of elements of ``t``."""
    return t.numel()
