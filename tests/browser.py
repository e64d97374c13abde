"""Headless Chromium for the browser tests: a site served from localhost, axe-core injected.

Debian's /usr/bin/chromium through /usr/bin/chromedriver, driven by selenium; started with
a fresh profile inside the test's own folder, no network beyond localhost, and its own
temporary folder there too (so nothing is left in the session's).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.marks import CHROMEDRIVER, CHROMIUM

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = (320, 390, 1280)


class _Quiet(SimpleHTTPRequestHandler):
    """Serves files without logging each request."""

    def log_message(self, format: str, *args: Any) -> None:
        """Say nothing."""


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """folder served over http on localhost, in a thread; yields its address."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def chromium(folder: Path) -> Iterator[Any]:
    """A headless Chromium with its profile and temporaries in folder."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile, temporary = folder / "profile", folder / "tmp"
    profile.mkdir(parents=True, exist_ok=True)
    temporary.mkdir(parents=True, exist_ok=True)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(argument)
    import os

    env = {**os.environ, "TMPDIR": str(temporary), "HOME": str(folder)}
    service = Service(executable_path=CHROMEDRIVER, env=env)
    driver = webdriver.Chrome(options=options, service=service)
    try:
        yield driver
    finally:
        driver.quit()


def axe_violations(driver: Any) -> list[dict[str, Any]]:
    """axe-core's violations of WCAG 2.2 A and AA on the page now shown."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(r.violations.map(v => ({id: v.id, help: v.help, "
        "nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))))"
        ".catch(e => done([{id: 'axe-error', help: String(e), nodes: []}]));",
        WCAG_TAGS,
    )
    return result


# Each word of the text in tables (and action cards), measured: a word laid out on more
# than one line box was broken mid-word.
BROKEN_WORDS = r"""
const broken = [];
for (const cell of document.querySelectorAll(arguments[0])) {
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const re = /[^\s\-\u2010\u2013\u2014\/]+/g;  // a break after a hyphen or slash is no break mid-word
    let m;
    while ((m = re.exec(node.data)) !== null) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (tops.size > 1) { broken.push(m[0]); }
    }
  }
}
return broken;
"""

PAGE_FACTS = """
const headings = Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6')).map(h => Number(h.tagName[1]));
const resources = performance.getEntriesByType('resource').map(r => r.name);
return {
  scroll: document.documentElement.scrollWidth,
  width: window.innerWidth,
  headings: headings,
  landmarks: ['header', 'nav', 'main', 'footer'].filter(t => document.querySelector(t)),
  statuses: Array.from(document.querySelectorAll('.status')).map(s => s.textContent.trim()),
  resources: resources,
  origin: location.origin,
};
"""
