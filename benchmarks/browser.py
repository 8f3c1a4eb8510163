"""What a reader downloads, measured in Chromium on a built site served from 127.0.0.1.

`measure(site_dir, prefix, case_url, query)` opens a case-study page in a fresh browser context
(no cache) and counts every file the server sent for it; then, in another fresh context, opens
the search page, waits until search is ready, types `query` and counts every file sent after
the typing, and the time from typing to results (it includes the page's pause after the last
key press). Files are served as they are on disk, without HTTP compression.
"""

from __future__ import annotations

import functools
import http.server
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from tests.support.chromium import CHROMIUM_ARGS, CHROMIUM_PATH

TIMEOUT_MS = 60_000

#: Types the query as one input event and resolves with the milliseconds until the search page
#: says it has shown the results (data-kb-search-done goes "0" on input, "1" when shown).
_TYPE_AND_TIME = """query => new Promise(resolve => {
  const root = document.getElementById('kb-search');
  const input = document.getElementById('kb-search-input');
  const start = performance.now();
  const watch = new MutationObserver(() => {
    if (root.dataset.kbSearchDone === '1') {
      watch.disconnect();
      resolve({ms: performance.now() - start, results: Number(root.dataset.kbResults || 0)});
    }
  });
  watch.observe(root, {attributes: true, attributeFilter: ['data-kb-search-done']});
  input.value = query;
  input.dispatchEvent(new Event('input', {bubbles: true}));
})"""


class _Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args: Any, directory: str, prefix: str, sent: list, **kw: Any) -> None:
        self.prefix, self.sent = prefix, sent
        super().__init__(*args, directory=directory, **kw)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def translate_path(self, path: str) -> str:
        site_path = unquote(urlsplit(path).path)
        if not site_path.startswith(self.prefix):
            return str(Path(str(self.directory)) / "\0missing")
        return super().translate_path("/" + site_path[len(self.prefix) :])

    def send_head(self) -> Any:
        head = super().send_head()
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            target = target / "index.html"
        if head is not None and target.is_file():
            self.sent.append((urlsplit(self.path).path, target.stat().st_size))
        return head


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


@contextmanager
def serve(site_dir: Path, prefix: str) -> Iterator[tuple[str, list[tuple[str, int]]]]:
    """Serve site_dir at http://127.0.0.1:PORT{prefix}; yield the address and the files sent."""
    sent: list[tuple[str, int]] = []
    handler = functools.partial(_Handler, directory=str(site_dir), prefix=prefix, sent=sent)
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}", sent
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def kind(path: str) -> str:
    """html, css, js, wasm, font, image, search-index or other, from a file's address."""
    name = path.rsplit("/", 1)[-1]
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if path.endswith("/") or suffix == "html":
        return "html"
    if suffix in ("css", "js", "wasm"):
        return suffix
    if suffix in ("woff", "woff2", "ttf", "otf"):
        return "font"
    if suffix in ("png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "avif"):
        return "image"
    if "/pagefind/" in path or suffix == "json":
        return "search-index"
    return "other"


def tally(files: list[tuple[str, int]]) -> dict[str, Any]:
    by_kind: dict[str, int] = {}
    for path, size in files:
        by_kind[kind(path)] = by_kind.get(kind(path), 0) + size
    return {"bytes": sum(size for _, size in files), "files": len(files), "by_kind": by_kind}


def measure(site_dir: Path, prefix: str, case_url: str, query: str) -> dict[str, Any]:
    """Bytes for a first case-study page, bytes and milliseconds for a first search."""
    from playwright.sync_api import sync_playwright

    with serve(site_dir, prefix) as (base, sent), sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM_PATH), args=CHROMIUM_ARGS, headless=True
        )
        try:
            context = browser.new_context()
            page = context.new_page()
            page.goto(base + case_url, wait_until="networkidle", timeout=TIMEOUT_MS)
            case_page = {"url": case_url, **tally(list(sent))}
            context.close()

            sent.clear()
            context = browser.new_context()
            page = context.new_page()
            page.goto(base + "search/", wait_until="load", timeout=TIMEOUT_MS)
            page.wait_for_selector(
                "#kb-search[data-kb-search='ready']", state="attached", timeout=TIMEOUT_MS
            )
            page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
            search_page = tally(list(sent))
            sent.clear()
            page.set_default_timeout(TIMEOUT_MS)
            timed = page.evaluate(_TYPE_AND_TIME, query)
            page.wait_for_timeout(1000)  # anything fetched just after the results are shown
            first_search = {"query": query, "results": timed["results"], **tally(list(sent))}
            first_search["typing_to_results_ms"] = round(timed["ms"], 1)
            context.close()
        finally:
            browser.close()
    return {"case_page": case_page, "search_page": search_page, "first_search": first_search}
