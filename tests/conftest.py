"""Shared test helpers: a valid fictional case study to break one rule at a time."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kb.content.casestudy import FileResult, Rules, check_file
from kb.content.project import Project
from kb.content.taxonomy import Taxonomy
from site_fixtures import BuiltCheckout, add_draft, copy_checkout, kb_environment
from tests.support.project import PROJECT, repo_rules, repo_taxonomy

#: Every date-dependent rule is tested against this day, not the real one.
TODAY = dt.date(2026, 11, 25)

VALID = """\
---
title: "Peer-led support planning in Exampleshire"
summary: "A fictional forum of disabled people ran peer-led support planning for a fictional council. It is test data."
dpulo:
  name: "Exampleshire Disabled People's Forum"
  website: "https://forum.example.org"
commissioner:
  name: "Exampleshire County Council"
  type: local-authority
region: south-west
categories: [co-produced-specifications, value-for-money]
service_areas: [direct-payments-support]
sourcing: competitive-tender
outcome: ended-as-planned
period: {start: "2019-04",
  end: "2022"}
published: "2026-01-15"
reviewed: "2026-06-01"
status: published
consent: organisations-agreed
sources:
  - title: "Annual report"
    publisher: "Exampleshire Disabled People's Forum"
    date: "2022"
    url: "https://forum.example.org/report"
---

## How they worked together

The forum and the council planned the service together ([source 1](#source-1)).

## The practicalities of the relationship

A three-year contract, with monthly meetings.

## The results

More people used direct payments.

## What made it work, or got in the way

Trust, and time to plan.

## Lessons

Start early.
"""


@pytest.fixture
def project() -> Project:
    """This checkout: the project whose mkdocs.yml is at the repository's root."""
    return PROJECT


@pytest.fixture
def taxonomy() -> Taxonomy:
    return repo_taxonomy()


@pytest.fixture
def rules() -> Rules:
    return repo_rules()


@pytest.fixture
def check(tmp_path: Path) -> Callable[..., FileResult]:
    """Write `text` to a file called `name` in a temporary folder and check it as of TODAY."""

    def run(
        text: str,
        name: str = "example-case-study.md",
        raw: bytes | None = None,
        rules: Rules | None = None,
    ) -> FileResult:
        path = tmp_path / name
        if raw is not None:
            path.write_bytes(raw)
        else:
            path.write_text(text, encoding="utf-8")
        return check_file(path, rules or repo_rules(), shown=f"case_studies/{name}", today=TODAY)

    return run


def messages(result: FileResult) -> list[str]:
    """The problems of a result as the printed lines."""
    return [str(problem) for problem in sorted(result.problems)]


@pytest.fixture(scope="session")
def built_checkout(tmp_path_factory: pytest.TempPathFactory) -> BuiltCheckout:
    """A copy of this checkout with one draft added, built once for the session by
    `python -m kb build` in a process of its own, as a contributor runs it (a build of the real
    content takes ~2 s, so the tests that read it share it)."""
    project = copy_checkout(tmp_path_factory.mktemp("checkout"))
    add_draft(project)
    site = tmp_path_factory.mktemp("checkout-site")
    result = subprocess.run(
        [sys.executable, "-m", "kb", "build", "--site-dir", str(site)],
        cwd=project,
        env=kb_environment(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    return BuiltCheckout(project, site, result)
