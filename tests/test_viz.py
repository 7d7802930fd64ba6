"""autograd_course.viz: the drawn graph has the right nodes and edges, values and gradients."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np

import autograd_course as ac
from autograd_course import viz

SVG = "{http://www.w3.org/2000/svg}"


def _edges_by_name(graph: viz.Graph) -> list[tuple[str, str]]:
    """Edges as (source name, target name), sorted, for comparing with a hand-made list."""
    name = {node.id: node.name for node in graph.nodes}
    return sorted((name[src], name[dst]) for src, dst in graph.edges)


def _texts(svg: str) -> list[str]:
    return [el.text or "" for el in ET.fromstring(svg).iter(f"{SVG}text")]


def _cubic_graph():
    a = ac.tensor([5.0], requires_grad=True)
    b = ac.tensor([6.0], requires_grad=True)
    y = a**3 - b**2
    return a, b, y


def test_structure_of_a_cubed_minus_b_squared():
    a, b, y = _cubic_graph()
    graph = viz.draw_graph(y, names={a: "a", b: "b", y: "y"})
    kinds = sorted((node.kind, node.name) for node in graph.nodes)
    assert kinds == [
        ("leaf", "a"),
        ("leaf", "b"),
        ("op", "PowBackward0"),
        ("op", "PowBackward0"),
        ("op", "SubBackward0"),
        ("tensor", "y"),
    ]
    assert _edges_by_name(graph) == [
        ("PowBackward0", "SubBackward0"),
        ("PowBackward0", "SubBackward0"),
        ("SubBackward0", "y"),
        ("a", "PowBackward0"),
        ("b", "PowBackward0"),
    ]
    # a and b feed two different power nodes.
    ids = {node.name: node.id for node in graph.nodes if node.kind == "leaf"}
    targets = {dst for src, dst in graph.edges if src in (ids["a"], ids["b"])}
    assert len(targets) == 2


def test_fan_out_draws_one_leaf_with_two_edges():
    a = ac.tensor(2.0, requires_grad=True)
    b = a + a
    c = b + b
    graph = viz.draw_graph(b, names={a: "a", b: "b"})
    assert sorted(node.name for node in graph.nodes) == ["AddBackward0", "a", "b"]
    assert _edges_by_name(graph) == [
        ("AddBackward0", "b"),
        ("a", "AddBackward0"),
        ("a", "AddBackward0"),
    ]
    # b is known (named), so c's graph routes both uses of b through b's box.
    graph = viz.draw_graph(c, names={"a": a, "b": b, "c": c})
    assert [node.name for node in graph.nodes].count("a") == 1
    assert _edges_by_name(graph).count(("b", "AddBackward0")) == 2
    assert _edges_by_name(graph).count(("a", "AddBackward0")) == 2
    assert len(graph.edges) == 6  # a->+ twice, + -> b, b->+ twice, + -> c


def test_same_graph_gives_byte_identical_svg():
    a, b, y = _cubic_graph()
    first = viz.draw_graph(y, names={a: "a", b: "b"}).svg
    assert viz.draw_graph(y, names={a: "a", b: "b"}).svg == first
    # A graph built again from scratch (new objects, new memory addresses) draws the same.
    a2, b2, y2 = _cubic_graph()
    assert viz.draw_graph(y2, names={a2: "a", b2: "b"}).svg == first
    assert "0x" not in first


def test_values_and_gradients_appear_after_backward():
    a, b, y = _cubic_graph()
    before = viz.draw_graph(y, names={a: "a", b: "b", y: "y"})
    assert before.node("a").lines == ("a", "shape (1,)", "data [5]", "grad None")
    assert before.node("y").lines == ("y", "shape (1,)", "data [89]")  # 125 - 36
    y.backward()
    after = viz.draw_graph(y, names={a: "a", b: "b", y: "y"})
    # dy/da = 3 a^2 = 75, dy/db = -2 b = -12
    assert after.node("a").lines[-1] == "grad [75]"
    assert after.node("b").lines[-1] == "grad [-12]"
    assert "grad [75]" in _texts(after.svg) and "grad [-12]" in _texts(after.svg)
    hidden = viz.draw_graph(y, names={a: "a", b: "b"}, show_grad=False)
    assert not any(line.startswith("grad") for node in hidden.nodes for line in node.lines)


def test_intermediate_tensor_grad_shown_after_retain_grad():
    x = ac.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3.0
    h.retain_grad()
    loss = (h * h).sum()
    loss.backward()
    graph = viz.draw_graph(loss, names={x: "x", h: "h", loss: "loss"})
    # loss = sum(9 x^2): dloss/dh = 2h = [6, 12], dloss/dx = 18x = [18, 36]
    assert graph.node("h").lines == ("h", "shape (2,)", "data [3, 6]", "grad [6, 12]")
    assert graph.node("x").lines[-1] == "grad [18, 36]"
    assert graph.node("loss").lines == ("loss", "scalar", "data 45")
    # Passing the tensor without a name still shows its value, under a short name.
    graph = viz.draw_graph(loss, tensors=[h])
    assert ("tensor", "data [3, 6]") in {
        (n.kind, n.lines[2]) for n in graph.nodes if n.kind != "op"
    }


def test_unnamed_leaves_get_short_names_and_output_is_labelled():
    w = ac.tensor([[1.0, 2.0]], requires_grad=True)
    b = ac.tensor([0.5], requires_grad=True)
    x = ac.tensor([[3.0], [4.0]])
    out = (w @ x + b).sum()
    graph = viz.draw_graph(out)
    leaves = [node.name for node in graph.nodes if node.kind == "leaf"]
    assert sorted(leaves) == ["t1", "t2"]
    assert graph.node("output").lines[2] == "data 11.5"  # 1*3 + 2*4 + 0.5


def test_large_tensors_are_summarised():
    ac.manual_seed(0)
    v = ac.randn(1000, requires_grad=True)
    graph = viz.draw_graph((v * 2).sum(), names={v: "v"})
    values = v.detach().numpy().astype(np.float64)
    line = graph.node("v").lines[2]
    assert line == f"data min {values.min():.4g}, mean {values.mean():.4g}, max {values.max():.4g}"


def test_svg_is_valid_xml_with_escaped_labels():
    a, b, y = _cubic_graph()
    graph = viz.draw_graph(y, names={a: "a<1>", b: "b & c"})
    root = ET.fromstring(graph._repr_svg_())
    assert root.tag == f"{SVG}svg"
    assert "a<1>" in _texts(graph.svg) and "b & c" in _texts(graph.svg)
    assert "SubBackward0" in _texts(graph.svg)
    assert len(root.findall(f"{SVG}g")) == len(graph.nodes)
    assert repr(graph) == "<Graph: 3 operations, 3 other nodes>"


def test_ten_thousand_op_chain_is_drawn_and_summarised():
    x = ac.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(10_000):
        y = y * 1.0
    graph = viz.draw_graph(y, names={x: "x"}, max_nodes=200)
    ops = [node for node in graph.nodes if node.kind == "op"]
    assert len(ops) == 200
    more = graph.node("more")
    assert more.lines[0] == "… 9,801 more"  # 10,000 ops + the leaf, minus 200 drawn
    assert graph.note is not None and "10,001 nodes" in graph.note
    assert graph.note in _texts(graph.svg)
    # The summary node feeds the earliest drawn operation.
    assert sum(src == more.id for src, _ in graph.edges) == 1
    ET.fromstring(graph.svg)


def test_tensor_without_graph_is_drawn_with_a_note():
    a = ac.tensor(3.0, requires_grad=True)
    with ac.no_grad():
        y = a * 2
    graph = viz.draw_graph(y, names={y: "y"})
    assert [node.name for node in graph.nodes] == ["y"]
    assert "requires_grad=False" in graph.note
    graph = viz.draw_graph(a)
    assert graph.nodes[0].kind == "leaf" and "leaf" in graph.note


def _png_pixels(data: bytes) -> np.ndarray:
    import io

    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def test_display_bundle_has_a_png_of_the_same_drawing_for_untrusted_notebooks():
    a, b, y = _cubic_graph()
    graph = viz.draw_graph(y, names={a: "a", b: "b", y: "y"})
    data, metadata = graph._repr_mimebundle_()
    assert data["image/svg+xml"] == graph.svg
    assert data["text/plain"] == repr(graph)
    root = ET.fromstring(graph.svg)
    width, height = int(root.get("width")), int(root.get("height"))
    assert metadata == {"image/png": {"width": width, "height": height}}
    pixels = _png_pixels(data["image/png"])
    assert pixels.shape == (2 * height, 2 * width, 3)  # twice the pixels, shown at SVG size
    # Each box's fill colour is where the SVG puts that box (inside its left edge, mid-height).
    fills = {"leaf": (0xDB, 0xEA, 0xFE), "tensor": (0xDC, 0xFC, 0xE7)}
    boxes = 0
    for group in root.iter(f"{SVG}g"):
        rect = group.find(f"{SVG}rect")
        if rect is None or group.get("class") not in fills:
            continue
        x = float(rect.get("x")) + 4
        mid = float(rect.get("y")) + float(rect.get("height")) / 2
        colour = pixels[round(2 * mid), round(2 * x)]
        assert np.abs(colour.astype(int) - fills[group.get("class")]).max() <= 6, colour
        boxes += 1
    assert boxes == 3  # a, b and y
    # The white background everywhere the SVG draws nothing (the top-left margin).
    assert (pixels[:10, :10] == 255).all()
    assert graph.png() == data["image/png"]  # deterministic, like the SVG


def test_every_stored_picture_has_a_png_a_fresh_clone_can_show():
    """JupyterLab shows no stored SVG or HTML of an untrusted notebook: a PNG must sit beside it."""
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    pictures = 0
    for path in sorted([*root.glob("chapters/*.ipynb"), *root.glob("solutions/*.ipynb")]):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for number, cell in enumerate(cells):
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if "image/svg+xml" in data:
                    assert "image/png" in data, f"{path.name} cell {number}: SVG without PNG"
                pictures += "image/png" in data
    assert pictures > 0
