"""The course in a real browser: `autograd-course lab` served on loopback, headless Chromium.

For each chapter, as a student would meet it in a fresh clone: open it as saved (untrusted;
every stored figure and graph visible as a picture, no error output), Run All from the Run
menu (timed), then each instructor demo: Step is clicked again and again (the image must
change; click-to-new-image times are printed), and a bad learning rate is typed (a message
appears; after a good one the demo steps again). Run with `make test-browser`.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .webdriver import ENTER, SELECT_ALL, Browser, find_browser, free_port

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = sorted(p.name for p in (ROOT / "chapters").glob("*.ipynb"))
CLICKS = 20  # Step clicks timed per demo
TARGET_MS = 150  # p90 click-to-new-image the demos aim for (printed against each demo)
# What fails the test: a p90 this far above the target is a regression, not machine load
# (measured: p90 130-290 ms at load 4-8 on 2 cores). AUTOGRAD_COURSE_CLICK_LIMIT_MS=150 makes
# the target itself the limit, for a quiet machine.
LIMIT_MS = float(os.environ.get("AUTOGRAD_COURSE_CLICK_LIMIT_MS", 3 * TARGET_MS))
APP = "const panel = jupyterapp.shell.currentWidget;"


@pytest.fixture(scope="module")
def browser_paths() -> tuple[str, str]:
    found = find_browser()
    if found is None:
        pytest.skip(
            "no Chromium and chromedriver found (Debian/Ubuntu: apt-get install chromium "
            "chromium-driver; or set CHROME_BIN and CHROMEDRIVER)"
        )
    return found


@pytest.fixture(scope="module")
def lab(tmp_path_factory, browser_paths):
    """`autograd-course lab` on a copy of the course (Run All saves there), random port and token."""
    home = tmp_path_factory.mktemp("lab")
    course = home / "course"
    subprocess.run(
        [sys.executable, "-m", "autograd_course", "copy", str(course)],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    config = home / "config"
    config.mkdir()
    # window.jupyterapp: the test reads the notebook's model (trust, outputs, kernel status).
    (config / "jupyter_server_config.json").write_text(
        json.dumps({"LabApp": {"expose_app_in_browser": True}}), encoding="utf-8"
    )
    token = secrets.token_hex(16)
    env = {k: v for k, v in os.environ.items() if k not in ("AUTOGRAD_COURSE_HEADLESS", "DISPLAY")}
    env.update(
        JUPYTER_TOKEN=token, JUPYTER_CONFIG_DIR=str(config), JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"), JUPYTERLAB_WORKSPACES_DIR=str(home / "ws"),
    )  # fmt: skip
    port = free_port()
    log = (home / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "autograd_course", "lab", str(course), "--port", str(port),
         "--ip", "127.0.0.1", "--no-browser"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for_server(base, token, server)
        yield {"base": base, "token": token, "course": course, "log": home / "server.log"}
    finally:
        server.terminate()  # the command stops the Jupyter server it started
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        with contextlib.suppress(ProcessLookupError):  # whatever is left of its process group
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


def _wait_for_server(base: str, token: str, server: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.poll() is None, "autograd-course lab exited"
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"the server did not answer within {timeout} s")


def _api(lab, method: str, path: str):
    request = urllib.request.Request(f"{lab['base']}{path}", method=method)
    request.add_header("Authorization", f"token {lab['token']}")
    with urllib.request.urlopen(request, timeout=30) as reply:
        body = reply.read()
    return json.loads(body) if body else None


@pytest.fixture(scope="module")
def browser(browser_paths):
    chrome = Browser(*browser_paths)
    try:
        yield chrome
    finally:
        chrome.close()


def _stored_pictures(path: Path) -> int:
    """How many outputs of the saved notebook are pictures (PNG or SVG)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return sum(
        1
        for cell in cells
        for output in cell.get("outputs", [])
        if {"image/png", "image/svg+xml"} & set(output.get("data", {}))
    )


_STATE = (
    APP
    + """
const cells = panel.content.widgets;
const code = cells.filter(c => c.model.type === 'code');
const errors = [];
code.forEach((c, i) => {
  const tags = c.model.getMetadata('tags') || [];
  for (const o of c.model.outputs.toJSON()) {
    if (o.output_type === 'error' && !tags.includes('raises-exception'))
      errors.push(`code cell ${i}: ${o.ename}: ${o.evalue}`);
    if (o.output_type === 'stream' && o.name === 'stderr' && /Traceback|Error/.test(o.text))
      errors.push(`code cell ${i} (stderr): ${String(o.text).slice(0, 300)}`);
  }
});
const pictures = [...panel.node.querySelectorAll(
  '.jp-RenderedImage img, .jp-RenderedSVG svg, .jp-RenderedSVG img')];
const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
return {
  trusted: code.filter(c => c.model.outputs.length && c.model.trusted).length,
  withOutputs: code.filter(c => c.model.outputs.length).length,
  errors,
  pictures: pictures.length,
  broken: pictures.filter(p => p.tagName === 'IMG' && !(p.complete && p.naturalWidth > 0)).length,
  mimes: [...panel.node.querySelectorAll('.jp-OutputArea-output[data-mime-type^="image/"]')]
    .map(e => e.dataset.mimeType),
  graphText: [...panel.node.querySelectorAll('.jp-OutputArea-output')]
    .filter(e => /<Graph: /.test(e.textContent)).length,
  widgetErrors: [...panel.node.querySelectorAll('.jp-OutputArea-output')]
    .filter(e => /Error displaying widget|Failed to load model/.test(e.textContent)).length,
  busy: code.filter(c => /\\*/.test(c.promptNode ? c.promptNode.textContent : '')).length,
  unrun: code.filter(c => c.model.executionCount === null).length,
  kernel: kernel ? kernel.status : 'none',
};
"""
)


def _open(browser: Browser, lab, chapter: str) -> None:
    browser.get(f"{lab['base']}/lab/tree/chapters/{chapter}?reset&token={lab['token']}")
    browser.wait(
        "const p = window.jupyterapp && jupyterapp.shell.currentWidget;"
        "return !!(p && p.context && p.context.isReady && p.content.widgets.length"
        f" && p.title.label === {json.dumps(chapter)});",
        timeout=180, what=f"{chapter} to open",
    )  # fmt: skip


def _kernel_idle(browser: Browser, timeout: float = 180) -> None:
    browser.wait(
        APP + "const k = panel.sessionContext.session && panel.sessionContext.session.kernel;"
        "return !!k && k.status === 'idle';",
        timeout=timeout, what="the kernel to be idle",
    )  # fmt: skip


def _run_all_from_menu(browser: Browser) -> float:
    """Run > Run All Cells, clicked; seconds until every cell has run and the kernel is idle."""
    browser.click(
        browser.find("//div[contains(@class,'lm-MenuBar-itemLabel') and text()='Run']", "xpath")
    )
    item = browser.find("li.lm-Menu-item[data-command='runmenu:run-all']")
    start = time.monotonic()
    browser.click(item)
    browser.wait(
        f"const s = (() => {{ {_STATE} }})(); return s.busy === 0 && s.unrun === 0"
        " && s.kernel === 'idle';",
        timeout=600, what="Run All to finish",
    )  # fmt: skip
    return time.monotonic() - start


_CLICK = """
const [index, done] = arguments;
const demo = document.querySelectorAll('.autograd-demo')[index];
const img = demo.querySelector('.autograd-demo-image');
const before = img.src;
const timer = setTimeout(() => { observer.disconnect(); done({timeout: true}); }, 20000);
const observer = new MutationObserver(async () => {
  if (img.src === before) return;
  observer.disconnect();
  try { await img.decode(); } catch (e) {}
  requestAnimationFrame(() => { clearTimeout(timer); done({
    ms: performance.now() - start, natural: img.naturalWidth,
    shown: img.getBoundingClientRect().width, bytes: null}); });
});
observer.observe(img, {attributes: true, attributeFilter: ['src']});
demo.querySelector('.autograd-demo-step').scrollIntoView({block: 'center'});
const start = performance.now();
demo.querySelector('.autograd-demo-step').click();
"""

_DEMO = """
const demo = document.querySelectorAll('.autograd-demo')[arguments[0]];
const status = demo.querySelector('.autograd-demo-status');
const img = demo.querySelector('.autograd-demo-image');
return {src: img ? img.src : null, status: status ? status.textContent : '',
        step: !!demo.querySelector('.autograd-demo-step'),
        lr: !!demo.querySelector('.autograd-demo-lr input'),
        loaded: !!img && img.complete && img.naturalWidth > 0,
        svg: demo.querySelectorAll('svg g').length};
"""


def _percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) by linear interpolation between the sorted values."""
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _time_steps(browser: Browser, index: int) -> dict:
    """Click Step CLICKS times (the kernel idle in between); click-to-new-image times in ms."""
    times, sizes = [], set()
    for _ in range(CLICKS):
        _kernel_idle(browser)
        result = browser.run_async(_CLICK, index)
        assert not result.get("timeout"), "Step did not change the image within 20 s"
        times.append(result["ms"])
        sizes.add((result["natural"], round(result["shown"])))
        # Drawn at its displayed size (or shrunk to a narrow cell), never stretched.
        assert round(result["shown"]) <= result["natural"], result
    return {"times": times, "sizes": sizes}


def _bad_learning_rate(browser: Browser, index: int) -> str:
    """Type lr = -1: a message must appear; then 0.05: the message goes and Step works again."""
    box = browser.run(
        "return document.querySelectorAll('.autograd-demo')[arguments[0]]"
        ".querySelector('.autograd-demo-lr input');",
        index,
    )
    browser.type(box, SELECT_ALL + "-1" + ENTER)
    message = browser.wait(
        f"const s = (() => {{ {_DEMO} }})(); return /learning rate/i.test(s.status) && s.status;",
        index, timeout=60, what="a message about the learning rate",
    )  # fmt: skip
    before = browser.run(_DEMO, index)["src"]
    browser.type(box, SELECT_ALL + "0.05" + ENTER)
    browser.wait(
        f"const s = (() => {{ {_DEMO} }})(); return !/must be/.test(s.status);",
        index, timeout=60, what="the message to go once lr = 0.05",
    )  # fmt: skip
    _kernel_idle(browser)
    step = browser.run(
        "return document.querySelectorAll('.autograd-demo')[arguments[0]]"
        ".querySelector('.autograd-demo-step');",
        index,
    )
    browser.click(step)  # a real mouse click this time
    browser.wait(
        f"const s = (() => {{ {_DEMO} }})(); return s.src !== arguments[1] && s.loaded;",
        index, before, timeout=60, what="Step to draw again after lr = 0.05",
    )  # fmt: skip
    _kernel_idle(browser)
    status = browser.run(_DEMO, index)["status"]
    assert "✖" not in status, f"the demo did not recover: {status}"
    return message


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_in_the_browser(chapter, lab, browser, report):
    load = os.getloadavg()[0]
    _open(browser, lab, chapter)
    # As saved: untrusted (a fresh clone), yet every stored picture shows as an image.
    saved = browser.wait(f"const s = (() => {{ {_STATE} }})(); return s.pictures >= arguments[0] && s;",
                         _stored_pictures(lab["course"] / "chapters" / chapter), timeout=60,
                         what="the stored pictures to render")  # fmt: skip
    assert saved["trusted"] == 0, "a notebook from a fresh clone should open untrusted"
    assert saved["pictures"] == _stored_pictures(lab["course"] / "chapters" / chapter)
    assert saved["broken"] == 0 and saved["graphText"] == 0, saved
    assert saved["errors"] == [], saved["errors"]
    saved_mimes = sorted(set(saved["mimes"]))

    _kernel_idle(browser)
    seconds = _run_all_from_menu(browser)
    after = browser.run(_STATE)
    assert after["errors"] == [], after["errors"]
    assert after["widgetErrors"] == 0 and after["broken"] == 0, after
    report.append(
        f"{chapter}: Run All {seconds:.1f} s (load {load:.1f}); pictures as saved "
        f"(untrusted): {saved['pictures']} shown as {', '.join(saved_mimes) or '-'}; "
        f"after Run All: {after['pictures']} as {', '.join(sorted(set(after['mimes']))) or '-'}"
    )

    demos = browser.run("return document.querySelectorAll('.autograd-demo').length")
    names = browser.run(
        APP + "return [...document.querySelectorAll('.autograd-demo')].map(d => panel.content"
        ".widgets.find(c => c.node.contains(d)).model.sharedModel.getSource().trim()"
        ".split('\\n').pop());"
    )
    source = (lab["course"] / "chapters" / chapter).read_text()
    expected = 1 if "demos." in source else 0  # chapters with an instructor demo show it
    assert demos >= expected, "the chapter's instructor demo did not display"
    slow = []
    for index in range(demos):
        state = browser.run(_DEMO, index)
        if not state["step"]:  # the computational graph: no Step, its graph is drawn as SVG
            assert state["svg"] > 0, f"{names[index]}: no graph drawn"
            continue
        assert state["loaded"], f"{names[index]}: no image"
        timing = _time_steps(browser, index)
        message = _bad_learning_rate(browser, index)
        p50, p90 = (_percentile(timing["times"], q) for q in (0.5, 0.9))
        sizes = ", ".join(f"{n}px shown at {s}px" for n, s in sorted(timing["sizes"]))
        report.append(
            f"  {names[index]}: Step click-to-new-image p50 {p50:.0f} ms, p90 {p90:.0f} ms, "
            f"max {max(timing['times']):.0f} ms ({CLICKS} clicks, load {os.getloadavg()[0]:.1f}); "
            f"image {sizes}; lr = -1 says: {message[:70]!r}; "
            f"target {TARGET_MS} ms: {'met' if p90 <= TARGET_MS else 'MISSED'}"
        )
        if p90 > LIMIT_MS:
            slow.append(f"{names[index]} p90 {p90:.0f} ms")
    # Leave the copy saved and the kernel stopped before the next chapter opens.
    browser.run_async(APP + "panel.context.save().then(() => arguments[0](true));")
    for session in _api(lab, "GET", "/api/sessions"):
        _api(lab, "DELETE", f"/api/sessions/{session['id']}")
    assert not slow, f"click-to-new-image above {LIMIT_MS:.0f} ms: {slow}"
