"""Property: whatever the bytes or the YAML, the validator reports problems and never raises.

Cheap properties try 150 random inputs a run. Each YAML example is a whole check of a valid
body (~9 ms), so that property tries 50 random dictionaries from a stated seed (the same ones
every run, so a failure reproduces) plus the hostile cases written out below; set
KB_FUZZ_EXAMPLES to try more, such as 2000 before a release.
"""

from __future__ import annotations

import datetime as dt
import os
import string
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, seed, settings
from hypothesis import strategies as st

from kb.content.casestudy import check_file
from kb.content.problems import Problem
from tests.conftest import VALID
from tests.support.project import repo_rules

TODAY = dt.date(2026, 11, 25)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW_FUZZ = settings(FUZZ, max_examples=int(os.environ.get("KB_FUZZ_EXAMPLES", "50")))
SEED = 20261204

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.dates().map(str),
    st.sampled_from(["NO", "yes", "10:00", "~", "&a", "*a", "!!python/object", "<script>", "ŵŷ"]),
)
yaml_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.text(string.ascii_lowercase + "_", min_size=1, max_size=12), inner, max_size=5
        )
    ),
    max_leaves=25,
)
field_names = st.sampled_from(
    [
        "title",
        "summary",
        "dpulo",
        "commissioner",
        "region",
        "categories",
        "period",
        "published",
        "reviewed",
        "status",
        "consent",
        "sources",
        "other_commissioners",
        "service_areas",
        "x",
    ]
)


def check_text(tmp: Path, data: bytes) -> list[Problem]:
    path = tmp / "fuzzed-case-study.md"
    path.write_bytes(data)
    result = check_file(path, repo_rules(), shown="case_studies/fuzzed-case-study.md", today=TODAY)
    for problem in result.problems:
        assert problem.line >= 1
        assert problem.field and problem.message
    assert (result.case_study is None) == bool(result.problems)
    return result.problems


@FUZZ
@given(data=st.binary(max_size=400))
def test_random_bytes_never_raise(tmp_path_factory, data):
    check_text(tmp_path_factory.mktemp("bytes"), data)


@FUZZ
@given(data=st.binary(max_size=200))
def test_random_bytes_inside_front_matter_never_raise(tmp_path_factory, data):
    check_text(tmp_path_factory.mktemp("fm"), b"---\n" + data + b"\n---\n\nBody\n")


@SLOW_FUZZ
@seed(SEED)
@given(front=st.dictionaries(field_names, yaml_values, max_size=12))
@example(front={})
@example(front={"title": None, "summary": 12, "status": True})
@example(front={"period": {"start": "NO", "end": []}, "published": "2026-13-45"})
@example(front={"sources": [{"url": "!!python/object", "quotes": [1.5, None]}], "x": "&a"})
@example(front={"categories": "yes", "region": ["london"], "service_areas": {"a": "*a"}})
@example(front={"commissioner": {"type": {"x": None}}, "dpulo": "<script>", "reviewed": 1e309})
@example(front={"other_commissioners": [[]], "consent": "~", "period": "10:00"})
def test_random_yaml_front_matter_never_raises(tmp_path_factory, front):
    dumped = yaml.safe_dump(front, allow_unicode=True)
    body = VALID.split("---\n", 2)[2]
    check_text(tmp_path_factory.mktemp("yaml"), f"---\n{dumped}---\n{body}".encode())


@FUZZ
@given(body=st.text(max_size=600))
def test_random_markdown_body_never_raises(tmp_path_factory, body):
    front = VALID.split("---\n", 2)[1]
    check_text(tmp_path_factory.mktemp("body"), f"---\n{front}---\n{body}".encode())
