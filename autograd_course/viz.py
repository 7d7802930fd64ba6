"""Draw a computational graph as inline SVG, so students can see what autograd recorded.

``draw_graph(y)`` walks the graph backwards from ``y.grad_fn`` (the same walk ``backward``
does), lays the nodes out from left (leaves) to right (output) and returns a ``Graph`` that
Jupyter shows as a picture. No Graphviz program is needed, and the SVG is deterministic:
the same graph gives byte-identical output, so notebooks that show it validate under nbval.
The display bundle holds a PNG of the same drawing too (matplotlib draws the SVG's shapes):
JupyterLab shows no stored SVG in a notebook it does not trust, such as a fresh clone's, and
shows the PNG there instead.

What is drawn:

* blue boxes: leaf tensors that require grad (what ``backward`` fills ``.grad`` of);
* orange ovals: operations, named as ``grad_fn`` names them (``MulBackward0``, ...);
* green boxes: tensors an operation produced. The graph itself only stores operations, so
  an intermediate tensor is shown only when you pass it (``names=`` or ``tensors=``);
  the output is always shown. A non-leaf's ``.grad`` exists only after ``retain_grad()``.
"""

from __future__ import annotations

import io
import re
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["Graph", "Node", "draw_graph"]

# Friendly symbols for the operations the course uses; other names get a generic label.
_OP_SYMBOLS = {
    "Add": "+",
    "Sub": "−",
    "Rsub": "−",
    "Mul": "×",
    "Div": "÷",
    "Pow": "**",
    "Neg": "−x",
    "Mm": "@",
    "Mv": "@",
    "Dot": "@",
    "Bmm": "@",
    "Matmul": "@",
    "Addmm": "x@W+b",
    "Sum": "Σ",
    "Mean": "mean",
    "Exp": "exp",
    "Log": "log",
    "Sqrt": "√",
    "Square": "x²",
    "Abs": "|x|",
    "Sin": "sin",
    "Cos": "cos",
    "Tanh": "tanh",
    "Sigmoid": "σ",
    "Relu": "relu",
    "Clamp": "clamp",
    "Maximum": "max",
    "Minimum": "min",
    "Max": "max",
    "Min": "min",
    "Where": "where",
    "Cat": "cat",
    "Stack": "stack",
    "Index": "[ ]",
    "View": "view",
    "Reshape": "reshape",
    "UnsafeView": "view",
    "Expand": "expand",
    "T": "ᵀ",
    "Transpose": "ᵀ",
    "Permute": "permute",
    "Squeeze": "squeeze",
    "Unsqueeze": "unsqueeze",
    "Clone": "clone",
    "Softmax": "softmax",
    "LogSoftmax": "log_softmax",
    "MseLoss": "MSE",
    "L1Loss": "L1",
    "BinaryCrossEntropy": "BCE",
    "BinaryCrossEntropyWithLogits": "BCE",
}

# Drawing constants (pixels). Text is monospace, so a line's width is its length times _CHAR_W.
_FONT = 12
_CHAR_W = 7.3
_LINE_H = 16
_PAD = 8
_COL_GAP = 56
_ROW_GAP = 18
_MARGIN = 16
_FILL = {"leaf": "#dbeafe", "tensor": "#dcfce7", "op": "#fed7aa", "more": "#f3f4f6"}
_STROKE = {"leaf": "#1d4ed8", "tensor": "#15803d", "op": "#c2410c", "more": "#6b7280"}


@dataclass(frozen=True)
class Node:
    """One drawn node: a tensor box, an operation, or the summary of what was left out."""

    id: str  # "n0", "n1", ... in the order the walk met the node (never a memory address)
    kind: str  # "leaf", "tensor", "op" or "more"
    name: str  # a tensor's label, an operation's grad_fn name, or "more"
    lines: tuple[str, ...]  # the text drawn inside the node, top to bottom


@dataclass(frozen=True)
class Graph:
    """A drawn graph: ``nodes``, ``edges`` (source id, target id), an optional ``note``, ``svg``."""

    nodes: tuple[Node, ...]
    edges: tuple[tuple[str, str], ...]
    note: str | None
    svg: str

    def _repr_svg_(self) -> str:
        """The graph as SVG (what a trusted notebook shows)."""
        return self.svg

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        """SVG and PNG of the graph, so an untrusted notebook (a fresh clone) shows it too.

        The PNG has twice the pixels, shown at the SVG's size (sharp on high-DPI screens).
        """
        width, height = _svg_size(self.svg)
        data = {"image/svg+xml": self.svg, "image/png": self.png(), "text/plain": repr(self)}
        return data, {"image/png": {"width": width, "height": height}}

    def png(self, scale: int = 2) -> bytes:
        """The same drawing as PNG bytes, ``scale`` pixels per SVG unit."""
        return _png_from_svg(self.svg, scale)

    def __repr__(self) -> str:
        ops = sum(node.kind == "op" for node in self.nodes)
        return f"<Graph: {ops} operations, {len(self.nodes) - ops} other nodes>"

    def node(self, name: str) -> Node:
        """The first node called ``name`` (a tensor label or a grad_fn name)."""
        for node in self.nodes:
            if node.name == name:
                return node
        raise KeyError(f"no node named {name!r}; names: {[n.name for n in self.nodes]}")

    def save(self, path: str | Path) -> None:
        """Write the SVG to a file, e.g. to put the picture on a slide."""
        Path(path).write_text(self.svg, encoding="utf-8")


def draw_graph(
    output: Any,
    *,
    show_grad: bool = True,
    names: Mapping[Any, str] | None = None,
    tensors: Iterable[Any] = (),
    max_nodes: int = 200,
) -> Graph:
    """Draw the graph that produced ``output`` as SVG (shown inline in Jupyter).

    ``names`` labels tensors, e.g. ``{a: "a", b: "b"}`` (``{"a": a}`` works too); unnamed
    leaves get short names t1, t2, ... ``tensors`` lists intermediate tensors to show with their
    values (named ones are shown already). ``show_grad`` adds ``.grad`` where it exists.
    Graphs larger than ``max_nodes`` nodes are cut: the nodes nearest the output are drawn and
    the rest is summarised in one grey node.
    """
    if max_nodes < 1:
        raise ValueError(f"max_nodes must be at least 1, got {max_nodes}")
    labels = _labels_by_id(names)
    known = {id(t): t for t in tensors}
    known.update({key: t for key, (t, _) in labels.items()})
    known[id(output)] = output
    # The graph stores operations only; a known tensor is found again through its grad_fn.
    output_of = {id(t.grad_fn): t for t in known.values() if t.grad_fn is not None}

    builder = _Builder(labels, show_grad)
    if output.grad_fn is None:
        builder.add_tensor(output, default="output")
        why = "a leaf" if output.requires_grad else "requires_grad=False: nothing was recorded"
        note = f"No graph: this tensor is {why}."
        return builder.finish(note)

    walk = _walk(output.grad_fn)
    kept = walk.order[:max_nodes]
    # source[id(fn)]: the node an edge out of fn starts from (its output box when drawn).
    source: dict[int, str] = {}
    for fn in kept:
        if _is_accumulate(fn):
            source[id(fn)] = builder.add_tensor(fn.variable)
            continue
        source[id(fn)] = builder.add_op(fn)
        result = output_of.get(id(fn))
        if result is not None:
            box = builder.add_tensor(result, default="output" if result is output else None)
            builder.edges.append((source[id(fn)], box))
            source[id(fn)] = box

    note = None
    left_out = len(walk.order) - len(kept)
    if left_out:
        more = builder.add_more(left_out)
        note = (
            f"Large graph: {len(walk.order):,} nodes; the {len(kept):,} nearest the output "
            f"are drawn (draw_graph(..., max_nodes=N) draws more)."
        )
    # Edges run forward, input -> operation, in the order next_functions lists the inputs.
    fed_by_more: set[str] = set()
    for fn in kept:
        if _is_accumulate(fn):
            continue
        target = builder.op_ids[id(fn)]
        for parent in walk.inputs[id(fn)]:
            if parent in source:
                builder.edges.append((source[parent], target))
            elif target not in fed_by_more:
                fed_by_more.add(target)
                builder.edges.append((more, target))
    return builder.finish(note)


# ----------------------------------------------------------------------------------------------
# Walking the graph


@dataclass
class _Walk:
    order: list[Any]  # every node once, breadth first from the output (nearest first)
    inputs: dict[int, list[int]]  # id(node) -> ids of its input nodes, one per use


def _is_accumulate(fn: Any) -> bool:
    """An AccumulateGrad node stands for a leaf tensor (its ``.variable``)."""
    return hasattr(fn, "variable")


def _key(fn: Any) -> int:
    """Identity of a node; AccumulateGrad nodes are merged by the leaf they stand for."""
    return id(fn.variable) if _is_accumulate(fn) else id(fn)


def _walk(root: Any) -> _Walk:
    """Breadth-first walk over ``next_functions`` with an explicit queue (no recursion)."""
    order: list[Any] = []
    inputs: dict[int, list[int]] = {}
    seen: set[int] = {_key(root)}
    queue = [root]
    head = 0
    while head < len(queue):
        fn = queue[head]
        head += 1
        order.append(fn)
        inputs[id(fn)] = []
        for parent, _ in getattr(fn, "next_functions", ()):
            if parent is None:
                continue  # an input that does not require grad: nothing recorded for it
            key = _key(parent)
            if key not in seen:
                seen.add(key)
                queue.append(parent)
            inputs[id(fn)].append(key)
    # Inputs were recorded by key; map keys back to the kept node objects' ids.
    by_key = {_key(fn): id(fn) for fn in order}
    for fn_id, keys in inputs.items():
        inputs[fn_id] = [by_key[k] for k in keys]
    return _Walk(order, inputs)


def _labels_by_id(names: Mapping[Any, str] | None) -> dict[int, tuple[Any, str]]:
    """Accept ``{tensor: "label"}`` or ``{"label": tensor}``; key the result by tensor id."""
    labels: dict[int, tuple[Any, str]] = {}
    for key, value in (names or {}).items():
        tensor, label = (value, key) if isinstance(key, str) else (key, value)
        labels[id(tensor)] = (tensor, str(label))
    return labels


# ----------------------------------------------------------------------------------------------
# Text inside the nodes


def _fmt(x: float) -> str:
    """A number with 4 significant digits (and no "-0")."""
    return f"{float(x) + 0.0:.4g}"


def _fmt_array(values: np.ndarray) -> str:
    """Small arrays in full (4 significant digits), large ones as min / mean / max."""
    if values.ndim == 0:
        return _fmt(values)
    if values.size <= 6:
        if values.ndim == 1:
            return "[" + ", ".join(_fmt(v) for v in values) + "]"
        return "[" + ", ".join(_fmt_array(row) for row in values) + "]"
    flat = values.astype(np.float64).ravel()
    return f"min {_fmt(flat.min())}, mean {_fmt(flat.mean())}, max {_fmt(flat.max())}"


def _values(tensor: Any) -> np.ndarray:
    """A tensor's values as a NumPy array, without touching the graph."""
    return np.asarray(tensor.detach().numpy())


def _grad_of(tensor: Any) -> Any:
    """``tensor.grad`` without the warning reading a non-leaf's grad gives."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return tensor.grad


def _shape(tensor: Any) -> str:
    dims = tuple(tensor.shape)
    return "scalar" if not dims else f"shape {dims}"


class _Builder:
    """Collects nodes and edges in a deterministic order, then lays them out as SVG."""

    def __init__(self, labels: dict[int, tuple[Any, str]], show_grad: bool) -> None:
        self.labels = labels
        self.show_grad = show_grad
        self.nodes: list[Node] = []
        self.edges: list[tuple[str, str]] = []
        self.op_ids: dict[int, str] = {}
        self._unnamed = 0

    def _add(self, kind: str, name: str, lines: list[str]) -> str:
        node = Node(f"n{len(self.nodes)}", kind, name, tuple(lines))
        self.nodes.append(node)
        return node.id

    def add_tensor(self, tensor: Any, default: str | None = None) -> str:
        if id(tensor) in self.labels:
            label = self.labels[id(tensor)][1]
        elif default is not None:
            label = default
        else:
            self._unnamed += 1
            label = f"t{self._unnamed}"
        lines = [label, _shape(tensor), "data " + _fmt_array(_values(tensor))]
        if self.show_grad:
            grad = _grad_of(tensor)
            if grad is not None:
                lines.append("grad " + _fmt_array(_values(grad)))
            elif tensor.is_leaf and tensor.requires_grad:
                lines.append("grad None")
        kind = "leaf" if tensor.is_leaf else "tensor"
        return self._add(kind, label, lines)

    def add_op(self, fn: Any) -> str:
        name = fn.name() if callable(getattr(fn, "name", None)) else type(fn).__name__
        base = name.split("Backward")[0]
        symbol = _OP_SYMBOLS.get(base, base.lower() or name)
        exponent = getattr(fn, "exponent", None)  # x ** 3 and x ** 2 should not look alike
        if exponent is not None:
            symbol = f"{symbol} {exponent:g}"
        node_id = self._add("op", name, [symbol, name])
        self.op_ids[id(fn)] = node_id
        return node_id

    def add_more(self, count: int) -> str:
        return self._add("more", "more", [f"… {count:,} more", "nodes not drawn"])

    def finish(self, note: str | None) -> Graph:
        svg = _render(self.nodes, self.edges, note)
        return Graph(tuple(self.nodes), tuple(self.edges), note, svg)


# ----------------------------------------------------------------------------------------------
# Layout and SVG


def _layers(nodes: list[Node], edges: list[tuple[str, str]]) -> list[list[str]]:
    """Split the nodes into columns (inputs left of their operations), ordered top to bottom."""
    preds: dict[str, list[str]] = {n.id: [] for n in nodes}
    succs: dict[str, list[str]] = {n.id: [] for n in nodes}
    for src, dst in edges:
        preds[dst].append(src)
        succs[src].append(dst)
    # Longest path from the sources (Kahn's algorithm: a node gets its column once all its
    # inputs have one), so every edge points right.
    waiting = {n.id: len(set(preds[n.id])) for n in nodes}
    column = {n.id: 0 for n in nodes}
    ready = [n.id for n in nodes if waiting[n.id] == 0]
    topo: list[str] = []
    while ready:
        node = ready.pop()
        topo.append(node)
        for nxt in dict.fromkeys(succs[node]):
            column[nxt] = max(column[nxt], column[node] + 1)
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                ready.append(nxt)
    # Then move each node right, next to its first consumer: a leaf used only at the end
    # (a bias) sits beside the operation that uses it instead of far away on the left.
    for node in reversed(topo):
        if succs[node]:
            column[node] = min(column[s] for s in succs[node]) - 1
    layers: list[list[str]] = [[] for _ in range(max(column.values()) + 1)]
    walk_order = {n.id: i for i, n in enumerate(nodes)}
    for node_id in sorted(column, key=walk_order.__getitem__):
        layers[column[node_id]].append(node_id)
    # Order each column by the average row of its neighbours (the barycenter heuristic):
    # a sweep left to right, one back, one more forward. This keeps edges short and uncrossed.
    row = {n: (i + 0.5) / len(layer) for layer in layers for i, n in enumerate(layer)}
    for neighbours, order in ((preds, layers), (succs, layers[::-1]), (preds, layers)):
        for layer in order:
            layer.sort(key=lambda n: _mean([row[m] for m in neighbours[n]], default=row[n]))
            row.update({n: (i + 0.5) / len(layer) for i, n in enumerate(layer)})
    return layers


def _mean(values: list[float], default: float) -> float:
    return sum(values) / len(values) if values else default


def _render(nodes: list[Node], edges: list[tuple[str, str]], note: str | None) -> str:
    """Place nodes column by column and write the SVG text (integer coordinates only)."""
    by_id = {n.id: n for n in nodes}
    size = {
        n.id: (round(max(len(line) for line in n.lines) * _CHAR_W + 2 * _PAD),
               len(n.lines) * _LINE_H + 2 * _PAD)
        for n in nodes
    }  # fmt: skip
    for n in nodes:
        if n.kind == "op":  # ovals need room at the ends
            w, h = size[n.id]
            size[n.id] = (w + 16, h)
    layers = _layers(nodes, edges)
    heights = [sum(size[n][1] for n in layer) + _ROW_GAP * (len(layer) - 1) for layer in layers]
    top = _MARGIN + (_LINE_H + _PAD if note else 0)
    height = max(heights) + top + _MARGIN
    pos: dict[str, tuple[int, int]] = {}
    column: dict[str, tuple[int, int]] = {}  # left and right end of each node's column
    x = _MARGIN
    for layer, layer_h in zip(layers, heights, strict=True):
        col_w = max(size[n][0] for n in layer)
        y = top + (max(heights) - layer_h) // 2
        for node_id in layer:
            w, h = size[node_id]
            pos[node_id] = (x + (col_w - w) // 2, y)
            column[node_id] = (x, x + col_w)
            y += h + _ROW_GAP
        x += col_w + _COL_GAP
    width = x - _COL_GAP + _MARGIN
    if note:
        width = max(width, round(len(note) * _CHAR_W) + 2 * _MARGIN)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" style="max-width:100%;height:auto" '
        f'font-family="monospace" font-size="{_FONT}">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
    ]
    if note:
        out.append(
            f'<text x="{_MARGIN}" y="{_MARGIN + _FONT}" fill="#374151">{escape(note)}</text>'
        )
    out.extend(_edge_svg(edges, pos, size, column))
    for node_id, (nx, ny) in pos.items():
        out.append(_node_svg(by_id[node_id], nx, ny, *size[node_id]))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _edge_svg(
    edges: list[tuple[str, str]],
    pos: dict[str, tuple[int, int]],
    size: dict[str, tuple[int, int]],
    column: dict[str, tuple[int, int]],
) -> list[str]:
    """Curves from each input's right side to the operation's left side, with an arrowhead.

    An edge runs straight out to the edge of its node's column and curves only in the gap
    between columns, so it never crosses a wider node of the same column. Edges leaving or
    entering the same node are spread out vertically, so an input used twice by one operation
    (``a + a``) shows two curves: in backward both uses send a gradient.
    """
    mid = {n: pos[n][1] + size[n][1] / 2 for n in pos}
    # Rank edges at each end by the row of the node at the other end, so curves don't cross.
    out_rank = _ranks(edges, end=0, other=lambda e: mid[e[1]])
    in_rank = _ranks(edges, end=1, other=lambda e: mid[e[0]])
    out = []
    for i, (src, dst) in enumerate(edges):
        (sx, sy), (sw, sh) = pos[src], size[src]
        (dx, dy), dh = pos[dst], size[dst][1]
        x1, y1 = sx + sw, sy + sh // 2 + _spread(*out_rank[i], sh)
        x2, y2 = dx - 1, dy + dh // 2 + _spread(*in_rank[i], dh)
        gap_start, gap_end = column[src][1], column[dst][0]
        bend = max(20, (gap_end - gap_start) // 2)
        out.append(
            f'<path d="M{x1},{y1} H{gap_start} C{gap_start + bend},{y1} {gap_end - bend},{y2} '
            f'{gap_end},{y2} H{x2 - 7}" fill="none" stroke="#4b5563" stroke-width="1.3"/>'
        )
        out.append(
            f'<polygon points="{x2},{y2} {x2 - 8},{y2 - 4} {x2 - 8},{y2 + 4}" fill="#4b5563"/>'
        )
    return out


def _ranks(edges: list[tuple[str, str]], end: int, other: Any) -> dict[int, tuple[int, int]]:
    """For each edge: (its position, the count) among the edges sharing its node at ``end``."""
    groups: dict[str, list[int]] = {}
    for i, edge in enumerate(edges):
        groups.setdefault(edge[end], []).append(i)
    ranks = {}
    for members in groups.values():
        members.sort(key=lambda i: (other(edges[i]), i))
        for rank, i in enumerate(members):
            ranks[i] = (rank, len(members))
    return ranks


def _spread(rank: int, count: int, height: int) -> int:
    """Vertical offset of the rank-th of count edge ends on a node side of this height."""
    step = min(10.0, (height - 12) / count)
    return round((rank - (count - 1) / 2) * step)


def _node_svg(node: Node, x: int, y: int, w: int, h: int) -> str:
    """One node: its shape and its lines of text (the first line bold)."""
    fill, stroke = _FILL[node.kind], _STROKE[node.kind]
    if node.kind == "op":
        shape = (
            f'<ellipse cx="{x + w // 2}" cy="{y + h // 2}" rx="{w // 2}" ry="{h // 2}" '
            f'fill="{fill}" stroke="{stroke}"/>'
        )
    else:
        dash = ' stroke-dasharray="4 3"' if node.kind == "more" else ""
        shape = (
            f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="6" '
            f'fill="{fill}" stroke="{stroke}"{dash}/>'
        )
    parts = [f'<g class="{node.kind}">', f"<title>{escape(node.name)}</title>", shape]
    for i, line in enumerate(node.lines):
        weight = ' font-weight="bold"' if i == 0 else ""
        ty = y + _PAD + _FONT + i * _LINE_H
        parts.append(
            f'<text x="{x + w // 2}" y="{ty}" text-anchor="middle"{weight}>{escape(line)}</text>'
        )
    parts.append("</g>")
    return "\n".join(parts)


# ----------------------------------------------------------------------------------------------
# The PNG: matplotlib draws the shapes of the SVG above (the few kinds _render writes)

_NS = "{http://www.w3.org/2000/svg}"


def _svg_size(svg: str) -> tuple[int, int]:
    root = ET.fromstring(svg)
    return int(root.get("width", "0")), int(root.get("height", "0"))


def _path_vertices(d: str) -> tuple[list[tuple[float, float]], list[int]]:
    """Vertices and codes of an absolute ``M x,y H x C x,y x,y x,y`` path (what _edge_svg writes)."""
    from matplotlib.path import Path as MplPath

    vertices: list[tuple[float, float]] = []
    codes: list[int] = []
    for command, args in re.findall(r"([MHC])([^MHC]*)", d):
        numbers = [float(v) for v in re.split(r"[ ,]+", args.strip()) if v]
        if command == "H":
            vertices.append((numbers[0], vertices[-1][1]))
            codes.append(MplPath.LINETO)
        else:
            points = list(zip(numbers[::2], numbers[1::2], strict=True))
            vertices.extend(points)
            codes.extend([MplPath.MOVETO] if command == "M" else [MplPath.CURVE4] * 3)
    return vertices, codes


def _png_from_svg(svg: str, scale: int) -> bytes:
    """Draw the rectangles, ellipses, paths, polygons and texts of ``svg`` into a PNG."""
    from matplotlib import patches
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.path import Path as MplPath
    from PIL import Image as PILImage

    width, height = _svg_size(svg)
    # 72 dots per inch at scale 1: one SVG pixel is one point (font sizes and line widths).
    figure = Figure(figsize=(width / 72, height / 72), dpi=72 * scale, facecolor="white")
    FigureCanvasAgg(figure)
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)  # SVG's y axis points down
    root = ET.fromstring(svg)
    font_size = float(root.get("font-size", "12"))
    for element in root.iter():
        tag = element.tag.removeprefix(_NS)
        get = element.get
        line = {
            "facecolor": get("fill", "none"),
            "edgecolor": get("stroke", "none"),
            "linewidth": 1,
        }
        if tag == "rect":
            x, y = float(get("x", "0")), float(get("y", "0"))
            w, h = float(get("width")), float(get("height"))
            style = f"round,pad=0,rounding_size={get('rx', '0')}" if get("rx") else "square,pad=0"
            dash = (0, (4, 3)) if get("stroke-dasharray") else "solid"
            ax.add_patch(
                patches.FancyBboxPatch((x, y), w, h, boxstyle=style, linestyle=dash, **line)
            )
        elif tag == "ellipse":
            cx, cy = float(get("cx")), float(get("cy"))
            rx, ry = float(get("rx")), float(get("ry"))
            ax.add_patch(patches.Ellipse((cx, cy), 2 * rx, 2 * ry, **line))
        elif tag == "path":
            vertices, codes = _path_vertices(get("d"))
            line["linewidth"] = float(get("stroke-width", "1"))
            ax.add_patch(patches.PathPatch(MplPath(vertices, codes), **line))
        elif tag == "polygon":
            points = [tuple(map(float, p.split(","))) for p in get("points").split()]
            line["linewidth"] = 0
            ax.add_patch(patches.Polygon(points, closed=True, **line))
        elif tag == "text":
            anchor = {"middle": "center", "end": "right"}.get(get("text-anchor", ""), "left")
            ax.text(
                float(get("x")), float(get("y")), element.text or "", ha=anchor, va="baseline",
                family="DejaVu Sans Mono", fontsize=font_size, color=get("fill", "black"),
                fontweight="bold" if get("font-weight") == "bold" else "normal",
            )  # fmt: skip
    with warnings.catch_warnings():  # a glyph the font lacks is left out, not an error
        warnings.simplefilter("ignore")
        figure.canvas.draw()
    rgba = PILImage.frombuffer(
        "RGBA", figure.canvas.get_width_height(), figure.canvas.buffer_rgba()
    )
    # 64 colours hold the few fills and the anti-aliased text: a quarter of the bytes.
    buffer = io.BytesIO()
    rgba.convert("RGB").quantize(64, method=PILImage.Quantize.MEDIANCUT).save(buffer, "png")
    return buffer.getvalue()
