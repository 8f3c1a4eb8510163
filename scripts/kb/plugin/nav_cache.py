"""The site nav, rendered once for every case-study page instead of once for each.

mkdocs-material renders the whole nav (`partials/nav.html`) into every page: about a quarter of
the time a case-study page takes. Case-study pages are not in the nav, so nothing in it is
active for them, and its links are relative to the page's folder, which is at the same depth for
all of them: their nav HTML is the same. `install` puts a wrapper in front of the theme's nav
partial: for a page given a `NavSlot` in its context (the plugin gives one to pages outside the
nav, one slot per folder depth) the first page renders the theme's partial and keeps the HTML,
and the others reuse it. Every other page renders the theme's partial as before.
"""

from __future__ import annotations

import jinja2
from markupsafe import Markup

#: The theme's nav partial, as base.html includes it.
NAV = "partials/nav.html"
#: The same partial under a name of its own, for the wrapper to include.
THEME_NAV = "kb/theme-nav.html"
#: Written on one line: no whitespace of its own reaches the page.
WRAPPER = (
    "{%- if kb_nav is defined and kb_nav.html is not none -%}{{ kb_nav.html }}"
    "{%- elif kb_nav is defined -%}{%- set kb_rendered -%}{% include '" + THEME_NAV + "' %}"
    "{%- endset -%}{{ kb_nav.keep(kb_rendered) }}"
    "{%- else -%}{% include '" + THEME_NAV + "' %}{%- endif -%}"
)


class NavSlot:
    """The nav HTML shared by pages outside the nav at one folder depth, once rendered."""

    def __init__(self) -> None:
        self.html: Markup | None = None

    def keep(self, rendered: str) -> Markup:
        self.html = Markup(rendered)
        return self.html


class NavCache:
    """One NavSlot per folder depth (pages at different depths have different relative links)."""

    def __init__(self) -> None:
        self.slots: dict[int, NavSlot] = {}

    def slot(self, page_url: str) -> NavSlot:
        return self.slots.setdefault(page_url.count("/"), NavSlot())


def install(env: jinja2.Environment) -> jinja2.Environment:
    """Put the wrapper in front of the theme's nav partial (or any override of it)."""
    assert env.loader is not None
    source = env.loader.get_source(env, NAV)[0]
    env.loader = jinja2.ChoiceLoader(
        [jinja2.DictLoader({NAV: WRAPPER, THEME_NAV: source}), env.loader]
    )
    return env
