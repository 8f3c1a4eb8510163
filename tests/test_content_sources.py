"""Every fact about a real body has a source, and every source cited exists.

Compiled case studies may cite only what the project's dossier lists for that example
(../shared/dossier.md), and docs pages may cite only bibliography entries (data/sources.yml)
or resources (data/resources.yml) that exist.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kb.content import strict_yaml
from kb.content.casestudy import case_study_files, load_case_studies, split_front_matter
from kb.content.datafiles import data_files, load_records
from tests.support.project import PROJECT, ROOT, repo_rules, repo_taxonomy

DOSSIER = ROOT.parent / "shared" / "dossier.md"
DOCS = ROOT / "docs"
_URL = re.compile(r"https?://[^\s)>\]]+")


def dossier_examples() -> dict[str, set[str]]:
    """The dossier's examples: heading -> the source addresses listed under it."""
    text = DOSSIER.read_text(encoding="utf-8")
    examples: dict[str, set[str]] = {}
    for section in re.split(r"^### ", text, flags=re.MULTILINE)[1:]:
        heading = section.splitlines()[0]
        examples[heading] = {url.rstrip(".,;") for url in _URL.findall(section)}
    return examples


def compiled_case_studies():
    collection = load_case_studies(case_study_files(PROJECT.case_studies_dir), repo_rules())
    return [case for case in collection.case_studies if case.meta["consent"] == "published-sources"]


@pytest.fixture(scope="module")
def examples() -> dict[str, set[str]]:
    if not DOSSIER.exists():
        pytest.fail(f"{DOSSIER} is missing: CI runs with ../shared beside the repository")
    return dossier_examples()


def test_dossier_is_parsed_into_its_seventeen_examples(examples):
    assert len(examples) == 17
    assert all(urls for urls in examples.values())


def test_at_least_twelve_compiled_case_studies_are_published():
    published = [case for case in compiled_case_studies() if case.is_published]
    assert len(published) >= 12


@pytest.mark.parametrize("case", compiled_case_studies(), ids=lambda case: case.slug)
def test_compiled_case_study_cites_only_its_dossier_example(case, examples):
    cited = {source["url"] for source in case.meta["sources"]}
    matching = [heading for heading, urls in examples.items() if cited <= urls]
    assert matching, (
        f"{case.slug}: sources {sorted(cited)} are not all listed under one dossier example"
    )
    # The example it draws on names the DPULO in its heading (first word is enough, as the
    # dossier abbreviates: "Southampton CIL (now SPECTRUM CIL)").
    first_word = re.sub(r"[^\w]", "", case.meta["dpulo"]["name"].split()[0]).lower()
    assert any(first_word in heading.lower() for heading in matching), (
        f"{case.slug}: DPULO {case.meta['dpulo']['name']!r} is not named in {matching}"
    )


@pytest.mark.parametrize("case", compiled_case_studies(), ids=lambda case: case.slug)
def test_compiled_case_study_cites_each_source_it_lists(case):
    """Every listed source is cited in the body as [source N](#source-N), and no other."""
    count = len(case.meta["sources"])
    cited = {int(number) for number in re.findall(r"\(#source-(\d+)\)", case.body)}
    assert cited, f"{case.slug}: the body cites no source"
    assert cited <= set(range(1, count + 1)), f"{case.slug}: cites a source number not listed"


def docs_pages_with_sources() -> list[tuple[Path, dict]]:
    pages = []
    for path in sorted(DOCS.rglob("*.md")):
        split = split_front_matter(path.read_text(encoding="utf-8").replace("\r\n", "\n"))
        if split is None:
            continue
        meta = strict_yaml.load(split[0]).value or {}
        if isinstance(meta, dict) and "sources" in meta:
            pages.append((path, meta))
    return pages


def test_docs_pages_cite_only_sources_that_exist():
    known = {
        record["id"]
        for kind in data_files(PROJECT)
        if kind.key in ("sources", "resources")
        for record in load_records(kind, repo_taxonomy())[0]
    }
    assert len(known) > 10
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
            split = split_front_matter(path.read_text(encoding="utf-8"))
            assert split is not None, f"{path.name}: no front matter"
            meta = strict_yaml.load(split[0]).value
            assert meta.get("sources"), f"{folder}/{path.name}: no sources"
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(meta.get("last_reviewed"))), (
                f"{folder}/{path.name}: last_reviewed must be a YYYY-MM-DD date"
            )
