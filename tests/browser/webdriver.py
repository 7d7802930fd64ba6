"""A small W3C WebDriver client over HTTP (standard library only) for a headless Chromium.

Only what the browser test needs: a session, navigation, scripts, elements found by CSS or
XPath, clicks and typed keys. chromedriver speaks the protocol; see
https://www.w3.org/TR/webdriver2/ for the endpoints.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from typing import Any

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"  # the key of an element reference
ENTER = "\ue007"
SELECT_ALL = "\ue009a\ue000"  # Control+A, then the modifier released


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_browser() -> tuple[str, str] | None:
    """Paths of Chromium and its chromedriver ($CHROME_BIN, $CHROMEDRIVER, else on PATH)."""
    browser = os.environ.get("CHROME_BIN") or next(
        filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None
    )
    driver = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


class WebDriverError(RuntimeError):
    """An error answer from the driver (its error name and message)."""


class Browser:
    """One headless Chromium session driven through chromedriver."""

    def __init__(self, browser: str, driver: str, width: int = 1280, height: int = 900) -> None:
        self.port = free_port()
        self.driver = subprocess.Popen(
            [driver, f"--port={self.port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.base = f"http://127.0.0.1:{self.port}"
        self._wait_for_driver()
        args = ["--headless=new", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={width},{height}", "--no-first-run", "--disable-extensions"]  # fmt: skip
        if os.geteuid() == 0:
            args.append("--no-sandbox")  # Chromium's sandbox refuses to run as root
        capabilities = {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": browser, "args": args},
        }
        answer = self._call("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})
        self.session = f"/session/{answer['sessionId']}"
        self._call("POST", f"{self.session}/timeouts", {"script": 300_000})

    def _wait_for_driver(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/status", timeout=2) as reply:
                    if json.load(reply)["value"].get("ready"):
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise WebDriverError(f"chromedriver did not start within {timeout:g} s")

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=600) as reply:
                return json.load(reply)["value"]
        except urllib.error.HTTPError as error:
            value = json.load(error).get("value", {})
            raise WebDriverError(
                f"{value.get('error')}: {value.get('message', '')[:2000]}"
            ) from None

    def get(self, url: str) -> None:
        """Open ``url`` in the tab (returns once the page has loaded)."""
        self._call("POST", f"{self.session}/url", {"url": url})

    def run(self, script: str, *args: Any) -> Any:
        """Run JavaScript (a function body: ``arguments``, ``return``) and return its result."""
        return self._call(
            "POST", f"{self.session}/execute/sync", {"script": script, "args": list(args)}
        )

    def run_async(self, script: str, *args: Any) -> Any:
        """Run JavaScript that calls ``arguments[arguments.length - 1](result)`` when done."""
        return self._call(
            "POST", f"{self.session}/execute/async", {"script": script, "args": list(args)}
        )

    def find(self, selector: str, using: str = "css selector") -> dict[str, str]:
        """The first element matching ``selector`` (an element reference for click and type)."""
        return self._call("POST", f"{self.session}/element", {"using": using, "value": selector})

    def click(self, element: dict[str, str]) -> None:
        """A real mouse click in the middle of the element (scrolled into view first)."""
        self._call("POST", f"{self.session}/element/{element[ELEMENT]}/click", {})

    def type(self, element: dict[str, str], text: str) -> None:
        """Keys typed into the element, as a user would (ENTER for the Enter key)."""
        self._call("POST", f"{self.session}/element/{element[ELEMENT]}/value", {"text": text})

    def wait(self, script: str, *args: Any, timeout: float = 60.0, what: str = "") -> Any:
        """Poll ``script`` until it returns something true; that value (or a timeout error)."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.run(script, *args)
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {timeout:g} s for {what or script[:200]}")
            time.sleep(0.1)

    def close(self) -> None:
        """End the session and stop chromedriver."""
        try:
            self._call("DELETE", self.session)
        except (OSError, WebDriverError, AttributeError):
            pass
        self.driver.terminate()
        try:
            self.driver.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.driver.kill()
