"""The curated resource lists on the audience hubs, from data/resources.yml."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kb.content.taxonomy import Taxonomy
from kb.site.markup import esc, link, markdown_text, time_element


def resource_list(records: Iterable[dict[str, Any]], audience: str, taxonomy: Taxonomy) -> str:
    """The resources for `audience`, one h2 per topic in taxonomy order, titles A to Z.

    A topic with no resources for this audience is left out; when there are none at all the
    list says so. Each entry: linked title, publisher, year, description, date last checked.
    """
    if audience not in taxonomy.ids("audiences"):
        raise ValueError(
            f"unknown audience {audience!r}; expected one of {taxonomy.ids('audiences')}"
        )
    chosen = [record for record in records if audience in record.get("audience", [])]
    if not chosen:
        return '<p class="kb-empty">There are no resources in this list yet.</p>'
    parts = []
    for topic in taxonomy.terms("resource_topics"):
        entries = sorted(
            (record for record in chosen if record["topic"] == topic.id),
            key=lambda record: record["title"].casefold(),
        )
        if not entries:
            continue
        items = "\n".join(_entry(record) for record in entries)
        parts.append(
            f"## {markdown_text(topic.name)}\n\n<p>{esc(topic.description)}</p>\n\n"
            f'<ul class="kb-resources">\n{items}\n</ul>'
        )
    return "\n\n".join(parts)


def _entry(record: dict[str, Any]) -> str:
    return (
        f'<li><p class="kb-resource__title">{link(record["url"], record["title"])}</p>'
        f"<p>{esc(record['publisher'])}, {esc(record['year'])}. {esc(record['description'])}</p>"
        f'<p class="kb-resource__checked">Link checked {time_element(record["checked"])}.</p></li>'
    )
