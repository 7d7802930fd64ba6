"""Containers register what they hold; module hooks run in PyTorch's order with its arguments;
``to``/``float``/``double`` convert in place; buffers are saved in ``state_dict``."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import autograd_course as ac
from autograd_course import nn


def linear(weight, bias) -> nn.Linear:
    layer = nn.Linear(len(weight[0]), len(weight)).double()
    with ac.no_grad():
        layer.weight.copy_(ac.tensor(weight, dtype=ac.float64))
        layer.bias.copy_(ac.tensor(bias, dtype=ac.float64))
    return layer


# ----- containers --------------------------------------------------------------------------------


def test_module_list_registers_indexes_and_prints_runs_once():
    layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    layers.append(nn.ReLU())
    assert len(layers) == 4 and len(list(layers.parameters())) == 6
    assert [name for name, _ in layers.named_parameters()][:2] == ["0.weight", "0.bias"]
    assert repr(layers) == (
        "ModuleList(\n  (0-2): 3 x Linear(in_features=2, out_features=2, bias=True)\n"
        "  (3): ReLU()\n)"
    )
    assert isinstance(layers[-1], nn.ReLU) and isinstance(layers[1:3], nn.ModuleList)
    assert len(layers[1:3]) == 2
    del layers[0]
    assert list(layers._modules) == ["0", "1", "2"]
    layers.insert(0, nn.Tanh())
    assert isinstance(layers[0], nn.Tanh) and len(layers) == 4
    assert repr(nn.ModuleList()) == "ModuleList()"
    with pytest.raises(IndexError, match="index 7 is out of range"):
        layers[7]
    with pytest.raises(TypeError, match="int is not a Module subclass"):
        nn.ModuleList([1])


def test_module_list_in_a_model_trains_every_layer():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.ModuleList([nn.Linear(3, 3) for _ in range(2)])

        def forward(self, x):
            for layer in self.layers:
                x = layer(x).relu()
            return x

    net = Net()
    assert list(net.state_dict()) == ["layers.0.weight", "layers.0.bias", "layers.1.weight",
                                      "layers.1.bias"]  # fmt: skip
    net(ac.randn(4, 3)).sum().backward()
    assert all(p.grad is not None for p in net.parameters())


def test_module_dict():
    d = nn.ModuleDict({"act": nn.ReLU(), "fc": nn.Linear(1, 2)})
    d["out"] = nn.Sigmoid()
    assert list(d) == ["act", "fc", "out"] and "fc" in d and len(d) == 3
    assert repr(nn.ModuleDict({"a": nn.ReLU(), "b": nn.Linear(1, 2)})) == (
        "ModuleDict(\n  (a): ReLU()\n  (b): Linear(in_features=1, out_features=2, bias=True)\n)"
    )
    assert isinstance(d.pop("act"), nn.ReLU) and list(d.keys()) == ["fc", "out"]
    assert [n for n, _ in d.named_parameters()] == ["fc.weight", "fc.bias"]
    with pytest.raises(KeyError):
        d["missing"]


def test_parameter_list_and_dict():
    params = nn.ParameterList([nn.Parameter(ac.randn(2, 3)), ac.randn(3)])
    assert all(isinstance(p, nn.Parameter) for p in params) and len(list(params.parameters())) == 2
    assert repr(params) == (
        "ParameterList(\n    (0): Parameter containing: [autograd_course.float32 of size 2x3]\n"
        "    (1): Parameter containing: [autograd_course.float32 of size 3]\n)"
    )
    pd = nn.ParameterDict({"a": nn.Parameter(ac.zeros(2))})
    pd["b"] = ac.ones(3)
    assert list(pd) == ["a", "b"] and isinstance(pd["b"], nn.Parameter)
    assert [n for n, _ in pd.named_parameters()] == ["a", "b"]
    with pytest.raises(RuntimeError, match="ParameterList should not be called."):
        params(1)


# ----- hooks ---------------------------------------------------------------------------------------

W = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]


def test_forward_pre_hook_and_forward_hook_can_replace_values():
    layer = linear(W, [0.5, -1.0])
    seen = []
    pre = layer.register_forward_pre_hook(lambda m, args: (args[0] * 2,))
    post = layer.register_forward_hook(
        lambda m, args, out: seen.append(args[0].tolist()) or out + 1
    )
    out = layer(ac.tensor([[1.0, 0.0, -1.0]], dtype=ac.float64))
    # x doubled by the pre-hook: W (2, 0, -2) + b = (-4 + 0.5, -4 - 1); then 1 added.
    assert out.tolist() == [[-2.5, -4.0]] and seen == [[[2.0, 0.0, -2.0]]]
    pre.remove()
    post.remove()
    assert layer(ac.tensor([[1.0, 0.0, -1.0]], dtype=ac.float64)).tolist() == [[-1.5, -3.0]]


def test_hooks_run_in_order_and_prepend_puts_first():
    layer = linear(W, [0.0, 0.0])
    order = []
    layer.register_forward_hook(lambda *a: order.append("a"))
    layer.register_forward_hook(lambda *a: order.append("b"), prepend=True)
    with layer.register_forward_hook(lambda *a: order.append("c")):
        layer(ac.zeros(1, 3, dtype=ac.float64))
    layer(ac.zeros(1, 3, dtype=ac.float64))
    assert order == ["b", "a", "c", "b", "a"]


def test_full_backward_hook_sees_grad_input_and_grad_output_and_can_replace_them():
    layer = linear(W, [0.5, -1.0])
    log = []
    layer.register_full_backward_pre_hook(lambda m, go: log.append(("pre", go[0].tolist())))
    handle = layer.register_full_backward_hook(
        lambda m, gi, go: log.append(("post", gi[0].tolist(), go[0].tolist()))
    )
    x = ac.tensor([[1.0, 0.0, -1.0]], dtype=ac.float64, requires_grad=True)
    (layer(x) * ac.tensor([[1.0, 2.0]], dtype=ac.float64)).sum().backward()
    # grad_output is (1, 2); grad_input = (1, 2) W = (9, 12, 15).
    assert log == [("pre", [[1.0, 2.0]]), ("post", [[9.0, 12.0, 15.0]], [[1.0, 2.0]])]
    assert x.grad.tolist() == [[9.0, 12.0, 15.0]]
    handle.remove()
    layer.register_full_backward_hook(lambda m, gi, go: (gi[0] * 10,))
    x.grad = None
    (layer(x) * ac.tensor([[1.0, 2.0]], dtype=ac.float64)).sum().backward()
    assert x.grad.tolist() == [[90.0, 120.0, 150.0]]


def test_full_backward_hook_without_input_grad_gets_none_and_warns():
    layer = linear(W, [0.0, 0.0])
    log = []
    layer.register_full_backward_hook(lambda m, gi, go: log.append((gi, go[0].tolist())))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        layer(ac.ones(1, 3, dtype=ac.float64)).sum().backward()
    assert log == [((None,), [[1.0, 1.0]])]
    assert "Full backward hook is firing" in str(caught[0].message)
    assert layer.weight.grad.tolist() == [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]


# ----- apply, to, float, double, buffers -----------------------------------------------------


def test_apply_visits_children_then_self():
    net = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    visited = []
    net.apply(lambda m: visited.append(type(m).__name__))
    assert visited == ["Linear", "ReLU", "Linear", "Sequential"]

    def init(m):
        if isinstance(m, nn.Linear):
            nn.init.constant_(m.weight, 0.5)

    net.apply(init)
    assert np.all(net[2].weight.detach().numpy() == 0.5)


def test_to_double_float_half_keep_the_same_parameters_and_their_gradients():
    net = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    weight = net[0].weight
    net(ac.randn(4, 2)).sum().backward()
    assert net.double() is net and net[0].weight is weight
    assert weight.dtype == ac.float64 and weight.grad.dtype == ac.float64
    assert net[1].running_mean.dtype == ac.float64
    assert net[1].num_batches_tracked.dtype == ac.int64  # integer buffers keep their dtype
    net.float()
    assert weight.dtype == ac.float32
    net.to(ac.float16)
    assert weight.dtype == ac.float16
    assert net.to("cpu") is net and net.cpu() is net and weight.dtype == ac.float16
    net.to(dtype=ac.float64)
    assert weight.dtype == ac.float64 and weight.requires_grad and weight.is_leaf
    with pytest.raises(TypeError, match="nn.Module.to only accepts floating point"):
        net.to(ac.int64)


def test_optimizer_made_before_double_still_trains_the_model():
    net = nn.Linear(2, 1)
    opt = ac.optim.SGD(net.parameters(), lr=0.1)
    net.double()
    before = net.weight.detach().clone()
    net(ac.ones(3, 2, dtype=ac.float64)).sum().backward()
    opt.step()
    assert not np.allclose(before.numpy(), net.weight.detach().numpy())


def test_buffers_are_saved_and_loaded_but_not_learned():
    class Scaler(nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("scale", ac.tensor([2.0, 3.0]))
            self.register_buffer("cache", ac.zeros(2), persistent=False)
            self.fc = nn.Linear(2, 2)

        def forward(self, x):
            return self.fc(x * self.scale)

    m = Scaler()
    assert list(m.state_dict()) == ["scale", "fc.weight", "fc.bias"]
    assert [n for n, _ in m.named_buffers()] == ["scale", "cache"]
    assert len(list(m.parameters())) == 2
    other = Scaler()
    other.scale.fill_(7.0)
    m.load_state_dict(other.state_dict())
    assert m.scale.tolist() == [7.0, 7.0]
    m.double()
    assert m.scale.dtype == ac.float64
