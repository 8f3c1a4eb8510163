"""A fictional corpus with drafts and hostile values, and the site built from it, for tests;
and a copy of this checkout with a draft added, as `kb build` and `kb serve` are run in it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from kb.build import BuildOptions, StageResult, run_pipeline
from tests.support.corpus import case_study_text, front_matter, write_corpus
from tests.support.project import PROJECT, ROOT

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
        caveats=['<b>Fictional</b> test data: the "record" is thin & made up.'],
        published="2025-12-30",
        reviewed="2025-12-31",
        sources=[
            {
                "title": '<img src=x onerror=alert(4)> "Annual" report',
                "publisher": "Fictional <Publisher>",
                "date": "2024-03",
                "url": "https://forum.example.org/report?x=1&y=2",
                "quotes": ['<script>alert(5)</script> a "quoted" passage & more'],
            },
            {
                "title": "Second fictional source",
                "publisher": "Exampleshire Council",
                "url": "https://council.example.org/minutes",
                "quotes": ["The council agreed the fictional forum's plan."],
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
    """Write the corpus under `root` and build it into root/site with the real mkdocs.yml, so
    the fixture site is built exactly as the published one."""
    corpus = root / "corpus"
    write_fixture_corpus(corpus)
    options = BuildOptions(PROJECT, site_dir=root / "site", case_studies=corpus)
    return options, run_pipeline(options)


#: What a checkout needs to be validated, built and served.
CHECKOUT = ("mkdocs.yml", "docs", "overrides", "data", "schema", "case_studies")
#: The real case study a copied checkout's draft is made from.
CASE = "breakthrough-uk-manchester"
CHECKOUT_DRAFT_SLUG = "fictional-preview-draft-zq"
CHECKOUT_DRAFT_TITLE = "Fictional preview draft Zq that is never published"


@dataclass(frozen=True)
class BuiltCheckout:
    """A copy of this checkout with a draft added, and what `kb build` made of it."""

    project: Path
    site: Path
    result: subprocess.CompletedProcess


def copy_checkout(target: Path) -> Path:
    """A copy of this checkout's project (not its code) in `target`."""
    target.mkdir(parents=True, exist_ok=True)
    for name in CHECKOUT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy2(source, target / name)
    return target


def add_draft(project: Path) -> None:
    """A draft copy of CASE, titled CHECKOUT_DRAFT_TITLE, in the project's case studies."""
    text = (project / "case_studies" / f"{CASE}.md").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^title: .*$", f'title: "{CHECKOUT_DRAFT_TITLE}"', text, count=1)
    text = re.sub(r"(?m)^status: .*$", "status: draft", text, count=1)
    path = project / "case_studies" / f"{CHECKOUT_DRAFT_SLUG}.md"
    path.write_text(text, encoding="utf-8")


def kb_environment() -> dict[str, str]:
    """The environment `python -m kb` runs in: this checkout's code first."""
    path = os.pathsep.join(filter(None, [str(ROOT / "scripts"), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path, "NO_MKDOCS_2_WARNING": "1"}
