"""Second walls behind the validator: an allow-list sanitiser for case-study bodies, and the
Content-Security-Policy every page carries.

The validator refuses script links, raw HTML and external images; if a way past it is ever
found, the rendered body still goes through `sanitise_body` (nh3, on the tags, attributes and
URL schemes Markdown produces), and the browser still enforces the policy from `apply_csp`.
"""

from __future__ import annotations

import base64
import hashlib
import re

import nh3

#: What Python-Markdown, with the extensions in mkdocs.yml, writes for a case-study body.
ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "a", "img",
        "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
        "table", "thead", "tbody", "tr", "th", "td", "div", "span", "sup", "sub",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "img": {"src", "alt", "title"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "th": {"style"}, "td": {"style"},
    "div": {"class"}, "p": {"class"}, "code": {"class"}, "ol": {"start"},
}  # fmt: skip
URL_SCHEMES = frozenset({"https", "http"})


def sanitise_body(html: str) -> str:
    """A rendered case-study body with everything outside the allow-list removed: no script,
    no event handler, no style but table alignment, no address but http(s) or site-relative."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        filter_style_properties={"text-align"},
        link_rel=None,
        strip_comments=True,
    )


#: overrides/main.html writes this where the page's script hashes go.
SCRIPT_HASHES_MARK = "kb-csp-script-hashes"
_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">')
_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<code>.*?)</script>", re.S)


def policy(script_hashes: list[str]) -> str:
    """The policy: this site's own files only, inline scripts by hash, no plugins, no forms or
    base address elsewhere. 'wasm-unsafe-eval' lets Pagefind compile its WebAssembly; style
    attributes stay allowed ('unsafe-inline' for styles only) because the theme sets them."""
    scripts = " ".join(["'self'", "'wasm-unsafe-eval'", *(f"'{h}'" for h in script_hashes)])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def inline_script_hashes(page: str) -> list[str]:
    """'sha256-…' of every inline script that runs (not src=, not a JSON data block)."""
    hashes = []
    for match in _INLINE_SCRIPT.finditer(page):
        attrs = match.group("attrs")
        if re.search(r"\ssrc\s*=", attrs):
            continue
        kind = re.search(r'\stype\s*=\s*"([^"]*)"', attrs)
        if kind and kind.group(1).lower() not in ("text/javascript", "module", ""):
            continue  # data, not script: the browser never runs it
        digest = hashlib.sha256(match.group("code").encode("utf-8")).digest()
        hashes.append("sha256-" + base64.b64encode(digest).decode("ascii"))
    return list(dict.fromkeys(hashes))


def apply_csp(page: str) -> str:
    """Fill the page's policy <meta> with the hashes of the inline scripts it holds."""
    if SCRIPT_HASHES_MARK not in page:
        return page
    meta = (
        f'<meta http-equiv="Content-Security-Policy" '
        f'content="{policy(inline_script_hashes(page))}">'
    )
    return _META.sub(lambda _: meta, page, count=1)
