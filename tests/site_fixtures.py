"""A fictional corpus with drafts and hostile values, and the site built from it, for tests;
and what a search bundle holds, to compare two indexes."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

from kb import search
from kb.fake import case_study_text, front_matter, write_corpus
from kb.site.build import DEFAULT_CONFIG, BuildOptions, StageResult, run_pipeline

#: The real mkdocs.yml: the fixture site is built exactly as the published one.
CONFIG = DEFAULT_CONFIG

PUBLISHED = 8
DRAFT_SLUG = "fictional-draft-never-published"
DRAFT_TITLE = "Fictional draft that must never be published anywhere"
HOSTILE_SLUG = "fictional-hostile-values"
HOSTILE_TITLE = '<script>alert(1)</script> "Quoted" & fictional'
HOSTILE_SUMMARY = (
    "<script>alert(2)</script> A fictional summary with \"double quotes\", 'single' and "
    "<b>tags</b> that must show as text."
)
HOSTILE_DPULO = '<script>alert(3)</script> "Fictional" Forum, Ltd: a test'
JOINT_SLUG = "fictional-joint-commissioners"


def write_fixture_corpus(directory: Path) -> None:
    """PUBLISHED ordinary case studies, one draft, one with hostile values, one joint."""
    write_corpus(directory, PUBLISHED, words_per_section=30)
    draft = front_matter(90, status="draft", title=DRAFT_TITLE)
    (directory / f"{DRAFT_SLUG}.md").write_text(case_study_text(draft), encoding="utf-8")
    hostile = front_matter(
        91,
        title=HOSTILE_TITLE,
        summary=HOSTILE_SUMMARY,
        dpulo={"name": HOSTILE_DPULO, "website": "https://forum.example.org/?a=1&b=2"},
        categories=["tupe", "value-for-money"],
        consent="published-sources",
        published="2025-12-30",
        reviewed="2025-12-31",
        sources=[
            {
                "title": '<img src=x onerror=alert(4)> "Annual" report',
                "publisher": "Fictional <Publisher>",
                "date": "2024-03",
                "url": "https://forum.example.org/report?x=1&y=2",
            },
            {
                "title": "Second fictional source",
                "publisher": "Exampleshire Council",
                "url": "https://council.example.org/minutes",
            },
        ],
    )
    (directory / f"{HOSTILE_SLUG}.md").write_text(case_study_text(hostile), encoding="utf-8")
    joint = front_matter(
        92,
        other_commissioners=[
            {"name": "Fictional Integrated Care Board", "type": "nhs-integrated-care-board"}
        ],
        categories=["tupe"],
        region="london",
    )
    (directory / f"{JOINT_SLUG}.md").write_text(case_study_text(joint), encoding="utf-8")


def build_fixture_site(root: Path) -> tuple[BuildOptions, list[StageResult]]:
    """Write the corpus under `root` and build it into root/site with the real mkdocs.yml."""
    corpus = root / "corpus"
    write_fixture_corpus(corpus)
    options = BuildOptions(config_file=CONFIG, site_dir=root / "site", case_studies=corpus)
    return options, run_pipeline(options)


def bundle_files(site: Path) -> dict[str, object]:
    """Each search bundle's fragments (decoded) and word index files, by path: what a search
    reads. (Pagefind writes its filter files in no fixed order: compare those as records.)"""
    found: dict[str, object] = {}
    for path in sorted((site / search.BUNDLE_DIR).rglob("*")):
        relative = path.relative_to(site).as_posix()
        if path.parent.name == "index":
            found[relative] = path.read_bytes()
        elif path.parent.name == "fragment":
            found[relative] = gzip.decompress(path.read_bytes())
    return found


def assert_cut_copies_index_the_same(
    site: Path, monkeypatch: Any, **index_options: Any
) -> search.IndexReport:
    """Indexing `site` from cut-down copies (kb.search.search_copy) and from the whole pages
    gives the same records, the same number of files read and the same bundle files. Returns
    what indexing from the copies reported."""
    cut = search.index_site(site, **index_options)
    cut_files = bundle_files(site)
    monkeypatch.setattr(search, "search_copy", lambda html, marker: html)
    whole = search.index_site(site, **index_options)
    assert cut.records == whole.records and cut.files_read == whole.files_read
    assert cut_files == bundle_files(site)
    return cut
