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
- ``comparison``: ``==``, ``<``, ``&`` ... (no gradient)
"""

from . import (
    arithmetic,
    comparison,
    conversion,
    elementwise,
    indexing,
    inplace,
    linalg,
    pointwise,
    reductions,
    shape,
    views,
)
