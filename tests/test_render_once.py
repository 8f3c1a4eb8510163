"""The build renders each case-study body once, for its page, and runs the link, image and
heading rules on that tree (issue 17). Whatever the body, it must report exactly what
`kb validate` reports, at the same lines, and pass exactly what `kb validate` passes."""

from __future__ import annotations

from pathlib import Path

from kb.build import BuildOptions, BuildState, build_site
from kb.content.load import load_content
from tests.support.corpus import body, case_study_text, front_matter
from tests.support.project import PROJECT

SCRIPT_LINK = "Start [early](java&#115;cript:alert(1))."
HEADING_IN_LIST = "- # A second title"
EXTERNAL_IMAGE = "![A chart](https://tracker.example/pixel.png)"
QUOTED_SECTION = "> ## A fake section"


def write(corpus: Path, name: str, extra: str = "", **overrides: str) -> None:
    text = case_study_text(front_matter(len(list(corpus.glob("*.md"))) + 1, **overrides))
    corpus.joinpath(name).write_text(text + (f"\n{extra}\n" if extra else ""), encoding="utf-8")


def validate_lines(corpus: Path) -> list[str]:
    _content, problems = load_content(PROJECT, corpus)
    return [str(problem) for problem in problems]


def build_lines(corpus: Path, site: Path) -> list[str]:
    """The build's problem lines, without its summary line."""
    lines = build_site(BuildOptions(PROJECT, site_dir=site, case_studies=corpus), BuildState())
    return [line for line in lines if not line.startswith("Checked ")]


def test_problems_on_the_pages_are_reported_in_file_order_with_the_others(
    tmp_path: Path,
) -> None:
    """Each kind of body problem, found on the page, is the line kb validate prints. Pages are
    built newest first, and a draft has no page; the problems still come file by file."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write(corpus, "a-old.md", SCRIPT_LINK, published="2020-01-01")
    write(corpus, "b-clean.md")
    write(corpus, "c-new.md", EXTERNAL_IMAGE, published="2026-01-01")
    write(corpus, "d-draft.md", HEADING_IN_LIST, status="draft")
    write(corpus, "e-quoted.md", QUOTED_SECTION, published="2025-06-01")
    expected = validate_lines(corpus)
    files = [line.split(":")[0].rsplit("/", 1)[-1] for line in expected]
    assert list(dict.fromkeys(files)) == ["a-old.md", "c-new.md", "d-draft.md", "e-quoted.md"]
    assert build_lines(corpus, tmp_path / "site") == expected
    assert not (tmp_path / "site" / "index.html").exists()


def test_a_file_with_other_problems_still_has_its_body_checked(tmp_path: Path) -> None:
    """Content that fails anyway is checked whole, so the contributor sees every problem once."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write(corpus, "a-both.md", SCRIPT_LINK, region="Atlantis")
    expected = validate_lines(corpus)
    assert [line.split(": ")[1] for line in expected] == ["region", "body"]
    assert build_lines(corpus, tmp_path / "site") == expected


def test_valid_bodies_pass_on_the_page_as_they_pass_kb_validate(tmp_path: Path) -> None:
    """Nothing the site's own renderer adds (heading permalinks, rewritten addresses) is taken
    for the contributor's: headings, fragments, queries and site paths all pass."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    valid = (
        "See [the guide](/guides/reserved-contracts/#what-the-law-says), "
        "[a search](https://example.org/find?q=a&b=c#results) and [the key facts](#key-facts).\n\n"
        "### A smaller heading inside a section\n\nMore text."
    )
    text = case_study_text(front_matter(1), body() + "\n" + valid + "\n")
    corpus.joinpath("a-valid-one.md").write_text(text, encoding="utf-8")
    assert validate_lines(corpus) == []
    assert build_lines(corpus, tmp_path / "site") == []
    assert (tmp_path / "site" / "case-studies" / "a-valid-one" / "index.html").exists()
