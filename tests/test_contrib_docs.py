"""CONTRIBUTING.md and the site's contribute page: the promises they make, and working links."""

from __future__ import annotations

import re

import pytest

from kb.contrib.issue_form import FORM_PATH
from tests.support.project import ROOT

GUIDE = ROOT / "CONTRIBUTING.md"
PAGE = ROOT / "docs" / "contribute.md"
REPO = "https://github.com/dpulo-commissioning/kb"


@pytest.mark.parametrize("path", [GUIDE, PAGE], ids=["CONTRIBUTING.md", "docs/contribute.md"])
def test_guides_cover_every_way_in_and_make_the_same_promises(path) -> None:
    text = path.read_text(encoding="utf-8")
    for needed in (
        f"{REPO}/issues/new?template={FORM_PATH.name}",  # the form, for people without Git
        f"{REPO}/blob/main/case_studies/_template.md",  # the template on GitHub
        f"{REPO}/new/main/case_studies",  # GitHub's new-file page
        "kb new",
        "kb validate",
        "Commit changes...",
        "Create pull request",
        "We aim to reply within 10 working days",
        "organisations-agreed",
        "published-sources",
        "personal contact details",
    ):
        assert needed in text, needed


@pytest.mark.parametrize("path", [GUIDE, PAGE], ids=["CONTRIBUTING.md", "docs/contribute.md"])
def test_guides_explain_an_error_message_in_the_format_kb_prints(path) -> None:
    text = path.read_text(encoding="utf-8")
    example = re.search(r"^case_studies/\S+\.md:(\d+): (\w+): (.+)$", text, re.MULTILINE)
    assert example, "no example error message"
    assert "the line" in text and "the field" in text and "the file" in text


def test_contribute_page_links_to_the_worked_example_and_handles_a_category_link() -> None:
    text = PAGE.read_text(encoding="utf-8")
    assert "(contribute/worked-example.md)" in text
    assert "Writing about a particular category?" in text
    assert "categories" in text and "category=" in text
    # The script only shows the id after checking its shape, and never as HTML.
    assert "innerHTML" not in text
    assert "/^[a-z0-9]+(-[a-z0-9]+)*$/" in text


def test_contributing_links_to_files_that_exist() -> None:
    raw = GUIDE.read_text(encoding="utf-8")
    text = re.sub(r"`[^`\n]*`", "", raw)  # leave out examples written as code
    for target in re.findall(r"\]\(((?!https?:|#)[^)]+)\)", text):
        assert (ROOT / target).exists(), target
    anchors = re.findall(r"\]\(#([^)]+)\)", text)
    headings = {
        re.sub(r"[^a-z0-9 -]", "", h.lower()).replace(" ", "-")
        for h in re.findall(r"^#+ (.+)$", raw, re.MULTILINE)
    }
    for anchor in anchors:
        assert anchor in headings, anchor
