"""Search: index the built site with Pagefind once, check the index, and name the filters.

`kb build` runs `index_site(site_dir, taxonomy)` as its search stage: it runs Pagefind
(`python -m pagefind`, from the `pagefind[bin]` Python package; no Node) over the whole site,
reads back the records it wrote, and writes search/facets.json: for each filter its label, the
name of every value (the taxonomy's names, never its ids) and how many pages have it. The check
stage then proves, with `check_case_study_records`, that the index holds exactly one record per
published case study.

What pages say to Pagefind (`data-pagefind-body`, filters, sort key, metadata) is written by
kb.site.search_markup, which holds every `data-pagefind-*` name.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kb.content.taxonomy import Taxonomy
from kb.site.search_markup import CASE_STUDY, PAGE_TYPES, SORT_KEY, TYPE_FILTER, YEAR_FILTER

#: The folder Pagefind writes its index to, inside the site folder.
INDEX_DIR = "pagefind"
#: The filter names the search page shows, relative to the site folder.
FACETS_FILE = "search/facets.json"
#: The one language of the site: one index, whatever a page's lang attribute says.
LANGUAGE = "en"
#: Never indexed: the "¶" permalink after each heading (it would show in excerpts).
EXCLUDE_SELECTORS = (".headerlink",)

_FRAGMENT_SIGNATURE = b"pagefind_dcd"


class SearchIndexError(Exception):
    """Pagefind failed, or its index cannot be read."""


@dataclass(frozen=True)
class Record:
    """One page in the search index, as Pagefind stored it."""

    url: str
    title: str
    filters: dict[str, list[str]] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)


def run_pagefind(site_dir: Path) -> None:
    """Run Pagefind's command line over the built site, writing site_dir/pagefind/.

    The command line, not the Python API: the API stops its Pagefind process as soon as it
    answers "written", and on large sites that cut files off half written.
    """
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site_dir),
        "--output-subdir",
        INDEX_DIR,
        "--force-language",
        LANGUAGE,
        "--exclude-selectors",
        ", ".join(EXCLUDE_SELECTORS),
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as error:
        raise SearchIndexError(f"cannot run Pagefind: {error}") from None
    if done.returncode != 0:
        output = done.stdout + done.stderr
        raise SearchIndexError(
            f"Pagefind failed on {site_dir} (exit {done.returncode}):\n{output[-3000:]}"
        )


def read_records(index_dir: Path) -> list[Record]:
    """Every record in a Pagefind index, read from its fragment files, sorted by URL.

    Checks that the fragments agree with the page count in pagefind-entry.json.
    """
    entry_file = index_dir / "pagefind-entry.json"
    try:
        entry = json.loads(entry_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SearchIndexError(
            f"{entry_file}: cannot read the Pagefind entry file: {error}"
        ) from None
    records = [_read_fragment(path) for path in sorted((index_dir / "fragment").glob("*"))]
    expected = sum(int(lang.get("page_count", 0)) for lang in entry.get("languages", {}).values())
    if expected != len(records):
        raise SearchIndexError(
            f"{index_dir}: pagefind-entry.json counts {expected} pages but there are "
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


def site_path(url: str) -> str:
    """An address relative to the site root, the way kb.site.catalogue writes it: "a/b/"."""
    return url.split("#", 1)[0].split("?", 1)[0].lstrip("/")


def check_case_study_records(records: Iterable[Record], expected_urls: Iterable[str]) -> list[str]:
    """Problems unless there is exactly one type:case-study record per expected URL.

    `expected_urls` are the published case studies' addresses. Returns one message per problem,
    each naming the address; an empty list means the index is right.
    """
    expected = Counter(site_path(url) for url in expected_urls)
    indexed = Counter(
        site_path(r.url) for r in records if CASE_STUDY in r.filters.get(TYPE_FILTER, [])
    )
    problems: list[str] = []
    if sum(indexed.values()) != len(expected):
        problems.append(
            f"the search index has {sum(indexed.values())} case-study records but there are "
            f"{len(expected)} published case studies; each must be indexed exactly once"
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
    return problems


def facet_counts(records: Iterable[Record]) -> dict[str, dict[str, int]]:
    """How many records have each value of each filter: the counts before any search."""
    counts: dict[str, Counter[str]] = {}
    for record in records:
        for key, values in record.filters.items():
            counts.setdefault(key, Counter()).update(set(values))
    return {key: dict(sorted(counter.items())) for key, counter in sorted(counts.items())}


def facets(taxonomy: Taxonomy, records: Iterable[Record] | None = None) -> dict:
    """What the search page reads before its first search (search/facets.json).

    The sort key for "newest first", and the filter groups in order, each with its label and
    the name of every known value (from the taxonomy). Values the index holds but this does not
    name (years) are shown as they are. With the index's records, also each value's count.
    """
    groups = [
        {
            "key": TYPE_FILTER,
            "label": "Type of page",
            "names": {kind: names[1] for kind, names in PAGE_TYPES.items()},
        }
    ]
    groups += [
        {
            "key": facet.search_key,
            "label": facet.label,
            "names": {term.id: term.name for term in taxonomy.terms(facet.name)},
        }
        for facet in taxonomy.search_facets
    ]
    groups.append({"key": YEAR_FILTER, "label": "Year the work began", "names": {}})
    data: dict = {
        "version": 2,
        "sort_key": SORT_KEY,
        "filters": groups,
        "result_types": {kind: names[0] for kind, names in PAGE_TYPES.items()},
    }
    if records is not None:
        data["counts"] = facet_counts(records)
    return data


def index_site(site_dir: Path, taxonomy: Taxonomy) -> list[Record]:
    """Index the built site, write the facets file, and return every record indexed.

    The last index is deleted first: Pagefind leaves fragments it no longer writes, and the
    check would then count pages that are gone.
    """
    shutil.rmtree(site_dir / INDEX_DIR, ignore_errors=True)
    run_pagefind(site_dir)
    records = read_records(site_dir / INDEX_DIR)
    facets_file = site_dir / FACETS_FILE
    facets_file.parent.mkdir(parents=True, exist_ok=True)
    document = json.dumps(facets(taxonomy, records), ensure_ascii=False, separators=(",", ":"))
    facets_file.write_text(document + "\n", encoding="utf-8")
    return records
