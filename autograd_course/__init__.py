"""autograd_course: a small NumPy autograd engine with PyTorch's API, and the course around it.

``import autograd_course as ac`` gives the ``torch``-like namespace: ``ac.tensor``,
``ac.no_grad``, ``ac.nn``, ``ac.optim``... The engine, in reading order:
``autograd/function.py`` (the graph node), ``autograd/engine.py`` (the backward walk),
``tensor.py`` (the Tensor's autograd part) and ``ops/arithmetic.py`` (the arithmetic ops);
then the other families in ``ops/``.
"""

from . import ops  # noqa: I001 - gives Tensor its operations; everything below builds on them
from . import accelerator, autograd, backends, cuda, linalg, nn, optim, utils
from .autograd import functional as _autograd_functional  # noqa: F401 - autograd.functional
from .autograd import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .grad_mode import is_inference_mode_enabled
from .creation import (
    BoolTensor,
    ByteTensor,
    CharTensor,
    DoubleTensor,
    FloatTensor,
    HalfTensor,
    IntTensor,
    LongTensor,
    ShortTensor,
    arange,
    as_tensor,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    normal,
    linspace,
    manual_seed,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randint_like,
    randn,
    randn_like,
    randperm,
    tensor,
    zeros,
    zeros_like,
)
from .devices import device, get_default_device, set_default_device
from .random import Generator, initial_seed
from .dtypes import bool_ as bool  # noqa: A004 - PyTorch's name
from .dtypes import (
    double,
    dtype,
    float16,
    float32,
    float64,
    get_default_dtype,
    half,
    int8,
    int16,
    int32,
    int64,
    long,
    set_default_dtype,
    short,
    uint8,
)
from .dtypes import float as float  # noqa: A004
from .dtypes import int as int  # noqa: A004
from .serialization import load, save
from ._printing import set_printoptions
from .functions import *  # noqa: F403 - exp, sum, cat, where ... as torch.* has them
from .tensor import Size, Tensor

__version__ = "0.1.0"
Tensor.__module__ = "autograd_course"  # type(x) prints <class 'autograd_course.Tensor'>, as torch's


def is_tensor(obj: object) -> bool:
    """True for autograd_course tensors (and nn.Parameter)."""
    return isinstance(obj, Tensor)


def numel(t: Tensor) -> int:
    """Number of elements of ``t``."""
    return t.numel()
