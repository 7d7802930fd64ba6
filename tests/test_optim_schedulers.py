"""AdamW, RMSprop and Adagrad against their update equations written out here in NumPy; the
learning-rate schedules against their closed forms; gradient clipping against its definition."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import autograd_course as ac
from autograd_course import nn, optim
from autograd_course.optim import lr_scheduler

P0 = np.array([1.0, -2.0, 3.0])


def grad_at(p: np.ndarray, t: int) -> np.ndarray:
    """The gradient of sum(p^3) + t * sum(p^2), the loss used below."""
    return 3 * p**2 + 2 * t * p


def engine_run(cls, steps: int = 6, **kw) -> np.ndarray:
    p = ac.tensor(P0.copy(), requires_grad=True)
    opt = cls([p], **kw)
    for t in range(steps):
        opt.zero_grad()
        ((p**3).sum() + (p * p).sum() * t).backward()
        opt.step()
    return p.detach().numpy()


def adamw_reference(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False):
    p, m, v, vmax = P0.copy(), 0.0, 0.0, 0.0
    for t in range(6):
        g = grad_at(p, t)
        p = p * (1 - lr * weight_decay)  # decoupled: the parameter shrinks, g is untouched
        m = betas[0] * m + (1 - betas[0]) * g
        v = betas[1] * v + (1 - betas[1]) * g * g
        vmax = np.maximum(vmax, v)
        m_hat = m / (1 - betas[0] ** (t + 1))
        v_hat = (vmax if amsgrad else v) / (1 - betas[1] ** (t + 1))
        p = p - lr * m_hat / (np.sqrt(v_hat) + eps)
    return p


def rmsprop_reference(lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False):
    p, v, mean, buf = P0.copy(), 0.0, 0.0, 0.0
    for t in range(6):
        g = grad_at(p, t) + weight_decay * p
        v = alpha * v + (1 - alpha) * g * g
        mean = alpha * mean + (1 - alpha) * g
        avg = np.sqrt(v - mean * mean if centered else v) + eps
        if momentum > 0:
            buf = momentum * buf + g / avg
            p = p - lr * buf
        else:
            p = p - lr * g / avg
    return p


def adagrad_reference(lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10):
    p, total = P0.copy(), np.full(3, float(initial_accumulator_value))
    for t in range(6):
        g = grad_at(p, t) + weight_decay * p
        clr = lr / (1 + t * lr_decay)
        total = total + g * g
        p = p - clr * g / (np.sqrt(total) + eps)
    return p


@pytest.mark.parametrize(
    "cls, reference, kw",
    [(optim.AdamW, adamw_reference, {}),
     (optim.AdamW, adamw_reference, {"lr": 0.1, "weight_decay": 0.3, "amsgrad": True}),
     (optim.RMSprop, rmsprop_reference, {}),
     (optim.RMSprop, rmsprop_reference,
      {"lr": 0.01, "momentum": 0.9, "centered": True, "weight_decay": 0.1}),
     (optim.Adagrad, adagrad_reference, {}),
     (optim.Adagrad, adagrad_reference,
      {"lr": 0.1, "lr_decay": 0.05, "weight_decay": 0.2, "initial_accumulator_value": 0.3})],
)  # fmt: skip
def test_update_equations(cls, reference, kw):
    np.testing.assert_allclose(engine_run(cls, **kw), reference(**kw), rtol=1e-12, atol=1e-14)


def test_optimizer_defaults_and_errors():
    p = [nn.Parameter(ac.ones(2))]
    assert optim.AdamW(p).defaults["weight_decay"] == 1e-2
    assert optim.RMSprop(p).defaults["lr"] == 1e-2 and optim.RMSprop(p).defaults["alpha"] == 0.99
    assert optim.Adagrad(p).defaults["eps"] == 1e-10
    assert "lr_decay: 0" in repr(optim.Adagrad(p, lr=0.1))
    with pytest.raises(ValueError, match="Invalid alpha value: -1"):
        optim.RMSprop(p, alpha=-1)
    with pytest.raises(ValueError, match="Invalid lr_decay value: -0.5"):
        optim.Adagrad(p, lr_decay=-0.5)


def test_adamw_state_survives_a_state_dict_round_trip():
    p = ac.tensor(P0.copy(), requires_grad=True)
    opt = optim.AdamW([p], lr=0.1)
    (p * p).sum().backward()
    opt.step()
    q = ac.tensor(p.detach().numpy().copy(), requires_grad=True)
    other = optim.AdamW([q], lr=0.1)
    other.load_state_dict(opt.state_dict())
    for t in (p, q):
        t.grad = ac.tensor(np.ones(3))
    opt.step()
    other.step()
    np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())


# ----- schedules -------------------------------------------------------------------------------


def lrs(make, epochs: int = 12, metrics=None) -> list[float]:
    p = nn.Parameter(ac.ones(1))
    opt = optim.SGD([p], lr=0.5)
    scheduler = make(opt)
    out = []
    for epoch in range(epochs):
        opt.step()
        scheduler.step(*(() if metrics is None else (metrics[epoch],)))
        out.append(opt.param_groups[0]["lr"])
    assert scheduler.get_last_lr() == [out[-1]]
    return out


def test_step_multistep_exponential_and_lambda_closed_forms():
    e = np.arange(1, 13)
    np.testing.assert_allclose(lrs(lambda o: lr_scheduler.StepLR(o, 3, 0.5)), 0.5 * 0.5 ** (e // 3))
    multi = lrs(lambda o: lr_scheduler.MultiStepLR(o, [2, 5, 5], 0.1))
    passed = (e >= 2).astype(int) + 2 * (e >= 5)  # milestone 5 appears twice: gamma squared
    np.testing.assert_allclose(multi, 0.5 * 0.1**passed)
    np.testing.assert_allclose(lrs(lambda o: lr_scheduler.ExponentialLR(o, 0.9)), 0.5 * 0.9**e)
    np.testing.assert_allclose(lrs(lambda o: lr_scheduler.LambdaLR(o, lambda k: 1 / (k + 1))),
                               0.5 / (e + 1))  # fmt: skip


def test_cosine_annealing_follows_the_cosine_and_comes_back_up():
    got = lrs(lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=4, eta_min=0.01))
    e = np.arange(1, 13)
    closed = 0.01 + (0.5 - 0.01) * (1 + np.cos(np.pi * e / 4)) / 2
    np.testing.assert_allclose(got, closed, rtol=1e-12)


def test_reduce_lr_on_plateau_waits_for_patience_and_cooldown():
    metrics = [1, 0.9, 0.9, 0.9, 0.95, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8]
    got = lrs(lambda o: lr_scheduler.ReduceLROnPlateau(o, patience=1, factor=0.5, cooldown=1),
              metrics=metrics)  # fmt: skip
    # Bad epochs: 3rd and 4th (0.9 is no better than 0.9) -> halve at epoch 4; cooldown 1; ...
    assert got == [0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.125, 0.125, 0.125, 0.0625, 0.0625]
    with pytest.raises(ValueError, match="Factor should be < 1.0."):
        lr_scheduler.ReduceLROnPlateau(optim.SGD([nn.Parameter(ac.ones(1))]), factor=2)


def test_scheduler_before_optimizer_warns_and_records_initial_lr():
    opt = optim.SGD([nn.Parameter(ac.ones(1))], lr=0.5)
    scheduler = lr_scheduler.StepLR(opt, 1, 0.5)
    assert opt.param_groups[0]["initial_lr"] == 0.5 and scheduler.base_lrs == [0.5]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scheduler.step()
    assert "before `optimizer.step()`" in str(caught[0].message)
    state = scheduler.state_dict()
    assert state["last_epoch"] == 1 and "optimizer" not in state
    with pytest.raises(TypeError, match="list is not an Optimizer"):
        lr_scheduler.StepLR([], 1)


# ----- gradient clipping ------------------------------------------------------------------------


def with_grads(*grads: np.ndarray) -> list[ac.Tensor]:
    params = []
    for g in grads:
        p = ac.tensor(np.zeros_like(g), requires_grad=True)
        p.grad = ac.tensor(g.copy())
        params.append(p)
    return params


@pytest.mark.parametrize("norm_type", [2.0, 1.0, math.inf])
def test_clip_grad_norm_scales_all_gradients_together(norm_type):
    g1, g2 = np.array([3.0, 4.0]), np.array([[1.0, -2.0], [0.5, 12.0]])
    params = with_grads(g1, g2)
    total = nn.utils.clip_grad_norm_(params, 0.5, norm_type)
    flat = np.concatenate([g1, g2.ravel()])
    expected = np.abs(flat).max() if math.isinf(norm_type) else np.linalg.norm(flat, norm_type)
    assert total.item() == pytest.approx(expected)
    scale = 0.5 / (expected + 1e-6)
    np.testing.assert_allclose(params[1].grad.numpy(), g2 * scale)
    small = with_grads(np.array([0.1, 0.1]))
    nn.utils.clip_grad_norm_(small, 10.0)
    np.testing.assert_allclose(small[0].grad.numpy(), [0.1, 0.1])  # under the limit: unchanged


def test_clip_grad_value_and_nonfinite_norm():
    params = with_grads(np.array([-3.0, 0.2, 5.0]))
    assert nn.utils.clip_grad_value_(params, 1.0) is None
    assert params[0].grad.tolist() == [-1.0, 0.2, 1.0]
    bad = with_grads(np.array([np.inf, 1.0]))
    with pytest.raises(RuntimeError, match="is non-finite, so it cannot be clipped"):
        nn.utils.clip_grad_norm_(bad, 1.0, error_if_nonfinite=True)


def test_parameters_to_vector_and_back():
    net = nn.Linear(2, 3)
    vec = nn.utils.parameters_to_vector(net.parameters())
    assert vec.shape == (9,)
    nn.utils.vector_to_parameters(ac.arange(9.0), net.parameters())
    assert net.bias.tolist() == [6.0, 7.0, 8.0]
