"""Accessibility test harness: plain functions the browser tests call.

Every check returns a list of problems, each a sentence a developer can act on (what, where,
how to fix); an empty list means the page passes. The tests assert the list is empty, so a
failure prints every problem at once.

Nothing here knows about particular pages: the page types are listed in pages.py.
"""

from __future__ import annotations

import functools
import http.server
import io
import itertools
import os
import re
import shutil
import socketserver
import subprocess
import sys
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from tests.support.chromium import CHROMIUM_ARGS, CHROMIUM_PATH

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


# axe-core ships inside axe-playwright-python (pinned in pyproject.toml). We inject the file
# ourselves so the rule set is fixed; AXE_VERSION must change only on purpose.
AXE_VERSION = "4.12.1"
WCAG_TAGS: tuple[str, ...] = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")

# Link texts that make no sense out of context (WCAG 2.4.4). Compared after lower-casing and
# stripping punctuation.
VAGUE_LINK_TEXTS = frozenset(
    {"click here", "here", "read more", "more", "link", "click", "this", "this link", "go"}
)

# Elements allowed to clip text, each with the reason. Keep this list short.
CLIP_ALLOWED: dict[str, str] = {
    ".md-header__topic": "the header's site name and page title are shortened with an ellipsis"
    " on narrow screens; both are also in the page (title, h1, menu)",
}

# Viewports: WCAG 1.4.10 reflow is tested at 320 CSS pixels wide.
VIEWPORTS: dict[int, dict[str, int]] = {
    1280: {"width": 1280, "height": 800},
    320: {"width": 320, "height": 640},
}


# ---------------------------------------------------------------------------------------------
# Browser
# ---------------------------------------------------------------------------------------------


def browser_unavailable_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return (
            "Playwright (Python) is not installed: run `make test` once, or "
            "`.venv/bin/pip install -e '.[test]'`."
        )
    if not CHROMIUM_PATH.exists():
        return (
            f"Chromium is not installed at {CHROMIUM_PATH}: run `apt-get install chromium` "
            "(Playwright's own browser download does not work on this project's machines)."
        )
    return None


def launch_chromium(playwright: Playwright) -> Browser:
    """Launch Debian's Chromium headless with the flags this machine needs."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM_PATH), args=CHROMIUM_ARGS, headless=True
    )


# ---------------------------------------------------------------------------------------------
# Building and serving the site
# ---------------------------------------------------------------------------------------------


def _kb_executable() -> str | None:
    beside_python = Path(sys.executable).parent / "kb"
    if beside_python.exists():
        return str(beside_python)
    return shutil.which("kb")


@functools.cache
def kb_build_available() -> bool:
    """True when `kb build --help` works, i.e. the project's own build command exists."""
    kb = _kb_executable()
    if kb is None:
        return False
    try:
        done = subprocess.run(
            [kb, "build", "--help"], cwd=REPO, capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def site_build_command(site_dir: Path) -> list[str]:
    """The one command that builds the site into site_dir.

    `kb build --site-dir DIR` (validation, mkdocs build --strict, Pagefind, count checks) when
    it exists; until then plain `mkdocs build --strict`.
    """
    if kb_build_available():
        kb = _kb_executable()
        assert kb is not None
        return [kb, "build", "--site-dir", str(site_dir)]
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)]


def build_site(site_dir: Path) -> Path:
    """Build the site into site_dir, raising with the build's output if it fails."""
    command = site_build_command(site_dir)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=900, env=env)
    if done.returncode != 0 or not (site_dir / "index.html").exists():
        raise RuntimeError(
            f"Site build failed: {' '.join(command)} exited {done.returncode}\n"
            f"--- stdout ---\n{done.stdout[-6000:]}\n--- stderr ---\n{done.stderr[-6000:]}"
        )
    return site_dir


def site_prefix(config: Path = REPO / "mkdocs.yml") -> str:
    """The path the site is published under (from site_url), e.g. "/kb/"."""
    match = re.search(r"^site_url:\s*['\"]?([^\s'\"#]+)", config.read_text(), re.MULTILINE)
    path = urlsplit(match.group(1)).path if match else "/"
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves one directory under a prefix; a missing path gets 404.html with status 404."""

    prefix = "/"

    def __init__(self, *args: Any, directory: str, prefix: str, **kwargs: Any) -> None:
        self.prefix = prefix
        super().__init__(*args, directory=directory, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def _site_path(self) -> str | None:
        path = unquote(urlsplit(self.path).path)
        if not path.startswith(self.prefix):
            if path + "/" == self.prefix:
                return "/"
            return None
        return "/" + path[len(self.prefix) :]

    def translate_path(self, path: str) -> str:
        site_path = self._site_path()
        return super().translate_path(site_path if site_path is not None else "/\0missing")

    def send_head(self) -> Any:
        site_path = self._site_path()
        target = Path(self.translate_path(self.path))
        if site_path is not None and (
            target.is_file() or (target.is_dir() and (target / "index.html").is_file())
        ):
            return super().send_head()
        return self._send_not_found()

    def _send_not_found(self) -> Any:
        page = Path(str(self.directory)) / "404.html"
        body = page.read_bytes() if page.is_file() else b"<!doctype html><title>Not found</title>"
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser closing a page mid-download is normal here; report anything else."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@dataclass
class SiteServer:
    """A static site served over http://127.0.0.1 on a free port, in a thread."""

    directory: Path
    prefix: str = "/"
    _server: _Server | None = field(default=None, init=False, repr=False)

    def start(self) -> SiteServer:
        """Start serving; returns self."""
        if not self.prefix.startswith("/") or not self.prefix.endswith("/"):
            raise ValueError(f"prefix must start and end with '/': {self.prefix!r}")
        handler = functools.partial(_SiteHandler, directory=str(self.directory), prefix=self.prefix)
        self._server = _Server(("127.0.0.1", 0), handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    @property
    def origin(self) -> str:
        """http://127.0.0.1:PORT"""
        assert self._server is not None, "server not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str = "/") -> str:
        """Absolute URL of a path relative to the site root ("/" is the home page)."""
        return self.origin + self.prefix + path.lstrip("/")

    def stop(self) -> None:
        """Stop serving."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def http_status(url: str) -> int:
    """The HTTP status of a GET request to url."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


# ---------------------------------------------------------------------------------------------
# axe-core
# ---------------------------------------------------------------------------------------------


@functools.cache
def axe_source() -> str:
    """The pinned axe.min.js shipped by axe-playwright-python."""
    import axe_playwright_python

    source = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
    found = re.search(r"axe v(\d+\.\d+\.\d+)", source[:200])
    if not found or found.group(1) != AXE_VERSION:
        raise RuntimeError(
            f"axe-core is {found.group(1) if found else 'unknown'}, the tests pin {AXE_VERSION}:"
            " update AXE_VERSION in tests/browser/a11y.py on purpose, after checking results."
        )
    return source


def run_axe(
    page: Page,
    tags: Sequence[str] = WCAG_TAGS,
    context: str | dict[str, Any] | None = None,
    disable_rules: Iterable[str] = (),
) -> list[dict[str, Any]]:
    """Run axe-core on the page for the given WCAG tags; returns its violations."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    options: dict[str, Any] = {
        "runOnly": {"type": "tag", "values": list(tags)},
        "resultTypes": ["violations"],
        "rules": {rule: {"enabled": False} for rule in disable_rules},
    }
    result = page.evaluate(
        "([context, options]) => axe.run(context || document, options)", [context, options]
    )
    return list(result["violations"])


def format_violations(violations: Sequence[dict[str, Any]]) -> list[str]:
    """One readable problem per violated rule: rule id, impact, help, where, how to fix."""
    problems = []
    for violation in violations:
        lines = [
            f"axe {violation['id']} ({violation.get('impact')}): {violation['help']}",
            f"  help: {violation.get('helpUrl', '')}",
        ]
        for node in violation["nodes"][:8]:
            summary = (node.get("failureSummary") or "").replace("\n", " ").strip()
            lines.append(f"  at {node['target']}: {summary[:400]}")
        if len(violation["nodes"]) > 8:
            lines.append(f"  … and {len(violation['nodes']) - 8} more elements")
        problems.append("\n".join(lines))
    return problems


def axe_problems(page: Page, tags: Sequence[str] = WCAG_TAGS) -> list[str]:
    """axe violations on the page as readable problems."""
    return format_violations(run_axe(page, tags))


# ---------------------------------------------------------------------------------------------
# Colour
# ---------------------------------------------------------------------------------------------


def _channel(value: float) -> float:
    value /= 255
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(rgb: Sequence[float]) -> float:
    """WCAG relative luminance of an sRGB colour given as 0-255 channels."""
    r, g, b = (_channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: Sequence[float], second: Sequence[float]) -> float:
    """WCAG contrast ratio between two opaque colours (1 to 21)."""
    a, b = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def parse_hex(colour: str) -> tuple[int, int, int]:
    """#rrggbb to a channel tuple."""
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


# ---------------------------------------------------------------------------------------------
# In-page JavaScript shared by the checks
# ---------------------------------------------------------------------------------------------

_JS_HELPERS = r"""
const kb = window.__kb || (window.__kb = {});
kb.describe = (el) => {
  if (!el || !el.tagName) return String(el);
  const parts = [];
  let node = el;
  for (let depth = 0; node && node.nodeType === 1 && depth < 3; depth++) {
    let part = node.tagName.toLowerCase();
    if (node.id) { part += "#" + node.id; parts.unshift(part); break; }
    const classes = [...node.classList].filter((c) => !c.startsWith("focus")).slice(0, 2);
    if (classes.length) part += "." + classes.join(".");
    parts.unshift(part);
    node = node.parentElement;
  }
  const text = (el.getAttribute("aria-label") || el.textContent || el.getAttribute("alt") || "")
    .replace(/\s+/g, " ").trim().slice(0, 50);
  return parts.join(" > ") + (text ? ` "${text}"` : "");
};
kb.parse = (value) => {
  const m = value && value.match(/rgba?\(([^)]+)\)/);
  if (!m) return null;
  const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
  return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
};
kb.background = (el) => {
  // The opaque colour behind el: blend ancestors' background colours, else white.
  const layers = [];
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
    const c = kb.parse(getComputedStyle(node).backgroundColor);
    if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
  }
  let rgb = [255, 255, 255];
  for (const c of layers.reverse()) rgb = rgb.map((v, i) => c[i] * c[3] + v * (1 - c[3]));
  return rgb;
};
kb.hidden = (el) => {
  // Not rendered, invisible, or fully transparent.
  if (!el.getClientRects().length) return true;
  const style = getComputedStyle(el);
  if (style.visibility !== "visible") return true;
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
    if (Number(getComputedStyle(node).opacity) === 0) return true;
  }
  return false;
};
kb.visuallyHidden = (el) => {
  // The screen-reader-only pattern: clipped to (almost) nothing.
  const r = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  return (r.width <= 1 || r.height <= 1) ||
    /rect\(0/.test(style.clip) || /inset\(50%/.test(style.clipPath);
};
kb.header = () => {
  const header = document.querySelector("[data-md-component=header], body > header, header");
  if (!header) return null;
  const position = getComputedStyle(header).position;
  return position === "sticky" || position === "fixed" ? header : null;
};
kb.name = (el) => {
  // A close approximation of the accessible name (accname) for links and buttons.
  const labelledby = el.getAttribute("aria-labelledby");
  if (labelledby) {
    const text = labelledby.split(/\s+/).map((id) => document.getElementById(id))
      .filter(Boolean).map((n) => n.textContent).join(" ");
    if (text.trim()) return text.replace(/\s+/g, " ").trim();
  }
  const label = el.getAttribute("aria-label");
  if (label && label.trim()) return label.trim();
  const walk = (node) => {
    if (node.nodeType === 3) return node.textContent;
    if (node.nodeType !== 1) return "";
    if (node.getAttribute("aria-hidden") === "true") return "";
    if (node !== el && getComputedStyle(node).display === "none") return "";
    if (node.tagName === "IMG") return node.getAttribute("alt") || "";
    if (node.tagName === "svg" || node.tagName === "SVG") {
      const t = node.querySelector("title");
      return node.getAttribute("aria-label") || (t ? t.textContent : "");
    }
    return [...node.childNodes].map(walk).join(" ");
  };
  const text = walk(el).replace(/\s+/g, " ").trim();
  if (text) return text;
  return (el.getAttribute("title") || "").trim();
};
kb.styleKey = (el) => {
  const s = getComputedStyle(el);
  return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.backgroundColor,
          s.borderColor, s.textDecorationLine, s.color].join("|");
};
"""


def _ensure_helpers(page: Page) -> None:
    page.evaluate(f"() => {{ {_JS_HELPERS} }}")


# ---------------------------------------------------------------------------------------------
# Keyboard
# ---------------------------------------------------------------------------------------------

_JS_BASELINE = r"""
() => {
  const kb = window.__kb;
  kb.baseline = new WeakMap();
  kb.generation = (kb.generation || 0) + 1;
  const candidates = document.querySelectorAll(
    "a[href], area[href], button, input, select, textarea, summary, label, iframe, " +
    "[tabindex], [contenteditable], pre, code, table, div");
  for (const el of candidates) kb.baseline.set(el, kb.styleKey(el));
}
"""

_JS_FOCUS_INFO = r"""
() => {
  const kb = window.__kb;
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const seen = el.__kbSeen === kb.generation;
  el.__kbSeen = kb.generation;
  // A visually hidden control (e.g. a radio button styled through its label) shows focus on
  // its label.
  let indicator = el;
  let box = el.getBoundingClientRect();
  if ((box.width < 2 || box.height < 2) && el.id) {
    const next = el.nextElementSibling;
    const label = next && next.tagName === "LABEL" && !kb.hidden(next) ? next
      : [...document.querySelectorAll(`label[for="${CSS.escape(el.id)}"]`)]
          .find((l) => !kb.hidden(l));
    if (label) { indicator = label; box = label.getBoundingClientRect(); }
  }
  const style = getComputedStyle(indicator);
  const outlineWidth = parseFloat(style.outlineWidth) || 0;
  const hasOutline = style.outlineStyle !== "none" && outlineWidth > 0;
  const before = kb.baseline && kb.baseline.get(indicator);
  const changed = before === undefined
    ? (hasOutline || style.boxShadow !== "none")
    : before !== kb.styleKey(indicator);
  let contrast = null;
  if (hasOutline) {
    const colour = kb.parse(style.outlineColor);
    const behind = kb.background(indicator.parentElement || indicator);
    if (colour) {
      const rgb = colour.slice(0, 3).map((v, i) => v * colour[3] + behind[i] * (1 - colour[3]));
      const lum = (c) => {
        const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
        return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
      };
      const [a, b] = [lum(rgb), lum(behind)].sort((x, y) => y - x);
      contrast = (a + 0.05) / (b + 0.05);
    }
  }
  const vw = document.documentElement.clientWidth, vh = window.innerHeight;
  const onScreen = box.width >= 1 && box.height >= 1 && box.right > 0 && box.bottom > 0 &&
    box.left < vw && box.top < vh;
  const header = kb.header();
  let obscured = false;
  if (header && !header.contains(el) && onScreen) {
    const hb = header.getBoundingClientRect();
    const x = Math.min(Math.max(box.left + box.width / 2, 0), vw - 1);
    for (const y of [box.top + 1, box.top + box.height / 2]) {
      if (y < 0 || y >= vh) continue;
      const hit = document.elementFromPoint(x, y);
      if (hit && header.contains(hit)) obscured = true;
    }
    if (box.top < hb.bottom - 1 && box.bottom > hb.top) {
      const hit = document.elementFromPoint(x, Math.max(box.top + 1, 0));
      if (hit && header.contains(hit)) obscured = true;
    }
    // Something taller than the space below the header cannot be shown whole; it is
    // obscured only when none of it shows below the header.
    if (box.height > vh - hb.bottom) obscured = box.bottom <= hb.bottom + 4;
  }
  return {
    seen,
    description: kb.describe(el),
    indicator: indicator === el ? null : kb.describe(indicator),
    tag: el.tagName.toLowerCase(),
    text: kb.name(el).slice(0, 80),
    href: el.getAttribute("href"),
    inMain: !!(document.querySelector("main") && document.querySelector("main").contains(el)),
    hidden: kb.hidden(indicator),
    onScreen,
    rect: [box.left, box.top, box.width, box.height],
    outlineStyle: style.outlineStyle,
    outlineWidth,
    boxShadow: style.boxShadow,
    changed,
    contrast,
    obscured,
  };
}
"""


@dataclass
class FocusStop:
    """Where keyboard focus landed after one Tab (or Shift+Tab)."""

    index: int
    description: str
    indicator: str | None
    tag: str
    text: str
    href: str | None
    in_main: bool
    hidden: bool
    on_screen: bool
    rect: list[float]
    outline_style: str
    outline_width: float
    box_shadow: str
    changed: bool
    contrast: float | None
    obscured: bool

    @classmethod
    def from_js(cls, index: int, data: dict[str, Any]) -> FocusStop:
        """Build from _JS_FOCUS_INFO's result."""
        return cls(
            index=index,
            description=data["description"],
            indicator=data["indicator"],
            tag=data["tag"],
            text=data["text"],
            href=data["href"],
            in_main=data["inMain"],
            hidden=data["hidden"],
            on_screen=data["onScreen"],
            rect=data["rect"],
            outline_style=data["outlineStyle"],
            outline_width=data["outlineWidth"],
            box_shadow=data["boxShadow"],
            changed=data["changed"],
            contrast=data["contrast"],
            obscured=data["obscured"],
        )

    @property
    def where(self) -> str:
        """Human description for messages."""
        shown = f" (focus shown on {self.indicator})" if self.indicator else ""
        return f"tab stop {self.index}: {self.description}{shown}"


def current_focus(page: Page, index: int = 0) -> FocusStop | None:
    """Where keyboard focus is now, as a FocusStop (None when nothing is focused)."""
    _ensure_helpers(page)
    data = page.evaluate(_JS_FOCUS_INFO)
    return None if data is None else FocusStop.from_js(index, data)


def tab_stops(page: Page, max_stops: int = 300, reverse: bool = False) -> list[FocusStop]:
    """Press Tab (or Shift+Tab) from the top (or bottom) of the page, recording each stop.

    Stops when focus leaves the page or returns to the first stop, or after max_stops.
    """
    _ensure_helpers(page)
    page.evaluate(_JS_BASELINE)
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    key = "Shift+Tab" if reverse else "Tab"
    stops: list[FocusStop] = []
    for index in range(1, max_stops + 1):
        page.keyboard.press(key)
        data = page.evaluate(_JS_FOCUS_INFO)
        if data is None:
            if not stops and index <= 2:
                continue  # focus sat on the document; the next press enters the page
            break
        if data["seen"]:
            break  # back where we started: the whole cycle is recorded
        stops.append(FocusStop.from_js(len(stops) + 1, data))
    return stops


def check_focus_visible(stops: Sequence[FocusStop], min_width: float = 2.0) -> list[str]:
    """WCAG 2.4.7 and 1.4.11: every tab stop is on screen and shows a focus indicator.

    The indicator must differ from the unfocused state; an outline must be at least min_width
    CSS px and contrast 3:1 with the background behind it.
    """
    problems = []
    for stop in stops:
        if stop.hidden or not stop.on_screen:
            problems.append(
                f"{stop.where} takes focus but cannot be seen (off screen, zero size, hidden "
                "or transparent). Remove it from the tab order while hidden (visibility: "
                "hidden, display: none or the inert attribute) or show it on focus."
            )
            continue
        has_outline = stop.outline_style != "none" and stop.outline_width > 0
        if not stop.changed or not (has_outline or stop.box_shadow != "none"):
            problems.append(
                f"{stop.where} shows no focus indicator. Give it a :focus-visible outline "
                "(the theme's is 3px solid var(--kb-focus-color), offset 2px)."
            )
            continue
        if has_outline and stop.outline_width < min_width:
            problems.append(
                f"{stop.where} has a thin focus outline ({stop.outline_width}px); use at least "
                f"{min_width}px."
            )
        if stop.contrast is not None and stop.contrast < 3.0:
            problems.append(
                f"{stop.where} has a focus outline with contrast {stop.contrast:.2f}:1 against "
                "the background; it needs 3:1 (use --kb-focus-color, or --kb-focus-on-dark on "
                "dark bands)."
            )
    return problems


def check_focus_not_obscured(stops: Sequence[FocusStop]) -> list[str]:
    """WCAG 2.4.11: a focused element is never hidden under the sticky header."""
    return [
        f"{stop.where} is hidden under the sticky header when focused. Keep html "
        "{ scroll-padding-top } larger than the header, and do not give content "
        "its own sticky or fixed position over it."
        for stop in stops
        if stop.obscured
    ]


def check_skip_link(page: Page) -> list[str]:
    """WCAG 2.4.1: the first tab stop is a skip link that moves focus to the main content.

    After activating it, the target is not under the sticky header and the next Tab lands
    inside the main content.
    """
    _ensure_helpers(page)
    page.evaluate("() => { window.scrollTo(0, 0); document.activeElement?.blur(); }")
    page.keyboard.press("Tab")
    first = page.evaluate(
        """() => {
          const el = document.activeElement;
          if (!el || el === document.body) return null;
          return {tag: el.tagName.toLowerCase(), text: window.__kb.name(el),
                  href: el.getAttribute("href"), description: window.__kb.describe(el),
                  hidden: window.__kb.hidden(el)};
        }"""
    )
    if first is None:
        return ["Pressing Tab once focused nothing: the page needs a 'Skip to content' link first."]
    problems = []
    href = first["href"] or ""
    if first["tag"] != "a" or not href.startswith("#") or "skip" not in first["text"].lower():
        return [
            f"The first tab stop is {first['description']}, not a skip link. Put "
            '<a class="md-skip" href="#kb-main">Skip to content</a> first (overrides/main.html '
            "does this for every page built from the theme)."
        ]
    if first["hidden"]:
        problems.append("The skip link does not become visible when focused.")
    target_id = unquote(href[1:])
    target = page.evaluate(
        """(id) => {
          const t = document.getElementById(id);
          const main = document.querySelector("main");
          return t ? {inMain: !!(main && (main.contains(t) || t.contains(main)))} : null;
        }""",
        target_id,
    )
    if target is None:
        return [*problems, f"The skip link points to #{target_id}, which is not on the page."]
    if not target["inMain"]:
        problems.append(f"The skip link's target #{target_id} is not inside <main>.")
    page.keyboard.press("Enter")
    page.wait_for_timeout(50)
    after = page.evaluate(
        """(id) => {
          const t = document.getElementById(id);
          const header = window.__kb.header();
          const top = t.getBoundingClientRect().top;
          const hb = header ? header.getBoundingClientRect().bottom : 0;
          const active = document.activeElement;
          return {top, hb, focusedTarget: active === t || t.contains(active)};
        }""",
        target_id,
    )
    if after["top"] < after["hb"] - 1:
        problems.append(
            f"After the skip link, the start of the content is hidden under the sticky header "
            f"(top {after['top']:.0f}px, header ends at {after['hb']:.0f}px): check "
            "html { scroll-padding-top }."
        )
    page.keyboard.press("Tab")
    landed = page.evaluate(
        """(id) => {
          const t = document.getElementById(id);
          const el = document.activeElement;
          if (!el || el === document.body) return {ok: false, description: "nothing"};
          const after = t === el || t.contains(el) ||
            !!(t.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
          return {ok: after, description: window.__kb.describe(el)};
        }""",
        target_id,
    )
    if not landed["ok"]:
        problems.append(
            "After activating the skip link, the next Tab went to "
            f"{landed['description']}, not into the main content."
        )
    return problems


# ---------------------------------------------------------------------------------------------
# Reflow (WCAG 1.4.10) and scroll containers
# ---------------------------------------------------------------------------------------------

_JS_REFLOW = r"""
() => {
  const kb = window.__kb;
  const de = document.documentElement;
  const vw = de.clientWidth;
  const result = {scrollWidth: de.scrollWidth, bodyScrollWidth: document.body.scrollWidth,
                  clientWidth: vw, offenders: [], scrollers: []};
  const scrollsX = (el) => {
    const o = getComputedStyle(el).overflowX;
    return (o === "auto" || o === "scroll") && el.scrollWidth > el.clientWidth + 1;
  };
  const clipsX = (el) => {
    const o = getComputedStyle(el).overflowX;
    return o !== "visible";
  };
  const all = document.body.querySelectorAll("*");
  for (const el of all) {
    if (kb.hidden(el) || kb.visuallyHidden(el)) continue;
    if (scrollsX(el) && el !== document.body) {
      const isTable = el.tagName === "TABLE" || !!el.querySelector("table");
      const isCode = !!el.closest("pre") || el.tagName === "PRE" || !!el.querySelector(":scope > code, pre");
      result.scrollers.push({
        description: kb.describe(el), kind: isTable ? "table" : isCode ? "code" : "other",
        tabindex: el.getAttribute("tabindex"), role: el.getAttribute("role"),
        name: el.getAttribute("aria-label") || el.getAttribute("aria-labelledby") || "",
      });
    }
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.right <= vw + 1 && r.left >= -1) continue;
    // Inside a container that scrolls or clips sideways (other than html and body)?
    let contained = false;
    for (let p = el.parentElement; p && p !== document.body && p !== de; p = p.parentElement) {
      if (clipsX(p)) { contained = true; break; }
    }
    if (contained) continue;
    const parent = el.parentElement;
    const pr = parent && parent !== document.body ? parent.getBoundingClientRect() : null;
    if (pr && (pr.right > vw + 1 || pr.left < -1) && !kb.hidden(parent)) continue;  // report the outermost
    result.offenders.push(`${kb.describe(el)} spans ${Math.round(r.left)}-${Math.round(r.right)}px`);
  }
  return result;
}
"""


def check_reflow(page: Page) -> list[str]:
    """WCAG 1.4.10: at the current (320px) width nothing needs sideways scrolling.

    Only tables and code blocks may scroll sideways, inside their own box, and that box must
    be reachable by keyboard (tabindex="0"), with a name when it has role="region".
    """
    _ensure_helpers(page)
    data = page.evaluate(_JS_REFLOW)
    problems = []
    width = max(data["scrollWidth"], data["bodyScrollWidth"])
    if width > data["clientWidth"] + 1:
        problems.append(
            f"The page is {width}px wide in a {data['clientWidth']}px viewport: it scrolls "
            "sideways."
        )
    for offender in data["offenders"][:10]:
        problems.append(
            f"{offender} in a {data['clientWidth']}px viewport: it is cut off or makes the page "
            "scroll sideways. Let it wrap (max-width: 100%, overflow-wrap: anywhere) or put it "
            "in a scrolling box."
        )
    for scroller in data["scrollers"]:
        where = scroller["description"]
        if scroller["kind"] == "other":
            problems.append(
                f"{where} scrolls sideways at {data['clientWidth']}px; only tables and code "
                "blocks may. Let its content wrap."
            )
            continue
        if scroller["tabindex"] is None or int(scroller["tabindex"]) < 0:
            problems.append(
                f"{where} ({scroller['kind']}) scrolls sideways but keyboard users cannot reach "
                'it: give it tabindex="0", role="region" and an aria-label.'
            )
        elif scroller["role"] == "region" and not scroller["name"].strip():
            problems.append(f'{where} has role="region" but no aria-label or aria-labelledby.')
    return problems


# ---------------------------------------------------------------------------------------------
# Text spacing (WCAG 1.4.12)
# ---------------------------------------------------------------------------------------------

TEXT_SPACING_CSS = (
    "* { line-height: 1.5 !important; letter-spacing: 0.12em !important; "
    "word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }"
)

_JS_CLIPPED = r"""
(allowed) => {
  const kb = window.__kb;
  const found = [];
  for (const el of document.body.querySelectorAll("*")) {
    const style = getComputedStyle(el);
    const clipX = style.overflowX === "hidden" || style.overflowX === "clip";
    const clipY = style.overflowY === "hidden" || style.overflowY === "clip";
    const clamped = style.webkitLineClamp && style.webkitLineClamp !== "none";
    if (!clipX && !clipY && !clamped) continue;
    if (kb.hidden(el) || kb.visuallyHidden(el)) continue;
    if (el.closest("[aria-hidden=true]")) continue;
    if (allowed.some((sel) => el.closest(sel))) continue;
    const text = (el.innerText || "").trim();
    if (!text) continue;
    const overX = clipX && el.scrollWidth > el.clientWidth + 2;
    const overY = (clipY || clamped) && el.scrollHeight > el.clientHeight + 2;
    if (overX || overY) {
      found.push(`${kb.describe(el)}: content ${el.scrollWidth}x${el.scrollHeight}px in a ` +
                 `${el.clientWidth}x${el.clientHeight}px box`);
    }
  }
  return found;
}
"""


def apply_text_spacing(page: Page) -> None:
    """Apply the WCAG 1.4.12 text-spacing bookmarklet's CSS to the page."""
    page.add_style_tag(content=TEXT_SPACING_CSS)
    page.wait_for_timeout(50)


def find_clipped_text(page: Page, allowed: Iterable[str] = tuple(CLIP_ALLOWED)) -> list[str]:
    """Elements that cut off text (overflow hidden or clip, or line-clamp) they contain."""
    _ensure_helpers(page)
    return list(page.evaluate(_JS_CLIPPED, list(allowed)))


def check_text_spacing(page: Page, allowed: Iterable[str] = tuple(CLIP_ALLOWED)) -> list[str]:
    """WCAG 1.4.12: with increased line, letter, word and paragraph spacing no text is cut off."""
    apply_text_spacing(page)
    return [
        f"With WCAG 1.4.12 text spacing, {clip}: text is cut off. Avoid fixed heights and "
        "overflow: hidden on boxes holding text; let them grow."
        for clip in find_clipped_text(page, allowed)
    ]


# ---------------------------------------------------------------------------------------------
# Content rules
# ---------------------------------------------------------------------------------------------

_JS_CONTENT = r"""
() => {
  const kb = window.__kb;
  const out = {lang: document.documentElement.getAttribute("lang") || "", images: [],
               headings: [], links: []};
  for (const img of document.querySelectorAll("img")) {
    if (img.hasAttribute("alt")) continue;
    if (img.closest("[aria-hidden=true]")) continue;
    const role = img.getAttribute("role");
    if (role === "presentation" || role === "none") continue;
    out.images.push(kb.describe(img) + ` src="${img.getAttribute("src") || ""}"`);
  }
  for (const h of document.querySelectorAll("h1, h2, h3, h4, h5, h6, [role=heading]")) {
    if (h.closest("[aria-hidden=true]")) continue;
    if (!h.getClientRects().length || getComputedStyle(h).visibility === "hidden") continue;
    const level = h.getAttribute("role") === "heading"
      ? Number(h.getAttribute("aria-level") || 2) : Number(h.tagName[1]);
    out.headings.push({level, description: kb.describe(h)});
  }
  for (const a of document.querySelectorAll("a[href], [role=link]")) {
    if (a.closest("[aria-hidden=true]")) continue;
    if (!a.getClientRects().length && a.getAttribute("tabindex") === "-1") continue;
    out.links.push({name: kb.name(a), description: kb.describe(a),
                    href: a.getAttribute("href") || ""});
  }
  return out;
}
"""


def check_content_rules(page: Page) -> list[str]:
    """Content rules: <html lang> is set (3.1.1); every img has alt or is hidden (1.1.1);
    headings start at one h1 and never skip a level (1.3.1); every link's text makes sense
    out of context and is not empty or a symbol (2.4.4)."""
    _ensure_helpers(page)
    data = page.evaluate(_JS_CONTENT)
    problems = []
    if not data["lang"].strip():
        problems.append('<html> has no lang attribute: set lang="en" (theme.language).')
    for image in data["images"]:
        problems.append(
            f'{image} has no alt attribute: describe it in alt="…", or alt="" if decorative.'
        )
    headings = data["headings"]
    h1s = [h for h in headings if h["level"] == 1]
    if not headings or headings[0]["level"] != 1:
        first = headings[0]["description"] if headings else "none"
        problems.append(f"The first heading must be an h1; it is {first}.")
    if len(h1s) > 1:
        problems.append(
            "The page has more than one h1: " + "; ".join(h["description"] for h in h1s)
        )
    for previous, current in itertools.pairwise(headings):
        if current["level"] > previous["level"] + 1:
            problems.append(
                f"Heading level skipped: h{previous['level']} {previous['description']} is "
                f"followed by h{current['level']} {current['description']}. Use "
                f"h{previous['level'] + 1}."
            )
    for link in data["links"]:
        name = link["name"]
        plain = re.sub(r"[^\w\s]", "", name.lower()).strip()
        plain = re.sub(r"\s+", " ", plain)
        if not name.strip():
            problems.append(
                f"Link {link['description']} (href {link['href']!r}) has no text or name."
            )
        elif not plain:
            problems.append(
                f"Link {link['description']} is named only {name!r}: give it a name that says "
                "where it goes (aria-label)."
            )
        elif plain in VAGUE_LINK_TEXTS:
            problems.append(
                f"Link text {name!r} ({link['description']}, href {link['href']!r}) does not "
                "make sense out of context: say where the link goes."
            )
    return problems
