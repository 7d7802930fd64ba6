"""Tensor-level programs from PyTorch's tutorials and d2l's first chapter, with the import
swapped (``import autograd_course as torch``), CUDA branches kept (they are skipped: no GPU),
plots removed and long loops shortened (said where). Each checks what the program prints:
deterministic lines against PyTorch's own output (run with torch and written out here, the
module name swapped), random ones against a NumPy recomputation of the same arithmetic from
the drawn values.

The programs: "Learn the Basics" (Tensors; Automatic Differentiation), the 60-minute blitz
("What is PyTorch?" tensors; "Autograd": the current version, the one before, and the
first, with ``Variable``), "Learning
PyTorch with Examples" (warm-up NumPy, tensors, autograd, the LegendrePolynomial3 Function,
the two-layer net with MyReLU), "Introduction to PyTorch Tensors" and d2l's "Data Manipulation", "Linear Algebra" and
"Automatic Differentiation" (chapter_preliminaries).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest

import autograd_course as torch

FIXTURES = Path(__file__).parent / "fixtures"


def pytorch(text: str) -> list[str]:
    """PyTorch's printed lines, with the module name swapped as the import was (``⎵`` marks
    a trailing space, which PyTorch's tutorials print after ``Ones Tensor:`` and the like)."""
    return text.replace("torch.", "autograd_course.").replace("⎵", " ").split("\n")


def arr(t) -> np.ndarray:
    return np.array(t.detach().numpy(), dtype=np.float64)


def fixed(values) -> list[str]:
    """PyTorch's print of a 1-D or 2-D float tensor in fixed notation (4 decimals, the column
    width of the widest entry), built from the values with Python's formatting."""
    a = np.atleast_2d(np.asarray(values, dtype=np.float64))
    cells = [[f"{v:.4f}" for v in row] for row in a]
    width = max(len(c) for row in cells for c in row)
    rows = ["[" + ", ".join(c.rjust(width) for c in row) + "]" for row in cells]
    if np.ndim(values) == 1:
        return ["tensor(" + rows[0] + ")"]
    lines = [" " * 8 + r if i else "tensor([" + r for i, r in enumerate(rows)]
    return [line + ("," if i < len(lines) - 1 else "])") for i, line in enumerate(lines)]


# ----- Learn the Basics: Tensors (beginner_source/basics/tensorqs_tutorial.py) -----------------


def test_learn_the_basics_tensors(capsys):
    torch.manual_seed(0)

    data = [[1, 2], [3, 4]]
    x_data = torch.tensor(data)
    np_array = np.array(data)
    x_np = torch.from_numpy(np_array)
    x_ones = torch.ones_like(x_data)  # retains the properties of x_data
    print(f"Ones Tensor: \n {x_ones} \n")
    x_rand = torch.rand_like(x_data, dtype=torch.float)  # overrides the datatype of x_data
    print(f"Random Tensor: \n {x_rand} \n")
    shape = (2, 3)
    rand_tensor = torch.rand(shape)
    ones_tensor = torch.ones(shape)
    zeros_tensor = torch.zeros(shape)
    print(f"Random Tensor: \n {rand_tensor} \n")
    print(f"Ones Tensor: \n {ones_tensor} \n")
    print(f"Zeros Tensor: \n {zeros_tensor}")
    tensor = torch.rand(3, 4)
    print(f"Shape of tensor: {tensor.shape}")
    print(f"Datatype of tensor: {tensor.dtype}")
    print(f"Device tensor is stored on: {tensor.device}")
    if torch.cuda.is_available() & (torch.device("cuda").index is not None):
        tensor = tensor.to("cuda")
    tensor = torch.ones(4, 4)
    print("First row: ", tensor[0])
    print("First column: ", tensor[:, 0])
    print("Last column:", tensor[..., -1])
    tensor[:, 1] = 0
    print(tensor)
    t1 = torch.cat([tensor, tensor, tensor], dim=1)
    print(t1)
    y1 = tensor @ tensor.T
    y2 = tensor.matmul(tensor.T)
    y3 = torch.rand_like(tensor)
    torch.matmul(tensor, tensor.T, out=y3)
    z1 = tensor * tensor
    z2 = tensor.mul(tensor)
    z3 = torch.rand_like(tensor)
    torch.mul(tensor, tensor, out=z3)
    agg = tensor.sum()
    agg_item = agg.item()
    print(agg_item, type(agg_item))
    print(tensor, "\n")
    tensor.add_(5)
    print(tensor)
    t = torch.ones(5)
    print(f"t: {t}")
    n = t.numpy()
    print(f"n: {n}")
    t.add_(1)
    print(f"t: {t}")
    print(f"n: {n}")
    n = np.ones(5)
    t = torch.from_numpy(n)
    np.add(n, 1, out=n)
    print(f"t: {t}")
    print(f"n: {n}")

    out = capsys.readouterr().out.split("\n")
    assert out[:5] == [
        "Ones Tensor: ",
        " tensor([[1, 1],",
        "        [1, 1]]) ",
        "",
        "Random Tensor: ",
    ]
    random_2x2 = fixed(arr(x_rand))
    assert out[5:7] == [" " + random_2x2[0], random_2x2[1] + " "]
    random_2x3 = fixed(arr(rand_tensor))
    assert out[9:11] == [" " + random_2x3[0], random_2x3[1] + " "]
    assert x_rand.dtype == torch.float32 and x_np.dtype == torch.int64
    assert (
        out[12:]
        == pytorch(
            """
Ones Tensor:⎵
 tensor([[1., 1., 1.],
        [1., 1., 1.]])⎵

Zeros Tensor:⎵
 tensor([[0., 0., 0.],
        [0., 0., 0.]])
Shape of tensor: torch.Size([3, 4])
Datatype of tensor: torch.float32
Device tensor is stored on: cpu
First row:  tensor([1., 1., 1., 1.])
First column:  tensor([1., 1., 1., 1.])
Last column: tensor([1., 1., 1., 1.])
tensor([[1., 0., 1., 1.],
        [1., 0., 1., 1.],
        [1., 0., 1., 1.],
        [1., 0., 1., 1.]])
tensor([[1., 0., 1., 1., 1., 0., 1., 1., 1., 0., 1., 1.],
        [1., 0., 1., 1., 1., 0., 1., 1., 1., 0., 1., 1.],
        [1., 0., 1., 1., 1., 0., 1., 1., 1., 0., 1., 1.],
        [1., 0., 1., 1., 1., 0., 1., 1., 1., 0., 1., 1.]])
12.0 <class 'float'>
tensor([[1., 0., 1., 1.],
        [1., 0., 1., 1.],
        [1., 0., 1., 1.],
        [1., 0., 1., 1.]])⎵

tensor([[6., 5., 6., 6.],
        [6., 5., 6., 6.],
        [6., 5., 6., 6.],
        [6., 5., 6., 6.]])
t: tensor([1., 1., 1., 1., 1.])
n: [1. 1. 1. 1. 1.]
t: tensor([2., 2., 2., 2., 2.])
n: [2. 2. 2. 2. 2.]
t: tensor([2., 2., 2., 2., 2.], dtype=torch.float64)
n: [2. 2. 2. 2. 2.]
"""
        )[1:]
    )
    ones_with_zero_column = np.ones((4, 4))
    ones_with_zero_column[:, 1] = 0
    for y in (y1, y2, y3):  # the `out=` forms wrote into y3 and z3
        np.testing.assert_array_equal(arr(y), ones_with_zero_column @ ones_with_zero_column.T)
    for z in (z1, z2, z3):
        np.testing.assert_array_equal(arr(z), ones_with_zero_column)


# ----- 60-minute blitz: What is PyTorch? (beginner_source/blitz/tensor_tutorial.py) -----------


def test_blitz_what_is_pytorch(capsys):
    torch.manual_seed(0)

    x = torch.empty(5, 3)
    print(x.shape)  # the tutorial prints x itself: its values are whatever was in memory
    x = torch.rand(5, 3)
    print(x)
    first_rand = arr(x)
    x = torch.zeros(5, 3, dtype=torch.long)
    print(x)
    x = torch.tensor([5.5, 3])
    print(x)
    x = x.new_ones(5, 3, dtype=torch.double)  # new_* methods take in sizes
    print(x)
    x = torch.randn_like(x, dtype=torch.float)  # override dtype!
    print(x)  # result has the same size
    print(x.size())
    y = torch.rand(5, 3)
    print(x + y)
    print(torch.add(x, y))
    result = torch.empty(5, 3)
    torch.add(x, y, out=result)
    print(result)
    x_values, y_values = arr(x), arr(y)
    y.add_(x)
    print(y)
    print(x[:, 1])
    x = torch.randn(4, 4)
    y = x.view(16)
    z = x.view(-1, 8)  # the size -1 is inferred from other dimensions
    print(x.size(), y.size(), z.size())
    x = torch.randn(1)
    print(x)
    print(x.item())
    a = torch.ones(5)
    print(a)
    b = a.numpy()
    print(b)
    a.add_(1)
    print(a)
    print(b)
    a = np.ones(5)
    b = torch.from_numpy(a)
    np.add(a, 1, out=a)
    print(a)
    print(b)
    if torch.cuda.is_available():  # skipped, as on a machine without a GPU
        device = torch.device("cuda")
        y = torch.ones_like(x, device=device)
        x = x.to(device)
        z = x + y
        print(z)
        print(z.to("cpu", torch.double))
    print(x.to("cpu", torch.double))  # the dtype half of the last line, on the CPU

    out = capsys.readouterr().out.split("\n")
    assert out[0] == "autograd_course.Size([5, 3])"
    assert out[1:6] == fixed(first_rand)
    assert out[6:15] == pytorch(
        """tensor([[0, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 0]])
tensor([5.5000, 3.0000])
tensor([[1., 1., 1.],
        [1., 1., 1.],
        [1., 1., 1.],"""
    )
    assert out[15:17] == [
        "        [1., 1., 1.],",
        "        [1., 1., 1.]], dtype=autograd_course.float64)",
    ]
    assert out[17:22] == fixed(x_values)
    assert out[22] == "autograd_course.Size([5, 3])"
    total = (x_values.astype(np.float32) + y_values.astype(np.float32)).astype(np.float64)
    for start in (23, 28, 33, 38):  # x + y, torch.add, add(out=), y.add_(x)
        assert out[start : start + 5] == fixed(total)
    assert out[43] == fixed(x_values[:, 1])[0]
    assert out[44] == (
        "autograd_course.Size([4, 4]) autograd_course.Size([16]) autograd_course.Size([2, 8])"
    )
    one = arr(x)[0]
    assert out[45] == f"tensor([{one:.4f}])"
    assert float(out[46]) == float(np.float32(one)) and repr(float(np.float32(one))) == out[46]
    assert out[47:54] == pytorch(
        """tensor([1., 1., 1., 1., 1.])
[1. 1. 1. 1. 1.]
tensor([2., 2., 2., 2., 2.])
[2. 2. 2. 2. 2.]
[2. 2. 2. 2. 2.]
tensor([2., 2., 2., 2., 2.], dtype=torch.float64)"""
    ) + [f"tensor([{one:.4f}], dtype=autograd_course.float64)"]


# ----- 60-minute blitz: Autograd (beginner_source/blitz/autograd_tutorial.py) ------------------


def test_blitz_autograd_gentle_introduction(capsys):
    """The current version; its ResNet-18 parts need torchvision and are left out."""
    torch.manual_seed(0)

    a = torch.tensor([2.0, 3.0], requires_grad=True)
    b = torch.tensor([6.0, 4.0], requires_grad=True)
    Q = 3 * a**3 - b**2
    external_grad = torch.tensor([1.0, 1.0])
    Q.backward(gradient=external_grad)
    print(9 * a**2 == a.grad)
    print(-2 * b == b.grad)
    x = torch.rand(5, 5)
    y = torch.rand(5, 5)
    z = torch.rand((5, 5), requires_grad=True)
    a = x + y
    print(f"Does `a` require gradients?: {a.requires_grad}")
    b = x + z
    print(f"Does `b` require gradients?: {b.requires_grad}")

    assert capsys.readouterr().out.split("\n") == [
        "tensor([True, True])",
        "tensor([True, True])",
        "Does `a` require gradients?: False",
        "Does `b` require gradients?: True",
        "",
    ]
    assert Q.tolist() == [3 * 8 - 36, 3 * 27 - 16]


def test_blitz_autograd_earlier_version(capsys):
    """The version before ResNet-18 (the one with ``y.data.norm() < 1000``)."""
    torch.manual_seed(0)

    x = torch.ones(2, 2, requires_grad=True)
    print(x)
    y = x + 2
    print(y)
    print(y.grad_fn)
    z = y * y * 3
    out = z.mean()
    print(z, out)
    a = torch.randn(2, 2)
    a = (a * 3) / (a - 1)
    print(a.requires_grad)
    a.requires_grad_(True)
    print(a.requires_grad)
    b = (a * a).sum()
    print(b.grad_fn)
    out.backward()
    print(x.grad)
    x = torch.randn(3, requires_grad=True)
    y = x * 2
    while y.data.norm() < 1000:
        y = y * 2
    print(y)
    gradients = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
    y.backward(gradients)
    print(x.grad)
    print(x.requires_grad)
    print((x**2).requires_grad)
    with torch.no_grad():
        print((x**2).requires_grad)

    printed = capsys.readouterr().out.split("\n")
    printed[4] = printed[4].split(" object at ")[0]  # memory addresses differ from run to run
    printed[9] = printed[9].split(" object at ")[0]
    doublings = 1
    x0 = arr(x).astype(np.float32)
    while np.linalg.norm(x0 * np.float32(2**doublings)) < 1000:
        doublings += 1
    scaled = x0.astype(np.float64) * 2**doublings
    assert printed[12] == fixed(scaled)[0][:-1] + ", grad_fn=<MulBackward0>)"
    grad = np.array([0.1, 1.0, 0.0001], np.float32).astype(np.float64) * 2**doublings
    assert printed[13] == "tensor([" + ", ".join(f"{g:.4e}" for g in grad) + "])"
    del printed[12:14]
    assert printed == pytorch(
        """tensor([[1., 1.],
        [1., 1.]], requires_grad=True)
tensor([[3., 3.],
        [3., 3.]], grad_fn=<AddBackward0>)
<AddBackward0
tensor([[27., 27.],
        [27., 27.]], grad_fn=<MulBackward0>) tensor(27., grad_fn=<MeanBackward0>)
False
True
<SumBackward0
tensor([[4.5000, 4.5000],
        [4.5000, 4.5000]])
True
True
False
"""
    )


def test_blitz_autograd_variable_version(capsys):
    """The first version of the blitz autograd tutorial (PyTorch 0.3): ``Variable`` and the
    typed constructor ``FloatTensor``."""
    from autograd_course.autograd import Variable

    torch.manual_seed(0)
    x = Variable(torch.ones(2, 2), requires_grad=True)
    print(x)
    y = x + 2
    print(y)
    print(y.grad_fn)
    z = y * y * 3
    out = z.mean()
    print(z, out)
    out.backward()
    print(x.grad)
    x = torch.randn(3)
    x = Variable(x, requires_grad=True)
    y = x * 2
    while y.data.norm() < 1000:
        y = y * 2
    print(y)
    gradients = torch.FloatTensor([0.1, 1.0, 0.0001])
    y.backward(gradients)
    print(x.grad)

    printed = capsys.readouterr().out.split("\n")
    printed[4] = printed[4].split(" object at ")[0]
    scale = arr(y)[0] / arr(x)[0]
    assert math.log2(scale).is_integer() and np.allclose(arr(y), arr(x) * scale)
    assert printed[9] == fixed(arr(x) * scale)[0][:-1] + ", grad_fn=<MulBackward0>)"
    grad = np.array([0.1, 1.0, 0.0001], np.float32).astype(np.float64) * scale
    assert printed[10] == "tensor([" + ", ".join(f"{g:.4e}" for g in grad) + "])"
    del printed[9:11]
    assert printed == pytorch(
        """tensor([[1., 1.],
        [1., 1.]], requires_grad=True)
tensor([[3., 3.],
        [3., 3.]], grad_fn=<AddBackward0>)
<AddBackward0
tensor([[27., 27.],
        [27., 27.]], grad_fn=<MulBackward0>) tensor(27., grad_fn=<MeanBackward0>)
tensor([[4.5000, 4.5000],
        [4.5000, 4.5000]])
"""
    )
    assert isinstance(x, Variable) and isinstance(gradients, torch.FloatTensor)


# ----- Learn the Basics: Automatic Differentiation (basics/autogradqs_tutorial.py) -------------


def test_learn_the_basics_autograd(capsys):
    torch.manual_seed(0)

    x = torch.ones(5)  # input tensor
    y = torch.zeros(3)  # expected output
    w = torch.randn(5, 3, requires_grad=True)
    b = torch.randn(3, requires_grad=True)
    z = torch.matmul(x, w) + b
    loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
    print(f"Gradient function for z = {z.grad_fn}")
    print(f"Gradient function for loss = {loss.grad_fn}")
    loss.backward()
    print(w.grad)
    print(b.grad)
    z = torch.matmul(x, w) + b
    print(z.requires_grad)
    with torch.no_grad():
        z = torch.matmul(x, w) + b
    print(z.requires_grad)
    z = torch.matmul(x, w) + b
    z_det = z.detach()
    print(z_det.requires_grad)
    inp = torch.eye(4, 5, requires_grad=True)
    out = (inp + 1).pow(2).t()
    out.backward(torch.ones_like(out), retain_graph=True)
    print(f"First call\n{inp.grad}")
    out.backward(torch.ones_like(out), retain_graph=True)
    print(f"\nSecond call\n{inp.grad}")
    inp.grad.zero_()
    out.backward(torch.ones_like(out), retain_graph=True)
    print(f"\nCall after zeroing gradients\n{inp.grad}")

    printed = capsys.readouterr().out.split("\n")
    assert printed[0].startswith("Gradient function for z = <AddBackward0 object at 0x")
    assert printed[1].startswith(
        "Gradient function for loss = <BinaryCrossEntropyWithLogitsBackward0 object at 0x"
    )
    logits = np.ones(5) @ arr(w) + arr(b)
    d_logits = 1 / (1 + np.exp(-logits)) / 3  # d mean(BCE(z, 0)) / dz = sigmoid(z) / 3
    assert printed[2:7] == fixed(np.tile(d_logits, (5, 1)))
    assert printed[7] == fixed(d_logits)[0]
    assert printed[8:] == pytorch(
        """True
False
False
First call
tensor([[4., 2., 2., 2., 2.],
        [2., 4., 2., 2., 2.],
        [2., 2., 4., 2., 2.],
        [2., 2., 2., 4., 2.]])

Second call
tensor([[8., 4., 4., 4., 4.],
        [4., 8., 4., 4., 4.],
        [4., 4., 8., 4., 4.],
        [4., 4., 4., 8., 4.]])

Call after zeroing gradients
tensor([[4., 2., 2., 2., 2.],
        [2., 4., 2., 2., 2.],
        [2., 2., 4., 2., 2.],
        [2., 2., 2., 4., 2.]])
"""
    )


# ----- Learning PyTorch with Examples: the third-order polynomial for sin(x) -------------------


def numpy_polynomial_fit(a, b, c, d, steps: int, learning_rate: float = 1e-6) -> tuple:
    """The warm-up program (examples_tensor/polynomial_numpy.py) in float64: losses printed
    every 100 steps and the final coefficients."""
    x = np.linspace(-math.pi, math.pi, 2000)
    y = np.sin(x)
    losses = []
    for t in range(steps):
        y_pred = a + b * x + c * x**2 + d * x**3
        if t % 100 == 99:
            losses.append(np.square(y_pred - y).sum())
        grad_y_pred = 2.0 * (y_pred - y)
        a -= learning_rate * grad_y_pred.sum()
        b -= learning_rate * (grad_y_pred * x).sum()
        c -= learning_rate * (grad_y_pred * x**2).sum()
        d -= learning_rate * (grad_y_pred * x**3).sum()
    return losses, (a, b, c, d)


def parse_fit(lines: list[str]) -> tuple[list[float], list[float]]:
    """(losses, coefficients) from lines ``99 <loss>`` ... and ``Result: y = a + b x ...``."""
    losses = [float(line.split()[1]) for line in lines[:-1]]
    words = lines[-1].replace("P3(", "").split()
    coefficients = [float(w) for w in words if w[0].isdigit() or w[0] == "-" and len(w) > 1]
    return losses, coefficients


def test_examples_polynomial_tensors(capsys):
    """examples_tensor/polynomial_tensor.py, with 300 of its 2000 steps."""
    torch.manual_seed(0)

    dtype = torch.float
    device = torch.device("cpu")
    x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
    y = torch.sin(x)
    a = torch.randn((), device=device, dtype=dtype)
    b = torch.randn((), device=device, dtype=dtype)
    c = torch.randn((), device=device, dtype=dtype)
    d = torch.randn((), device=device, dtype=dtype)
    start = [w.item() for w in (a, b, c, d)]
    learning_rate = 1e-6
    for t in range(300):
        y_pred = a + b * x + c * x**2 + d * x**3
        loss = (y_pred - y).pow(2).sum().item()
        if t % 100 == 99:
            print(t, loss)
        grad_y_pred = 2.0 * (y_pred - y)
        grad_a = grad_y_pred.sum()
        grad_b = (grad_y_pred * x).sum()
        grad_c = (grad_y_pred * x**2).sum()
        grad_d = (grad_y_pred * x**3).sum()
        a -= learning_rate * grad_a
        b -= learning_rate * grad_b
        c -= learning_rate * grad_c
        d -= learning_rate * grad_d
    print(f"Result: y = {a.item()} + {b.item()} x + {c.item()} x^2 + {d.item()} x^3")

    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["99", "199", "299", "Result:"]
    losses, coefficients = parse_fit(lines)
    want_losses, want_coefficients = numpy_polynomial_fit(*start, steps=300)
    np.testing.assert_allclose(losses, want_losses, rtol=1e-4)
    np.testing.assert_allclose(coefficients, want_coefficients, rtol=1e-4, atol=1e-6)


def test_examples_polynomial_tensors_matmul_keywords(capsys):
    """An earlier version of the same program: ``torch.matmul(input=..., other=...)``."""
    torch.manual_seed(1)

    dtype = torch.float
    device = torch.device("cpu")
    x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
    y = torch.sin(x)
    a, b, c, d = (torch.randn((), device=device, dtype=dtype) for _ in range(4))
    start = [w.item() for w in (a, b, c, d)]
    learning_rate = 1e-6
    for t in range(200):  # 2000 in the tutorial
        y_pred = a + (b * x) + (c * x.pow(2)) + (d * x.pow(3))
        loss = (y_pred - y).pow(2).sum().item()
        if t % 100 == 99:
            print(t, loss)
        grad_y_pred = -2.0 * (y - y_pred)
        grad_a = grad_y_pred.sum()
        grad_b = torch.matmul(input=grad_y_pred, other=x).sum()
        grad_c = torch.matmul(input=grad_y_pred, other=x.pow(2)).sum()
        grad_d = torch.matmul(input=grad_y_pred, other=x.pow(3)).sum()
        a -= learning_rate * grad_a
        b -= learning_rate * grad_b
        c -= learning_rate * grad_c
        d -= learning_rate * grad_d
    print(f"Result: y = {a.item()} + {b.item()} x + {c.item()} x^2 + {d.item()} x^3")

    losses, coefficients = parse_fit(capsys.readouterr().out.splitlines())
    want_losses, want_coefficients = numpy_polynomial_fit(*start, steps=200)
    np.testing.assert_allclose(losses, want_losses, rtol=1e-4)
    np.testing.assert_allclose(coefficients, want_coefficients, rtol=1e-4, atol=1e-6)


def test_examples_polynomial_autograd(capsys):
    """examples_autograd/polynomial_autograd.py (with ``set_default_device``), 300 steps."""
    torch.manual_seed(2)

    dtype = torch.float
    device = "cuda" if torch.cuda.is_available() else "cpu"
    torch.set_default_device(device)
    x = torch.linspace(-math.pi, math.pi, 2000, dtype=dtype)
    y = torch.sin(x)
    a = torch.randn((), dtype=dtype, requires_grad=True)
    b = torch.randn((), dtype=dtype, requires_grad=True)
    c = torch.randn((), dtype=dtype, requires_grad=True)
    d = torch.randn((), dtype=dtype, requires_grad=True)
    start = [w.item() for w in (a, b, c, d)]
    learning_rate = 1e-6
    for t in range(300):
        y_pred = a + b * x + c * x**2 + d * x**3
        loss = (y_pred - y).pow(2).sum()
        if t % 100 == 99:
            print(t, loss.item())
        loss.backward()
        with torch.no_grad():
            a -= learning_rate * a.grad
            b -= learning_rate * b.grad
            c -= learning_rate * c.grad
            d -= learning_rate * d.grad
            a.grad = None
            b.grad = None
            c.grad = None
            d.grad = None
    print(f"Result: y = {a.item()} + {b.item()} x + {c.item()} x^2 + {d.item()} x^3")

    losses, coefficients = parse_fit(capsys.readouterr().out.splitlines())
    want_losses, want_coefficients = numpy_polynomial_fit(*start, steps=300)
    np.testing.assert_allclose(losses, want_losses, rtol=1e-4)
    np.testing.assert_allclose(coefficients, want_coefficients, rtol=1e-4, atol=1e-6)
    assert a.is_leaf and a.grad is None and torch.get_default_device() == torch.device("cpu")


class LegendrePolynomial3(torch.autograd.Function):
    """The tutorial's custom Function: P3(x) = (5x³ - 3x) / 2, P3'(x) = 3 (5x² - 1) / 2."""

    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return 0.5 * (5 * input**3 - 3 * input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * input**2 - 1)


def test_examples_legendre_polynomial_function(capsys):
    """examples_autograd/polynomial_custom_function.py, all 2000 steps: its start is not
    random, so every printed number is PyTorch's (torch 2.13 on a CPU, written out here)."""
    dtype = torch.float
    device = torch.device("cpu")
    x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
    y = torch.sin(x)
    a = torch.full((), 0.0, device=device, dtype=dtype, requires_grad=True)
    b = torch.full((), -1.0, device=device, dtype=dtype, requires_grad=True)
    c = torch.full((), 0.0, device=device, dtype=dtype, requires_grad=True)
    d = torch.full((), 0.3, device=device, dtype=dtype, requires_grad=True)
    learning_rate = 5e-6
    for t in range(2000):
        P3 = LegendrePolynomial3.apply
        y_pred = a + b * P3(c + d * x)
        loss = (y_pred - y).pow(2).sum()
        if t % 100 == 99:
            print(t, loss.item())
        loss.backward()
        with torch.no_grad():
            a -= learning_rate * a.grad
            b -= learning_rate * b.grad
            c -= learning_rate * c.grad
            d -= learning_rate * d.grad
            a.grad = None
            b.grad = None
            c.grad = None
            d.grad = None
    print(f"Result: y = {a.item()} + {b.item()} * P3({c.item()} + {d.item()} x)")

    lines = capsys.readouterr().out.splitlines()
    assert [int(line.split()[0]) for line in lines[:-1]] == list(range(99, 2000, 100))
    losses, coefficients = parse_fit(lines)
    pytorch_losses = [209.95834350585938, 144.66018676757812, 100.70249938964844,
                      71.03519439697266, 50.978511810302734, 37.403133392333984,
                      28.206867218017578, 21.97318458557129, 17.7457275390625,
                      14.877889633178711, 12.93176555633545, 11.610918045043945,
                      10.71425724029541, 10.10548210144043, 9.692105293273926,
                      9.411375999450684, 9.220745086669922, 9.091285705566406,
                      9.003361701965332, 8.943641662597656]  # fmt: skip
    np.testing.assert_allclose(losses, pytorch_losses, rtol=1e-5)  # float32 sums differ in order
    pytorch_result = [-6.71270206087371e-10, -2.208526849746704, -3.392665037793563e-10,
                      0.2554861009120941]  # fmt: skip
    np.testing.assert_allclose(coefficients, pytorch_result, rtol=1e-5, atol=1e-8)
    assert lines[-1].startswith("Result: y = ") and " * P3(" in lines[-1]


class MyReLU(torch.autograd.Function):
    """examples_autograd/two_layer_net_custom_function.py's ReLU."""

    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return input.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input[input < 0] = 0
        return grad_input


def numpy_two_layer_net(x, y, w1, w2, steps: int, learning_rate: float = 1e-6) -> list[float]:
    """examples_tensor/two_layer_net_numpy.py in float64: the loss before each step."""
    losses = []
    for _ in range(steps):
        h = x @ w1
        h_relu = np.maximum(h, 0)
        y_pred = h_relu @ w2
        losses.append(np.square(y_pred - y).sum())
        grad_y_pred = 2.0 * (y_pred - y)
        grad_w2 = h_relu.T @ grad_y_pred
        grad_h = grad_y_pred @ w2.T
        grad_h[h < 0] = 0
        w1 = w1 - learning_rate * x.T @ grad_h
        w2 = w2 - learning_rate * grad_w2
    return losses


def test_examples_two_layer_net_custom_relu_and_manual_backward(capsys):
    """two_layer_net_custom_function.py then two_layer_net_tensor.py (earlier versions of the
    examples), 5 of their 500 steps each, printing every step."""
    torch.manual_seed(0)

    dtype = torch.float
    device = torch.device("cpu")
    N, D_in, H, D_out = 64, 1000, 100, 10
    x = torch.randn(N, D_in, device=device, dtype=dtype)
    y = torch.randn(N, D_out, device=device, dtype=dtype)
    w1 = torch.randn(D_in, H, device=device, dtype=dtype, requires_grad=True)
    w2 = torch.randn(H, D_out, device=device, dtype=dtype, requires_grad=True)
    start = arr(x), arr(y), arr(w1), arr(w2)
    learning_rate = 1e-6
    for t in range(5):
        relu = MyReLU.apply
        y_pred = relu(x.mm(w1)).mm(w2)
        loss = (y_pred - y).pow(2).sum()
        print(t, loss.item())
        loss.backward()
        with torch.no_grad():
            w1 -= learning_rate * w1.grad
            w2 -= learning_rate * w2.grad
            w1.grad.zero_()
            w2.grad.zero_()

    w1 = torch.from_numpy(start[2].astype(np.float32))
    w2 = torch.from_numpy(start[3].astype(np.float32))
    for t in range(5):
        h = x.mm(w1)
        h_relu = h.clamp(min=0)
        y_pred = h_relu.mm(w2)
        loss = (y_pred - y).pow(2).sum().item()
        print(t, loss)
        grad_y_pred = 2.0 * (y_pred - y)
        grad_w2 = h_relu.t().mm(grad_y_pred)
        grad_h_relu = grad_y_pred.mm(w2.t())
        grad_h = grad_h_relu.clone()
        grad_h[h < 0] = 0
        grad_w1 = x.t().mm(grad_h)
        w1 -= learning_rate * grad_w1
        w2 -= learning_rate * grad_w2

    lines = capsys.readouterr().out.splitlines()
    assert [int(line.split()[0]) for line in lines] == [0, 1, 2, 3, 4] * 2
    losses = [float(line.split()[1]) for line in lines]
    want = numpy_two_layer_net(*start, steps=5)
    np.testing.assert_allclose(losses[:5], want, rtol=1e-4)
    np.testing.assert_allclose(losses[5:], want, rtol=1e-4)
    assert want[-1] < want[0]  # it learns


# ----- d2l: 2.1 Data Manipulation, 2.3 Linear Algebra, 2.5 Automatic Differentiation -----------


def test_d2l_data_manipulation(capsys):
    """chapter_preliminaries/ndarray.md; the notebook's displayed values are printed."""
    x = torch.arange(12, dtype=torch.float32)
    print(x)
    print(x.numel())
    print(x.shape)
    X = x.reshape(3, 4)
    print(X)
    print(torch.zeros((2, 3, 4))[0])
    print(torch.ones((2, 3, 4)).shape, torch.randn(3, 4).shape)
    print(torch.tensor([[2, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]]))
    print((X[-1], X[1:3]))
    X[1, 2] = 17
    print(X)
    X[:2, :] = 12
    print(X)
    e = torch.exp(x)
    x = torch.tensor([1.0, 2, 4, 8])
    y = torch.tensor([2, 2, 2, 2])
    print((x + y, x - y, x * y, x / y, x**y))
    X = torch.arange(12, dtype=torch.float32).reshape((3, 4))
    Y = torch.tensor([[2.0, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]])
    print((torch.cat((X, Y), dim=0), torch.cat((X, Y), dim=1)))
    print(X == Y)
    print(X.sum())
    a = torch.arange(3).reshape((3, 1))
    b = torch.arange(2).reshape((1, 2))
    print((a, b))
    print(a + b)
    before = id(Y)
    Y = Y + X
    print(id(Y) == before)
    Z = torch.zeros_like(Y)
    z_id = id(Z)  # d2l prints id(Z) before and after: the same number
    Z[:] = X + Y
    print(id(Z) == z_id)
    before = id(X)
    X += Y
    print(id(X) == before)
    A = X.numpy()
    B = torch.from_numpy(A)
    print((type(A).__name__, type(B).__name__))
    a = torch.tensor([3.5])
    print((a, a.item(), float(a), int(a)))

    assert capsys.readouterr().out.split("\n") == pytorch(
        """tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11.])
12
torch.Size([12])
tensor([[ 0.,  1.,  2.,  3.],
        [ 4.,  5.,  6.,  7.],
        [ 8.,  9., 10., 11.]])
tensor([[0., 0., 0., 0.],
        [0., 0., 0., 0.],
        [0., 0., 0., 0.]])
torch.Size([2, 3, 4]) torch.Size([3, 4])
tensor([[2, 1, 4, 3],
        [1, 2, 3, 4],
        [4, 3, 2, 1]])
(tensor([ 8.,  9., 10., 11.]), tensor([[ 4.,  5.,  6.,  7.],
        [ 8.,  9., 10., 11.]]))
tensor([[ 0.,  1.,  2.,  3.],
        [ 4.,  5., 17.,  7.],
        [ 8.,  9., 10., 11.]])
tensor([[12., 12., 12., 12.],
        [12., 12., 12., 12.],
        [ 8.,  9., 10., 11.]])
(tensor([ 3.,  4.,  6., 10.]), tensor([-1.,  0.,  2.,  6.]), tensor([ 2.,  4.,  8., 16.]), tensor([0.5000, 1.0000, 2.0000, 4.0000]), tensor([ 1.,  4., 16., 64.]))
(tensor([[ 0.,  1.,  2.,  3.],
        [ 4.,  5.,  6.,  7.],
        [ 8.,  9., 10., 11.],
        [ 2.,  1.,  4.,  3.],
        [ 1.,  2.,  3.,  4.],
        [ 4.,  3.,  2.,  1.]]), tensor([[ 0.,  1.,  2.,  3.,  2.,  1.,  4.,  3.],
        [ 4.,  5.,  6.,  7.,  1.,  2.,  3.,  4.],
        [ 8.,  9., 10., 11.,  4.,  3.,  2.,  1.]]))
tensor([[False,  True, False,  True],
        [False, False, False, False],
        [False, False, False, False]])
tensor(66.)
(tensor([[0],
        [1],
        [2]]), tensor([[0, 1]]))
tensor([[0, 1],
        [1, 2],
        [2, 3]])
False
True
True
('ndarray', 'Tensor')
(tensor([3.5000]), 3.5, 3.5, 3)
"""
    )
    # exp of the rows set to 12: float32 exp is NumPy's here, within an ulp of the exact value
    # (PyTorch prints 162754.7969, this engine may print 162754.7812: 1 ulp apart)
    exact = np.exp(np.array([12.0] * 8 + [8.0, 9.0, 10.0, 11.0]))
    np.testing.assert_allclose(arr(e), exact, rtol=2.5e-7)


def test_d2l_linear_algebra(capsys):
    """chapter_preliminaries/linear-algebra.md (its tensor part)."""
    A = torch.arange(6, dtype=torch.float32).reshape(2, 3)
    print(A.T)
    B = A.clone()
    print((A, A + B))
    print(A * B)
    a = 2
    X = torch.arange(24).reshape(2, 3, 4)
    print((a + X, (a * X).shape))
    x = torch.arange(3, dtype=torch.float32)
    print((x, x.sum()))
    print((A.shape, A.sum()))
    print((A.shape, A.sum(axis=0).shape))
    print((A.shape, A.sum(axis=1).shape))
    print(A.sum(axis=[0, 1]) == A.sum())
    print((A.mean(), A.sum() / A.numel()))
    print((A.mean(axis=0), A.sum(axis=0) / A.shape[0]))
    sum_A = A.sum(axis=1, keepdims=True)
    print((sum_A, sum_A.shape))
    print(A / sum_A)
    print(A.cumsum(axis=0))
    y = torch.ones(3, dtype=torch.float32)
    print((x, y, torch.dot(x, y)))
    print(torch.sum(x * y))
    print((A.shape, x.shape, torch.mv(A, x), A @ x))
    B = torch.ones(3, 4)
    print((torch.mm(A, B), A @ B))
    u = torch.tensor([3.0, -4.0])
    print(torch.norm(u))
    print(torch.abs(u).sum())
    print(torch.norm(torch.ones((4, 9))))

    assert capsys.readouterr().out.split("\n") == pytorch(
        """tensor([[0., 3.],
        [1., 4.],
        [2., 5.]])
(tensor([[0., 1., 2.],
        [3., 4., 5.]]), tensor([[ 0.,  2.,  4.],
        [ 6.,  8., 10.]]))
tensor([[ 0.,  1.,  4.],
        [ 9., 16., 25.]])
(tensor([[[ 2,  3,  4,  5],
         [ 6,  7,  8,  9],
         [10, 11, 12, 13]],

        [[14, 15, 16, 17],
         [18, 19, 20, 21],
         [22, 23, 24, 25]]]), torch.Size([2, 3, 4]))
(tensor([0., 1., 2.]), tensor(3.))
(torch.Size([2, 3]), tensor(15.))
(torch.Size([2, 3]), torch.Size([3]))
(torch.Size([2, 3]), torch.Size([2]))
tensor(True)
(tensor(2.5000), tensor(2.5000))
(tensor([1.5000, 2.5000, 3.5000]), tensor([1.5000, 2.5000, 3.5000]))
(tensor([[ 3.],
        [12.]]), torch.Size([2, 1]))
tensor([[0.0000, 0.3333, 0.6667],
        [0.2500, 0.3333, 0.4167]])
tensor([[0., 1., 2.],
        [3., 5., 7.]])
(tensor([0., 1., 2.]), tensor([1., 1., 1.]), tensor(3.))
tensor(3.)
(torch.Size([2, 3]), torch.Size([3]), tensor([ 5., 14.]), tensor([ 5., 14.]))
(tensor([[ 3.,  3.,  3.,  3.],
        [12., 12., 12., 12.]]), tensor([[ 3.,  3.,  3.,  3.],
        [12., 12., 12., 12.]]))
tensor(5.)
tensor(7.)
tensor(6.)
"""
    )


def test_d2l_automatic_differentiation(capsys):
    """chapter_preliminaries/autograd.md, including its control-flow example."""
    torch.manual_seed(0)

    x = torch.arange(4.0)
    print(x)
    x.requires_grad_(True)
    print(x.grad)
    y = 2 * torch.dot(x, x)
    print(y)
    y.backward()
    print(x.grad)
    print(x.grad == 4 * x)
    x.grad.zero_()
    y = x.sum()
    y.backward()
    print(x.grad)
    x.grad.zero_()
    y = x * x
    y.backward(gradient=torch.ones(len(y)))  # Faster: y.sum().backward()
    print(x.grad)
    x.grad.zero_()
    y = x * x
    u = y.detach()
    z = u * x
    z.sum().backward()
    print(x.grad == u)
    x.grad.zero_()
    y.sum().backward()
    print(x.grad == 2 * x)

    def f(a):
        b = a * 2
        while b.norm() < 1000:
            b = b * 2
        if b.sum() > 0:
            c = b
        else:
            c = 100 * b
        return c

    a = torch.randn(size=(), requires_grad=True)
    d = f(a)
    d.backward()
    print(a.grad == d / a)

    assert capsys.readouterr().out.split("\n") == [
        "tensor([0., 1., 2., 3.])",
        "None",
        "tensor(28., grad_fn=<MulBackward0>)",
        "tensor([ 0.,  4.,  8., 12.])",
        "tensor([True, True, True, True])",
        "tensor([1., 1., 1., 1.])",
        "tensor([0., 2., 4., 6.])",
        "tensor([True, True, True, True])",
        "tensor([True, True, True, True])",
        "tensor(True)",
        "",
    ]


# ----- Introduction to PyTorch Tensors (beginner_source/introyt/tensors_deeper_tutorial.py) ---


def layout(line: str) -> str:
    """A printed line with its numbers replaced by N and its spaces (the padding, which
    depends on the values) removed."""
    return re.sub(r"\s+", "", re.sub(r"-?\d+(\.\d*)?(e[+-]\d+)?", "N", line))


def assert_prints_as_pytorch(printed: list[str], fixture: str) -> None:
    """The printed text has PyTorch's layout (numbers aside; random draws may wrap lines at
    other places), and every line the fixture does not mark ~ (random) is PyTorch's exactly,
    in order (module swapped, memory addresses cut)."""
    expected = [l for l in (FIXTURES / fixture).read_text().splitlines() if not l.startswith("#")]
    expected = [line.replace("torch.", "autograd_course.") for line in expected]
    printed = [re.sub(r" at 0x[0-9a-f]+", " at 0x", line) for line in printed]
    assert layout("".join(printed)) == layout("".join(line.lstrip("~") for line in expected))
    rest = iter(printed)
    for want in expected:
        if not want.startswith("~"):
            assert any(got == want for got in rest), f"not printed, or out of order: {want!r}"


def test_introduction_to_pytorch_tensors(capsys):
    """The YouTube series' tensor tutorial, every code cell in order (``print(x)`` of the two
    ``torch.empty`` tensors prints their shape instead: their values are uninitialised memory).
    ``seen`` keeps values the checks need; the program itself is unchanged."""
    seen = {}
    x = torch.empty(3, 4)
    print(type(x))
    print(x.shape)
    zeros = torch.zeros(2, 3)
    print(zeros)
    ones = torch.ones(2, 3)
    print(ones)
    torch.manual_seed(1729)
    random = torch.rand(2, 3)
    print(random)
    torch.manual_seed(1729)
    random1 = torch.rand(2, 3)
    print(random1)
    random2 = torch.rand(2, 3)
    print(random2)
    torch.manual_seed(1729)
    random3 = torch.rand(2, 3)
    print(random3)
    random4 = torch.rand(2, 3)
    print(random4)
    x = torch.empty(2, 2, 3)
    print(x.shape)
    empty_like_x = torch.empty_like(x)
    print(empty_like_x.shape)
    zeros_like_x = torch.zeros_like(x)
    print(zeros_like_x.shape)
    print(zeros_like_x)
    ones_like_x = torch.ones_like(x)
    print(ones_like_x.shape)
    print(ones_like_x)
    rand_like_x = torch.rand_like(x)
    print(rand_like_x.shape)
    print(rand_like_x)
    some_constants = torch.tensor([[3.1415926, 2.71828], [1.61803, 0.0072897]])
    print(some_constants)
    some_integers = torch.tensor((2, 3, 5, 7, 11, 13, 17, 19))
    print(some_integers)
    more_integers = torch.tensor(((2, 4, 6), [3, 6, 9]))
    print(more_integers)
    a = torch.ones((2, 3), dtype=torch.int16)
    print(a)
    b = torch.rand((2, 3), dtype=torch.float64) * 20.0
    print(b)
    c = b.to(torch.int32)
    print(c)
    seen["b20"], seen["c20"] = b.numpy(), c.numpy()
    ones = torch.zeros(2, 2) + 1
    twos = torch.ones(2, 2) * 2
    threes = (torch.ones(2, 2) * 7 - 1) / 2
    fours = twos**2
    sqrt2s = twos**0.5
    print(ones)
    print(twos)
    print(threes)
    print(fours)
    print(sqrt2s)
    powers2 = twos ** torch.tensor([[1, 2], [3, 4]])
    print(powers2)
    fives = ones + fours
    print(fives)
    dozens = threes * fours
    print(dozens)
    rand = torch.rand(2, 4)
    doubled = rand * (torch.ones(1, 4) * 2)
    print(rand)
    print(doubled)
    a = torch.ones(4, 3, 2)
    b = a * torch.rand(3, 2)  # 3rd & 2nd dims identical to a, dim 1 absent
    print(b)
    c = a * torch.rand(3, 1)  # 3rd dim = 1, 2nd dim identical to a
    print(c)
    d = a * torch.rand(1, 2)  # 3rd dim identical to a, 2nd dim = 1
    print(d)
    seen["broadcasts"] = b.numpy(), c.numpy(), d.numpy()
    a = torch.rand(2, 4) * 2 - 1
    print("Common functions:")
    print(torch.abs(a))
    print(torch.ceil(a))
    print(torch.floor(a))
    print(torch.clamp(a, -0.5, 0.5))
    seen["common"] = a.numpy(), torch.clamp(a, -0.5, 0.5).numpy(), torch.floor(a).numpy()
    angles = torch.tensor([0, math.pi / 4, math.pi / 2, 3 * math.pi / 4])
    sines = torch.sin(angles)
    inverses = torch.asin(sines)
    print("\nSine and arcsine:")
    print(angles)
    print(sines)
    print(inverses)
    print("\nBitwise XOR:")
    b = torch.tensor([1, 5, 11])
    c = torch.tensor([2, 7, 10])
    print(torch.bitwise_xor(b, c))
    print("\nBroadcasted, element-wise equality comparison:")
    d = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    e = torch.ones(1, 2)  # many comparison ops support broadcasting!
    print(torch.eq(d, e))  # returns a tensor of type bool
    print("\nReduction ops:")
    print(torch.max(d))  # returns a single-element tensor
    print(torch.max(d).item())  # extracts the value from the returned tensor
    print(torch.mean(d))  # average
    print(torch.std(d))  # standard deviation
    print(torch.prod(d))  # product of all numbers
    print(torch.unique(torch.tensor([1, 2, 1, 2, 1, 2])))  # filter unique elements
    v1 = torch.tensor([1.0, 0.0, 0.0])  # x unit vector
    v2 = torch.tensor([0.0, 1.0, 0.0])  # y unit vector
    m1 = torch.rand(2, 2)  # random matrix
    m2 = torch.tensor([[3.0, 0.0], [0.0, 3.0]])  # three times identity matrix
    print("\nVectors & Matrices:")
    with pytest.warns(UserWarning, match="without specifying the dim arg is deprecated"):
        print(torch.cross(v2, v1))  # negative of z unit vector (v1 x v2 == -v2 x v1)
    print(m1)
    m3 = torch.matmul(m1, m2)
    print(m3)  # 3 times m1
    print(torch.svd(m3))  # singular value decomposition
    seen["svd"] = m1.numpy(), m3.numpy(), torch.svd(m3)
    a = torch.tensor([0, math.pi / 4, math.pi / 2, 3 * math.pi / 4])
    print("a:")
    print(a)
    print(torch.sin(a))  # this operation creates a new tensor in memory
    print(a)  # a has not changed
    b = torch.tensor([0, math.pi / 4, math.pi / 2, 3 * math.pi / 4])
    print("\nb:")
    print(b)
    print(torch.sin_(b))  # note the underscore
    print(b)  # b has changed
    a = torch.ones(2, 2)
    b = torch.rand(2, 2)
    seen["b_before"] = b.numpy().copy()
    print("Before:")
    print(a)
    print(b)
    print("\nAfter adding:")
    print(a.add_(b))
    print(a)
    print(b)
    print("\nAfter multiplying")
    print(b.mul_(b))
    print(b)
    seen["in_place"] = a.numpy().copy(), b.numpy().copy()
    a = torch.rand(2, 2)
    b = torch.rand(2, 2)
    c = torch.zeros(2, 2)
    old_id = id(c)
    print(c)
    d = torch.matmul(a, b, out=c)
    print(c)  # contents of c have changed
    seen["out"] = a.numpy() @ b.numpy(), c.numpy().copy()
    assert c is d  # test c & d are same object, not just containing equal values
    assert id(c) == old_id  # make sure that our new c is the same object as the old one
    torch.rand(2, 2, out=c)  # works for creation too!
    print(c)  # c has changed again
    assert id(c) == old_id  # still the same object!
    a = torch.ones(2, 2)
    b = a
    a[0][1] = 561  # we change a...
    print(b)  # ...and b is also altered
    a = torch.ones(2, 2)
    b = a.clone()
    assert b is not a  # different objects in memory...
    print(torch.eq(a, b))  # ...but still with the same contents!
    a[0][1] = 561  # a changes...
    print(b)  # ...but b is still all ones
    a = torch.rand(2, 2, requires_grad=True)  # turn on autograd
    print(a)
    b = a.clone()
    print(b)
    c = a.detach().clone()
    print(c)
    print(a)
    if torch.cuda.is_available():
        print("We have a GPU!")
    else:
        print("Sorry, CPU only.")
    if torch.cuda.is_available():
        gpu_rand = torch.rand(2, 2, device="cuda")
        print(gpu_rand)
    else:
        print("Sorry, CPU only.")
    if torch.cuda.is_available():
        my_device = torch.device("cuda")
    else:
        my_device = torch.device("cpu")
    print("Device: {}".format(my_device))  # noqa: UP032 - the tutorial's line
    x = torch.rand(2, 2, device=my_device)
    print(x)
    y = torch.rand(2, 2)
    y = y.to(my_device)
    a = torch.rand(3, 226, 226)
    b = a.unsqueeze(0)
    print(a.shape)
    print(b.shape)
    c = torch.rand(1, 1, 1, 1, 1)
    print(c)
    a = torch.rand(1, 20)
    print(a.shape)
    print(a)
    b = a.squeeze(0)
    print(b.shape)
    print(b)
    c = torch.rand(2, 2)
    print(c.shape)
    d = c.squeeze(0)
    print(d.shape)
    a = torch.ones(4, 3, 2)
    b = torch.rand(3)  # trying to multiply a * b will give a runtime error
    c = b.unsqueeze(1)  # change to a 2-dimensional tensor, adding new dim at the end
    print(c.shape)
    print(a * c)  # broadcasting works again!
    seen["unsqueezed"] = b.numpy(), (a * c).numpy()
    batch_me = torch.rand(3, 226, 226)
    print(batch_me.shape)
    batch_me.unsqueeze_(0)
    print(batch_me.shape)
    output3d = torch.rand(6, 20, 20)
    print(output3d.shape)
    input1d = output3d.reshape(6 * 20 * 20)
    print(input1d.shape)
    print(torch.reshape(output3d, (6 * 20 * 20,)).shape)
    numpy_array = np.ones((2, 3))
    print(numpy_array)
    pytorch_tensor = torch.from_numpy(numpy_array)
    print(pytorch_tensor)
    pytorch_rand = torch.rand(2, 3)
    print(pytorch_rand)
    numpy_rand = pytorch_rand.numpy()
    print(numpy_rand)

    printed = capsys.readouterr().out.splitlines()
    assert_prints_as_pytorch(printed, "pytorch_tensors_deeper_output.txt")
    # the random values, recomputed with NumPy from what was drawn
    assert printed[6:8] == printed[8:10] == printed[12:14] and printed[10:12] == printed[14:16]
    np.testing.assert_array_equal(seen["c20"], np.trunc(seen["b20"]).astype(np.int32))
    b, c, d = seen["broadcasts"]
    assert (b == b[0]).all() and (c == c[..., :1]).all() and (d == d[:, :1, :]).all()
    a, clamped, floored = seen["common"]
    np.testing.assert_array_equal(clamped, np.clip(a, -0.5, 0.5))
    np.testing.assert_array_equal(floored, np.floor(a))
    m1, m3, (U, S, V) = seen["svd"]
    np.testing.assert_allclose(m3, 3 * m1, rtol=1e-6)
    np.testing.assert_allclose(S.numpy(), np.linalg.svd(m3, compute_uv=False), rtol=1e-6)
    np.testing.assert_allclose(U.numpy() @ np.diag(S.numpy()) @ V.numpy().T, m3, atol=1e-6)
    a, b = seen["in_place"]
    np.testing.assert_allclose(a, 1 + seen["b_before"], rtol=1e-6)
    np.testing.assert_allclose(b, seen["b_before"] ** 2, rtol=1e-6)
    np.testing.assert_allclose(*seen["out"], rtol=1e-6)
    b, product = seen["unsqueezed"]
    np.testing.assert_array_equal(product, np.broadcast_to(b[:, None], (4, 3, 2)))


# ----- The Fundamentals of Autograd (beginner_source/introyt/autogradyt_tutorial.py) -----------


def test_fundamentals_of_autograd(capsys):
    """The YouTube series' autograd tutorial: plots and the autograd-profiler cell removed, the
    last expression of a cell printed (the notebook displays it)."""
    torch.manual_seed(0)
    seen = {}
    a = torch.linspace(0.0, 2.0 * math.pi, steps=25, requires_grad=True)
    print(a)
    b = torch.sin(a)
    print(b)
    c = 2 * b
    print(c)
    d = c + 1
    print(d)
    out = d.sum()
    print(out)
    print("d:")
    print(d.grad_fn)
    print(d.grad_fn.next_functions)
    print(d.grad_fn.next_functions[0][0].next_functions)
    print(d.grad_fn.next_functions[0][0].next_functions[0][0].next_functions)
    print(d.grad_fn.next_functions[0][0].next_functions[0][0].next_functions[0][0].next_functions)
    print("\nc:")
    print(c.grad_fn)
    print("\nb:")
    print(b.grad_fn)
    print("\na:")
    print(a.grad_fn)
    out.backward()
    print(a.grad)
    seen["a"], seen["d"], seen["a.grad"] = arr(a), arr(d), arr(a.grad)

    BATCH_SIZE = 16
    DIM_IN = 1000
    HIDDEN_SIZE = 100
    DIM_OUT = 10

    class TinyModel(torch.nn.Module):
        def __init__(self):
            super(TinyModel, self).__init__()  # noqa: UP008 - the tutorial's line
            self.layer1 = torch.nn.Linear(DIM_IN, HIDDEN_SIZE)
            self.relu = torch.nn.ReLU()
            self.layer2 = torch.nn.Linear(HIDDEN_SIZE, DIM_OUT)

        def forward(self, x):
            x = self.layer1(x)
            x = self.relu(x)
            x = self.layer2(x)
            return x

    some_input = torch.randn(BATCH_SIZE, DIM_IN, requires_grad=False)
    ideal_output = torch.randn(BATCH_SIZE, DIM_OUT, requires_grad=False)
    model = TinyModel()
    print(model.layer2.weight[0][0:10])  # just a small slice
    print(model.layer2.weight.grad)
    seen["w0"] = arr(model.layer2.weight)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.001)
    prediction = model(some_input)
    loss = (ideal_output - prediction).pow(2).sum()
    print(loss)
    loss.backward()
    print(model.layer2.weight[0][0:10])
    print(model.layer2.weight.grad[0][0:10])
    seen["grad1"] = arr(model.layer2.weight.grad)
    optimizer.step()
    print(model.layer2.weight[0][0:10])
    print(model.layer2.weight.grad[0][0:10])
    seen["w1"] = arr(model.layer2.weight)
    print(model.layer2.weight.grad[0][0:10])
    for i in range(0, 5):  # noqa: B007 - the tutorial's line
        prediction = model(some_input)
        loss = (ideal_output - prediction).pow(2).sum()
        loss.backward()
    print(model.layer2.weight.grad[0][0:10])
    optimizer.zero_grad(set_to_none=False)
    print(model.layer2.weight.grad[0][0:10])

    a = torch.ones(2, 3, requires_grad=True)
    print(a)
    b1 = 2 * a
    print(b1)
    a.requires_grad = False
    b2 = 2 * a
    print(b2)
    a = torch.ones(2, 3, requires_grad=True) * 2
    b = torch.ones(2, 3, requires_grad=True) * 3
    c1 = a + b
    print(c1)
    with torch.no_grad():
        c2 = a + b
    print(c2)
    c3 = a * b
    print(c3)

    def add_tensors1(x, y):
        return x + y

    @torch.no_grad()
    def add_tensors2(x, y):
        return x + y

    a = torch.ones(2, 3, requires_grad=True) * 2
    b = torch.ones(2, 3, requires_grad=True) * 3
    c1 = add_tensors1(a, b)
    print(c1)
    c2 = add_tensors2(a, b)
    print(c2)
    x = torch.rand(5, requires_grad=True)
    y = x.detach()
    print(x)
    print(y)
    x = torch.randn(3, requires_grad=True)
    y = x * 2
    while y.data.norm() < 1000:
        y = y * 2
    print(y)
    v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)  # stand-in for gradients
    y.backward(v)
    print(x.grad)

    def exp_adder(x, y):
        return 2 * x.exp() + 3 * y

    inputs = (torch.rand(1), torch.rand(1))  # arguments for the function
    print(inputs)
    print(torch.autograd.functional.jacobian(exp_adder, inputs))
    inputs = (torch.rand(3), torch.rand(3))  # arguments for the function
    print(inputs)
    J = torch.autograd.functional.jacobian(exp_adder, inputs)
    print(J)
    seen["x3"], seen["J"] = arr(inputs[0]), J

    def do_some_doubling(x):
        y = x * 2
        while y.data.norm() < 1000:
            y = y * 2
        return y

    inputs = torch.randn(3)
    my_gradients = torch.tensor([0.1, 1.0, 0.0001])
    result = torch.autograd.functional.vjp(do_some_doubling, inputs, v=my_gradients)
    print(result)

    printed = capsys.readouterr().out.splitlines()
    assert_prints_as_pytorch(printed, "pytorch_autogradyt_output.txt")
    np.testing.assert_allclose(seen["d"], 2 * np.sin(seen["a"]) + 1, atol=5e-7)
    np.testing.assert_allclose(seen["a.grad"], 2 * np.cos(seen["a"]), atol=5e-7)
    np.testing.assert_allclose(seen["w1"], seen["w0"] - 0.001 * seen["grad1"], rtol=1e-6, atol=1e-8)
    J0, J1 = seen["J"]
    np.testing.assert_allclose(arr(J0), np.diag(2 * np.exp(seen["x3"])), rtol=1e-6)
    np.testing.assert_allclose(arr(J1), 3 * np.eye(3))
    doubled, vjp = result
    scale = arr(doubled) / arr(inputs)  # the same power of two for every entry
    assert np.allclose(scale, scale[0]) and math.log2(scale[0]).is_integer()
    np.testing.assert_allclose(arr(vjp), scale[0] * np.array([0.1, 1.0, 0.0001]), rtol=1e-6)
