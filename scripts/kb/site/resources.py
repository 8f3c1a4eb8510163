"""The curated resource lists on the audience hubs, from data/resources.yml.

A hub page asks for a list with a marker: `<!-- kb:resources AUDIENCE -->` lists everything for
that audience under one heading per topic; `<!-- kb:resources AUDIENCE TOPIC [TOPIC ...] -->`
lists, without headings, only that audience's resources in those topics, for one section of a
hub that has its own heading.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from kb.content.taxonomy import Taxonomy
from kb.site.markup import esc, link, markdown_text, time_element

EMPTY = '<p class="kb-empty">There are no resources in this list yet.</p>'


def resource_marker(records: Iterable[dict[str, Any]], argument: str, taxonomy: Taxonomy) -> str:
    """What `<!-- kb:resources AUDIENCE [TOPIC ...] -->` becomes, from its words `argument`."""
    words = argument.split()
    if not words:
        raise ValueError(
            "say whose list it is: <!-- kb:resources AUDIENCE --> or "
            "<!-- kb:resources AUDIENCE TOPIC ... -->"
        )
    audience, *topics = words
    return resource_list(records, audience, taxonomy, topics=topics or None)


def chosen_resources(
    records: Iterable[dict[str, Any]],
    audience: str,
    taxonomy: Taxonomy,
    topics: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """The records for `audience` (and, when given, in one of `topics`), titles A to Z.

    Raises ValueError for an audience or topic that is not in the taxonomy, so a misspelt
    marker is reported rather than silently showing nothing.
    """
    if audience not in taxonomy.ids("audiences"):
        raise ValueError(
            f"unknown audience {audience!r}; expected one of {taxonomy.ids('audiences')}"
        )
    known = taxonomy.ids("resource_topics")
    unknown = [topic for topic in topics or () if topic not in known]
    if unknown:
        raise ValueError(f"unknown topic {unknown[0]!r}; expected one of {known}")
    return sorted(
        (
            record
            for record in records
            if audience in record.get("audience", [])
            and (topics is None or record.get("topic") in topics)
        ),
        key=lambda record: record["title"].casefold(),
    )


def resource_list(
    records: Iterable[dict[str, Any]],
    audience: str,
    taxonomy: Taxonomy,
    *,
    topics: Sequence[str] | None = None,
) -> str:
    """The resources for `audience`.

    Without `topics`: one h2 per topic in taxonomy order, titles A to Z; a topic with no
    resources for this audience is left out. With `topics`: one list, titles A to Z, no
    heading (the page's own section heading introduces it). When there are none at all the
    list says so. Each entry: linked title, publisher, year, description, date last checked.
    """
    chosen = chosen_resources(records, audience, taxonomy, topics)
    if not chosen:
        return EMPTY
    if topics is not None:
        return _items(chosen)
    parts = []
    for topic in taxonomy.terms("resource_topics"):
        entries = [record for record in chosen if record["topic"] == topic.id]
        if entries:
            parts.append(
                f"## {markdown_text(topic.name)}\n\n<p>{esc(topic.description)}</p>\n\n"
                f"{_items(entries)}"
            )
    return "\n\n".join(parts)


def _items(records: Iterable[dict[str, Any]]) -> str:
    items = "\n".join(
        f'<li><p class="kb-resource__title">{link(record["url"], record["title"])}</p>'
        f"<p>{esc(record['publisher'])}, {esc(record['year'])}. {esc(record['description'])}</p>"
        f'<p class="kb-resource__checked">Link checked {time_element(record["checked"])}.</p></li>'
        for record in records
    )
    return f'<ul class="kb-resources">\n{items}\n</ul>'
