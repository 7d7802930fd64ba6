"""Devices (the CPU only), creation functions with PyTorch's keywords, dtypes, Tensor.type,
set_printoptions and inference_mode, as PyTorch 2 behaves (reprs and messages included)."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_course as ac


# ---- devices -----------------------------------------------------------------------------------
def test_the_universal_device_line_works_unchanged():
    device = "cuda" if ac.cuda.is_available() else "cpu"
    x = ac.ones(2, 3).to(device)
    assert device == "cpu" and x.device == ac.device("cpu") and str(x.device) == "cpu"
    model_input = ac.zeros(2, device=device)
    assert model_input.is_cpu and not model_input.is_cuda


def test_device_objects_print_and_compare_as_in_pytorch():
    assert repr(ac.device("cpu")) == "device(type='cpu')"
    assert repr(ac.device("cpu", 0)) == "device(type='cpu', index=0)" == repr(ac.device("cpu:0"))
    assert str(ac.device("cpu:0")) == "cpu:0" and ac.device("cpu").index is None
    assert ac.device(ac.device("cpu")) == ac.device("cpu") and ac.device("cpu") != "cpu"
    assert len({ac.device("cpu"), ac.device("cpu")}) == 1
    assert ac.device("cuda").index is None  # made freely, as PyTorch does (the tutorial's test)
    with pytest.raises(
        RuntimeError, match="Expected one of cpu, cuda, .* at start of device string: gpu"
    ):
        ac.device("gpu")
    with pytest.raises(RuntimeError, match="Invalid device string: 'cuda:x'"):
        ac.device("cuda:x")


@pytest.mark.parametrize(
    "call",
    [
        lambda: ac.ones(2).cuda(),
        lambda: ac.ones(2).to("cuda"),
        lambda: ac.ones(2).to(ac.device("cuda", 0)),
        lambda: ac.zeros(2, device="cuda"),
        lambda: ac.tensor([1.0], device="cuda:0"),
        lambda: ac.cuda.current_device(),
    ],
)
def test_using_cuda_says_the_engine_runs_on_the_cpu(call):
    with pytest.raises(AssertionError, match="Torch not compiled with CUDA enabled: .*CPU only"):
        call()


def test_gpu_queries_answer_no():
    assert not ac.cuda.is_available() and ac.cuda.device_count() == 0
    assert not ac.backends.mps.is_available() and not ac.accelerator.is_available()
    assert ac.accelerator.current_accelerator() is None
    ac.cuda.manual_seed(0)
    ac.cuda.manual_seed_all(0)
    with pytest.raises(RuntimeError, match="not linked with support for mps devices"):
        ac.ones(1).to("mps")


def test_to_with_device_and_dtype_in_any_order():
    x = ac.ones(2)
    assert x.to("cpu") is x and x.cpu() is x
    assert x.to("cpu", ac.float64).dtype == ac.float64
    assert x.to(device="cpu", dtype=ac.int32).dtype == ac.int32
    assert x.to(ac.zeros(1, dtype=ac.int64)).dtype == ac.int64
    copied = x.to("cpu", copy=True)
    assert copied is not x and copied.tolist() == [1.0, 1.0]


# ---- creation ----------------------------------------------------------------------------------
def test_randint_reads_high_and_size_as_pytorch():
    ac.manual_seed(0)
    a = ac.randint(10, (1000,))
    assert (
        a.shape == (1000,) and a.dtype == ac.int64 and 0 <= a.min().item() and a.max().item() == 9
    )
    b = ac.randint(3, 5, (200,))
    assert set(b.tolist()) == {3, 4}
    assert ac.randint(10, size=(2, 2)).shape == (2, 2)
    assert ac.randint(low=2, high=4, size=(3,)).min().item() >= 2
    assert ac.randint(5, (3,), dtype=ac.int32).dtype == ac.int32
    with pytest.raises(TypeError, match="randint\\(\\) received an invalid combination"):
        ac.randint(10)


def test_shapes_as_size_keyword_and_seeded_repeatability():
    assert ac.randn(size=(2, 3)).shape == (2, 3) and ac.zeros(size=(4,)).shape == (4,)
    ac.manual_seed(3)
    first = ac.randn(5).tolist()
    ac.manual_seed(3)
    assert ac.randn(5).tolist() == first


def test_normal_in_its_four_forms():
    ac.manual_seed(1)
    samples = ac.normal(2.0, 3.0, size=(20000,))
    assert samples.mean().item() == pytest.approx(2.0, abs=0.1)
    assert samples.std().item() == pytest.approx(3.0, abs=0.1)
    means = ac.tensor([0.0, 100.0, -100.0])
    assert ac.normal(means, 0.001).round().tolist() == [0.0, 100.0, -100.0]
    assert ac.normal(5.0, ac.tensor([1e-6, 1e-6])).round().tolist() == [5.0, 5.0]
    assert ac.normal(mean=ac.zeros(2, 2), std=ac.ones(2, 2)).shape == (2, 2)
    with pytest.raises(TypeError, match="normal\\(\\) received an invalid combination"):
        ac.normal(0.0, 1.0)


def test_like_functions_keep_shape_and_dtype_unless_told():
    x = ac.tensor([[1, 2], [3, 4]])
    assert ac.ones_like(x).dtype == ac.int64 and ac.empty_like(x).shape == (2, 2)
    r = ac.rand_like(x, dtype=ac.float)
    assert r.dtype == ac.float32 and ((r >= 0) & (r < 1)).all()
    assert ac.randn_like(r).shape == (2, 2) and ac.full_like(x, 7).tolist() == [[7, 7], [7, 7]]
    assert ac.full_like(x, 2.7).tolist() == [[2, 2], [2, 2]]  # the int dtype is kept
    assert ac.randint_like(r, 3).dtype == ac.float32 and ac.randint_like(x, 1, 2).tolist() == [
        [1, 1],
        [1, 1],
    ]
    with pytest.raises(NotImplementedError, match='"check_uniform_bounds" not implemented for'):
        ac.rand_like(x)


def test_new_methods_take_this_tensors_dtype():
    x = ac.tensor([1, 2])
    assert x.new_tensor([1.5]).tolist() == [1] and x.new_zeros(2, 3).dtype == ac.int64
    assert x.new_ones((2,)).tolist() == [1, 1] and x.new_full((2,), 3.5).tolist() == [3, 3]
    assert ac.ones(2).new_tensor([1, 2]).dtype == ac.float32
    assert x.new_empty(3).shape == (3,) and x.new_zeros(2, dtype=ac.float64).dtype == ac.float64


def test_from_numpy_and_as_tensor_share_memory():
    array = np.ones(3)
    t = ac.from_numpy(array)
    np.add(array, 1, out=array)
    assert t.tolist() == [2.0, 2.0, 2.0] and t.dtype == ac.float64
    assert ac.as_tensor(array)._array is array
    assert ac.as_tensor(array, dtype=ac.float32).dtype == ac.float32
    assert ac.as_tensor([1, 2]).dtype == ac.int64


def test_creation_out_and_arange_dtypes():
    out = ac.empty(3)
    assert ac.zeros(3, out=out) is out
    assert ac.arange(5).dtype == ac.int64 and ac.arange(0, 1, 0.25).tolist() == [
        0.0,
        0.25,
        0.5,
        0.75,
    ]
    assert ac.arange(3, dtype=ac.float32).tolist() == [0.0, 1.0, 2.0]


# ---- dtypes ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("dtype", "numpy_dtype", "type_name"),
    [
        (ac.int8, np.int8, "CharTensor"),
        (ac.int16, np.int16, "ShortTensor"),
        (ac.int32, np.int32, "IntTensor"),
        (ac.uint8, np.uint8, "ByteTensor"),
        (ac.float16, np.float16, "HalfTensor"),
    ],
)
def test_small_dtypes(dtype, numpy_dtype, type_name):
    t = ac.tensor([1, 2, 3], dtype=dtype)
    assert t.numpy().dtype == numpy_dtype and t.dtype == dtype
    assert (
        repr(t)
        == f"tensor([1{'.' if dtype == ac.float16 else ''}, 2{'.' if dtype == ac.float16 else ''}, 3{'.' if dtype == ac.float16 else ''}], dtype=autograd_course.{dtype.name})"
    )
    assert t.type() == f"autograd_course.{type_name}"
    assert ac.ones(2).type(dtype).dtype == dtype


def test_tensor_type_reads_dtypes_and_type_names():
    x = ac.ones(2)
    assert x.type() == "autograd_course.FloatTensor"
    assert x.type(ac.float64).dtype == ac.float64
    assert x.type("torch.DoubleTensor").dtype == ac.float64
    with pytest.raises(ValueError, match="invalid type: 'torch.FooTensor'"):
        x.type("torch.FooTensor")


def test_default_dtype_round_trip():
    assert ac.get_default_dtype() == ac.float32
    ac.set_default_dtype(ac.float64)
    try:
        assert ac.tensor([1.5]).dtype == ac.float64 and ac.zeros(1).dtype == ac.float64
    finally:
        ac.set_default_dtype(ac.float32)
    assert ac.tensor([1.5]).dtype == ac.float32
    with pytest.raises(TypeError, match="only floating-point types are supported"):
        ac.set_default_dtype(ac.int64)


# ---- printing, inference mode ------------------------------------------------------------------
def test_set_printoptions_precision_sci_mode_and_profiles():
    x = ac.tensor([1.23456, 2.5])
    try:
        ac.set_printoptions(precision=2)
        assert repr(x) == "tensor([1.23, 2.50])"
        ac.set_printoptions(sci_mode=True)
        assert repr(x) == "tensor([1.23e+00, 2.50e+00])"
        ac.set_printoptions(profile="default", sci_mode=False)
        assert repr(ac.tensor([1e-8, 1.0])) == "tensor([0.0000, 1.0000])"
        ac.set_printoptions(threshold=5, edgeitems=1)
        assert repr(ac.arange(10)) == "tensor([0,  ..., 9])"  # two spaces, as PyTorch
    finally:
        ac.set_printoptions(profile="default")
    assert repr(x) == "tensor([1.2346, 2.5000])"


def test_inference_mode_records_nothing_as_context_and_decorator():
    w = ac.ones(2, requires_grad=True)
    with ac.inference_mode():
        y = w * 2
        assert ac.is_inference_mode_enabled() and not ac.is_grad_enabled()
    assert not y.requires_grad and y.grad_fn is None and not ac.is_inference_mode_enabled()
    with ac.inference_mode(False):
        assert (w * 2).requires_grad

    @ac.inference_mode()
    def predict(x):
        return x * 3

    @ac.inference_mode
    def predict_bare(x):
        return x * 3

    assert not predict(w).requires_grad and not predict_bare(w).requires_grad
    assert ac.is_grad_enabled()


def test_legacy_typed_constructors_and_variable():
    """torch.FloatTensor / LongTensor ... and torch.autograd.Variable, as older tutorials use
    them (torch 2.13 checked by hand)."""
    from autograd_course.autograd import Variable

    assert ac.FloatTensor([1, 2]).dtype == ac.float32 and ac.FloatTensor([1, 2]).tolist() == [
        1.0,
        2.0,
    ]
    assert ac.LongTensor([1, 2]).dtype == ac.int64 and ac.DoubleTensor(2).dtype == ac.float64
    assert ac.FloatTensor(2, 3).shape == (2, 3) and ac.FloatTensor().shape == (0,)
    assert ac.Tensor().shape == (0,) and ac.Tensor(2, 3).shape == (2, 3)
    assert isinstance(ac.ones(2), ac.FloatTensor) and not isinstance(
        ac.ones(2).long(), ac.FloatTensor
    )
    assert isinstance(ac.ones(2).long(), ac.LongTensor) and isinstance(
        ac.tensor([True]), ac.BoolTensor
    )
    assert (
        type(ac.FloatTensor([1.0])) is ac.Tensor
        and repr(ac.FloatTensor) == "<class 'autograd_course.FloatTensor'>"
    )
    assert ac.ones(2).type() == "autograd_course.FloatTensor"
    with pytest.raises(TypeError, match="expected autograd_course.float32 tensor"):
        ac.FloatTensor(ac.ones(2, dtype=ac.float64))
    a = ac.ones(2)
    v = Variable(a, requires_grad=True)
    assert v is not a and v.requires_grad and v.is_leaf and not a.requires_grad
    v.data[0] = 5  # shares a's values, as in PyTorch
    assert a.tolist() == [5.0, 1.0] and isinstance(a, Variable)
    assert not Variable(a).requires_grad
    with pytest.raises(TypeError, match="^Variable data has to be a tensor, but got list$"):
        Variable([1, 2])
