"""Exercise 04, stock prediction: sliding windows, a chronological split, scaling fitted on
the training data only, the naive baseline, and honest forecast metrics."""

from __future__ import annotations

import numpy as np

from .base import Fail, Task, as_array, as_number, fmt, items, kind_name, pick, picks, shape_text


def _prices(rng, count: int) -> list[float]:
    """A random walk of ``count`` distinct prices, each move at least 0.1."""
    prices = [pick(rng, 10, 100, 0.5)]
    while len(prices) < count:
        price = round(prices[-1] + pick(rng, -2, 2, 0.1, [0.0]), 2)
        if price not in prices:
            prices.append(price)
    return prices


def _flat(array: np.ndarray, rows: int, what: str) -> np.ndarray:
    """A vector of ``rows`` values, accepting shape (rows,) or (rows, 1)."""
    if array.shape not in ((rows,), (rows, 1)):
        raise Fail(f"{what} has shape {shape_text(array.shape)}, expected ({rows},)")
    return array.reshape(rows)


# -- sliding-windows --------------------------------------------------------------------------


def _inputs_windows(rng):
    return {"series": _prices(rng, 8), "windows": [3, 1]}


def _verify_windows(raw, inputs):
    series = np.array(inputs["series"])
    for window, info in zip(inputs["windows"], raw, strict=True):
        call = f"make_windows(series of {len(series)} values, window={window})"
        X_info, y_info = items(info, call, 2)
        X, y = as_array(X_info, f"X from {call}"), as_array(y_info, f"y from {call}")
        rows = len(series) - window
        if X.ndim != 2 or X.shape[1] != window:
            raise Fail(f"X has shape {shape_text(X.shape)}: each row should hold {window} values")
        if X.shape[0] == rows + 1:
            raise Fail(
                "one window too many: the last window has no following value to predict, "
                f"so a series of {len(series)} values gives {rows} windows"
            )
        if X.shape[0] != rows:
            raise Fail(
                f"X has {X.shape[0]} rows for a series of {len(series)} values and "
                f"window={window}: one row per value that has {window} values before it"
            )
        y = _flat(y, rows, f"y from {call}")
        windows = np.stack([series[i : i + window] for i in range(rows)])
        if not np.allclose(X, windows):
            raise Fail(f"row i of X should be series[i : i + {window}], in time order")
        if np.allclose(y, series[window - 1 : window - 1 + rows]):
            raise Fail(
                "y is the last value inside each window: the target must be the value right "
                "after the window (predicting a value the model already sees is peeking)"
            )
        if not np.allclose(y, series[window:]):
            raise Fail("y[i] should be the value that follows window i")
    return "windows and targets right, no peeking, for window 3 and 1"


# -- chronological-split ----------------------------------------------------------------------


def _inputs_split(rng):
    cases = []
    for _ in range(2):
        while True:
            rows, fraction = rng.randint(8, 16), rng.choice([0.5, 0.6, 0.7, 0.75, 0.8])
            n_train = int(rows * fraction)
            if 0 < n_train < rows and n_train != rows - n_train:
                break
        values = picks(rng, 3 * rows, 0, 200, 0.5)
        X = [values[2 * i : 2 * i + 2] for i in range(rows)]
        cases.append({"X": X, "y": values[2 * rows :], "fraction": fraction})
    return cases


def _verify_split(raw, inputs):
    for case, info in zip(inputs, raw, strict=True):
        X_all, y_all, fraction = np.array(case["X"]), np.array(case["y"]), case["fraction"]
        rows = len(y_all)
        call = f"split_in_time(X, y, {fraction}) on {rows} rows"
        parts = [
            as_array(item, f"part {i + 1} of {call}") for i, item in enumerate(items(info, call, 4))
        ]
        X_train, X_test, y_train, y_test = parts
        n_train = int(rows * fraction)
        order = _split_order(parts, X_all, y_all, n_train)
        if order is not None:
            raise Fail(
                f"the parts are in the wrong order: you returned {order}; return X_train, "
                "X_test, y_train, y_test"
            )
        for name, part in (("X_train", X_train), ("y_train", y_train)):
            if len(part) != n_train:
                raise Fail(
                    f"{call} gave {len(part)} rows in {name}, expected int({rows} × {fraction}) "
                    f"= {n_train} (round down)"
                )
        if len(X_test) + len(X_train) != rows or len(y_test) + len(y_train) != rows:
            raise Fail("every row should land in exactly one of train and test")
        got_order = np.concatenate([y_train.ravel(), y_test.ravel()])
        if sorted(got_order) == sorted(y_all) and not np.allclose(got_order, y_all):
            raise Fail(
                "the rows are not in time order: the training set must be the first rows and "
                "the test set the rows after them, without shuffling"
            )
        if not (np.allclose(X_train, X_all[:n_train]) and np.allclose(X_test, X_all[n_train:])):
            raise Fail("X_train should be the first rows of X and X_test the rest")
        if not np.allclose(got_order, y_all):
            raise Fail("y_train and y_test should be split at the same row as X")
    return "first rows train, the rest test, in time order"


def _split_order(parts, X_all, y_all, n_train: int) -> str | None:
    """The names of the returned parts when they are the right four in another order (else
    None), e.g. 'X_train, y_train, X_test, y_test'."""
    wanted = {
        "X_train": X_all[:n_train],
        "X_test": X_all[n_train:],
        "y_train": y_all[:n_train],
        "y_test": y_all[n_train:],
    }
    names = []
    for part in parts:
        match = [
            name
            for name, want in wanted.items()
            if part.size == want.size and np.allclose(part.ravel(), want.ravel())
        ]
        if not match:
            return None
        names.append(match[0])
    if sorted(names) != sorted(wanted) or names == list(wanted):
        return None
    return ", ".join(names)


# -- normalise --------------------------------------------------------------------------------


def _inputs_normalise(rng):
    prices = _prices(rng, 7)
    return {"train": prices[:5], "test": prices[5:]}


def _verify_normalise(raw, inputs):
    train_info, test_info = items(raw, "normalise(train, test)", 2)
    train = _flat(
        as_array(train_info, "the scaled training set"), len(inputs["train"]), "scaled train"
    )
    test = _flat(as_array(test_info, "the scaled test set"), len(inputs["test"]), "scaled test")
    tr, te = np.array(inputs["train"]), np.array(inputs["test"])
    for ddof in (0, 1):
        mean, std = tr.mean(), tr.std(ddof=ddof)
        if np.allclose(train, (tr - mean) / std) and np.allclose(test, (te - mean) / std):
            return "both sets scaled with the training set's mean and standard deviation"
    both = np.concatenate([tr, te])
    for ddof in (0, 1):
        if np.allclose(test, (te - both.mean()) / both.std(ddof=ddof)):
            raise Fail(
                "the statistics include the test set: fit the mean and std on the training "
                "set only, or the test score peeks at the future"
            )
        if np.allclose(test, (te - te.mean()) / te.std(ddof=ddof)):
            raise Fail(
                "the test set was scaled with its own statistics: use the training set's "
                "mean and std for both sets"
            )
    raise Fail("subtract the training mean and divide by the training standard deviation")


# -- naive-baseline ---------------------------------------------------------------------------


def _inputs_naive(rng):
    while True:
        prices = _prices(rng, 6)
        windows = [prices[i : i + 3] for i in range(4)]
        if all(abs(w[-1] - sum(w) / 3) > 0.01 for w in windows):  # last value is not the mean
            return {"windows": windows}


def _verify_naive(raw, inputs):
    windows = np.array(inputs["windows"])
    got = _flat(as_array(raw, "naive_forecast(X)"), len(windows), "naive_forecast(X)")
    if np.allclose(got, windows.mean(axis=1)):
        raise Fail("that is the window mean: the naive forecast repeats the most recent value")
    if not np.allclose(got, windows[:, -1]):
        raise Fail("predict that tomorrow equals today: the last value of each window")
    return "tomorrow = today, for every window"


# -- forecast-metrics -------------------------------------------------------------------------


def _inputs_metrics(rng):
    previous = _prices(rng, 5)
    return {
        "actual": [round(p + pick(rng, -3, 3, 0.1, [0.0]), 2) for p in previous],
        "predicted": [round(p + pick(rng, -3, 3, 0.1, [0.0]), 2) for p in previous],
        "previous": previous,
    }


_KEYS = ("rmse", "mae", "direction_accuracy")


def _verify_metrics(raw, inputs):
    if raw.get("kind") != "mapping":
        raise Fail(f"return a dict with keys {', '.join(_KEYS)}, not {kind_name(raw)}")
    missing = [key for key in _KEYS if key not in raw["items"]]
    if missing:
        raise Fail(f"the dict is missing {', '.join(missing)}")
    actual, predicted, previous = (
        np.array(inputs[key]) for key in ("actual", "predicted", "previous")
    )
    error = predicted - actual
    got = {key: as_number(raw["items"][key], f"result['{key}']") for key in _KEYS}
    if not np.isclose(got["rmse"], np.sqrt(np.mean(error**2))):
        if np.isclose(got["rmse"], np.mean(error**2)):
            raise Fail("rmse is the square root of the mean squared error")
        raise Fail("rmse should be sqrt(mean((predicted − actual)²))")
    if not np.isclose(got["mae"], np.mean(np.abs(error))):
        raise Fail("mae should be mean(|predicted − actual|)")
    want = np.mean(np.sign(predicted - previous) == np.sign(actual - previous))
    if not np.isclose(got["direction_accuracy"], want):
        if np.isclose(got["direction_accuracy"], 100 * want):
            raise Fail("direction_accuracy should be a fraction between 0 and 1")
        raise Fail(
            f"direction_accuracy is {fmt(got['direction_accuracy'])}: count the days where "
            "predicted − previous and actual − previous have the same sign"
        )
    return "rmse, mae and direction accuracy right"


TASKS = [
    Task(
        "sliding-windows",
        3,
        "make_windows",
        "inputs of `window` past values, next value as target",
        _inputs_windows,
        _verify_windows,
    ),
    Task(
        "chronological-split",
        2,
        "split_in_time",
        "train on the past, test on the future",
        _inputs_split,
        _verify_split,
    ),
    Task(
        "normalise",
        2,
        "normalise",
        "scale with statistics of the training set only",
        _inputs_normalise,
        _verify_normalise,
    ),
    Task(
        "naive-baseline",
        1,
        "naive_forecast",
        "the 'tomorrow = today' baseline",
        _inputs_naive,
        _verify_naive,
    ),
    Task(
        "forecast-metrics",
        2,
        "forecast_metrics",
        "RMSE, MAE and direction accuracy",
        _inputs_metrics,
        _verify_metrics,
    ),
]
