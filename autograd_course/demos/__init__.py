"""Live demos for instructors: widgets to run in a chapter while you talk.

``from autograd_course import demos`` then, as the last line of a cell:

* ``demos.gradient_descent()``: a point sliding down a curve, the tangent from autograd;
* ``demos.linear_regression()``: chapter 2's line fitting its data, with the loss curve;
* ``demos.classifier()``: chapter 3's network and its decision boundary while it trains;
* ``demos.computational_graph("a**3 - b**2")``: the recorded graph, values and gradients;
* ``demos.stock_window()``: chapter 4's next-day predictions against "tomorrow = today".

Each returns a ``Demo`` (an ipywidgets layout). Its logic lives in plain classes
(``DescentRun``, ``RegressionRun``, ``ClassifierRun``, ``StockRun``, ``parse_expression`` and
``evaluate``) that work without widgets too.
"""

from ._ui import Demo
from .classify import ClassifierRun
from .common import DemoError
from .descent import DescentRun
from .expression import ExpressionError, evaluate, parse_expression
from .regression import RegressionRun
from .stocks import StockRun
from .widgets import (
    classifier,
    computational_graph,
    gradient_descent,
    linear_regression,
    stock_window,
)

__all__ = [
    "ClassifierRun",
    "Demo",
    "DemoError",
    "DescentRun",
    "ExpressionError",
    "RegressionRun",
    "StockRun",
    "classifier",
    "computational_graph",
    "evaluate",
    "gradient_descent",
    "linear_regression",
    "parse_expression",
    "stock_window",
]
