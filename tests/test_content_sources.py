"""Every fact about a real body has a source, and every source cited exists.

Case studies compiled from published sources (consent: published-sources) carry, for every
source, at least one short verbatim quote the page relies on. Docs pages may cite only
bibliography entries (data/sources.yml) or resources (data/resources.yml) that exist.

Everything this module reads is inside the repository: it reads the files directly with PyYAML,
so it runs on a fresh clone and on CI.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CASE_STUDIES = ROOT / "case_studies"
DOCS = ROOT / "docs"
DATA = ROOT / "data"


def front_matter(path: Path) -> tuple[dict, str] | None:
    """(front matter, body) of a Markdown file that starts with a --- block, else None."""
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    if not text.startswith("---\n"):
        return None
    head, sep, body = text[4:].partition("\n---\n")
    if not sep:
        return None
    meta = yaml.safe_load(head) or {}
    return (meta, body) if isinstance(meta, dict) else None


def case_study_files() -> list[Path]:
    return sorted(p for p in CASE_STUDIES.glob("*.md") if not p.name.startswith(("_", ".")))


@cache
def compiled_case_studies() -> list[tuple[str, dict, str]]:
    """Read once: two parametrisations and a test use it, and no test changes it."""
    cases = []
    for path in case_study_files():
        split = front_matter(path)
        assert split is not None, f"{path.name}: no front matter"
        meta, body = split
        if meta.get("consent") == "published-sources":
            cases.append((path.stem, meta, body))
    return cases


def test_at_least_twelve_compiled_case_studies_are_published():
    published = [c for c in compiled_case_studies() if c[1].get("status") == "published"]
    assert len(published) >= 12


@pytest.mark.parametrize("case", compiled_case_studies(), ids=lambda case: case[0])
def test_compiled_case_study_quotes_every_source_briefly(case):
    """Every source has at least one quote, and every quote is 10-300 characters."""
    slug, meta, _ = case
    sources = meta.get("sources") or []
    assert sources, f"{slug}: no sources"
    for number, source in enumerate(sources, start=1):
        quotes = source.get("quotes") or []
        assert quotes, f"{slug}: source {number} ({source.get('url')}) has no quotes"
        for quote in quotes:
            assert isinstance(quote, str), f"{slug}: source {number}: a quote is not text"
            assert 10 <= len(quote) <= 300, (
                f"{slug}: source {number}: quote of {len(quote)} characters: {quote[:60]!r}"
            )
            # An ellipsis may only mark a cut, as [...].
            assert "..." not in quote.replace("[...]", ""), (
                f"{slug}: source {number}: mark a cut as [...]: {quote[:60]!r}"
            )


@pytest.mark.parametrize("case", compiled_case_studies(), ids=lambda case: case[0])
def test_compiled_case_study_cites_each_source_it_lists(case):
    """The body cites sources as [source N](#source-N), and only numbers that are listed."""
    slug, meta, body = case
    count = len(meta.get("sources") or [])
    cited = {int(number) for number in re.findall(r"\(#source-(\d+)\)", body)}
    assert cited, f"{slug}: the body cites no source"
    assert cited <= set(range(1, count + 1)), f"{slug}: cites a source number not listed"


def known_ids() -> set[str]:
    ids: set[str] = set()
    for name, key in (("sources.yml", "sources"), ("resources.yml", "resources")):
        data = yaml.safe_load((DATA / name).read_text(encoding="utf-8")) or {}
        ids |= {entry["id"] for entry in data.get(key) or [] if isinstance(entry, dict)}
    return ids


def docs_pages_with_sources() -> list[tuple[Path, dict]]:
    pages = []
    for path in sorted(DOCS.rglob("*.md")):
        split = front_matter(path)
        if split is not None and "sources" in split[0]:
            pages.append((path, split[0]))
    return pages


def test_docs_pages_cite_only_sources_that_exist():
    known = known_ids()
    missing = [
        f"{path.relative_to(ROOT)}: {source_id}"
        for path, meta in docs_pages_with_sources()
        for source_id in meta["sources"] or []
        if source_id not in known
    ]
    assert missing == []


def test_guides_and_practice_examples_have_sources_and_a_review_date():
    for folder in ("guides", "practice"):
        for path in sorted((DOCS / folder).glob("*.md")):
            if path.name == "index.md":
                continue
            split = front_matter(path)
            assert split is not None, f"{path.name}: no front matter"
            meta = split[0]
            assert meta.get("sources"), f"{folder}/{path.name}: no sources"
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(meta.get("last_reviewed"))), (
                f"{folder}/{path.name}: last_reviewed must be a YYYY-MM-DD date"
            )
