"""The Content-Security-Policy every page carries (kb.site.sanitise): no page breaks it, and no
link or image on the site leads anywhere but http(s) or this site."""

from __future__ import annotations

import pytest
from pages import NOT_FOUND, PAGE_TYPES

from conftest import resolve_path

_LISTEN = """
window.__kbViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__kbViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.mark.parametrize("page_type", sorted(PAGE_TYPES))
def test_no_page_breaks_its_content_security_policy(page_type, contexts, site_server, built_site):
    page = contexts(1280).new_page()
    try:
        page.add_init_script(_LISTEN)
        url = site_server.url(resolve_path(PAGE_TYPES[page_type], built_site))
        response = page.goto(url, wait_until="load")
        assert response is not None
        assert response.status == (404 if page_type == NOT_FOUND else 200)
        policy = page.evaluate(
            "() => document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]')"
            "?.content || ''"
        )
        assert "object-src 'none'" in policy and "base-uri 'self'" in policy, policy
        if page_type.startswith("search"):
            page.wait_for_function(
                "() => document.getElementById('kb-search')?.dataset.kbSearch === 'ready'",
                timeout=30_000,
            )
        page.wait_for_timeout(300)  # violation events are queued as tasks
        assert page.evaluate("() => window.__kbViolations") == []
        schemes = page.evaluate(
            "() => [...document.querySelectorAll('a[href]'), ...document.querySelectorAll('img[src]')]"
            ".map(e => new URL(e.href || e.src, location.href).protocol)"
        )
        assert set(schemes) <= {"http:", "https:"}, sorted(set(schemes))
    finally:
        page.close()
