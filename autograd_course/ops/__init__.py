"""Every operation, one module per family; importing this package gives tensors their methods.

Read ``arithmetic.py`` first: it is the last file of the engine's reading path. The rest are
the same pattern (forward and backward side by side) for more functions:

- ``elementwise``: exp, log, sqrt, sin, cos, tanh, sigmoid, relu, abs, clamp, maximum ...
- ``reductions``: sum, mean, max/min, var/std, argmax, softmax, log_softmax
- ``linalg``: the matrix product ``@``
- ``shape``: reshape/view, squeeze, unsqueeze, transpose, permute, expand (views)
- ``indexing``: ``x[key]``, where, cat, stack
- ``views``: how an in-place change through a view reaches its base
- ``inplace``: ``+=``, ``add_``, ``zero_``, ``copy_``, ``x[key] = v``
- ``conversion``: dtype conversions and copies
- ``comparison``: ``==``, ``<``, ``&``, isclose ... (no gradient)
- ``pointwise``: log1p, expm1, rounding, and in-place forms (``exp_``...)
- ``rearrange``: split, chunk, unbind, flip, roll, repeat, tile, ``unsqueeze_``...
- ``scatter``: gather, scatter, scatter_add, index_select, masked_fill
- ``sorting``: sort, argsort, topk, unique
- ``scans``: cumsum, cumprod, prod, logsumexp, amax/amin
- ``products``: dot, mv, bmm, outer, einsum, norms
- ``trig``: tan, asin, acos, atan, atan2, sinh, cosh and inverses, cross
- ``aliases``: NumPy's keyword names (``axis=``, ``keepdims=``) where PyTorch accepts them
"""

from . import (  # noqa: I001 - aliases wraps methods the others define: it comes last
    arithmetic,
    comparison,
    conversion,
    elementwise,
    indexing,
    inplace,
    linalg,
    pointwise,
    products,
    rearrange,
    reductions,
    scans,
    scatter,
    shape,
    sorting,
    trig,
    views,
)
from . import aliases
