"""The pages a term's page points to (`see_also:` in data/taxonomy.yml), and their link texts.

A term's page links its own glossary entry, then every page its `see_also:` lists. The link
text is the page's title; a glossary entry's is the entry itself ("Glossary: TUPE: Transfer of
Undertakings …"), and another page's section is "Page title (section)".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from kb.content.taxonomy import Taxonomy
from kb.site.glossary import acronym_text, anchor

GLOSSARY_PAGE = "glossary.md"

_TITLE = re.compile(r"^title:\s*[\"']?(.*?)[\"']?\s*$", re.MULTILINE)
_HEADING = re.compile(r"^#\s+(.+?)\s*(\{.*\})?\s*$", re.MULTILINE)


def page_title(path: Path) -> str | None:
    """A docs page's title: its front matter `title:`, else its first level-one heading."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    if text.startswith("---"):
        front = text.split("---", 2)[1]
        found = _TITLE.search(front)
        if found:
            return found.group(1).replace('\\"', '"')
    found = _HEADING.search(text)
    return found.group(1) if found else None


def see_also_titles(
    taxonomy: Taxonomy,
    acronyms: Iterable[dict[str, Any]],
    title_of: Callable[[str], str | None],
) -> dict[str, str]:
    """Link text for every `see_also:` entry and every term's own glossary entry.

    `title_of(path)` gives a docs page's title (None when there is no such page: the entry is
    then left out here, and the build's link check reports the missing page).
    """
    titles = {
        f"{GLOSSARY_PAGE}#{anchor('term', entry['term'])}": f"Glossary: {acronym_text(entry)}"
        for entry in acronyms
    }
    terms = [
        (facet, term) for facet in taxonomy.facets.values() for term in taxonomy.terms(facet.name)
    ]
    for facet, term in terms:
        titles[f"{GLOSSARY_PAGE}#{anchor(facet.anchor, term.id)}"] = f"Glossary: {term.name}"
    for item in sorted({item for _, term in terms for item in term.see_also} - titles.keys()):
        page, _, section = item.partition("#")
        title = title_of(page)
        if title is not None:
            titles[item] = f"{title} (section)" if section else title
    return titles
