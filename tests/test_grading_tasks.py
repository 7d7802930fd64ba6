"""Grading building blocks, in this process (no kernel): raw-value transport, scoring, check()
feedback, and each exercise's tasks on right, wrong and unfinished answers.

Expected values here are worked out independently (closed forms written in the test), never
taken from the task modules under test.
"""

from __future__ import annotations

import json
import math
import random
import re
from pathlib import Path

import numpy as np
import pytest

import autograd_course as ac
from autograd_course import nn, optim
from autograd_course.grading import check, registry
from autograd_course.grading.probes import runtime
from autograd_course.grading.tasks import base

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "grading"


def outcome(task_id: str, answer, seed: int | None = None) -> base.Result:
    """Probe and verify one answer here, exactly as check() does (fresh inputs each time)."""
    rng = random.Random(seed) if seed is not None else None
    return registry.check_here(task_id, answer, 20, rng)


def call(answer, inputs):
    """A probe that calls the answer with no arguments."""
    return answer()


def stub(*args, **kwargs):
    raise NotImplementedError(base.STUB_MESSAGE)


# -- transport --------------------------------------------------------------------------------


def test_encode_is_json_for_every_plain_value():
    value = {
        "n": None,
        "t": True,
        "f": False,
        "i": -12,
        "x": 0.1,
        "nan": float("nan"),
        "inf": float("inf"),
        "-inf": float("-inf"),
        "s": 'quote " backslash \\ newline \n tab \t é ∂ 😀',
        "list": [1, [2.5, "a"], (3,)],
    }
    decoded = json.loads(runtime.encode(value))
    assert decoded["n"] is None and decoded["t"] is True and decoded["f"] is False
    assert decoded["i"] == -12 and decoded["x"] == 0.1
    assert math.isnan(decoded["nan"]) and decoded["inf"] == math.inf
    assert decoded["-inf"] == -math.inf
    assert decoded["s"] == value["s"]
    assert decoded["list"] == [1, [2.5, "a"], [3]]


def test_encode_never_calls_the_json_module(monkeypatch):
    monkeypatch.setattr(json, "dumps", None)
    assert runtime.encode([1.5, "x"]) == '[1.5,"x"]'


def test_describe_reads_tensors_arrays_and_containers():
    x = ac.tensor([[1.0, 2.0]], requires_grad=True)
    y = (x * 2).sum()
    info = runtime.describe(y)
    assert info["kind"] == "tensor" and info["shape"] == [] and info["values"] == [6.0]
    assert info["grad_fn"] == "SumBackward0" and info["requires_grad"] and not info["is_leaf"]
    assert runtime.describe(np.arange(3))["values"] == [0.0, 1.0, 2.0]
    assert runtime.describe((1, None))["items"] == [
        {"kind": "number", "value": 1.0},
        {"kind": "none"},
    ]
    assert runtime.describe(object())["kind"] == "other"
    big = runtime.describe(np.zeros(runtime.MAX_VALUES + 1))
    assert big["values"] is None and big["shape"] == [runtime.MAX_VALUES + 1]


def test_as_array_reads_nested_lists_and_says_what_else_it_got():
    assert base.as_array(runtime.describe([[1, 2], [3, 4]]), "X").tolist() == [[1, 2], [3, 4]]
    with pytest.raises(base.Fail, match="different lengths"):
        base.as_array(runtime.describe([[1, 2], [3]]), "X")
    with pytest.raises(base.Fail, match="X should be a number or a tensor, but it is None"):
        base.as_array(runtime.describe(None), "X")
    with pytest.raises(base.Fail, match=r"X has shape \(2,\), expected \(3,\)"):
        base.as_array(runtime.describe([1.0, 2.0]), "X", (3,))


def test_run_probe_turns_every_failure_into_a_description():
    assert runtime.run_probe(call, stub, None, 5)["status"] == "not_implemented"

    def boom():
        raise ValueError("bad\nthing")

    envelope = runtime.run_probe(call, boom, None, 5)
    assert envelope["status"] == "error"
    assert envelope["error"] == {
        "type": "ValueError",
        "message": "bad thing",
        "during": "",
        "limit": 5,
    }
    assert runtime.run_probe(call, lambda: exit(3), None, 5)["status"] == "error"  # SystemExit

    def forever():
        while True:
            pass

    assert runtime.run_probe(call, forever, None, 0.2)["status"] == "timeout"


def test_run_probe_swallows_student_prints(capsys):
    runtime.run_probe(call, lambda: print("noise"), None, 5)
    assert capsys.readouterr().out == ""


def test_evaluate_scores_no_result_as_a_failure():
    task = registry.find_task("mse")
    for envelope in (None, {}, {"status": "weird"}, "text"):
        result = base.evaluate(task, envelope, None)
        assert result.score == 0 and result.status == "no_result"
        assert "no check ran" in result.feedback


def test_evaluate_survives_a_verify_step_that_crashes():
    task = base.Task("t", 2, "x", "d", inputs=list, verify=lambda raw, inputs: raw["missing"])
    result = base.evaluate(task, {"status": "ok", "raw": {}}, [])
    assert result.score == 0 and "could not be checked" in result.feedback


@pytest.mark.parametrize(
    "envelope",
    [
        {"status": "timeout", "error": {"limit": "soon", "during": {"x": 1}}},
        {"status": "error", "error": {"type": None, "message": ["\x1b[2J"] * 3}},
        {"status": "ok", "raw": [[[[]]]]},
        {"status": "ok"},
    ],
)
def test_evaluate_never_raises_on_envelopes_a_hostile_kernel_could_send(envelope):
    for task in registry.get("01_scalar_gradients").tasks:
        inputs = registry.draw_inputs(task, random.Random(0))
        result = base.evaluate(task, envelope, inputs, 5.0)
        assert result.score == 0 and isinstance(result.feedback, str)


def test_partial_credit_is_clamped_to_the_task_points():
    def verify(raw, inputs):
        raise base.Fail("half", score=raw)

    task = base.Task("t", 2, "x", "d", inputs=list, verify=verify)
    assert base.evaluate(task, {"status": "ok", "raw": 1}, []).score == 1
    assert base.evaluate(task, {"status": "ok", "raw": 5}, []).score == 2
    assert base.evaluate(task, {"status": "ok", "raw": -1}, []).score == 0


def test_inputs_are_drawn_afresh_for_every_check():
    """Replaying what an answer returned in another run earns nothing: the inputs change."""
    for exercise_id in registry.EXERCISES:
        for task in registry.get(exercise_id).tasks:
            draws = {json.dumps(registry.draw_inputs(task, random.Random())) for _ in range(5)}
            assert len(draws) == 5, task.id


def test_an_answer_that_replays_one_run_fails_the_next():
    seen = registry.draw_inputs(registry.find_task("hand-derivative"), random.Random(7))
    table = {(a, b): (3 * a * a * b + 3, a**3 - 4 * b) for a, b in seen}

    def replay(a, b):
        return table[(a, b)]

    assert outcome("hand-derivative", replay, seed=7).passed
    result = outcome("hand-derivative", replay, seed=8)
    assert result.score == 0 and "KeyError" in result.feedback


# -- registry and check() ---------------------------------------------------------------------


def test_every_exercise_has_at_least_four_tasks_with_unique_ids_and_points():
    ids = []
    for exercise_id in registry.EXERCISES:
        exercise = registry.get(exercise_id)
        assert len(exercise.tasks) >= 4, exercise_id
        for task in exercise.tasks:
            assert task.points > 0 and task.answer.isidentifier() and task.description
            ids.append(task.id)
    assert len(ids) == len(set(ids)), "task ids must be unique across exercises"


def test_unknown_exercise_names_the_known_ones():
    with pytest.raises(KeyError, match="01_scalar_gradients"):
        registry.get("99_nothing")


def test_register_file_adds_a_synthetic_exercise():
    exercise = registry.register_file(
        "demo", FIXTURES / "demo_tasks.py", FIXTURES / "demo_probes.py"
    )
    try:
        assert [task.id for task in exercise.tasks] == ["demo-square", "demo-total"]
        assert exercise.max_score == 3
        assert registry.get("demo") is exercise
    finally:
        registry.unregister("demo")


def test_check_prints_one_line_and_never_raises(capsys):
    check("hand-derivative", lambda a, b: (3 * a * a * b + 3, a**3 - 4 * b))
    check("hand-derivative", stub)
    check("hand-derivative", 42)
    check("no-such-task", None)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("✓ hand-derivative [2/2]")
    assert lines[1].startswith("✗ hand-derivative [0/2]: not implemented yet")
    assert lines[2].startswith("✗ hand-derivative [0/2]: raised TypeError")
    assert "unknown task id" in lines[3]
    assert "Traceback" not in "".join(lines)


# -- exercise 01 ------------------------------------------------------------------------------


def gradient_with_autograd(f, a, b):
    a, b = ac.tensor(a, requires_grad=True), ac.tensor(b, requires_grad=True)
    f(a, b).backward()
    return a.grad.item(), b.grad.item()


def slopes(f, xs, reset=True):
    x, out = ac.tensor(0.0, requires_grad=True), []
    for value in xs:
        with ac.no_grad():
            x.fill_(value)
        if reset:
            x.grad = None
        f(x).backward()
        out.append(x.grad.item())
    return out


def vjp(f, x, v):
    x = ac.tensor(x, requires_grad=True)
    f(x).backward(gradient=ac.tensor(v))
    return x.grad


def second_derivative(f, x):
    x = ac.tensor(x, requires_grad=True)
    (first,) = ac.autograd.grad(f(x), x, create_graph=True)
    return ac.autograd.grad(first, x)[0].item()


def test_hand_derivative_passes_the_right_formula_and_hides_the_answer():
    assert outcome("hand-derivative", lambda a, b: (3 * a * a * b + 3, a**3 - 4 * b)).passed
    wrong = outcome("hand-derivative", lambda a, b: (3 * a * a * b, a**3 - 4 * b), seed=3)
    assert wrong.score == 0 and "∂f/∂a" in wrong.feedback
    # the feedback names the first point and the wrong value, never the right one
    a, b = registry.draw_inputs(registry.find_task("hand-derivative"), random.Random(3))[0]
    assert f"a={a:g}, b={b:g}" in wrong.feedback
    assert base.fmt(3 * a * a * b + 3) not in wrong.feedback


def test_autograd_gradient_rejects_finite_differences_and_values():
    assert outcome("autograd-gradient", gradient_with_autograd).passed
    value_instead = outcome("autograd-gradient", lambda f, a, b: (float(f(a, b)), 0.0))
    assert value_instead.score == 0


def test_accumulation_names_running_sums():
    assert outcome("accumulation", slopes).passed
    result = outcome("accumulation", lambda f, xs: slopes(f, xs, reset=False))
    assert result.score == 0 and "sum of all slopes so far" in result.feedback


def test_vector_jacobian_product_spots_an_ignored_v():
    assert outcome("vector-jacobian", vjp).passed
    ignored = outcome("vector-jacobian", lambda f, x, v: vjp(f, x, [1.0] * len(x)))
    assert ignored.score == 0 and "ignores v" in ignored.feedback


def test_second_derivative_needs_the_second_not_the_first():
    assert outcome("second-derivative", second_derivative).passed

    def first(f, x):
        t = ac.tensor(x, requires_grad=True)
        f(t).backward()
        return t.grad.item()

    assert outcome("second-derivative", first).score == 0


# -- exercise 02 ------------------------------------------------------------------------------


class GoodLinear(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        bound = 1 / math.sqrt(n_in)
        self.weight = nn.Parameter(ac.empty(n_out, n_in).uniform_(-bound, bound))
        self.bias = nn.Parameter(ac.empty(n_out).uniform_(-bound, bound))

    def forward(self, x):
        return x @ self.weight.T + self.bias


def make_step(zero=True, mean=True, in_place=True):
    def step(model, X, y, lr):
        squared = (model(X) - y) ** 2
        loss = squared.mean() if mean else squared.sum()
        loss.backward()
        if in_place:
            with ac.no_grad():
                model.w -= lr * model.w.grad
                model.b -= lr * model.b.grad
        else:
            model.w = model.w - lr * model.w.grad
            model.b = model.b - lr * model.b.grad
        if zero:
            model.w.grad = None
            model.b.grad = None
        return loss.item()

    return step


def make_train(zero=True):
    def train(model, X, y, lr, epochs):
        optimizer, loss_fn, losses = optim.SGD(model.parameters(), lr=lr), nn.MSELoss(), []
        for _ in range(epochs):
            if zero:
                optimizer.zero_grad()
            loss = loss_fn(model(X), y)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        return losses

    return train


def test_mse_value_gradient_and_common_mistakes():
    assert outcome("mse", lambda p, t: ((p - t) ** 2).mean()).passed
    assert "sum" in outcome("mse", lambda p, t: ((p - t) ** 2).sum()).feedback
    assert "absolute" in outcome("mse", lambda p, t: (p - t).abs().mean()).feedback
    detached = outcome("mse", lambda p, t: ac.tensor(((p - t) ** 2).mean().item()))
    assert detached.score == 0 and "tensor operations" in detached.feedback


def test_linear_module_gives_partial_credit_per_part():
    assert outcome("linear-module", GoodLinear).passed

    class ZeroInit(GoodLinear):
        def __init__(self, n_in, n_out):
            super().__init__(n_in, n_out)
            with ac.no_grad():
                self.weight.zero_()

    assert outcome("linear-module", ZeroInit).score == 2

    class NoForward(GoodLinear):
        forward = stub

    assert outcome("linear-module", NoForward).score == 2

    class Unregistered(nn.Module):
        def __init__(self, n_in, n_out):
            super().__init__()
            self.weight = ac.zeros(n_out, n_in, requires_grad=True)  # not a Parameter

    assert outcome("linear-module", Unregistered).score == 0


def test_step_diagnoses_each_classic_mistake():
    assert outcome("step", make_step()).passed
    assert "zero" in outcome("step", make_step(zero=False)).feedback
    assert "mean" in outcome("step", make_step(mean=False)).feedback
    assert "leaf" in outcome("step", make_step(in_place=False)).feedback
    assert "unchanged" in outcome("step", lambda m, X, y, lr: 0.0).feedback


def test_train_loop_matches_gradient_descent_and_spots_missing_zero_grad():
    assert outcome("train-loop", make_train()).passed
    drift = outcome("train-loop", make_train(zero=False))
    assert drift.score == 0 and "zero_grad" in drift.feedback
    assert "one loss per epoch" in outcome("train-loop", lambda m, X, y, lr, n: [1.0]).feedback


def test_learning_rate_threshold_is_one_over_mean_square():
    assert outcome("learning-rate", lambda x: 1 / np.mean(np.square(x))).passed
    assert "twice" in outcome("learning-rate", lambda x: 2 / np.mean(np.square(x))).feedback


# -- exercise 03 ------------------------------------------------------------------------------


class GoodSigmoid(ac.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        s = 1 / (1 + ac.exp(-x))
        ctx.save_for_backward(s)
        return s

    @staticmethod
    def backward(ctx, grad):
        (s,) = ctx.saved_tensors
        return grad * s * (1 - s)


def epoch(model, loss_fn, optimizer, X, y, batch_size, zero=True):
    losses = []
    for start in range(0, len(X), batch_size):
        if zero:
            optimizer.zero_grad()
        loss = loss_fn(model(X[start : start + batch_size]), y[start : start + batch_size])
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return sum(losses) / len(losses)


def test_bce_with_logits_must_stay_finite():
    def stable(z, y):
        return (ac.relu(z) - z * y + ac.log(1 + ac.exp(-ac.abs(z)))).mean()

    def naive(z, y):
        p = ac.sigmoid(z)
        return -(y * ac.log(p) + (1 - y) * ac.log(1 - p)).mean()

    assert outcome("bce-with-logits", stable).passed
    assert outcome("bce-with-logits", naive).score == 0
    clamped = outcome("bce-with-logits", lambda z, y: nn.BCELoss()(ac.sigmoid(z), y))
    assert clamped.score == 0  # log clamped at −100: finite but wrong for |z| = 1000


def test_sigmoid_function_checks_backward_and_gradcheck():
    assert outcome("sigmoid-function", GoodSigmoid).passed

    class HalfBackward(GoodSigmoid):
        @staticmethod
        def backward(ctx, grad):
            (s,) = ctx.saved_tensors
            return grad * s

    assert "σ(x)·(1 − σ(x))" in outcome("sigmoid-function", HalfBackward).feedback

    class Overflows(GoodSigmoid):
        @staticmethod
        def forward(ctx, x):
            e = ac.exp(x)
            s = e / (1 + e)
            ctx.save_for_backward(s)
            return s

    assert "NaN" in outcome("sigmoid-function", Overflows).feedback


def test_accuracy_gives_one_point_without_no_grad():
    def right(model, X, y):
        with ac.no_grad():
            p = model(X)
        return ((p > 0.5).float().reshape(y.shape) == y).float().mean().item()

    def with_graph(model, X, y):
        return ((model(X) > 0.5).float().reshape(y.shape) == y).float().mean().item()

    assert outcome("accuracy", right).passed
    assert outcome("accuracy", with_graph).score == 1
    assert "percentage" in outcome("accuracy", lambda m, X, y: 100 * right(m, X, y)).feedback


def test_train_epoch_matches_mini_batch_sgd():
    assert outcome("train-epoch", epoch).passed
    no_zero = outcome("train-epoch", lambda *a: epoch(*a, zero=False))
    assert "zero_grad" in no_zero.feedback
    full_batch = outcome("train-epoch", lambda m, f, o, X, y, b: epoch(m, f, o, X, y, len(X)))
    assert "only one update" in full_batch.feedback


def test_bce_with_logits_accepts_log1p_softplus_and_the_other_natural_forms():
    F = nn.functional
    natural = {
        "Tensor.log1p": lambda z, y: (z.relu() - z * y + (-z.abs()).exp().log1p()).mean(),
        "ac.log1p": lambda z, y: (ac.relu(z) - z * y + ac.log1p(ac.exp(-ac.abs(z)))).mean(),
        "clamp": lambda z, y: (z.clamp(min=0) - z * y + ac.log(1 + ac.exp(-z.abs()))).mean(),
        "maximum": lambda z, y: (
            ac.maximum(z, ac.zeros_like(z)) - z * y + ac.log1p(ac.exp(-ac.abs(z)))
        ).mean(),
        "F.softplus": lambda z, y: (F.softplus(-z) + (1 - y) * z).mean(),
        "F.softplus per class": lambda z, y: (y * F.softplus(-z) + (1 - y) * F.softplus(z)).mean(),
        "nn.Softplus": lambda z, y: (nn.Softplus()(-z) + (1 - y) * z).mean(),
        "F.logsigmoid": lambda z, y: -(y * F.logsigmoid(z) + (1 - y) * F.logsigmoid(-z)).mean(),
        "logaddexp": lambda z, y: (ac.logaddexp(ac.zeros_like(z), -z) + (1 - y) * z).mean(),
    }
    for name, answer in natural.items():
        result = outcome("bce-with-logits", answer)
        assert result.passed, (name, result.feedback)
    # log1p alone does not make it safe: exp(-z) overflows for z = -1000
    overflows = outcome("bce-with-logits", lambda z, y: (ac.log1p(ac.exp(-z)) + (1 - y) * z).mean())
    assert overflows.score == 0 and "overflows" in overflows.feedback
    wrong_sign = outcome("bce-with-logits", lambda z, y: (F.softplus(z) + (1 - y) * z).mean())
    assert wrong_sign.score == 0


def test_accuracy_accepts_round_and_other_natural_forms():
    def rounded(model, X, y):
        with ac.no_grad():
            predicted = model(X).round()
        return (predicted.reshape(y.shape) == y).float().mean().item()

    def ac_round_counted(model, X, y):
        with ac.no_grad():
            predicted = ac.round(model(X)).view(-1)
        return predicted.eq(y.view(-1)).sum().item() / y.numel()

    def gt_as_bool(model, X, y):
        with ac.no_grad():
            p = model(X)
        return (p.gt(0.5).flatten() == y.flatten().bool()).float().mean().item()

    def through_numpy(model, X, y):
        with ac.no_grad():
            p = model(X).numpy()
        return float(np.mean((p.reshape(-1) > 0.5) == (y.numpy().reshape(-1) > 0.5)))

    for answer in (rounded, ac_round_counted, gt_as_bool, through_numpy):
        result = outcome("accuracy", answer)
        assert result.passed, (answer.__name__, result.feedback)

    def rounded_broadcasting(model, X, y):
        with ac.no_grad():
            predicted = model(X).round()
        return (predicted == y).float().mean().item()

    result = outcome("accuracy", rounded_broadcasting)
    assert result.score == 0 and "broadcast" in result.feedback


def test_train_epoch_accepts_split_chunk_and_a_data_loader():
    from autograd_course.utils.data import DataLoader, TensorDataset

    def run(batches, model, loss_fn, optimizer):
        losses = []
        for xb, yb in batches:
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            losses.append(loss.detach())
        return ac.stack(losses).mean().item()

    def by_split(model, loss_fn, optimizer, X, y, batch_size):
        return run(zip(X.split(batch_size), y.split(batch_size)), model, loss_fn, optimizer)

    def by_ac_split(model, loss_fn, optimizer, X, y, batch_size):
        batches = zip(ac.split(X, batch_size), ac.split(y, batch_size))
        return run(batches, model, loss_fn, optimizer)

    def by_chunk(model, loss_fn, optimizer, X, y, batch_size):
        n = math.ceil(len(X) / batch_size)
        return run(zip(X.chunk(n), y.chunk(n)), model, loss_fn, optimizer)

    def by_loader(model, loss_fn, optimizer, X, y, batch_size):
        loader = DataLoader(TensorDataset(X, y), batch_size=batch_size)
        return run(loader, model, loss_fn, optimizer)

    def numpy_mean(model, loss_fn, optimizer, X, y, batch_size):
        losses = []
        for start in range(0, X.shape[0], batch_size):
            optimizer.zero_grad()
            loss = loss_fn(model(X[start : start + batch_size]), y[start : start + batch_size])
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        return np.mean(losses)  # a NumPy float, not a Python float

    for answer in (by_split, by_ac_split, by_chunk, by_loader, numpy_mean):
        result = outcome("train-epoch", answer)
        assert result.passed, (answer.__name__, result.feedback)

    def dropping(model, loss_fn, optimizer, X, y, batch_size):
        loader = DataLoader(TensorDataset(X, y), batch_size=batch_size, drop_last=True)
        return run(loader, model, loss_fn, optimizer)

    def shuffling(model, loss_fn, optimizer, X, y, batch_size):
        loader = DataLoader(TensorDataset(X, y), batch_size=batch_size, shuffle=True)
        return run(loader, model, loss_fn, optimizer)

    assert "last, smaller batch" in outcome("train-epoch", dropping).feedback
    ac.manual_seed(1)  # a shuffle that moves rows (7 rows: 1 order in 5040 keeps them)
    shuffled = outcome("train-epoch", shuffling)
    assert shuffled.score == 0 and "given order" in shuffled.feedback


# -- exercise 04 ------------------------------------------------------------------------------


def test_sliding_windows_catch_peeking_and_an_extra_window():
    def right(s, w):
        return np.stack([s[i : i + w] for i in range(len(s) - w)]), s[w:]

    def peeking(s, w):
        return np.stack([s[i : i + w] for i in range(len(s) - w)]), s[w - 1 : -1]

    assert outcome("sliding-windows", right).passed
    assert "peeking" in outcome("sliding-windows", peeking).feedback
    extra = outcome(
        "sliding-windows",
        lambda s, w: (np.stack([s[i : i + w] for i in range(len(s) - w + 1)]), s[w - 1 :]),
    )
    assert "one window too many" in extra.feedback


def test_chronological_split_rejects_shuffling():
    def right(X, y, f):
        n = int(len(X) * f)
        return X[:n], X[n:], y[:n], y[n:]

    def shuffled(X, y, f):
        order = np.random.default_rng(0).permutation(len(X))
        return right(X[order], y[order], f)

    assert outcome("chronological-split", right).passed
    assert "time order" in outcome("chronological-split", shuffled).feedback


def test_normalise_uses_training_statistics_only():
    def right(train, test):
        return (train - train.mean()) / train.std(), (test - train.mean()) / train.std()

    def leaky(train, test):
        both = np.concatenate([train, test])
        return (train - both.mean()) / both.std(), (test - both.mean()) / both.std()

    assert outcome("normalise", right).passed
    assert "training set only" in outcome("normalise", leaky).feedback


def test_naive_baseline_and_metrics():
    assert outcome("naive-baseline", lambda X: X[:, -1]).passed
    assert outcome("naive-baseline", lambda X: X.mean(axis=1)).score == 0

    def metrics(actual, predicted, previous):
        error = predicted - actual
        return {
            "rmse": np.sqrt(np.mean(error**2)),
            "mae": np.mean(np.abs(error)),
            "direction_accuracy": np.mean(
                np.sign(predicted - previous) == np.sign(actual - previous)
            ),
        }

    assert outcome("forecast-metrics", metrics).passed
    no_root = outcome(
        "forecast-metrics", lambda a, p, q: {**metrics(a, p, q), "rmse": np.mean((p - a) ** 2)}
    )
    assert "square root" in no_root.feedback


# -- checks that judge exactly what each task asks ---------------------------------------------


def test_mse_divided_by_rows_fails_on_a_matrix_of_predictions():
    result = outcome("mse", lambda p, t: ((p - t) ** 2).sum() / len(p))
    assert result.score == 0 and "len(prediction)" in result.feedback
    assert "all" in result.feedback


def test_mse_of_shape_one_is_not_a_0d_tensor():
    result = outcome("mse", lambda p, t: ((p - t) ** 2).mean().reshape(1))
    assert result.score == 0 and "0-d" in result.feedback and "(1,)" in result.feedback


def test_step_that_rebinds_the_parameters_fails():
    def rebinding(model, X, y, lr):
        loss = ((model(X) - y) ** 2).mean()
        loss.backward()
        model.w = (model.w - lr * model.w.grad).detach().requires_grad_()
        model.b = (model.b - lr * model.b.grad).detach().requires_grad_()
        return loss.item()

    result = outcome("step", rebinding)
    assert result.score == 0 and "replaced model.w" in result.feedback
    assert "in place" in result.feedback


def test_train_loop_accepts_the_losses_as_a_numpy_array_and_names_what_it_got():
    assert outcome("train-loop", lambda *args: np.array(make_train()(*args))).passed
    none = outcome("train-loop", lambda *args: None)
    assert none.score == 0 and "returned None" in none.feedback and "got None" not in none.feedback


def test_chronological_split_names_parts_in_the_wrong_order():
    def swapped(X, y, f):
        n = int(len(X) * f)
        return X[:n], y[:n], X[n:], y[n:]

    result = outcome("chronological-split", swapped)
    assert result.score == 0
    assert "wrong order" in result.feedback
    assert "X_train, y_train, X_test, y_test" in result.feedback

    def rounded_up(X, y, f):
        n = math.ceil(len(X) * f) + 1
        return X[:n], X[n:], y[:n], y[n:]

    wrong = outcome("chronological-split", rounded_up)
    assert wrong.score == 0 and "round down" in wrong.feedback
    given, expected = re.search(
        r"gave (\d+) rows.* = (\d+) \(round down\)", wrong.feedback
    ).groups()
    assert given != expected  # the message never contradicts itself


def test_linear_module_with_a_detached_bias_names_requires_grad_and_keeps_credit():
    class DetachedBias(GoodLinear):
        def __init__(self, n_in, n_out):
            super().__init__(n_in, n_out)
            self.bias = nn.Parameter(self.bias.detach(), requires_grad=False)

    class NoBias(nn.Module):
        def __init__(self, n_in, n_out):
            super().__init__()
            bound = 1 / math.sqrt(n_in)
            self.weight = nn.Parameter(ac.empty(n_out, n_in).uniform_(-bound, bound))

        def forward(self, x):
            return x @ self.weight.T

    detached = outcome("linear-module", DetachedBias)
    assert "return statement" not in detached.feedback
    assert "bias" in detached.feedback and "require grad" in detached.feedback
    assert detached.score == 1  # the initialisation is right
    assert outcome("linear-module", NoBias).score <= detached.score


def test_autograd_tasks_reject_finite_differences_in_float64():
    def central(f, a, b, h=1e-6):
        da = (
            f(ac.tensor(a + h, dtype=ac.float64), ac.tensor(b, dtype=ac.float64))
            - f(ac.tensor(a - h, dtype=ac.float64), ac.tensor(b, dtype=ac.float64))
        ) / (2 * h)
        db = (
            f(ac.tensor(a, dtype=ac.float64), ac.tensor(b + h, dtype=ac.float64))
            - f(ac.tensor(a, dtype=ac.float64), ac.tensor(b - h, dtype=ac.float64))
        ) / (2 * h)
        return da.item(), db.item()

    result = outcome("autograd-gradient", central)
    assert result.score == 0 and "finite differences" in result.feedback

    def second_by_differences(f, x, h=1e-4):
        t = [ac.tensor(x + k * h, dtype=ac.float64) for k in (-1, 0, 1)]
        return ((f(t[0]) - 2 * f(t[1]) + f(t[2])) / h**2).item()

    result = outcome("second-derivative", second_by_differences)
    assert result.score == 0 and "finite differences" in result.feedback

    def vjp_by_differences(f, x, v, h=1e-6):
        x64, v64 = np.array(x, dtype=float), np.array(v, dtype=float)
        out = []
        for i in range(len(x)):
            up, down = x64.copy(), x64.copy()
            up[i] += h
            down[i] -= h
            column = (f(ac.tensor(up)) - f(ac.tensor(down))).numpy() / (2 * h)
            out.append(float(column @ v64))
        return out

    result = outcome("vector-jacobian", vjp_by_differences)
    assert result.score == 0 and "finite differences" in result.feedback

    def slopes_by_differences(f, xs, h=1e-6):
        return [
            (
                (f(ac.tensor(x + h, dtype=ac.float64)) - f(ac.tensor(x - h, dtype=ac.float64)))
                / (2 * h)
            ).item()
            for x in xs
        ]

    result = outcome("accumulation", slopes_by_differences)
    assert result.score == 0 and "finite differences" in result.feedback


def test_bce_with_logits_may_not_call_the_library_loss():
    library = outcome("bce-with-logits", nn.BCEWithLogitsLoss())
    assert library.score == 0 and "nn.BCEWithLogitsLoss" in library.feedback
    functional = outcome(
        "bce-with-logits", lambda z, y: nn.functional.binary_cross_entropy_with_logits(z, y) * 1
    )
    assert functional.score == 0


def test_accuracy_spots_n_against_n_by_1_broadcasting():
    def broadcasting(model, X, y):
        with ac.no_grad():
            p = model(X)
        return ((p > 0.5).float() == y).float().mean().item()

    result = outcome("accuracy", broadcasting)
    assert result.score == 0 and "broadcast" in result.feedback and "reshape" in result.feedback


def test_raw_errors_get_a_hint():
    def grad_is_none(f, a, b):
        a, b = ac.tensor(a), ac.tensor(b, requires_grad=True)
        f(a, b).backward()
        return a.grad * 1, b.grad.item()

    result = outcome("autograd-gradient", grad_is_none)
    assert result.score == 0 and "NoneType" in result.feedback
    assert ".grad" in result.feedback and "requires_grad=True" in result.feedback

    def v_as_list(f, x, v):
        x = ac.tensor(x, requires_grad=True)
        f(x).backward(v)
        return x.grad

    result = outcome("vector-jacobian", v_as_list)
    assert result.score == 0 and "backward(" in result.feedback and "tensor" in result.feedback
    hint = base.raw_error_hint(
        "RuntimeError", "The size of tensor a (4) must match the size of tensor b (3)"
    )
    assert "(n, 1)" in hint
    assert base.raw_error_hint("ValueError", "something else") == ""


# -- exercise 05 ------------------------------------------------------------------------------


def kahn_order(output):
    """Every node once, each after all the nodes that send it gradient (written here)."""
    counts, stack = {output.grad_fn: 0}, [output.grad_fn]
    while stack:
        for child, _ in stack.pop().next_functions:
            if child is not None:
                if child not in counts:
                    counts[child] = 0
                    stack.append(child)
                counts[child] += 1
    order, ready = [], [output.grad_fn]
    while ready:
        node = ready.pop()
        order.append(node)
        for child, _ in node.next_functions:
            if child is not None:
                counts[child] -= 1
                if not counts[child]:
                    ready.append(child)
    return order


def by_hand(output, leaves, add=True):
    """A backward walk that calls each node; ``add=False`` overwrites at fan-out instead."""
    grads, found = {output.grad_fn: ac.ones_like(output)}, {}
    for node in kahn_order(output):
        grad = grads.pop(node)
        if not node.next_functions:
            found[id(node.variable)] = grad
            continue
        outs = node(grad)
        for (child, _), g in zip(node.next_functions, outs if isinstance(outs, tuple) else (outs,)):
            grads[child] = grads[child] + g if add and child in grads else g
    return [found[id(leaf)] for leaf in leaves]


class Hypot(ac.autograd.Function):
    @staticmethod
    def forward(ctx, a, b):
        r = (a * a + b * b).sqrt()
        ctx.save_for_backward(a, b, r)
        return r

    @staticmethod
    def backward(ctx, grad):
        a, b, r = ctx.saved_tensors
        return grad * a / r, grad * b / r


def test_div_backward_rule_needs_the_sign_and_grad_output():
    assert outcome("backward-rule", lambda g, a, b: (g / b, -g * a / b**2)).passed
    sign = outcome("backward-rule", lambda g, a, b: (g / b, g * a / b**2))
    assert sign.score == 0 and "sign" in sign.feedback
    no_grad = outcome("backward-rule", lambda g, a, b: (1 / b, -a / b**2))
    assert no_grad.score == 0 and "grad_output" in no_grad.feedback


def test_topological_order_every_node_once_in_dependency_order_without_recursion():
    assert outcome("topological-order", kahn_order).passed

    def recursive(output):
        order, seen = [], set()

        def visit(node):
            if node is None or node in seen:
                return
            seen.add(node)
            for child, _ in node.next_functions:
                visit(child)
            order.append(node)

        visit(output.grad_fn)
        return order[::-1]

    deep = outcome("topological-order", recursive)
    assert deep.score == 0 and "recursion" in deep.feedback and "stack" in deep.feedback

    def no_leaves(output):
        return [node for node in kahn_order(output) if node.next_functions]

    assert "missing" in outcome("topological-order", no_leaves).feedback

    def every_path(output):  # no "seen" set: a node reached twice is listed twice
        order, stack = [], [output.grad_fn]
        while stack:
            node = stack.pop()
            order.append(node)
            stack.extend(child for child, _ in node.next_functions if child is not None)
        return order

    assert "more than once" in outcome("topological-order", every_path).feedback

    def reversed_order(output):
        return kahn_order(output)[::-1]

    assert "comes before" in outcome("topological-order", reversed_order).feedback


def test_fan_out_sums_gradients_by_hand_and_refuses_the_engine():
    assert outcome("fan-out", by_hand).passed
    overwrite = outcome("fan-out", lambda out, leaves: by_hand(out, leaves, add=False))
    assert overwrite.score == 0 and "added up" in overwrite.feedback

    def engine(output, leaves):
        output.backward()
        return [leaf.grad for leaf in leaves]

    refused = outcome("fan-out", engine)
    assert refused.score == 0 and "called the engine" in refused.feedback

    def autograd_grad(output, leaves):
        return list(ac.autograd.grad(output, leaves))

    assert outcome("fan-out", autograd_grad).score == 0


def test_custom_function_with_two_inputs_passes_gradcheck():
    assert outcome("custom-function", Hypot).passed

    class Swapped(Hypot):
        @staticmethod
        def backward(ctx, grad):
            a, b, r = ctx.saved_tensors
            return grad * b / r, grad * a / r

    assert "swapped" in outcome("custom-function", Swapped).feedback

    class NoGrad(Hypot):
        @staticmethod
        def backward(ctx, grad):
            a, b, r = ctx.saved_tensors
            return a / r, b / r

    assert "grad_output" in outcome("custom-function", NoGrad).feedback
