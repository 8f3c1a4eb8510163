"""The "Sources" section of a page in docs/ that cites the bibliography in its front matter.

A guide, practice example or history page lists the ids it relies on (`sources: [id, ...]`, ids
from data/sources.yml or data/resources.yml) and the date it was checked (`last_reviewed`). The
build appends the list, so every such page shows where its facts come from.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kb.content.dates import partial_date
from kb.site.markup import esc, link, time_element


def sources_section(
    meta: Mapping[str, Any], bibliography: Mapping[str, dict[str, Any]]
) -> tuple[str | None, list[str]]:
    """Markdown: '## Sources' and an ordered list, then the review date when given; None for a
    page whose front matter has no `sources:` list, or an empty one and no `last_reviewed`.

    Also returns a problem for each id not in `bibliography`; it is left out of the list.
    """
    cited, last_reviewed = meta.get("sources"), meta.get("last_reviewed")
    if not isinstance(cited, list) or not (cited or last_reviewed):
        return None, []
    items, unknown = [], []
    for source_id in map(str, cited):
        record = bibliography.get(source_id)
        if record is None:
            unknown.append(
                f"sources: '{source_id}' is not an id in data/sources.yml or data/resources.yml"
            )
            continue
        items.append(f'<li id="cite-{esc(source_id)}">{_entry(record)}</li>')
    parts = []
    if items:
        parts.append('## Sources\n\n<ol class="kb-citations">\n' + "\n".join(items) + "\n</ol>")
    if last_reviewed:
        parts.append(
            f'<p class="kb-reviewed">Last reviewed {time_element(str(last_reviewed))}.</p>'
        )
    return "\n\n".join(parts), unknown


def _entry(record: dict[str, Any]) -> str:
    title = link(record["url"], record["title"]) if record.get("url") else esc(record["title"])
    text = f"{title}. {esc(record['publisher'])}"
    when = record.get("date") or record.get("year")
    if when:
        text += f", {esc(partial_date(str(when)))}"
    text += "."
    if record.get("note"):
        text += f" {esc(record['note'])}"
    return text
