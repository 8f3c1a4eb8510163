"""kb.schema: the compiled quick check and jsonschema agree on which documents pass.

The validator trusts the quick check (fastjsonschema, draft 7) to let a document through without
asking jsonschema (2020-12). These tests keep that safe: the schemas use only keywords that mean
the same in both drafts, and on generated documents whatever the quick check passes, jsonschema
passes too.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb import fake, paths, schema

SCHEMAS = sorted(paths.PROJECT_ROOT.joinpath("schema").glob("*.schema.json"))
CASE_STUDY = paths.CASE_STUDY_SCHEMA_FILE
#: Keywords that only describe: beside a $ref, draft 7 ignores every keyword, 2020-12 applies
#: them, so only these may stand there.
ANNOTATIONS = {"title", "description", "examples"}


def _nodes(node: Any) -> list[dict]:
    """Every schema object in `node`, the values of properties and $defs included."""
    found = []
    if isinstance(node, dict):
        found.append(node)
        for key, value in node.items():
            if key in ("properties", "$defs") and isinstance(value, dict):
                for sub in value.values():
                    found += _nodes(sub)
            elif key not in ("enum", "const", "examples", "required") and not key.startswith("x-"):
                found += _nodes(value)
    elif isinstance(node, list):
        for value in node:
            found += _nodes(value)
    return found


@pytest.mark.parametrize("path", SCHEMAS, ids=[p.name for p in SCHEMAS])
def test_schemas_use_only_keywords_that_mean_the_same_in_draft_7(path) -> None:
    nodes = _nodes(json.loads(path.read_text(encoding="utf-8")))
    used = {key for node in nodes for key in node if not key.startswith("x-")}
    assert used <= schema.DRAFT_7_KEYWORDS, (
        f"check these in draft 7: {used - schema.DRAFT_7_KEYWORDS}"
    )
    for node in nodes:
        if "$ref" in node:
            extra = {key for key in node if key != "$ref" and not key.startswith("x-")}
            assert extra <= ANNOTATIONS, f"draft 7 ignores {extra - ANNOTATIONS} beside $ref"


def _jsonschema_errors(document: Any) -> list:
    return list(schema._validator(CASE_STUDY).iter_errors(document))


def test_a_valid_case_study_passes_the_quick_check() -> None:
    document = fake.front_matter(7)
    assert schema.passes(document, CASE_STUDY)
    assert _jsonschema_errors(document) == []
    assert list(schema.schema_problems(document, CASE_STUDY)) == []


def test_a_document_failing_the_quick_check_gets_every_problem_explained() -> None:
    document = {**fake.front_matter(7), "region": "Atlantis", "status": "maybe"}
    assert not schema.passes(document, CASE_STUDY)
    fields = sorted(path[0] for path, _message in schema.schema_problems(document, CASE_STUDY))
    assert fields == ["region", "status"]


# What the strict loader can hand the validator: text, lists, mappings and nothing.
texts = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ["", "london", "2024", "2024-13", "2024-02-30", "unknown", "https://example.org/a",
         "not a uri", "published", "draft", "x" * 500]
    ),
)  # fmt: skip
values = st.recursive(
    st.one_of(st.none(), texts),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(["name", "type", "title", "url", "start", "x"]), inner)
    ),
    max_leaves=12,
)


@st.composite
def documents(draw: st.DrawFn) -> dict:
    """A valid case study's front matter with some fields replaced, removed or added."""
    document = fake.front_matter(draw(st.integers(1, 500)))
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(["replace", "remove", "add", "nested"]))
        key = draw(st.sampled_from(sorted(document) or ["title"]))
        if action == "replace":
            document[key] = draw(values)
        elif action == "remove":
            document.pop(key, None)
        elif action == "add":
            document[draw(st.sampled_from(["x", "notes", "tags", key]))] = draw(values)
        elif isinstance(document.get(key), dict) and document[key]:
            inner = draw(st.sampled_from(sorted(document[key])))
            document[key][inner] = draw(values)
    return document


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_whatever_passes_the_quick_check_jsonschema_passes_too(document: dict) -> None:
    if schema.passes(document, CASE_STUDY):
        assert _jsonschema_errors(document) == []


def test_where_the_quick_check_is_stricter_jsonschema_has_the_last_word() -> None:
    """fastjsonschema checks `format: uri`; jsonschema does not without an extra package. A
    file the quick check refuses is judged by jsonschema, so it is never refused wrongly."""
    document = fake.front_matter(7)
    document["sources"] = [{"title": "A report", "publisher": "A council", "url": "https://a b"}]
    assert not schema.passes(document, CASE_STUDY)
    assert list(schema.schema_problems(document, CASE_STUDY)) == []
