"""The engine's error and warning texts: PyTorch's words first, then how to fix it.

One function per message, so that every ``raise`` in the engine is one line and the wording
lives in one place. Where PyTorch has a message, it is kept word for word (students search
for it); the hint after it is ours.
"""

from __future__ import annotations

from collections.abc import Sequence

Shape = Sequence[int]

_TYPE_NAMES = {
    "float32": "FloatTensor",
    "float64": "DoubleTensor",
    "float16": "HalfTensor",
    "int64": "LongTensor",
    "int32": "IntTensor",
    "int16": "ShortTensor",
    "int8": "CharTensor",
    "uint8": "ByteTensor",
    "bool": "BoolTensor",
}


def _type_name(dtype_name: str) -> str:
    return "autograd_course." + _TYPE_NAMES.get(dtype_name, dtype_name)


# ---- devices, saving, out= -----------------------------------------------------------------
_CPU_HINT = (
    ': autograd_course computes with NumPy on the CPU only. Write device = "cuda" if '
    'autograd_course.cuda.is_available() else "cpu" (is_available() is False here).'
)


def no_cuda() -> str:
    return "Torch not compiled with CUDA enabled" + _CPU_HINT


def device_unsupported(kind: str) -> str:
    return f"PyTorch is not linked with support for {kind} devices" + _CPU_HINT


def unknown_device(known: str, given: str) -> str:
    return f"Expected one of {known} device type at start of device string: {given}"


def out_with_grad(name: str) -> str:
    return (
        f"{name}(): functions with out=... arguments don't support automatic differentiation, "
        "but one of the arguments requires grad."
    )


def out_resized(old: Shape, new: Shape) -> str:
    return (
        "An output with one or more elements was resized since it had shape "
        f"{list(old)}, which does not match the required output shape {list(new)}. This "
        "behavior is deprecated, and in a future PyTorch release outputs will not be resized "
        "unless they have zero elements. You can explicitly reuse an out tensor t by resizing "
        "it, inplace, to zero elements with t.resize_(0)."
    )


def masked_fill_value(ndim: int) -> str:
    return (
        "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
        f"{ndim} dimension(s)."
    )


def cannot_save(kind: str, where: str) -> str:
    return (
        f"save() cannot store {'an' if kind[0] in 'aeiou' else 'a'} {kind} (at {where}): files "
        "hold tensors, numbers, strings, "
        "None, and lists, tuples and dicts of them, so that loading one can never run code. "
        "To save a model, save model.state_dict() and load it with model.load_state_dict()."
    )


def not_a_save_file(detail: str) -> str:
    return (
        f"This file cannot be loaded: {detail}. autograd_course.load reads files written by "
        "autograd_course.save (a zip of NumPy arrays and a JSON description, never pickle)."
    )


def weights_only_false() -> str:
    return (
        "load(weights_only=False) would unpickle arbitrary objects, which can run code; "
        "autograd_course files only ever hold weights, so load them with weights_only=True "
        "(the default)."
    )


# ---- requires_grad, .grad, leaves ----------------------------------------------------------
def only_floats_require_grad(dtype_name: str) -> str:
    return (
        "Only Tensors of floating point and complex dtype can require gradients (this tensor "
        f"is {dtype_name}; create it from floats, e.g. 1.0 instead of 1, or convert it with "
        ".float())"
    )


def requires_grad_of_non_leaf() -> str:
    return (
        "you can only change requires_grad flags of leaf variables. If you want to use a "
        "computed variable in a subgraph that doesn't require differentiation use "
        "var_no_grad = var.detach()."
    )


def non_leaf_grad() -> str:
    return (
        "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its "
        ".grad attribute won't be populated during autograd.backward(). If you indeed want the "
        ".grad field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf "
        "Tensor. If you access the non-leaf Tensor by mistake, make sure you access the leaf "
        "Tensor instead."
    )


def assigned_grad_size(got: Shape, expected: Shape) -> str:
    return f"assigned grad has data of a different size: {got} vs {expected}"


def retain_grad_without_grad() -> str:
    return "can't retain_grad on Tensor that has requires_grad=False"


def hook_without_grad() -> str:
    return "cannot register a hook on a tensor that doesn't require gradient"


def numpy_of_grad_tensor() -> str:
    return "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."


# ---- in-place operations and saved tensors -------------------------------------------------
_IN_PLACE_HINT = (
    " Hint: update parameters inside `with no_grad():`, or use an out-of-place op (x = x + 1)."
)


def leaf_in_place() -> str:
    return (
        "a leaf Variable that requires grad is being used in an in-place operation."
        + _IN_PLACE_HINT
    )


def view_of_leaf_in_place() -> str:
    return (
        "a view of a leaf Variable that requires grad is being used in an in-place operation."
        + _IN_PLACE_HINT
    )


def dirty_leaf() -> str:
    return "a leaf Variable that requires grad has been used in an in-place operation."


def overlapping_write() -> str:
    return (
        "unsupported operation: more than one element of the written-to tensor refers to a "
        "single memory location. Please clone() the tensor before performing the operation."
    )


def in_place_shape(shape: Shape, broadcast: Shape | None = None) -> str:
    shown = list(broadcast) if broadcast is not None else "of the operands"
    return (
        f"output with shape {list(shape)} doesn't match the broadcast shape {shown} "
        "(in-place ops cannot change a tensor's shape)"
    )


def in_place_cast(dtype_name: str, detail: str) -> str:
    return (
        f"result type can't be cast to the desired output type {dtype_name} ({detail}); "
        "convert first, e.g. x = x.float()"
    )


def saved_tensor_modified(
    dtype_name: str, shape: Shape, producer: str | None, now: int, saved: int
) -> str:
    made_by = f", which is output 0 of {producer}," if producer else ""
    return (
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: [{_type_name(dtype_name)} {list(shape)}]{made_by} is at version {now}; "
        f"expected version {saved} instead. Hint: a value saved for backward was changed in "
        "place afterwards (+=, add_, x[...] = ...); use an out-of-place operation "
        "(x = x + 1) instead."
    )


def freed_graph() -> str:
    return (
        "Trying to backward through the graph a second time (or directly access saved tensors "
        "after they have already been freed). Saved intermediate values of the graph are freed "
        "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
        "backward through the graph a second time or if you need to access saved tensors after "
        "calling backward."
    )


# ---- backward ------------------------------------------------------------------------------
def no_grad_fn(index: int) -> str:
    return (
        f"element {index} of tensors does not require grad and does not have a grad_fn (no "
        "input of this computation has requires_grad=True, or it ran under no_grad)"
    )


def non_scalar_backward(shape: Shape) -> str:
    return (
        "grad can be implicitly created only for scalar outputs (this output has shape "
        f"{list(shape)}: reduce it first, e.g. y.sum().backward(), or pass a gradient of the "
        "same shape, y.backward(gradient))"
    )


def gradient_shape(index: int, grad: str, output: str) -> str:
    return (
        f"Mismatch in shape: grad_output[{index}] has a shape of {grad} and output[{index}] has "
        f"a shape of {output}. The gradient passed to backward must have the output's shape."
    )


def gradient_count(grads: int, outputs: int) -> str:
    return f"got {grads} gradients for {outputs} outputs: pass one per output"


def gradient_not_tensor(kind: str) -> str:
    return (
        f"gradients can be either Tensors or None, but got {kind} (pass a tensor of the "
        "output's shape: y.backward(autograd_course.tensor([...])))"
    )


def wrong_number_of_gradients(node: str, expected: int, got: int) -> str:
    return (
        f"function {node} returned an incorrect number of gradients (expected {expected}, got "
        f"{got}): return one per forward input, None for inputs that need no gradient"
    )


def invalid_gradient(node: str, index: int, got: Shape, expected: Shape) -> str:
    return (
        f"Function {node} returned an invalid gradient at index {index} - got {list(got)} but "
        f"expected shape compatible with {list(expected)}"
    )


def input_without_grad(index: int) -> str:
    return f"One of the differentiated Tensors (input {index}) does not require grad"


def unused_input(index: int) -> str:
    return (
        f"One of the differentiated Tensors (input {index}) appears to not have been used in "
        "the graph. Set allow_unused=True if this is the desired behavior."
    )


def once_differentiable() -> str:
    return "trying to differentiate twice a function that was marked with @once_differentiable"


# ---- shapes and values ---------------------------------------------------------------------
def broadcast(size_a: int, size_b: int, dim: int, shape_a: Shape, shape_b: Shape) -> str:
    return (
        f"The size of tensor a ({size_a}) must match the size of tensor b ({size_b}) at "
        f"non-singleton dimension {dim} (shapes {list(shape_a)} and {list(shape_b)}; sizes must "
        "be equal or 1 to broadcast: reshape or unsqueeze one)"
    )


def matmul_shapes(rows: str, cols: str) -> str:
    return (
        f"mat1 and mat2 shapes cannot be multiplied ({rows} and {cols}): the last size of the "
        "first must equal the first size of the second (transpose one, e.g. w.T)"
    )


def dot_sizes(a: int, b: int) -> str:
    return (
        f"inconsistent tensor size, expected tensor [{a}] and src [{b}] to have the same number "
        f"of elements, but got {a} and {b} elements respectively"
    )


def matmul_dtypes(a: str, b: str) -> str:
    return (
        f"expected m1 and m2 to have the same dtype, but got: {a} != {b} (convert one, e.g. "
        "x.float() or w.double())"
    )


def matmul_0d(a: int, b: int) -> str:
    return f"both arguments to matmul need to be at least 1D, but they are {a}D and {b}D"


def reshape_size(shape: Shape, size: int, input_shape: Shape) -> str:
    return (
        f"shape '{list(shape)}' is invalid for input of size {size} (the input has shape "
        f"{list(input_shape)}; the new shape must hold the same number of elements, use -1 to "
        "let one size be inferred)"
    )


def expand_size(shape: Shape, target: Shape) -> str:
    return (
        "The expanded size of the tensor must match the existing size at non-singleton "
        f"dimensions (cannot expand shape {list(shape)} to {list(target)})"
    )


def cat_sizes(dim: int, shapes: list) -> str:
    return f"Sizes of tensors must match except in dimension {dim} (got shapes {shapes})"


def stack_sizes(shapes: list) -> str:
    return f"stack expects each tensor to be equal size, but got shapes {shapes}"


def empty_join(name: str) -> str:
    return f"{name}() expects a non-empty list of Tensors"


def dim_out_of_range(span: int, dim: int) -> str:
    return (
        f"Dimension out of range (expected to be in range of [{-span}, {span - 1}], but got {dim})"
    )


def t_of_many_dims(ndim: int) -> str:
    return f"t() expects a tensor with <= 2 dimensions, but self is {ndim}D"


def clamp_without_bounds() -> str:
    return "torch.clamp: At least one of 'min' or 'max' must not be None"


def mean_of_integers(dtype_name: str) -> str:
    return (
        "mean(): could not infer output dtype. Input dtype must be either a floating point or "
        f"complex dtype. Got: {dtype_name} (convert with .float())"
    )


def reduction_of_empty(kind: str) -> str:
    return f"{kind}(): Expected reduction dim to be specified for input.numel() == 0."


def item_of_many(count: int) -> str:
    return (
        f"a Tensor with {count} elements cannot be converted to Scalar (item() needs exactly "
        "one element; index it first, e.g. x[0].item())"
    )


def ambiguous_bool(count: int) -> str:
    return (
        f"Boolean value of Tensor with more than one value is ambiguous (it has {count}; use "
        ".any() or .all())"
    )


def format_of_non_scalar() -> str:
    return (
        "unsupported format string passed to Tensor.__format__ (only 0-d tensors format like "
        "numbers: use f'{x.item():.2f}' for a one-element tensor)"
    )


def not_a_number(kind: str) -> str:
    return f"unsupported operand type: {kind} (expected a number or a Tensor)"


def not_tensor_data(kind: str, dtype: str) -> str:
    return f"can't make a tensor from {kind} of {dtype}"
