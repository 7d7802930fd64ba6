"""nn: Module bookkeeping, Parameter, layers, init and the stateless functions.

Expected values come from NumPy closed forms or finite differences, never from the code
under test; expected reprs and messages are PyTorch's, written out by hand.
"""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest

import autograd_course as ac
from autograd_course import nn
from autograd_course.autograd import gradcheck
from autograd_course.nn import functional as F
from autograd_course.nn import init


def arr(t: ac.Tensor) -> np.ndarray:
    """A tensor's values as a float64 NumPy array (a copy, whatever the tensor's state)."""
    return np.array(t.detach().numpy(), dtype=np.float64)


def numerical_param_grads(model: nn.Module, loss_fn, eps: float = 1e-6) -> dict[str, np.ndarray]:
    """Central differences of ``loss_fn()`` for every parameter of ``model`` (float64 model)."""
    grads = {}
    for name, p in model.named_parameters():
        values = p.detach().numpy()  # shares memory with p: we nudge the parameter in place
        g = np.zeros_like(values)
        for i in np.ndindex(values.shape):
            old = values[i]
            values[i] = old + eps
            with ac.no_grad():
                up = loss_fn().item()
            values[i] = old - eps
            with ac.no_grad():
                down = loss_fn().item()
            values[i] = old
            g[i] = (up - down) / (2 * eps)
        grads[name] = g
    return grads


class Block(nn.Module):
    """A submodule with its own parameter, to test nesting."""

    def __init__(self) -> None:
        super().__init__()
        self.scale = nn.Parameter(ac.ones(3))
        self.lin = nn.Linear(3, 3)

    def forward(self, x: ac.Tensor) -> ac.Tensor:
        return self.lin(x) * self.scale


class Net(nn.Module):
    """Nested modules assigned in a deliberate, non-alphabetical order."""

    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(2, 3)
        self.act = nn.ReLU()
        self.block = Block()
        self.head = nn.Sequential(nn.Linear(3, 1), nn.Sigmoid())
        self.not_registered = ac.zeros(2)  # a plain tensor is not a parameter
        self.offset = nn.Parameter(ac.zeros(1))

    def forward(self, x: ac.Tensor) -> ac.Tensor:
        return self.head(self.block(self.act(self.fc1(x)))) + self.offset


# A module's own parameters come first, then its children's, depth first (PyTorch's order).
NET_NAMES = [
    "offset",
    "fc1.weight",
    "fc1.bias",
    "block.scale",
    "block.lin.weight",
    "block.lin.bias",
    "head.0.weight",
    "head.0.bias",
]
NET_SHAPES = [(1,), (3, 2), (3,), (3,), (3, 3), (3,), (1, 3), (1,)]

NET_REPR = """Net(
  (fc1): Linear(in_features=2, out_features=3, bias=True)
  (act): ReLU()
  (block): Block(
    (lin): Linear(in_features=3, out_features=3, bias=True)
  )
  (head): Sequential(
    (0): Linear(in_features=3, out_features=1, bias=True)
    (1): Sigmoid()
  )
)"""


# ----- Parameter ---------------------------------------------------------------------------


def test_parameter_is_a_tensor_that_requires_grad_and_shares_storage():
    data = ac.tensor([1.0, 2.0])
    p = nn.Parameter(data)
    assert isinstance(p, ac.Tensor)
    assert p.requires_grad and p.is_leaf
    with ac.no_grad():
        data.add_(1.0)
    assert p.tolist() == [2.0, 3.0]  # as in PyTorch: no copy
    assert not nn.Parameter(ac.zeros(1), requires_grad=False).requires_grad


def test_parameter_repr_is_pytorchs():
    assert repr(nn.Parameter(ac.tensor([1.0, 2.0]))) == (
        "Parameter containing:\ntensor([1., 2.], requires_grad=True)"
    )
    assert (
        repr(nn.Parameter(ac.tensor(1.0)))
        == "Parameter containing:\ntensor(1., requires_grad=True)"
    )


def test_operations_on_a_parameter_give_plain_tensors():
    p = nn.Parameter(ac.tensor([1.0, 2.0]))
    out = p * 2
    assert type(out) is ac.Tensor
    out.sum().backward()
    assert p.grad.tolist() == [2.0, 2.0]


# ----- Module registration -----------------------------------------------------------------


def test_named_parameters_follow_assignment_order_with_dotted_names():
    net = Net()
    names = [name for name, _ in net.named_parameters()]
    assert names == NET_NAMES
    assert [tuple(p.shape) for p in net.parameters()] == NET_SHAPES
    assert all(isinstance(p, nn.Parameter) for p in net.parameters())


def test_children_and_modules_walk_the_tree_in_order():
    net = Net()
    assert [type(m).__name__ for m in net.children()] == ["Linear", "ReLU", "Block", "Sequential"]
    assert [name for name, _ in net.named_children()] == ["fc1", "act", "block", "head"]
    assert [name for name, _ in net.named_modules()] == [
        "",
        "fc1",
        "act",
        "block",
        "block.lin",
        "head",
        "head.0",
        "head.1",
    ]
    assert next(iter(net.modules())) is net


def test_reassigning_a_parameter_keeps_its_place_and_plain_attributes_are_not_registered():
    net = Net()
    new = nn.Parameter(ac.ones(3, 2))
    net.fc1.weight = new
    assert [n for n, _ in net.named_parameters()] == NET_NAMES
    assert net.fc1.weight is new
    assert "not_registered" not in dict(net.named_parameters())
    assert "not_registered" not in net.state_dict()


def test_deleting_an_attribute_unregisters_it():
    net = Net()
    del net.offset
    assert "offset" not in [n for n, _ in net.named_parameters()]
    del net.act
    assert [n for n, _ in net.named_children()] == ["fc1", "block", "head"]


def test_a_shared_parameter_is_listed_once():
    net = nn.Module()
    lin = nn.Linear(2, 2)
    net.a = lin
    net.b = lin
    assert len(list(net.parameters())) == 2
    assert list(net.state_dict()) == ["a.weight", "a.bias", "b.weight", "b.bias"]


def test_assignment_errors_are_pytorchs():
    class NoInit(nn.Module):
        def __init__(self) -> None:
            self.fc = nn.Linear(1, 1)

    with pytest.raises(AttributeError, match=r"cannot assign module before Module.__init__\(\)"):
        NoInit()

    net = Net()
    with pytest.raises(TypeError, match="cannot assign 'Tensor' as parameter 'offset'"):
        net.offset = ac.zeros(1)
    with pytest.raises(KeyError, match=r"module name can.*t contain \"\.\", got: a\.b"):
        net.add_module("a.b", nn.ReLU())
    with pytest.raises(TypeError, match="int is not a Module subclass"):
        net.add_module("x", 3)


def test_call_runs_forward_and_a_missing_forward_says_so():
    net = Net()
    x = ac.tensor([[1.0, 2.0]])
    assert net(x).tolist() == net.forward(x).tolist()
    with pytest.raises(
        NotImplementedError, match=r'Module \[Module\] is missing the required "forward"'
    ):
        nn.Module()(x)


def test_train_and_eval_set_the_flag_everywhere():
    net = Net()
    assert all(m.training for m in net.modules())
    assert net.eval() is net
    assert not any(m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())
    with pytest.raises(ValueError, match="training mode is expected to be boolean"):
        net.train(1)


def test_module_zero_grad_sets_none_or_zeros():
    net = Net()
    net(ac.tensor([[1.0, 2.0]])).sum().backward()
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad(set_to_none=False)
    assert all(not arr(p.grad).any() for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


def test_requires_grad_switches_every_parameter():
    net = Net()
    net.requires_grad_(False)
    assert not any(p.requires_grad for p in net.parameters())


def test_repr_nests_children_as_pytorch_does():
    assert repr(Net()) == NET_REPR
    assert repr(nn.Module()) == "Module()"
    assert repr(nn.Sequential()) == "Sequential()"


# ----- state_dict ----------------------------------------------------------------------------


def test_state_dict_holds_detached_values_by_dotted_name():
    net = Net()
    state = net.state_dict()
    assert list(state) == NET_NAMES
    for (name, p), value in zip(net.named_parameters(), state.values(), strict=True):
        assert not value.requires_grad, name
        np.testing.assert_array_equal(arr(value), arr(p))


def test_state_dict_round_trip_restores_a_differently_initialised_model():
    ac.manual_seed(1)
    source = Net()
    ac.manual_seed(2)
    target = Net()
    x = ac.tensor([[0.5, -1.0], [2.0, 3.0]])
    assert not np.allclose(arr(source(x)), arr(target(x)))
    params_before = list(target.parameters())
    result = target.load_state_dict(copy.deepcopy(source.state_dict()))
    assert repr(result) == "<All keys matched successfully>"
    assert result.missing_keys == [] and result.unexpected_keys == []
    np.testing.assert_array_equal(arr(source(x)), arr(target(x)))
    # Values are copied into the existing parameters, so an optimizer still holds the right ones.
    assert all(a is b for a, b in zip(params_before, target.parameters(), strict=True))


def test_a_deep_copied_state_dict_is_a_snapshot():
    net = Net()
    snapshot = copy.deepcopy(net.state_dict())
    before = arr(net.fc1.weight)
    with ac.no_grad():
        net.fc1.weight.add_(1.0)
    np.testing.assert_array_equal(arr(snapshot["fc1.weight"]), before)


def test_load_state_dict_reports_missing_unexpected_and_mismatched_keys():
    net = Net()
    state = net.state_dict()
    del state["fc1.bias"]
    state["extra"] = ac.zeros(1)
    state["head.0.weight"] = ac.zeros(3, 3)
    with pytest.raises(RuntimeError) as info:
        net.load_state_dict(state)
    assert str(info.value) == (
        "Error(s) in loading state_dict for Net:\n"
        '\tMissing key(s) in state_dict: "fc1.bias". \n'
        '\tUnexpected key(s) in state_dict: "extra". \n'
        "\tsize mismatch for head.0.weight: copying a param with shape autograd_course.Size([3, 3]) from "
        "checkpoint, the shape in current model is autograd_course.Size([1, 3])."
    )


def test_load_state_dict_non_strict_returns_the_differences():
    lin = nn.Linear(1, 1)
    result = lin.load_state_dict({"weight": ac.tensor([[3.0]]), "junk": ac.zeros(1)}, strict=False)
    assert result.missing_keys == ["bias"]
    assert result.unexpected_keys == ["junk"]
    assert lin.weight.item() == 3.0
    with pytest.raises(RuntimeError, match="size mismatch for weight"):
        lin.load_state_dict({"weight": ac.zeros(2, 2)}, strict=False)
    with pytest.raises(TypeError, match="Expected state_dict to be dict-like"):
        lin.load_state_dict([1, 2])


def test_buffers_are_saved_but_not_learned():
    loss = nn.BCEWithLogitsLoss(pos_weight=ac.tensor([2.0]))
    assert list(loss.parameters()) == []
    assert list(loss.state_dict()) == ["pos_weight"]


# ----- Linear --------------------------------------------------------------------------------


def test_linear_shapes_repr_and_forward():
    lin = nn.Linear(2, 10)
    assert tuple(lin.weight.shape) == (10, 2)
    assert tuple(lin.bias.shape) == (10,)
    assert repr(lin) == "Linear(in_features=2, out_features=10, bias=True)"
    x = np.array([[2.0, 4.0], [5.0, 7.0], [6.0, 5.0]], dtype=np.float32)
    expected = x @ arr(lin.weight).T + arr(lin.bias)
    np.testing.assert_allclose(arr(lin(ac.tensor(x))), expected, rtol=1e-6)
    assert tuple(lin(ac.tensor([1.0, 2.0])).shape) == (10,)  # a single sample works too


def test_linear_without_bias():
    lin = nn.Linear(3, 2, bias=False)
    assert lin.bias is None
    assert [n for n, _ in lin.named_parameters()] == ["weight"]
    assert repr(lin) == "Linear(in_features=3, out_features=2, bias=False)"
    x = np.ones((1, 3), dtype=np.float32)
    np.testing.assert_allclose(arr(lin(ac.tensor(x))), x @ arr(lin.weight).T, rtol=1e-6)


def test_linear_initialisation_is_uniform_within_one_over_sqrt_fan_in():
    ac.manual_seed(0)
    lin = nn.Linear(400, 300)
    bound = 1 / math.sqrt(400)
    for values in (arr(lin.weight), arr(lin.bias)):
        assert np.abs(values).max() <= bound
        assert np.abs(values).max() > 0.95 * bound  # uses the whole range
    # A uniform on [-b, b] has standard deviation b / sqrt(3).
    assert arr(lin.weight).std() == pytest.approx(bound / math.sqrt(3), rel=0.02)
    assert abs(arr(lin.weight).mean()) < 0.01 * bound


def test_manual_seed_makes_initialisation_reproducible():
    ac.manual_seed(0)
    a = Net()
    ac.manual_seed(0)
    b = Net()
    ac.manual_seed(1)
    c = Net()
    for pa, pb in zip(a.parameters(), b.parameters(), strict=True):
        np.testing.assert_array_equal(arr(pa), arr(pb))
    pairs = zip(a.parameters(), c.parameters(), strict=True)
    assert not all(np.array_equal(arr(p), arr(q)) for p, q in pairs)


def test_linear_parameter_gradients_match_finite_differences():
    ac.manual_seed(0)
    lin = nn.Linear(3, 2, dtype=ac.float64)
    assert lin.weight.dtype == ac.float64
    x = ac.tensor(np.random.default_rng(0).standard_normal((4, 3)))

    def loss():
        return (lin(x) ** 2).sum()

    loss().backward()
    numerical = numerical_param_grads(lin, loss)
    np.testing.assert_allclose(arr(lin.weight.grad), numerical["weight"], rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(arr(lin.bias.grad), numerical["bias"], rtol=1e-6, atol=1e-8)


def test_gradcheck_through_linear_and_functional_linear():
    rng = np.random.default_rng(1)
    x = ac.tensor(rng.standard_normal((4, 3)), requires_grad=True)
    w = ac.tensor(rng.standard_normal((2, 3)), requires_grad=True)
    b = ac.tensor(rng.standard_normal(2), requires_grad=True)
    assert gradcheck(F.linear, (x, w, b))
    lin = nn.Linear(3, 2, dtype=ac.float64)
    assert gradcheck(lin, (x,))


# ----- Sequential ------------------------------------------------------------------------------


def test_sequential_indexing_names_and_iteration():
    a, b, c = nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)
    seq = nn.Sequential(a, b, c)
    assert len(seq) == 3
    assert seq[0] is a and seq[-1] is c
    assert list(seq) == [a, b, c]
    assert [n for n, _ in seq.named_children()] == ["0", "1", "2"]
    tail = seq[1:]
    assert isinstance(tail, nn.Sequential)
    assert [n for n, _ in tail.named_children()] == ["1", "2"]  # slices keep the names
    with pytest.raises(IndexError, match="index 3 is out of range"):
        seq[3]
    seq.append(nn.Sigmoid())
    assert [n for n, _ in seq.named_children()] == ["0", "1", "2", "3"]


def test_sequential_forward_composes_in_order():
    seq = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1), nn.Sigmoid())
    x = np.array([[1.0, -2.0], [0.5, 0.25]], dtype=np.float32)
    w1, b1, w2, b2 = (arr(p) for p in seq.parameters())
    expected = 1 / (1 + np.exp(-(np.tanh(x @ w1.T + b1) @ w2.T + b2)))
    np.testing.assert_allclose(arr(seq(ac.tensor(x))), expected, rtol=1e-5)


def test_gradcheck_through_sequential():
    ac.manual_seed(0)
    seq = nn.Sequential(
        nn.Linear(3, 4, dtype=ac.float64),
        nn.Tanh(),
        nn.Linear(4, 2, dtype=ac.float64),
        nn.Sigmoid(),
    )
    x = ac.tensor(np.random.default_rng(2).standard_normal((5, 3)), requires_grad=True)
    assert gradcheck(seq, (x,))

    def loss():
        return seq(x.detach()).sum()

    loss().backward()
    numerical = numerical_param_grads(seq, loss)
    for name, p in seq.named_parameters():
        np.testing.assert_allclose(arr(p.grad), numerical[name], rtol=1e-5, atol=1e-8)


def test_sequential_with_named_children():
    from collections import OrderedDict

    seq = nn.Sequential(OrderedDict([("hidden", nn.Linear(1, 2)), ("act", nn.ReLU())]))
    assert [n for n, _ in seq.named_parameters()] == ["hidden.weight", "hidden.bias"]
    assert seq[1] is seq.act


# ----- activations, Identity, Dropout --------------------------------------------------------


@pytest.mark.parametrize(
    ("module", "function", "expected", "text"),
    [
        (nn.ReLU(), F.relu, lambda x: np.maximum(x, 0), "ReLU()"),
        (nn.Sigmoid(), F.sigmoid, lambda x: 1 / (1 + np.exp(-x)), "Sigmoid()"),
        (nn.Tanh(), F.tanh, np.tanh, "Tanh()"),
        (nn.Identity(), lambda x: x, lambda x: x, "Identity()"),
    ],
)
def test_activations_match_their_formulas(module, function, expected, text):
    x = np.array([-3.0, -0.5, 0.0, 0.5, 3.0])
    np.testing.assert_allclose(arr(module(ac.tensor(x))), expected(x), rtol=1e-12)
    np.testing.assert_allclose(arr(function(ac.tensor(x))), expected(x), rtol=1e-12)
    assert repr(module) == text


def test_identity_ignores_its_arguments():
    assert repr(nn.Identity(54, unused="x")) == "Identity()"


def test_dropout_in_training_zeroes_and_rescales():
    ac.manual_seed(0)
    drop = nn.Dropout(p=0.25)
    assert repr(drop) == "Dropout(p=0.25, inplace=False)"
    x = ac.ones(100_000, requires_grad=True)
    y = drop(x)
    values = arr(y)
    kept = values != 0
    np.testing.assert_allclose(values[kept], 1 / 0.75, rtol=1e-6)
    assert kept.mean() == pytest.approx(0.75, abs=0.01)
    assert values.mean() == pytest.approx(1.0, abs=0.015)  # the expectation is unchanged
    y.sum().backward()
    np.testing.assert_allclose(arr(x.grad), values, rtol=1e-6)  # d(x * mask)/dx = mask


def test_dropout_in_eval_mode_or_with_p_0_is_the_identity():
    x = ac.tensor([1.0, 2.0, 3.0])
    drop = nn.Dropout()
    drop.eval()
    assert drop(x).tolist() == [1.0, 2.0, 3.0]
    assert F.dropout(x, p=0.5, training=False).tolist() == [1.0, 2.0, 3.0]
    assert F.dropout(x, p=0.0).tolist() == [1.0, 2.0, 3.0]
    assert F.dropout(x, p=1.0).tolist() == [0.0, 0.0, 0.0]


def test_dropout_is_reproducible_and_checks_p():
    ac.manual_seed(3)
    a = arr(F.dropout(ac.ones(50)))
    ac.manual_seed(3)
    b = arr(F.dropout(ac.ones(50)))
    np.testing.assert_array_equal(a, b)
    with pytest.raises(
        ValueError, match="dropout probability has to be between 0 and 1, but got 1.5"
    ):
        nn.Dropout(1.5)
    with pytest.raises(ValueError, match="but got -1"):
        F.dropout(ac.ones(2), p=-1)


# ----- functional softmax ------------------------------------------------------------------


def test_softmax_and_log_softmax():
    x = np.array([[1.0, 2.0, 3.0], [-1.0, 0.0, 1000.0]])
    e = np.exp(x - x.max(axis=1, keepdims=True))
    expected = e / e.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(arr(F.softmax(ac.tensor(x), dim=1)), expected, rtol=1e-12)
    np.testing.assert_allclose(
        arr(F.log_softmax(ac.tensor(x), dim=1)),
        x - x.max(axis=1, keepdims=True) - np.log(e.sum(axis=1, keepdims=True)),
        rtol=1e-12,
    )


# ----- init ------------------------------------------------------------------------------------


def test_init_fills_in_place_without_recording():
    p = nn.Parameter(ac.zeros(200, 100))
    assert init.uniform_(p, -2.0, 3.0) is p
    assert p.is_leaf and p.requires_grad
    values = arr(p)
    assert (
        values.min() >= -2.0
        and values.max() < 3.0
        and values.mean() == pytest.approx(0.5, abs=0.05)
    )
    init.normal_(p, mean=1.0, std=2.0)
    assert arr(p).mean() == pytest.approx(1.0, abs=0.05)
    assert arr(p).std() == pytest.approx(2.0, rel=0.02)
    init.constant_(p, 0.3)
    np.testing.assert_allclose(arr(p), 0.3, rtol=1e-6)
    init.zeros_(p)
    assert not arr(p).any()
    init.ones_(p)
    assert (arr(p) == 1).all()


def test_kaiming_and_xavier_bounds():
    w = ac.zeros(300, 200)
    init.kaiming_uniform_(w, nonlinearity="relu")
    bound = math.sqrt(2.0) * math.sqrt(3.0 / 200)  # gain * sqrt(3 / fan_in)
    assert np.abs(arr(w)).max() <= bound and np.abs(arr(w)).max() > 0.95 * bound
    init.kaiming_uniform_(w, mode="fan_out", nonlinearity="relu")
    bound = math.sqrt(2.0) * math.sqrt(3.0 / 300)
    assert np.abs(arr(w)).max() <= bound and np.abs(arr(w)).max() > 0.95 * bound
    init.xavier_uniform_(w)
    bound = math.sqrt(6.0 / (200 + 300))
    assert np.abs(arr(w)).max() <= bound and np.abs(arr(w)).max() > 0.95 * bound


def test_calculate_gain_and_fan_errors():
    assert init.calculate_gain("relu") == pytest.approx(math.sqrt(2))
    assert init.calculate_gain("tanh") == pytest.approx(5 / 3)
    assert init.calculate_gain("sigmoid") == 1.0
    assert init.calculate_gain("leaky_relu", math.sqrt(5)) == pytest.approx(1 / math.sqrt(3))
    with pytest.raises(ValueError, match="Unsupported nonlinearity foo"):
        init.calculate_gain("foo")
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        init.kaiming_uniform_(ac.zeros(3))
    with pytest.raises(ValueError, match="Mode x not supported"):
        init.kaiming_uniform_(ac.zeros(3, 3), mode="x")


# ----- linear: graph node, shapes and dtypes ----------------------------------------------------


def test_linear_is_one_graph_node_named_as_in_pytorch():
    lin = nn.Linear(2, 3)
    out = lin(ac.ones(4, 2))
    assert out.grad_fn.name() == "AddmmBackward0"
    assert nn.Linear(2, 3, bias=False)(ac.ones(4, 2)).grad_fn.name() == "MmBackward0"
    leaves = {id(node.variable) for node, _ in out.grad_fn.next_functions if node is not None}
    assert leaves == {id(lin.weight), id(lin.bias)}  # the input needs no gradient


def test_linear_on_a_batch_of_sequences():
    rng = np.random.default_rng(3)
    x = ac.tensor(rng.standard_normal((2, 5, 3)), requires_grad=True)
    lin = nn.Linear(3, 4, dtype=ac.float64)
    expected = arr(x) @ arr(lin.weight).T + arr(lin.bias)
    np.testing.assert_allclose(arr(lin(x)), expected, rtol=1e-12)
    assert gradcheck(F.linear, (x, lin.weight.detach().requires_grad_(), lin.bias.detach()))
    assert gradcheck(
        lambda v: F.linear(v, lin.weight.detach()),
        (ac.tensor([1.0, 2.0, 3.0], requires_grad=True),),
    )


def test_linear_errors_are_pytorchs():
    lin = nn.Linear(2, 3)
    with pytest.raises(
        RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied \(20x3 and 2x3\)"
    ):
        lin(ac.ones(5, 4, 3))
    with pytest.raises(
        RuntimeError, match="mat1 and mat2 must have the same dtype, but got float64 and float32"
    ):
        lin(ac.ones(4, 2, dtype=ac.float64))
    with pytest.raises(
        TypeError, match=r"linear\(\): argument 'input' \(position 1\) must be Tensor, not ndarray"
    ):
        lin(np.ones((4, 2), dtype=np.float32))
    with pytest.raises(RuntimeError, match="at least 1D"):
        lin(ac.tensor(1.0))


def test_second_derivatives_through_linear():
    from autograd_course.autograd import gradgradcheck

    rng = np.random.default_rng(4)
    x = ac.tensor(rng.standard_normal((3, 2)), requires_grad=True)
    w = ac.tensor(rng.standard_normal((4, 2)), requires_grad=True)
    b = ac.tensor(rng.standard_normal(4), requires_grad=True)
    assert gradgradcheck(lambda *a: F.linear(*a).tanh(), (x, w, b))
