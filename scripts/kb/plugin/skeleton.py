"""Case-study pages filled into a skeleton rendered once, instead of running the theme for each.

The theme's templates take about a quarter of the processor time a case-study page takes in a
worker, and for case-study pages they write the same HTML around a few of the page's values: its
title, its description, its addresses (canonical and edit), its first heading's anchor (the skip
link), its table of contents and its content. So, in each worker (kb.plugin.parallel), for each
kind of page (`page_kind`):

1. the template is rendered once for a page whose values are stand-ins (`StandInPage`), with
   the table of contents left as a stand-in too, and the HTML is cut at the stand-ins
   (`Skeleton`);
2. each page is then the skeleton's pieces joined with its own values, and its own table of
   contents, which the theme's partial renders for it (`TOC_TEMPLATE`).

A skeleton is checked before it is trusted, and when a check fails, the pages of its kind are
rendered the usual way:
- each stand-in holds `<`, `&` and quotes: if the theme escaped, stripped, cut or otherwise
  changed one, what is left of it no longer matches, and the skeleton is refused;
- the first CHECKED_PAGES pages of each kind are rendered both ways and must come out byte for
  byte the same. A value the skeleton has no stand-in for (the page's own address, say) differs
  between two pages, so it does not pass into every page unnoticed.
What the checks cannot see is a value without a stand-in that the first pages of a kind share
and a later one does not. Case-study pages have none today: a test builds a site of awkward case
studies both ways and compares every file.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jinja2

#: The theme's table-of-contents partial, and where it is kept for its wrapper to include.
TOC_PARTIAL = "partials/toc.html"
KEPT_TOC = "kb/theme/partials/toc.html"
#: Renders the table of contents alone, for one page, as base.html's include does (base.html
#: imports `lang` the same way; the partial reads `lang`, `config` and `page`).
TOC_TEMPLATE = "kb/skeleton/toc.html"
#: The context variable that makes the wrapper print the table of contents' stand-in.
TOC_STAND_IN = "kb_toc_stand_in"
#: What the wrapper prints in place of the theme's table of contents. One line, so no
#: whitespace of its own reaches the page.
TOC_WRAPPER = (
    "{%- if " + TOC_STAND_IN + " is defined -%}{{ " + TOC_STAND_IN + " }}"
    "{%- else -%}{% include '" + KEPT_TOC + "' %}{%- endif -%}"
)
TOC_ALONE = (
    '{%- import "partials/language.html" as lang with context -%}'
    "{%- include '" + KEPT_TOC + "' -%}"
)

#: How many pages of each kind are rendered both ways before the skeleton is trusted.
CHECKED_PAGES = 2

#: Matches any stand-in; group 1 is its slot. See `stand_in`.
_STAND_IN = re.compile(r"<(?:h1 )?kb-stand-in ([a-z_]+) &\"'>")
#: What is left of a stand-in that a filter changed.
_STAND_IN_NAME = "kb-stand-in"


def stand_in(slot: str) -> str:
    """The stand-in for `slot`: any escaping or stripping of tags would change it."""
    return f"<kb-stand-in {slot} &\"'>"


def install(env: jinja2.Environment) -> jinja2.Environment:
    """Put the wrapper in front of the table-of-contents partial, and add TOC_TEMPLATE."""
    assert env.loader is not None
    templates = {
        KEPT_TOC: env.loader.get_source(env, TOC_PARTIAL)[0],
        TOC_PARTIAL: TOC_WRAPPER,
        TOC_TEMPLATE: TOC_ALONE,
    }
    env.loader = jinja2.ChoiceLoader([jinja2.DictLoader(templates), env.loader])
    return env


def slot_values(page: Any) -> dict[str, Any]:
    """The page's value for each slot but the table of contents, as the templates read them."""
    first = next(iter(page.toc), None)
    return {
        "meta_title": page.meta.get("title"),
        "meta_description": page.meta.get("description"),
        "title": page.title,
        "canonical_url": page.canonical_url,
        "edit_url": page.edit_url,
        # The skip link's address is `#` and the first heading's id; the stand-in takes the id.
        "skip": first.url[1:] if first is not None else None,
        "content": page.content,
    }


def page_kind(template_name: str, page: Any, values: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """What pages must share to share a skeleton; None for a page to render the usual way.

    The templates choose what to write by which values a page has (`values`, its
    `slot_values`), which of its metadata keys, whether its content has a level-one heading,
    and its folder (links are relative to it).
    """
    if any(value is not None and not isinstance(value, str) for value in values.values()):
        return None  # printed through str(); only strings are known to print as themselves
    first = next(iter(page.toc), None)
    if first is not None and not first.url.startswith("#"):
        return None  # mkdocs' url filter leaves only "#…" addresses as they are
    return (
        template_name,
        posixpath.dirname(page.url.rstrip("/")),
        frozenset(page.meta),
        tuple(bool(value) for value in values.values()),
        "<h1" in (values["content"] or ""),
    )


class _StandInAnchor:
    """The first entry of a stand-in table of contents: only the skip link reads it."""

    def __init__(self) -> None:
        self.url = "#" + stand_in("skip")
        self.title = stand_in("skip")
        self.level = 1
        self.children: list[Any] = []


class StandInPage:
    """`page` with a stand-in for each slot's value it has (`values`, its `slot_values`);
    everything else is `page`'s.

    A slot the page leaves empty keeps the page's own value, so the templates take the same
    branches for the stand-ins as for the page.
    """

    def __init__(self, page: Any, values: Mapping[str, Any]) -> None:
        self._page = page

        def standing_in(slot: str) -> Any:
            return stand_in(slot) if values[slot] else values[slot]

        self.meta = {**page.meta}
        for key in ("title", "description"):
            if key in page.meta:
                self.meta[key] = standing_in(f"meta_{key}")
        self.title = standing_in("title")
        self.canonical_url = standing_in("canonical_url")
        self.edit_url = standing_in("edit_url")
        self.toc = [_StandInAnchor()] if values["skip"] is not None else []
        # content.html writes a heading of its own unless the content has one.
        content = standing_in("content")
        if values["content"] and "<h1" in values["content"]:
            content = "<h1 " + content[1:]
        self.content = content

    def __getattr__(self, name: str) -> Any:
        return getattr(self._page, name)


@dataclass(frozen=True)
class Skeleton:
    """A page's HTML cut at its stand-ins: literal text at even places, slot names at odd."""

    pieces: tuple[str, ...]

    @classmethod
    def cut(cls, html: str) -> Skeleton | None:
        """The skeleton of `html`, or None if a stand-in was changed on its way into it."""
        pieces = tuple(_STAND_IN.split(html))
        if any(_STAND_IN_NAME in text for text in pieces[::2]):
            return None
        return cls(pieces)

    def fill(self, values: Mapping[str, str]) -> str:
        """The page with `values` in the slots: each value is placed once, never searched."""
        return "".join(
            piece if place % 2 == 0 else values[piece] for place, piece in enumerate(self.pieces)
        )


@dataclass
class _Kind:
    #: None when the skeleton was refused: pages of this kind are rendered the usual way.
    skeleton: Skeleton | None
    #: Pages rendered both ways so far, and found the same.
    checked: int = 0


class Skeletons:
    """Stands in for the Environment mkdocs' `_build_page` gets a page's template from."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self.kinds: dict[tuple[Any, ...], _Kind] = {}

    def get_template(self, name: str) -> _SkeletonTemplate:
        return _SkeletonTemplate(self, self.env.get_template(name))

    def render(self, template: jinja2.Template, context: dict[str, Any]) -> str:
        """`template` rendered for context["page"], from a skeleton where one can be trusted."""
        page = context["page"]
        values = slot_values(page)
        key = page_kind(template.name or "", page, values)
        kind = self.kinds.get(key) if key is not None else None
        if key is None or (kind is not None and kind.skeleton is None):
            return template.render(context)
        if kind is not None and kind.checked >= CHECKED_PAGES:
            assert kind.skeleton is not None
            return kind.skeleton.fill(self._filling(values, context))
        html = template.render(context)
        if kind is None:
            page_of_stand_ins = StandInPage(page, values)
            stand_ins = {**context, "page": page_of_stand_ins, TOC_STAND_IN: stand_in("toc")}
            kind = self.kinds[key] = _Kind(Skeleton.cut(template.render(stand_ins)))
        if kind.skeleton is not None and kind.skeleton.fill(self._filling(values, context)) == html:
            kind.checked += 1
        else:
            kind.skeleton = None
        return html

    def _filling(self, values: Mapping[str, Any], context: dict[str, Any]) -> dict[str, str]:
        """What goes in each slot: the page's `slot_values`, and its table of contents."""
        filling = {slot: value or "" for slot, value in values.items()}
        filling["toc"] = self.env.get_template(TOC_TEMPLATE).render(context)
        return filling


class _SkeletonTemplate:
    """A page template whose `render` goes through the worker's Skeletons."""

    def __init__(self, skeletons: Skeletons, template: jinja2.Template) -> None:
        self.skeletons = skeletons
        self.template = template

    def render(self, context: dict[str, Any]) -> str:
        return self.skeletons.render(self.template, context)
