"""save / load: what comes back is what PyTorch's torch.load gives for the same objects
(torch 2.13 checked by hand): values, dtypes, shapes, containers and their types, requires_grad
kept but no grad history and no .grad, Parameters stay Parameters, a tensor saved twice comes
back as one; files that are not ours are refused with a clear error."""

from __future__ import annotations

import io
import pickle
import zipfile
from collections import OrderedDict

import numpy as np
import pytest

import autograd_course as ac
from autograd_course import nn


def round_trip(obj, **load_args):
    buffer = io.BytesIO()
    ac.save(obj, buffer)
    buffer.seek(0)
    return ac.load(buffer, **load_args)


@pytest.mark.parametrize(
    "values, dtype",
    [
        ([[1.5, -2.0], [0.25, 3.0]], ac.float32),
        ([1e-300, 2.0], ac.float64),
        ([[1, -2, 3]], ac.int64),
        ([True, False], ac.bool),
        ([7], ac.int32),
        (3.5, ac.float32),
    ],
)
def test_tensor_round_trip_keeps_values_dtype_and_shape(values, dtype):
    t = ac.tensor(values, dtype=dtype)
    back = round_trip(t)
    assert isinstance(back, ac.Tensor) and back is not t
    assert back.dtype == dtype and back.shape == t.shape
    np.testing.assert_array_equal(back.numpy(), np.array(values, dtype=back.numpy().dtype))


def test_requires_grad_is_kept_but_not_the_graph_nor_the_grad(tmp_path):
    x = ac.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    x.grad = ac.ones(2)
    path = tmp_path / "t.pt"
    ac.save({"leaf": x, "result": y, "detached": y.detach()}, path)
    back = ac.load(path)
    assert back["leaf"].requires_grad and back["leaf"].is_leaf and back["leaf"].grad is None
    # a non-leaf comes back as a leaf that requires grad (torch.load: requires_grad=True, no grad_fn)
    assert back["result"].requires_grad and back["result"].grad_fn is None
    assert back["result"].tolist() == [2.0, 4.0]
    assert not back["detached"].requires_grad
    back["result"].sum().backward()  # a fresh graph starts at the loaded leaf
    assert back["result"].grad.tolist() == [1.0, 1.0] and x.grad.tolist() == [1.0, 1.0]


def test_nested_containers_keep_their_types_and_plain_values():
    a = ac.arange(3)
    obj = {
        "epoch": 7,
        "lr": 0.01,
        "name": "run-1",
        "none": None,
        "flags": [True, False],
        "nested": [a, (ac.zeros(2, 2), {"deep": ac.tensor(1.5)})],
        "ordered": OrderedDict([("b", 1), ("a", 2)]),
        "inf": float("inf"),
        "shape": a.shape,
        "dtype": ac.float64,
    }
    back = round_trip(obj)
    assert list(back) == list(obj) and type(back) is dict
    assert back["epoch"] == 7 and back["lr"] == 0.01 and back["name"] == "run-1"
    assert back["none"] is None and back["flags"] == [True, False] and back["inf"] == float("inf")
    assert isinstance(back["nested"], list) and isinstance(back["nested"][1], tuple)
    assert back["nested"][0].tolist() == [0, 1, 2] and back["nested"][0].dtype == ac.int64
    assert back["nested"][1][1]["deep"].item() == 1.5
    assert type(back["ordered"]) is OrderedDict and list(back["ordered"]) == ["b", "a"]
    assert back["shape"] == ac.Size([3]) and isinstance(back["shape"], ac.Size)
    assert back["dtype"] == ac.float64


def test_a_tensor_saved_twice_comes_back_as_one_and_parameters_stay_parameters():
    shared = ac.ones(2)
    first, second = round_trip([shared, shared])
    assert first is second
    p = nn.Parameter(ac.ones(3))
    back = round_trip(p)
    assert isinstance(back, nn.Parameter) and back.requires_grad


def test_state_dict_round_trip_into_a_fresh_model(tmp_path):
    ac.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    path = tmp_path / "model.pth"
    ac.save(model.state_dict(), path)
    ac.manual_seed(1)
    fresh = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    x = ac.randn(5, 3)
    assert not np.allclose(fresh(x).detach().numpy(), model(x).detach().numpy())
    state = ac.load(path, weights_only=True)
    assert type(state) is OrderedDict and list(state) == list(model.state_dict())
    assert not any(v.requires_grad for v in state.values())  # as torch.load gives them
    assert repr(fresh.load_state_dict(state)) == "<All keys matched successfully>"
    np.testing.assert_array_equal(fresh(x).detach().numpy(), model(x).detach().numpy())
    fresh[0].weight.data.add_(1)  # the loaded values were copied in, not shared with the file
    assert not np.allclose(fresh[0].weight.detach().numpy(), state["0.weight"].numpy())


def test_load_accepts_pytorch_arguments():
    t = ac.tensor([1.0])
    assert round_trip(t, map_location="cpu").tolist() == [1.0]
    assert round_trip(t, map_location=ac.device("cpu"), weights_only=True).tolist() == [1.0]
    with pytest.raises(RuntimeError, match="weights_only=False"):
        round_trip(t, weights_only=False)


def test_files_that_are_not_ours_are_refused_clearly(tmp_path):
    with pytest.raises(RuntimeError) as info:
        ac.load(io.BytesIO(b"hello world"))
    assert str(info.value).startswith("This file cannot be loaded: it is not a zip archive.")
    pickled = io.BytesIO()
    pickle.dump({"a": 1}, pickled)
    pickled.seek(0)
    with pytest.raises(RuntimeError, match="^This file cannot be loaded: it is not a zip"):
        ac.load(pickled)
    torch_like = io.BytesIO()  # the layout of a torch.save file: a zip holding a pickle
    with zipfile.ZipFile(torch_like, "w") as archive:
        archive.writestr("archive/data.pkl", pickle.dumps({"a": 1}))
    torch_like.seek(0)
    with pytest.raises(RuntimeError) as info:
        ac.load(torch_like)
    assert "written by PyTorch's torch.save" in str(info.value)
    other_zip = tmp_path / "other.zip"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("readme.txt", "hi")
    with pytest.raises(RuntimeError, match="it has no archive/data.json"):
        ac.load(other_zip)


def test_saving_what_cannot_be_stored_says_where():
    with pytest.raises(TypeError) as info:
        ac.save({"f": lambda: 1}, io.BytesIO())
    assert str(info.value).startswith("save() cannot store a function (at ['f']): files hold")
    with pytest.raises(TypeError, match=r"^save\(\) cannot store an object \(at the top level\)"):
        ac.save(object(), io.BytesIO())
