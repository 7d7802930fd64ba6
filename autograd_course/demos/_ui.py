"""The thin widget layer's parts: a figure shown as a PNG image, a status line, Step/Play/Reset.

Figures are ``matplotlib.figure.Figure`` objects drawn by Agg and sent to an ``Image`` widget,
not pyplot figures: nothing is registered with pyplot (no figure leaks, no duplicate inline
plot at the end of the cell), and the same code path runs in a kernel, in VS Code and in a
test without a browser. Every callback goes through ``guarded``, so a bad value shows a short
message in the demo's status line instead of a traceback, and the demo keeps working.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from html import escape
from typing import Any

import ipywidgets as widgets
import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image as PILImage

from ..plots import is_headless, use_theme
from .common import DemoError

__all__ = ["Canvas", "Demo", "Inputs", "Status", "Transport", "guarded", "themed"]

_THEME: dict[str, Any] | None = None


def _theme() -> dict[str, Any]:
    """The rcParams plots.use_theme() changes from matplotlib's defaults (the session's untouched)."""
    global _THEME
    if _THEME is None:
        with mpl.rc_context():
            mpl.rcdefaults()
            before = dict(mpl.rcParams)
            use_theme()
            after = dict(mpl.rcParams)
        _THEME = {k: v for k, v in after.items() if before.get(k) != v}
    return _THEME


@contextmanager
def themed() -> Iterator[None]:
    """Draw in the course's theme; the notebook's own rcParams are restored afterwards."""
    with mpl.rc_context(_theme()):
        yield


class Canvas:
    """One figure, drawn off-screen and shown as a PNG in ``image`` (an ipywidgets Image).

    Artists passed to ``animate`` are the ones that move at each update. The rest (axes,
    ticks, labels, data that stays put) is drawn once into a background that later updates
    paste back before drawing only the moving artists, which is several times faster. The
    background is redrawn when any axes' limits or scale change, or when ``render(full=True)``.
    """

    def __init__(self, figsize: tuple[float, float], ncols: int = 1, **subplot_kw: Any) -> None:
        with themed():
            self.figure = Figure(figsize=figsize, layout="constrained")
            FigureCanvasAgg(self.figure)
            axes = self.figure.subplots(1, ncols, **subplot_kw)
        self.axes = list(axes) if ncols > 1 else [axes]
        # Shown at its own pixel size (a VBox would stretch it to the cell's width, blurred and
        # slower to draw), shrunk only in a narrower cell. Figures are sized to fit JupyterLab's
        # cell at its usual width (about 830 px): 9 inches at the theme's 90 dpi is 810 px.
        width = round(figsize[0] * self.figure.dpi)
        self.image = widgets.Image(
            format="png", layout=widgets.Layout(width=f"{width}px", max_width="100%", height="auto")
        )
        self.image.add_class("autograd-demo-image")
        self.renders = 0
        self.full_draws = 0
        self._animated: list[Any] = []
        self._background: Any = None
        self._key: Any = None
        self._layout_done = False

    def animate(self, *artists: Any) -> None:
        """Mark artists as moving: drawn at every update on top of the saved background."""
        for artist in artists:
            artist.set_animated(True)
            self._animated.append(artist)
            # An axes' spines sit above its lines and images (zorder 2.5): they move to the
            # animated layer too, so the z-order is the one plain matplotlib would draw.
            ax = getattr(artist, "axes", None)
            if ax is not None and not any(s in self._animated for s in ax.spines.values()):
                for spine in ax.spines.values():
                    spine.set_animated(True)
                    self._animated.append(spine)

    @property
    def animated(self) -> tuple[Any, ...]:
        """The artists drawn at every update, on top of the background."""
        return tuple(self._animated)

    def forget(self, artist: Any) -> None:
        """Remove a moving artist from the figure (e.g. last update's contour line)."""
        self._animated.remove(artist)
        artist.remove()

    def _limits(self) -> tuple[Any, ...]:
        """What the background depends on besides its artists: every axes' limits and scales."""
        return tuple(
            (ax.get_xlim(), ax.get_ylim(), ax.get_xscale(), ax.get_yscale()) for ax in self.axes
        )

    def render(self, full: bool = False, relayout: bool = False) -> None:
        """Draw the figure and send it to the image widget as a PNG.

        Constrained layout places the axes on the first draw (or when ``relayout``); later
        draws keep those positions. ``full`` redraws the background too (use it after a
        change to anything that is not animated, such as data points or a legend label).
        """
        fig = self.figure
        agg = fig.canvas
        with themed():
            if relayout or not self._layout_done:
                fig.set_layout_engine("constrained")
                agg.draw()
                fig.set_layout_engine("none")
                self._layout_done = True
                full = True
            key = self._limits()
            if full or self._background is None or key != self._key:
                agg.draw()  # animated artists are left out of this drawing
                self._background = agg.copy_from_bbox(fig.bbox)
                self._key = key
                self.full_draws += 1
            else:
                agg.restore_region(self._background)
            for artist in sorted(self._animated, key=lambda a: a.get_zorder()):
                fig.draw_artist(artist)
        width, height = agg.get_width_height()
        rgba = PILImage.frombuffer("RGBA", (width, height), agg.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        rgba.convert("RGB").save(buffer, format="png", compress_level=1)
        self.image.value = buffer.getvalue()
        self.renders += 1


_COLORS = {"info": "#374151", "warning": "#b45309", "error": "#b91c1c"}


class Status:
    """A one-line message under the demo (an HTML widget): info, warning or error."""

    def __init__(self) -> None:
        self.widget = widgets.HTML(value="")
        self.widget.add_class("autograd-demo-status")
        self.kind: str | None = None
        self.text = ""

    def show(self, text: str | None, kind: str = "info") -> None:
        """Show ``text`` (or clear the line when it is None or empty)."""
        self.kind, self.text = (kind, text) if text else (None, "")
        if not text:
            self.widget.value = ""
            return
        prefix = {"warning": "⚠ ", "error": "✖ "}.get(kind, "")
        self.widget.value = f'<span style="color:{_COLORS[kind]}">{escape(prefix + text)}</span>'

    def clear(self) -> None:
        """Empty the line."""
        self.show(None)


def guarded(status: Status) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Wrap a callback: a DemoError (or any error) becomes a status message, never a traceback."""

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except DemoError as error:
                status.show(str(error), "error")
            except Exception as error:  # the demo must keep working in front of a class
                status.show(f"Unexpected {type(error).__name__}: {error}", "error")
            return None

        return run

    return wrap


class Inputs:
    """Remembers which typed values were rejected, so no step runs with a stale setting."""

    def __init__(self, status: Status) -> None:
        self.status = status
        self.errors: dict[str, str] = {}

    def apply(self, name: str, setter: Callable[[Any], None], value: Any) -> None:
        """Give ``value`` to ``setter``; on a DemoError remember it (and re-raise to show it)."""
        try:
            setter(value)
        except DemoError as error:
            self.errors[name] = str(error)
            raise
        self.errors.pop(name, None)
        self.status.show(next(iter(self.errors.values()), None), "error")

    def check(self) -> None:
        """Raise the first remembered error: the demo waits until the value is fixed."""
        if self.errors:
            raise DemoError(next(iter(self.errors.values())))


class Transport:
    """Step, Play and Reset for a training demo, plus how many steps one update runs.

    Play is an ipywidgets ``Play``: the browser raises its ``value`` every ``interval`` ms and
    each rise runs one update in the kernel (no threads). Tests raise ``play.value`` directly.
    """

    def __init__(
        self,
        advance: Callable[[], bool],
        reset: Callable[[], None],
        status: Status,
        *,
        interval: int = 200,
        frames: int = 1000,
        per_update: tuple[str, int, int] | None = None,
    ) -> None:
        self.step = widgets.Button(description="Step", icon="step-forward", tooltip="one update")
        self.step.add_class("autograd-demo-step")
        self.reset = widgets.Button(description="Reset", icon="undo", tooltip="start again")
        self.play = widgets.Play(
            value=0, min=0, max=frames, step=1, interval=interval, show_repeat=False,
            description="Play", tooltip="run updates continuously",
        )  # fmt: skip
        self.per_update = (
            widgets.IntSlider(
                value=per_update[1], min=1, max=per_update[2], description=per_update[0],
                continuous_update=False, style={"description_width": "initial"},
            )
            if per_update
            else None
        )  # fmt: skip
        self._advance = advance
        self._reset = reset
        guard = guarded(status)
        self.step.on_click(guard(lambda _: self._advance_once()))
        self.reset.on_click(guard(lambda _: self._reset_all()))
        self.play.observe(guard(self._on_play), names="value")

    @property
    def steps(self) -> int:
        """How many training steps one update runs."""
        return self.per_update.value if self.per_update is not None else 1

    def _advance_once(self) -> None:
        try:
            more = self._advance()
        except Exception:
            self.play.playing = False  # a run that cannot go on stops playing
            raise
        if not more:  # False: nothing more to do (diverged)
            self.play.playing = False

    def _on_play(self, change: Mapping[str, Any]) -> None:
        if change["new"] > change["old"]:  # Stop (and Reset) move value back: no update
            self._advance_once()

    def _reset_all(self) -> None:
        self.play.playing = False
        self.play.value = 0
        self._reset()

    def box(self) -> widgets.HBox:
        """The controls in one row: Step, Play, Reset (and the steps-per-update slider)."""
        parts = [self.step, self.play, self.reset]
        if self.per_update is not None:
            parts.append(self.per_update)
        return widgets.HBox(parts)


class Demo(widgets.VBox):
    """A demo's layout (display it), with handles on its logic and controls for scripts and tests.

    ``run`` is the plain-logic object, ``controls`` the widgets by name, ``canvas`` the figure
    (or None), ``lines`` the artists that move, ``status`` the message line, and ``update()``
    redraws from ``run``.
    """

    def __init__(
        self,
        name: str,
        run: Any,
        controls: dict[str, Any],
        status: Status,
        rows: list[widgets.Widget],
        update: Callable[..., None],
        canvas: Canvas | None = None,
        lines: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(children=rows)
        self.add_class("autograd-demo")  # CSS classes: what the browser test looks for
        self.name = name
        self.run = run
        self.controls = controls
        self.status = status
        self.canvas = canvas
        self.update = update
        self.lines = lines or {}

    @property
    def figure(self) -> Figure | None:
        """The demo's matplotlib figure (None for the computational graph, drawn as SVG)."""
        return self.canvas.figure if self.canvas is not None else None

    def __repr__(self) -> str:
        # Short and stable (no widget ids or image bytes): it is the text/plain of the cell.
        return f"<{self.name} demo: run this cell in Jupyter to use its controls>"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        """The widget itself; only the stable text when outputs are being saved headless.

        ``make notebooks`` and nbval set AUTOGRAD_COURSE_HEADLESS=1: a widget view there would
        store a random model id in the notebook, so saved chapters would change on every run.
        """
        if is_headless():
            return {"text/plain": repr(self)}
        return super()._repr_mimebundle_(**kwargs)
