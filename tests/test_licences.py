"""Issue 24: the licences are stated where people look: footer, exports, feed, issue form."""

from __future__ import annotations

import json
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from kb.content import licence
from kb.contrib.issue_form import FORM_PATH
from site_fixtures import BuiltCheckout

ROOT = Path(__file__).resolve().parents[1]

#: One page of each type the site has.
PAGE_TYPES = (
    "index.html",
    "case-studies/index.html",
    "case-studies/real-tower-hamlets-direct-payments-support/index.html",
    "categories/tupe/index.html",
    "guides/reserved-contracts/index.html",
    "coverage/index.html",
    "search/index.html",
    "glossary/index.html",
    "404.html",
)


@pytest.fixture(scope="module")
def site(built_checkout: BuiltCheckout) -> Path:
    """This checkout's site, as `kb build` builds it (the session's shared build)."""
    result = built_checkout.result
    assert result.returncode == 0, result.stdout + result.stderr
    return built_checkout.site


def test_licence_files_match_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    content = (ROOT / "LICENSE-content").read_text(encoding="utf-8")
    assert licence.TITLE in content and licence.URL in content
    assert "Quotations from sources" in content


@pytest.mark.parametrize("page", PAGE_TYPES)
def test_every_page_type_names_the_licence_in_its_footer(site: Path, page: str) -> None:
    html = (site / page).read_text(encoding="utf-8")
    footer = html[html.index("md-footer") :]
    assert f'href="{licence.URL}" rel="license"' in footer
    assert licence.NAME in footer


def test_json_export_and_feed_carry_the_licence(site: Path) -> None:
    document = json.loads((site / "api/case-studies.json").read_text(encoding="utf-8"))
    assert document["license"] == {"name": licence.NAME, "spdx": licence.SPDX, "url": licence.URL}
    feed = ET.parse(site / "feed.xml").getroot()
    rights = feed.find("{http://www.w3.org/2005/Atom}rights")
    assert rights is not None and licence.URL in (rights.text or "")


def test_issue_form_makes_the_licence_a_required_tick() -> None:
    form = yaml.safe_load((ROOT / FORM_PATH).read_text(encoding="utf-8"))
    options = [
        option
        for item in form["body"]
        if item["type"] == "checkboxes"
        for option in item["attributes"]["options"]
    ]
    agreement = [o for o in options if o["label"] == licence.CONTRIBUTOR_AGREEMENT]
    assert agreement and agreement[0]["required"] is True


def test_contributors_are_told_before_they_submit() -> None:
    for path in ("CONTRIBUTING.md", ".github/PULL_REQUEST_TEMPLATE.md"):
        assert "CC BY 4.0" in (ROOT / path).read_text(encoding="utf-8"), path
