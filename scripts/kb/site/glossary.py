"""The glossary: acronyms from data/glossary.yml, then every term of every taxonomy list."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from kb.content.taxonomy import Taxonomy
from kb.site.markup import esc, markdown_text


def glossary(acronyms: Iterable[dict[str, Any]], taxonomy: Taxonomy) -> str:
    """Markdown: an h2 per list and a <dl> of its terms. Each <dt> has an id to link to."""
    parts = []
    entries = sorted(acronyms, key=lambda entry: entry["term"].casefold())
    if entries:
        items = "\n".join(
            f'<dt id="{esc(anchor("term", entry["term"]))}">{esc(acronym_text(entry))}</dt>\n'
            f"<dd>{esc(entry['description'])}</dd>"
            for entry in entries
        )
        parts.append(f'## Acronyms and terms\n\n<dl class="kb-glossary">\n{items}\n</dl>')
    for facet in taxonomy.facets.values():
        items = "\n".join(
            f'<dt id="{esc(anchor(facet.anchor, term.id))}">{esc(term.name)}</dt>\n'
            f"<dd>{esc(term.description)}</dd>"
            for term in taxonomy.terms(facet.name)
        )
        heading = markdown_text(facet.glossary_heading)
        parts.append(f'## {heading}\n\n<dl class="kb-glossary">\n{items}\n</dl>')
    return "\n\n".join(parts)


def acronym_text(entry: dict[str, Any]) -> str:
    """'TUPE: Transfer of …' (plain text); a term that is its own expansion is shown once."""
    term, expansion = entry["term"], entry["expansion"]
    if term.casefold() == expansion.casefold():
        return term
    return f"{term}: {expansion}"


def anchor(prefix: str, text: str) -> str:
    """The id of a glossary entry: prefix, then the text in lower-case words joined by hyphens."""
    return f"{prefix}-" + (re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x")
