"""The second wall, in a real browser: hostile case-study bodies that never met the validator.

Each body is rendered exactly as the site renders a case-study body (the site's Markdown
extensions with raw HTML off, then the sanitiser), put in a page with the site's
Content-Security-Policy, and opened in Chromium. Whatever the validator might miss, no link or
image may lead to a scheme other than http(s), no script may run, and nothing may even try to
break the policy (an attempt the policy blocks still fires a violation event).
"""

from __future__ import annotations

from pathlib import Path

import a11y
import pytest
from markdown import Markdown

from kb.content.markdown_tree import EXTENSIONS
from kb.site.markup import focusable_tables
from kb.site.safe_markdown import SafeMarkdown
from kb.site.sanitise import SCRIPT_HASHES_MARK, apply_csp, sanitise_body

#: Issue 18's findings, and the other ways in, each as a whole body.
HOSTILE_BODIES = {
    "entity-s": "[x](java&#115;cript:window.__pwned=1)",
    "hex-entity": "[x](&#x6a;avascript:window.__pwned=1)",
    "colon-entity": "[x](javascript&#58;window.__pwned=1)",
    "nested-brackets": "[x](javascript:void((window.__pwned=1)))",
    "break-inside": "[x](java\nscript:window.__pwned=1)",
    "break-before": "[x](\njavascript:window.__pwned=1)",
    "angle-space": "[x](< javascript:window.__pwned=1>)",
    "ref-next-line": "[x][a]\n\n[a]:\n  javascript:window.__pwned=1",
    "ref-entity": "[x][a]\n\n[a]: java&#115;cript:window.__pwned=1",
    "control-char": "[x](\x01javascript:window.__pwned=1)",
    "list-continuation": "- item\n\n    [x](javascript:window.__pwned=1)",
    "escaped-backtick": "\\`[x](javascript:window.__pwned=1)`",
    "indented-fence": "  ```\n  code\n  ```\n\n[x](javascript:window.__pwned=1)",
    "unclosed-fence": "```\n[x](javascript:window.__pwned=1)",
    "data": "[x](data:text/html,<script>window.__pwned=1</script>)",
    "vbscript": "[x](vbscript:msgbox(1))",
    "file": "[x](file:///etc/passwd)",
    "raw-script": "<script>window.__pwned = 1</script>",
    "raw-img": '<img src="x" onerror="window.__pwned = 1">',
    "inline-html": 'Text <a href="javascript:window.__pwned=1" onclick="window.__pwned=1">x</a>',
    "attr-list": 'A paragraph\n{: onclick="window.__pwned=1" }',
    "image-scheme": "![x](javascript:window.__pwned=1)",
    "svg-data-image": "![x](data:image/svg+xml,<svg onload='window.__pwned=1'/>)",
    "table-cell": "| a | b |\n|---|---|\n| [x](javascript:window.__pwned=1) | y |",
}

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{mark}">
<title>Hostile body {name}</title></head>
<body><main>{body}</main></body></html>
"""

_LISTEN = """
window.__kbViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__kbViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def render_body(text: str) -> str:
    """A case-study body as the site renders it: safe Markdown, then the sanitiser."""
    md = Markdown(extensions=[*EXTENSIONS, SafeMarkdown(active=True)])
    return focusable_tables(sanitise_body(md.convert(text)))


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory):
    folder: Path = tmp_path_factory.mktemp("hostile")
    for name, text in HOSTILE_BODIES.items():
        page = _PAGE.format(mark=SCRIPT_HASHES_MARK, name=name, body=render_body(text))
        (folder / f"{name}.html").write_text(apply_csp(page), encoding="utf-8")
    server = a11y.SiteServer(folder).start()
    yield server
    server.stop()


@pytest.mark.parametrize("name", sorted(HOSTILE_BODIES))
def test_no_hostile_body_runs_script_or_leaves_http(name, chromium, hostile_server) -> None:
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.add_init_script(_LISTEN)
        page.goto(hostile_server.url(f"{name}.html"), wait_until="load")
        schemes = page.evaluate(
            "() => [...document.querySelectorAll('a[href]'), ...document.querySelectorAll('img[src]')]"
            ".map(e => new URL(e.getAttribute('href') ?? e.getAttribute('src'), location.href).protocol)"
        )
        assert set(schemes) <= {"http:", "https:"}, schemes
        # Click every link that is left: none may run script.
        for link in page.query_selector_all("a[href]"):
            link.evaluate("a => a.click()")
        page.wait_for_timeout(200)  # violation events are queued as tasks
        assert page.evaluate("() => window.__pwned") is None
        assert page.evaluate("() => window.__kbViolations") == []
        assert (
            page.evaluate("() => document.querySelectorAll('script, [onerror], [onclick]').length")
            == 0
        )
    finally:
        context.close()
