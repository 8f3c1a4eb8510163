"""Open data written with the site: /api/case-studies.json, /api/case-studies.csv, /feed.xml.

Each function returns text; the plugin writes it into the built site. Only published case
studies are given to these functions, and every address in them is absolute (from site_url).
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urljoin

from kb.content import licence
from kb.content.casestudy import CaseStudy
from kb.content.taxonomy import Taxonomy
from kb.site.catalogue import BROWSE_URL, case_url
from kb.site.markup import esc

JSON_PATH = "api/case-studies.json"
CSV_PATH = "api/case-studies.csv"
FEED_PATH = "feed.xml"

ATOM_NS = "http://www.w3.org/2005/Atom"


def absolute_url(site_url: str, path: str) -> str:
    """`path` (site-root-relative) as a full address under `site_url`."""
    return urljoin(site_url if site_url.endswith("/") else site_url + "/", path)


def case_url_at(site_url: str, case: CaseStudy) -> str:
    """The full address of a case study's page."""
    return absolute_url(site_url, case_url(case.slug))


def case_studies_json(cases: Sequence[CaseStudy], site_url: str) -> str:
    """The JSON export: {"count": N, "case_studies": [...]}, in the order given; each record is
    the slug, the url, then the front matter exactly as written."""
    records = [{"slug": c.slug, "url": case_url_at(site_url, c), **c.meta} for c in cases]
    document = {
        "license": {"name": licence.NAME, "spdx": licence.SPDX, "url": licence.URL},
        "count": len(records),
        "case_studies": records,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


#: The CSV columns, one row per case study, each with what it holds (the open-data page shows
#: this table). Lists are joined with "; ". Every id column has a name column beside it, so the
#: file reads well in a spreadsheet and still joins on stable ids.
CSV_FIELDS: tuple[tuple[str, str], ...] = (
    ("slug", "The case study's stable id, also the end of its address."),
    ("url", "The case study's page on this site."),
    ("title", "Its title."),
    ("summary", "Two or three sentences saying what happened."),
    ("dpulo_name", "The disabled people's user-led organisation (DPULO)."),
    ("dpulo_website", "The DPULO's website, if it has one."),
    ("dpulo_description", "One sentence about the DPULO."),
    ("commissioner_name", "The main commissioner."),
    ("commissioner_type", "The main commissioner's type, as an id (see the glossary)."),
    ("commissioner_type_name", "The main commissioner's type, as readers see it."),
    ("other_commissioner_names", "Other commissioners involved."),
    ("other_commissioner_types", "Their types, as ids, in the same order."),
    ("other_commissioner_type_names", "Their types, as readers see them."),
    ("region", "The region, as an id."),
    ("region_name", "The region, as readers see it."),
    ("categories", "The categories, as ids."),
    ("category_names", "The categories, as readers see them."),
    ("service_areas", "The services involved, as ids."),
    ("service_area_names", "The services involved, as readers see them."),
    ("sourcing", "How the work was funded or bought, as an id (may be empty)."),
    ("sourcing_name", "How the work was funded or bought, as readers see it."),
    ("outcome", "How the relationship stands, as an id, such as 'funding-cut' or 'not-known'."),
    ("outcome_name", "How the relationship stands, as readers see it."),
    ("period_start", "When the work began: YYYY or YYYY-MM, or 'unknown'."),
    ("period_end", "When it ended: YYYY or YYYY-MM, 'ongoing' or 'unknown'."),
    ("period_confirmed", "For work still going on: when a source last showed it (YYYY-MM)."),
    ("published", "The date the case study was published here (YYYY-MM-DD)."),
    ("reviewed", "The date it was last checked (YYYY-MM-DD)."),
    ("status", "Always 'published': drafts are never exported."),
    ("consent", "On what basis it is published, such as 'published-sources'."),
    ("source_urls", "The published sources it is based on."),
)
CSV_COLUMNS = tuple(column for column, _ in CSV_FIELDS)


def csv_row(case: CaseStudy, site_url: str, taxonomy: Taxonomy) -> dict[str, str]:
    """A case study flattened to the CSV columns."""
    meta = case.meta
    others = meta.get("other_commissioners") or []

    def names(facet: str, ids: list[str]) -> str:
        return "; ".join(taxonomy.name(facet, i) for i in ids)

    sourcing = meta.get("sourcing") or ""
    outcome = meta.get("outcome") or ""
    return {
        "slug": case.slug,
        "url": case_url_at(site_url, case),
        "title": meta["title"],
        "summary": meta["summary"],
        "dpulo_name": meta["dpulo"]["name"],
        "dpulo_website": meta["dpulo"].get("website") or "",
        "dpulo_description": meta["dpulo"].get("description") or "",
        "commissioner_name": meta["commissioner"]["name"],
        "commissioner_type": meta["commissioner"]["type"],
        "commissioner_type_name": names("commissioner_types", [meta["commissioner"]["type"]]),
        "other_commissioner_names": "; ".join(c["name"] for c in others),
        "other_commissioner_types": "; ".join(c["type"] for c in others),
        "other_commissioner_type_names": names("commissioner_types", [c["type"] for c in others]),
        "region": meta["region"],
        "region_name": names("regions", [meta["region"]]),
        "categories": "; ".join(meta["categories"]),
        "category_names": names("categories", list(meta["categories"])),
        "service_areas": "; ".join(meta.get("service_areas") or []),
        "service_area_names": names("service_areas", list(meta.get("service_areas") or [])),
        "sourcing": sourcing,
        "sourcing_name": names("sourcing", [sourcing]) if sourcing else "",
        "period_start": meta["period"]["start"],
        "period_end": meta["period"].get("end") or "",
        "period_confirmed": meta["period"].get("confirmed") or "",
        "outcome": outcome,
        "outcome_name": names("outcomes", [outcome]) if outcome else "",
        "published": meta["published"],
        "reviewed": meta["reviewed"],
        "status": meta["status"],
        "consent": meta["consent"],
        "source_urls": "; ".join(source["url"] for source in meta.get("sources") or []),
    }


def _spreadsheet_safe(value: str) -> str:
    """Stop a spreadsheet running a cell as a formula: prefix =, +, -, @ (and tab, CR) with '.

    Commissioners open this file in Excel; a title starting '=' must stay text (OWASP's advice
    on CSV injection).
    """
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def case_studies_csv(cases: Sequence[CaseStudy], site_url: str, taxonomy: Taxonomy) -> str:
    """The CSV export, with a header row, in the order given (names from `taxonomy`)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for case in cases:
        row = csv_row(case, site_url, taxonomy)
        writer.writerow({key: _spreadsheet_safe(value) for key, value in row.items()})
    return out.getvalue()


def atom_feed(
    cases: Sequence[CaseStudy],
    *,
    site_url: str,
    site_name: str,
    taxonomy: Taxonomy,
    limit: int,
    fallback_updated: str = "2026-01-01",
) -> str:
    """An Atom feed of the newest `limit` case studies, newest published first.

    ElementTree escapes every value. `fallback_updated` (YYYY-MM-DD) dates a feed with no entries.
    """

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, tag, attrs)
        element.text = text
        return element

    newest = sorted(cases, key=lambda case: (case.published, case.slug), reverse=True)[:limit]
    feed = ET.Element("feed", xmlns=ATOM_NS)
    sub(feed, "title", f"{site_name}: case studies")
    sub(
        feed,
        "subtitle",
        "New case studies of disabled people's user-led organisations "
        "working with public commissioners.",
    )
    feed_url = absolute_url(site_url, FEED_PATH)
    sub(feed, "id", feed_url)
    sub(feed, "rights", f"{licence.TITLE} ({licence.NAME}): {licence.URL}")
    sub(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
    sub(feed, "link", rel="alternate", type="text/html", href=absolute_url(site_url, BROWSE_URL))
    dates = [max(case.published, case.reviewed) for case in newest]
    sub(feed, "updated", _timestamp(max(dates) if dates else fallback_updated))
    sub(sub(feed, "author"), "name", site_name)
    for case in newest:
        url = case_url_at(site_url, case)
        entry = sub(feed, "entry")
        sub(entry, "title", case.title, type="text")
        sub(entry, "id", url)
        sub(entry, "link", rel="alternate", type="text/html", href=url)
        sub(entry, "published", _timestamp(case.published))
        sub(entry, "updated", _timestamp(max(case.published, case.reviewed)))
        sub(sub(entry, "author"), "name", str(case.meta["dpulo"]["name"]))
        for category in case.categories:
            sub(entry, "category", term=category, label=taxonomy.name("categories", category))
        sub(entry, "summary", case.summary, type="text")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _timestamp(day: str) -> str:
    return f"{day}T00:00:00Z"


def write_exports(
    site_dir: Path,
    published: Sequence[CaseStudy],
    taxonomy: Taxonomy,
    *,
    site_url: str,
    site_name: str,
    feed_limit: int,
) -> None:
    """Write the JSON and CSV exports and the Atom feed of the published case studies."""
    outputs = {
        JSON_PATH: case_studies_json(published, site_url),
        CSV_PATH: case_studies_csv(published, site_url, taxonomy),
        FEED_PATH: atom_feed(
            published, site_url=site_url, site_name=site_name, taxonomy=taxonomy, limit=feed_limit
        ),
    }
    for relative, text in outputs.items():
        target = site_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def csv_fields_table() -> str:
    """The open-data page's table of CSV columns (HTML, so it needs no Markdown table syntax)."""
    rows = "\n".join(
        f'<tr><th scope="row"><code>{esc(column)}</code></th><td>{esc(text)}</td></tr>'
        for column, text in CSV_FIELDS
    )
    return (
        '<div class="kb-table-scroll" tabindex="0" role="region" aria-label="CSV columns">\n'
        "<table>\n<caption>The columns of case-studies.csv</caption>\n"
        '<thead><tr><th scope="col">Column</th><th scope="col">What it holds</th></tr></thead>'
        f"\n<tbody>\n{rows}\n</tbody>\n</table>\n</div>"
    )
