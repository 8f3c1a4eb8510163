"""Search: index the built site with Pagefind, check the index, and name the search filters.

`kb build` runs `build_index(site_dir)` as its search stage (steps 1 and 2) and `check_index`
in its check stage (step 3):

1. `index_site(site_dir)`: runs Pagefind (`python -m pagefind`, from the `pagefind[bin]` Python
   package; no Node) over the built HTML and returns every record it wrote, read back from the
   bundle itself.
2. `write_facets(site_dir, taxonomy, records)`: writes search/facets.json, for each filter the
   search page shows its label, the name of every value (the taxonomy's names, never its ids)
   and how many pages have it.
3. `check_case_study_records(records, urls)`: proves the index holds exactly one record per
   published case study, by count and by address, and names anything missing or extra.

Pages say what to index with data attributes the site plugin writes (see STYLE.md, Pagefind):
`data-pagefind-body`, `data-pagefind-filter="type:case-study"`, `category:<id>`, … and
`data-pagefind-meta`, `data-pagefind-sort="published:<date>"`.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kb.taxonomy import Taxonomy, load_taxonomy

#: The folder Pagefind writes its bundle to, inside the site folder.
BUNDLE_DIR = "pagefind"
#: The filter names the search page shows, relative to the site folder.
FACETS_FILE = "search/facets.json"
#: The one language of the site: one index, whatever a page's lang attribute says.
LANGUAGE = "en"
#: Never indexed: the "¶" permalink after each heading (it would show in excerpts).
EXCLUDE_SELECTORS = (".headerlink",)

#: The filter that says what kind of page a record is, and the name of each kind.
TYPE_FILTER = "type"
CASE_STUDY = "case-study"
PAGE_TYPES: dict[str, str] = {
    CASE_STUDY: "Case studies",
    "resource": "Resources",
    "guide": "Guides",
}
#: The same, for one result.
PAGE_TYPE_SINGULAR: dict[str, str] = {
    CASE_STUDY: "Case study",
    "resource": "Resource",
    "guide": "Guide",
}

#: Each filter the search page shows, in order: (Pagefind key, label, taxonomy list or None).
FILTERS: tuple[tuple[str, str, str | None], ...] = (
    (TYPE_FILTER, "Type of page", None),
    ("category", "Category", "categories"),
    ("region", "Region", "regions"),
    ("commissioner_type", "Commissioner type", "commissioner_types"),
    ("service_area", "Service area", "service_areas"),
    ("sourcing", "How the work was funded or bought", "sourcing"),
    ("year", "Year the work began", None),
)

_FRAGMENT_SIGNATURE = b"pagefind_dcd"


class SearchIndexError(Exception):
    """Pagefind failed, or its bundle cannot be read."""


@dataclass(frozen=True)
class Record:
    """One page in the search index, as Pagefind stored it."""

    url: str
    title: str
    filters: dict[str, list[str]] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def page_type(self) -> str | None:
        values = self.filters.get(TYPE_FILTER) or []
        return values[0] if len(values) == 1 else None


@dataclass(frozen=True)
class IndexReport:
    """What indexing wrote: every record and where the bundle is."""

    bundle_dir: Path
    records: tuple[Record, ...]
    #: HTML files Pagefind read, including those it skipped for having no data-pagefind-body.
    files_read: int

    def count(self, page_type: str) -> int:
        """How many records have this type filter."""
        return sum(1 for record in self.records if record.page_type == page_type)

    def summary(self) -> str:
        """One line for the build log."""
        kinds = ", ".join(f"{self.count(kind)} {name.lower()}" for kind, name in PAGE_TYPES.items())
        size = sum(p.stat().st_size for p in self.bundle_dir.rglob("*") if p.is_file())
        return (
            f"Search index: {len(self.records)} pages ({kinds}) from {self.files_read} HTML "
            f"files; bundle {size / 1_000_000:.1f} MB in {self.bundle_dir.name}/"
        )


# ---------------------------------------------------------------------------------------------
# Indexing
# ---------------------------------------------------------------------------------------------


def index_site(site_dir: Path) -> IndexReport:
    """Run Pagefind over the built site and return the records it wrote.

    Any earlier bundle is removed first, so the records read back are exactly this run's.
    """
    site_dir = site_dir.resolve()
    if not (site_dir / "index.html").is_file():
        raise SearchIndexError(f"{site_dir}: not a built site (no index.html); build it first")
    bundle = site_dir / BUNDLE_DIR
    if bundle.exists():
        shutil.rmtree(bundle)
    files_read = _run_pagefind(site_dir, bundle)
    return IndexReport(
        bundle_dir=bundle, records=tuple(read_records(bundle)), files_read=files_read
    )


def _run_pagefind(site_dir: Path, bundle: Path) -> int:
    """Run Pagefind's command line (`python -m pagefind`, from pagefind[bin]) over the site.

    The command line, not the Python API: the API stops its Pagefind process as soon as it
    answers "written", and on large sites that cut files off half written.
    Returns how many HTML files Pagefind read.
    """
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site_dir),
        "--output-path",
        str(bundle),
        "--force-language",
        LANGUAGE,
        "--exclude-selectors",
        ", ".join(EXCLUDE_SELECTORS),
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as error:
        raise SearchIndexError(f"cannot run Pagefind: {error}") from None
    output = done.stdout + done.stderr
    if done.returncode != 0:
        raise SearchIndexError(
            f"Pagefind failed on {site_dir} (exit {done.returncode}):\n{output[-3000:]}"
        )
    found = re.search(r"Found (\d+) files? matching", output)
    return int(found.group(1)) if found else 0


def read_records(bundle_dir: Path) -> list[Record]:
    """Every record in a Pagefind bundle, read from its fragment files, sorted by URL.

    Checks that the fragments agree with the page counts in pagefind-entry.json.
    """
    entry_file = bundle_dir / "pagefind-entry.json"
    try:
        entry = json.loads(entry_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SearchIndexError(
            f"{entry_file}: cannot read the Pagefind entry file: {error}"
        ) from None
    records = [_read_fragment(path) for path in sorted((bundle_dir / "fragment").glob("*"))]
    expected = sum(int(lang.get("page_count", 0)) for lang in entry.get("languages", {}).values())
    if expected != len(records):
        raise SearchIndexError(
            f"{bundle_dir}: pagefind-entry.json counts {expected} pages but there are "
            f"{len(records)} fragments; index into an empty folder"
        )
    return sorted(records, key=lambda record: record.url)


def _read_fragment(path: Path) -> Record:
    try:
        data = gzip.decompress(path.read_bytes())
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise SearchIndexError(f"{path}: not a Pagefind fragment: {error}") from None
    if not data.startswith(_FRAGMENT_SIGNATURE):
        raise SearchIndexError(f"{path}: not a Pagefind fragment (no signature)")
    try:
        fragment = json.loads(data[len(_FRAGMENT_SIGNATURE) :])
    except ValueError as error:
        raise SearchIndexError(f"{path}: unreadable Pagefind fragment: {error}") from None
    meta = {str(k): str(v) for k, v in (fragment.get("meta") or {}).items()}
    filters = {str(k): [str(v) for v in vs] for k, vs in (fragment.get("filters") or {}).items()}
    return Record(url=str(fragment["url"]), title=meta.get("title", ""), filters=filters, meta=meta)


# ---------------------------------------------------------------------------------------------
# Checking
# ---------------------------------------------------------------------------------------------


def site_path(url: str) -> str:
    """An address relative to the site root, the way CaseStudy.url writes it: "a/b/"."""
    return url.split("#", 1)[0].split("?", 1)[0].lstrip("/")


def check_case_study_records(records: Iterable[Record], expected_urls: Iterable[str]) -> list[str]:
    """Problems unless there is exactly one type:case-study record per expected URL.

    `expected_urls` are the published case studies' addresses (CaseStudy.url). Returns one
    message per problem, each naming the address; an empty list means the index is right.
    """
    expected = Counter(site_path(url) for url in expected_urls)
    indexed = Counter(site_path(r.url) for r in records if CASE_STUDY in r.filters.get("type", []))
    problems: list[str] = []
    total_indexed, total_expected = sum(indexed.values()), len(expected)
    if total_indexed != total_expected:
        problems.append(
            f"the search index has {total_indexed} case-study records but there are "
            f"{total_expected} published case studies; each must be indexed exactly once"
        )
    problems += [
        f"published case study missing from the search index: /{url} (its page needs "
        'data-pagefind-body and data-pagefind-filter="type:case-study")'
        for url in sorted(expected.keys() - indexed.keys())
    ]
    problems += [
        f"search index has a case-study record that is not a published case study: /{url}"
        for url in sorted(indexed.keys() - expected.keys())
    ]
    problems += [
        f"case study indexed {indexed[url]} times: /{url}"
        for url in sorted(indexed)
        if indexed[url] > 1
    ]
    problems += [
        f"case study listed {expected[url]} times among the published: /{url}"
        for url in sorted(expected)
        if expected[url] > 1
    ]
    return problems


# ---------------------------------------------------------------------------------------------
# Filter names for the search page
# ---------------------------------------------------------------------------------------------


def facet_counts(records: Iterable[Record]) -> dict[str, dict[str, int]]:
    """How many records have each value of each filter: the counts before any search."""
    counts: dict[str, Counter[str]] = {}
    for record in records:
        for key, values in record.filters.items():
            counts.setdefault(key, Counter()).update(set(values))
    return {key: dict(sorted(counter.items())) for key, counter in sorted(counts.items())}


def facets(taxonomy: Taxonomy | None = None, records: Iterable[Record] | None = None) -> dict:
    """The search page's filter groups: order, labels and the name of every known value.

    Values the index holds but this does not name (years, or a new id) are shown as they are.
    With the index's records, also each value's count, so the page can show the filters with
    their counts before it downloads any of Pagefind's filter files.
    """
    taxonomy = taxonomy or load_taxonomy()
    groups = []
    for key, label, facet in FILTERS:
        if key == TYPE_FILTER:
            names = dict(PAGE_TYPES)
        elif facet is not None:
            names = {term.id: term.name for term in taxonomy.terms(facet)}
        else:
            names = {}
        groups.append({"key": key, "label": label, "names": names})
    data: dict = {"version": 1, "filters": groups, "result_types": dict(PAGE_TYPE_SINGULAR)}
    if records is not None:
        data["counts"] = facet_counts(records)
    return data


def write_facets(
    site_dir: Path, taxonomy: Taxonomy | None = None, records: Iterable[Record] | None = None
) -> Path:
    """Write search/facets.json into the built site; return its path."""
    path = site_dir / FACETS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(facets(taxonomy, records), ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
    return path


def build_index(site_dir: Path, taxonomy: Taxonomy | None = None) -> list[str]:
    """The `search` stage of `kb build`: index the built site and write the facets file.

    Returns the problems (Pagefind failed), or an empty list.
    """
    try:
        report = index_site(site_dir)
        write_facets(site_dir, taxonomy, report.records)
    except SearchIndexError as error:
        return [f"search index: {error}"]
    return []


def check_index(site_dir: Path, published_urls: Iterable[str]) -> list[str]:
    """Read the built index back and check one record per published case study.

    Part of the `check` stage of `kb build`; returns one message per problem.
    """
    try:
        records = read_records(site_dir / BUNDLE_DIR)
    except SearchIndexError as error:
        return [f"search index: {error}"]
    return check_case_study_records(records, published_urls)


def first_search_bytes(site_dir: Path, query: str) -> int:
    """Bytes a first search downloads on the built site (see kb.search_bytes; needs Chromium)."""
    from kb.search_bytes import first_search_bytes as measure

    return measure(site_dir, query)
