"""Optimizers: trajectories on a quadratic against the update equations written out here."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_course as ac
from autograd_course import nn, optim

# The quadratic f(w) = sum(a * (w - c)^2) / 2 has gradient a * (w - c); the scales a differ
# a lot, so that momentum and Adam's per-coordinate scaling visibly matter.
A = np.array([0.5, 2.0, 10.0])
C = np.array([1.0, -2.0, 0.5])
W0 = np.array([3.0, 1.0, -1.0])
STEPS = 8


def arr(t: ac.Tensor) -> np.ndarray:
    return np.array(t.detach().numpy(), dtype=np.float64)


def run_engine(make_optimizer, steps: int = STEPS, dtype=ac.float64) -> list[np.ndarray]:
    """The parameter after each step, with gradients from autograd."""
    w = nn.Parameter(ac.tensor(W0, dtype=dtype))
    opt = make_optimizer([w])
    a, c = ac.tensor(A, dtype=dtype), ac.tensor(C, dtype=dtype)
    trajectory = []
    for _ in range(steps):
        opt.zero_grad()
        loss = (a * (w - c) ** 2).sum() / 2
        loss.backward()
        opt.step()
        trajectory.append(arr(w))
    return trajectory


def sgd_reference(lr, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False):
    """SGD as PyTorch documents it, in NumPy."""
    w, buf, out = W0.copy(), None, []
    for _ in range(STEPS):
        g = A * (w - C) + weight_decay * w
        if momentum:
            buf = g.copy() if buf is None else momentum * buf + (1 - dampening) * g
            g = g + momentum * buf if nesterov else buf
        w = w - lr * g
        out.append(w)
    return out


def adam_reference(lr, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0, amsgrad=False):
    """Adam as PyTorch documents it, in NumPy."""
    w, m, v, v_max, out = W0.copy(), np.zeros(3), np.zeros(3), np.zeros(3), []
    for t in range(1, STEPS + 1):
        g = A * (w - C) + weight_decay * w
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat = m / (1 - beta1**t)
        if amsgrad:
            v_max = np.maximum(v_max, v)
            v_hat = v_max / (1 - beta2**t)
        else:
            v_hat = v / (1 - beta2**t)
        w = w - lr * m_hat / (np.sqrt(v_hat) + eps)
        out.append(w)
    return out


SGD_CASES = [
    {"lr": 0.05},
    {"lr": 0.05, "momentum": 0.9},
    {"lr": 0.05, "momentum": 0.9, "dampening": 0.5},
    {"lr": 0.05, "momentum": 0.9, "nesterov": True},
    {"lr": 0.05, "weight_decay": 0.1},
    {"lr": 0.05, "momentum": 0.8, "weight_decay": 0.1, "nesterov": True},
]
ADAM_CASES = [
    {"lr": 0.1},
    {"lr": 0.3, "betas": (0.5, 0.9)},
    {"lr": 0.1, "weight_decay": 0.2},
    {"lr": 0.5, "betas": (0.5, 0.6), "amsgrad": True},
    {"lr": 0.1, "eps": 1e-3},
]


def adam_kwargs(case: dict) -> dict:
    """Translate Adam's keyword names to the reference's."""
    case = dict(case)
    beta1, beta2 = case.pop("betas", (0.9, 0.999))
    return {**case, "beta1": beta1, "beta2": beta2}


@pytest.mark.parametrize("case", SGD_CASES, ids=str)
def test_sgd_follows_the_update_equations(case):
    got = run_engine(lambda params: optim.SGD(params, **case))
    for step, (g, e) in enumerate(zip(got, sgd_reference(**case), strict=True)):
        np.testing.assert_allclose(g, e, rtol=1e-12, atol=1e-14, err_msg=f"step {step + 1}")


@pytest.mark.parametrize("case", ADAM_CASES, ids=str)
def test_adam_follows_the_update_equations(case):
    got = run_engine(lambda params: optim.Adam(params, **case))
    for step, (g, e) in enumerate(zip(got, adam_reference(**adam_kwargs(case)), strict=True)):
        np.testing.assert_allclose(g, e, rtol=1e-12, atol=1e-14, err_msg=f"step {step + 1}")


def test_the_variants_really_differ():
    """The cases above would be weak if, say, nesterov or amsgrad changed nothing here."""
    plain = sgd_reference(0.05, momentum=0.9)[-1]
    assert not np.allclose(plain, sgd_reference(0.05, momentum=0.9, nesterov=True)[-1])
    kwargs = {"lr": 0.5, "beta1": 0.5, "beta2": 0.6}
    assert not np.allclose(adam_reference(**kwargs)[-1], adam_reference(**kwargs, amsgrad=True)[-1])


def test_float32_parameters_follow_the_same_trajectory():
    got = run_engine(lambda params: optim.Adam(params, lr=0.1), dtype=ac.float32)
    for g, e in zip(got, adam_reference(lr=0.1), strict=True):
        np.testing.assert_allclose(g, e, rtol=1e-5, atol=1e-6)
    got = run_engine(lambda params: optim.SGD(params, lr=0.05, momentum=0.9), dtype=ac.float32)
    for g, e in zip(got, sgd_reference(0.05, momentum=0.9), strict=True):
        np.testing.assert_allclose(g, e, rtol=1e-5, atol=1e-6)


def test_step_updates_in_place_and_leaves_a_leaf():
    w = nn.Parameter(ac.tensor([1.0, 2.0]))
    opt = optim.SGD([w], lr=0.5)
    (w * w).sum().backward()
    opt.step()
    assert w.tolist() == [0.0, 0.0]
    assert w.is_leaf and w.grad_fn is None and w.requires_grad


def test_parameters_without_gradient_are_skipped():
    used, unused = nn.Parameter(ac.ones(1)), nn.Parameter(ac.ones(1))
    opt = optim.Adam([used, unused], lr=0.1)
    (used * 2).sum().backward()
    opt.step()
    assert unused.item() == 1.0 and used.item() != 1.0
    assert list(opt.state_dict()["state"]) == [0]


def test_zero_grad_sets_none_by_default():
    w = nn.Parameter(ac.ones(2))
    opt = optim.SGD([w], lr=0.1)
    w.sum().backward()
    opt.zero_grad(set_to_none=False)
    assert w.grad.tolist() == [0.0, 0.0]
    opt.zero_grad()
    assert w.grad is None


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: optim.SGD(p, lr=-0.1), "Invalid learning rate: -0.1"),
        (lambda p: optim.SGD(p, lr=0.1, momentum=-1), "Invalid momentum value: -1"),
        (lambda p: optim.SGD(p, lr=0.1, weight_decay=-1), "Invalid weight_decay value: -1"),
        (
            lambda p: optim.SGD(p, lr=0.1, nesterov=True),
            "Nesterov momentum requires a momentum and zero dampening",
        ),
        (lambda p: optim.Adam(p, lr=-1), "Invalid learning rate: -1"),
        (lambda p: optim.Adam(p, betas=(1.0, 0.9)), "Invalid beta parameter at index 0: 1.0"),
        (lambda p: optim.Adam(p, betas=(0.9, -0.1)), "Invalid beta parameter at index 1: -0.1"),
        (lambda p: optim.Adam(p, eps=-1), "Invalid epsilon value: -1"),
        (lambda p: optim.Adam(p, weight_decay=-1), "Invalid weight_decay value: -1"),
        (lambda p: optim.SGD([], lr=0.1), "optimizer got an empty parameter list"),
        (lambda p: optim.Adam(iter([])), "optimizer got an empty parameter list"),
    ],
)
def test_bad_hyperparameters_are_refused_with_pytorchs_message(make, message):
    with pytest.raises(ValueError) as info:
        make([nn.Parameter(ac.ones(1))])
    assert str(info.value) == message


def test_a_single_tensor_or_a_non_leaf_is_refused():
    w = nn.Parameter(ac.ones(2))
    with pytest.raises(TypeError, match="iterable of Tensors or dicts"):
        optim.SGD(w, lr=0.1)
    with pytest.raises(ValueError, match="can't optimize a non-leaf Tensor"):
        optim.SGD([w * 2], lr=0.1)


def test_param_groups_take_their_own_settings_and_defaults():
    a, b = nn.Parameter(ac.ones(1)), nn.Parameter(ac.ones(1))
    group = {"params": [b], "lr": 1.0}
    opt = optim.SGD([{"params": [a]}, group], lr=0.1, momentum=0.5)
    assert [g["lr"] for g in opt.param_groups] == [0.1, 1.0]
    assert [g["momentum"] for g in opt.param_groups] == [0.5, 0.5]
    assert group == {"params": [b], "lr": 1.0}  # the caller's dict is untouched
    (a + b).sum().backward()
    opt.step()
    assert a.item() == pytest.approx(0.9) and b.item() == pytest.approx(0.0)
    with pytest.raises(ValueError, match="more than one parameter group"):
        opt.add_param_group({"params": [a]})


def test_state_dict_round_trip_continues_the_same_trajectory():
    case = {"lr": 0.1, "betas": (0.5, 0.6), "amsgrad": True}
    w = nn.Parameter(ac.tensor(W0))
    a, c = ac.tensor(A), ac.tensor(C)

    def step(opt):
        opt.zero_grad()
        (a * (w - c) ** 2).sum().div(2).backward()
        opt.step()

    first = optim.Adam([w], **case)
    for _ in range(3):
        step(first)
    saved = first.state_dict()
    assert saved["param_groups"][0]["params"] == [0]
    assert set(saved["state"][0]) == {"step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"}
    second = optim.Adam([w], lr=99.0)
    second.load_state_dict(saved)
    assert second.param_groups[0]["lr"] == 0.1 and second.param_groups[0]["params"][0] is w
    for _ in range(STEPS - 3):
        step(second)
    np.testing.assert_allclose(arr(w), adam_reference(0.1, 0.5, 0.6, amsgrad=True)[-1], rtol=1e-12)
    # The loaded state is a copy: stepping the second optimizer did not change the saved one.
    assert saved["state"][0]["step"] == 3


def test_sgd_momentum_state_dict():
    w = nn.Parameter(ac.ones(2))
    opt = optim.SGD([w], lr=0.1, momentum=0.9)
    w.sum().backward()
    opt.step()
    assert opt.state_dict()["state"][0]["momentum_buffer"].tolist() == [1.0, 1.0]
    with pytest.raises(ValueError, match="different number of parameter groups"):
        opt.load_state_dict({"state": {}, "param_groups": []})


def test_closure_is_called_and_its_loss_returned():
    w = nn.Parameter(ac.ones(1))
    opt = optim.SGD([w], lr=0.5)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    assert opt.step(closure).item() == 1.0
    assert w.item() == 0.0


def test_repr_lists_each_group_sorted():
    w = nn.Parameter(ac.ones(1))
    assert repr(optim.SGD([w], lr=0.1, momentum=0.9)) == (
        "SGD (\nParameter Group 0\n    dampening: 0\n    lr: 0.1\n    momentum: 0.9\n"
        "    nesterov: False\n    weight_decay: 0\n)"
    )
