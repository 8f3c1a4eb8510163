"""The repository's own project, read once per test session (tests only: kb itself caches nothing)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from kb.content.casestudy import Rules
from kb.content.load import load_rules
from kb.content.project import Project
from kb.content.taxonomy import Taxonomy, load_taxonomy

#: The root of this checkout: the folder holding mkdocs.yml.
ROOT = Path(__file__).resolve().parents[2]
PROJECT = Project(ROOT)


@cache
def repo_taxonomy() -> Taxonomy:
    """data/taxonomy.yml of this checkout."""
    return load_taxonomy(PROJECT.taxonomy_file)


@cache
def repo_rules() -> Rules:
    """The schema and allowed contacts every case study in this checkout is checked against."""
    return load_rules(PROJECT, repo_taxonomy())
