"""Exercise 04, stock prediction: how each answer is called in the student's kernel."""

from __future__ import annotations

from .runtime import describe, during


def probe_windows(answer, inputs):
    import numpy as np

    series = inputs["series"]
    results = []
    for window in inputs["windows"]:
        with during(f"calling make_windows(series of {len(series)} values, window={window})"):
            results.append(describe(answer(np.array(series), window)))
    return results


def probe_split(answer, inputs):
    import numpy as np

    results = []
    for case in inputs:
        X, y, fraction = np.array(case["X"]), np.array(case["y"]), case["fraction"]
        with during(f"calling split_in_time(X, y, {fraction}) on {len(y)} rows"):
            results.append(describe(answer(X, y, fraction)))
    return results


def probe_normalise(answer, inputs):
    import numpy as np

    with during("calling normalise(train, test)"):
        return describe(answer(np.array(inputs["train"]), np.array(inputs["test"])))


def probe_naive(answer, inputs):
    import numpy as np

    windows = inputs["windows"]
    with during(f"calling naive_forecast(X) on {len(windows)} windows of {len(windows[0])} values"):
        return describe(answer(np.array(windows)))


def probe_metrics(answer, inputs):
    import numpy as np

    arrays = (np.array(inputs[key]) for key in ("actual", "predicted", "previous"))
    with during("calling forecast_metrics(actual, predicted, previous)"):
        result = answer(*arrays)
    return describe(result)


PROBES = {
    "sliding-windows": probe_windows,
    "chronological-split": probe_split,
    "normalise": probe_normalise,
    "naive-baseline": probe_naive,
    "forecast-metrics": probe_metrics,
}
