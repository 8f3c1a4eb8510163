"""Parts of a case-study page that are the same on all of them, rendered once instead of each time.

mkdocs-material renders such parts into every page:
- the whole site nav (`partials/nav.html`): case-study pages are not in the nav, so nothing in it
  is active for them;
- the settings for the theme's scripts (base.html's `config` block): a JSON object holding the
  site's address and about ten translations, each looked up through a macro;
- the header's logo, colour toggle, search link and repository link, the footer, and a dozen
  small partials around the content (scripts, back-to-top button, feedback, comments);
- the header itself, which differs from page to page only by the page's title.
They are written relative to the page's folder, which is at the same depth for every case-study
page, and depend on nothing else about the page but, for the header, its title.

How: the plugin gives each page outside the nav a `SharedParts` for its folder depth, as
`kb_parts` in the template context. A wrapper in front of each part (`install` puts one in front
of each partial in SHARED_PARTIALS; overrides/main.html wraps the config block) renders the part
the first time, keeps the HTML and reuses it after. The header is rendered once with a
stand-in for the title (`TITLE_STAND_IN`), which each page's title then replaces. Pages without
`kb_parts` render every part as before.
"""

from __future__ import annotations

from typing import Any

import jinja2
from markupsafe import Markup

#: The partials rendered once for every case-study page. Each reads only the site's settings
#: and, through relative links, the page's folder depth: the footer's previous and next links are
#: empty for pages outside the nav, and the parts that read the page's metadata (tags, feedback,
#: source-file dates) find only a case study's title and description there, which they do not
#: use. Every case-study page is at one depth, so a test builds the same site with and without
#: sharing and compares every file byte for byte. Only partials that base.html and content.html
#: `include` may be listed: an `import` takes no context.
SHARED_PARTIALS = (
    "partials/nav.html",
    "partials/logo.html",
    "partials/palette.html",
    "partials/javascripts/palette.html",
    "partials/search.html",
    "partials/source.html",
    "partials/footer.html",
    "partials/icons.html",
    "partials/javascripts/base.html",
    "partials/integrations/analytics.html",
    "partials/javascripts/content.html",
    "partials/top.html",
    "partials/tags.html",
    "partials/source-file.html",
    "partials/feedback.html",
    "partials/comments.html",
)
#: Partials that show the page's title (`page.meta.title`, printed as it is) and read nothing
#: else about the page: rendered once with TITLE_STAND_IN as the title.
TITLED_PARTIALS = ("partials/header.html",)
#: Letters only, so no filter or escaping can change it; no title holds it.
TITLE_STAND_IN = "KBPAGETITLESTANDIN"
#: Where the theme's own partial (or its override) is kept for its wrapper to include.
KEPT_AS = "kb/theme/{name}"


#: The wrapper put in front of each shared partial; NAME and KEPT are filled in. One line, so
#: no whitespace of its own reaches the page.
WRAPPER = (
    "{%- if kb_parts is defined and kb_parts.has('NAME') -%}{{ kb_parts.get('NAME') }}"
    "{%- elif kb_parts is defined -%}{%- set kb_rendered -%}{% include 'KEPT' %}{%- endset -%}"
    "{{ kb_parts.keep('NAME', kb_rendered) }}"
    "{%- else -%}{% include 'KEPT' %}{%- endif -%}"
)


#: The wrapper put in front of each titled partial. The first time, the partial is rendered with
#: a page whose title is the stand-in (`with` gives the included partial that page).
TITLED_WRAPPER = (
    "{%- if kb_parts is defined and page.meta and page.meta.title -%}"
    "{%- if kb_parts.has('NAME') -%}{{ kb_parts.titled('NAME', page.meta.title) }}"
    "{%- else -%}{%- with kb_title = page.meta.title, page = kb_parts.stand_in(page) -%}"
    "{%- set kb_rendered -%}{% include 'KEPT' %}{%- endset -%}"
    "{{ kb_parts.keep_titled('NAME', kb_rendered, kb_title) }}{%- endwith -%}{%- endif -%}"
    "{%- else -%}{% include 'KEPT' %}{%- endif -%}"
)


def wrapper(name: str) -> str:
    """The template put in front of partial `name`."""
    template = TITLED_WRAPPER if name in TITLED_PARTIALS else WRAPPER
    return template.replace("NAME", name).replace("KEPT", KEPT_AS.format(name=name))


class SharedParts:
    """The HTML of each shared part for pages outside the nav at one folder depth, once rendered."""

    def __init__(self) -> None:
        self.html: dict[str, Markup] = {}

    def has(self, name: str) -> bool:
        return name in self.html

    def get(self, name: str) -> Markup:
        return self.html[name]

    def keep(self, name: str, rendered: str) -> Markup:
        self.html[name] = Markup(rendered)
        return self.html[name]

    def titled(self, name: str, title: str) -> Markup:
        """Titled partial `name` with this page's title in place of the stand-in."""
        # str's replace: Markup's would escape the title, which templates print as it is.
        return Markup(str.replace(self.html[name], TITLE_STAND_IN, title))

    def keep_titled(self, name: str, rendered: str, title: str) -> Markup:
        """Keep titled partial `name`, rendered with the stand-in; return it with `title`."""
        self.html[name] = Markup(rendered)
        return self.titled(name, title)

    @staticmethod
    def stand_in(page: Any) -> _StandInTitlePage:
        """`page` with the stand-in as its title, to render a titled partial with."""
        return _StandInTitlePage(page)


class _StandInTitlePage:
    """A page whose `title` and `meta.title` are TITLE_STAND_IN; everything else is `page`'s."""

    def __init__(self, page: Any) -> None:
        self._page = page
        self.title = TITLE_STAND_IN
        self.meta = {**page.meta, "title": TITLE_STAND_IN}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._page, name)


class PartsCache:
    """One SharedParts per folder depth: pages at different depths have different relative links."""

    def __init__(self) -> None:
        self.depths: dict[int, SharedParts] = {}

    def for_page(self, page_url: str) -> SharedParts:
        return self.depths.setdefault(page_url.count("/"), SharedParts())


def install(env: jinja2.Environment) -> jinja2.Environment:
    """Put a wrapper in front of each shared partial (the theme's, or the site's override)."""
    assert env.loader is not None
    templates = {}
    for name in (*SHARED_PARTIALS, *TITLED_PARTIALS):
        templates[KEPT_AS.format(name=name)] = env.loader.get_source(env, name)[0]
        templates[name] = wrapper(name)
    env.loader = jinja2.ChoiceLoader([jinja2.DictLoader(templates), env.loader])
    return env
