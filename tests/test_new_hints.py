"""`kb new` states each limit before asking, and offers 'did you mean' on a near miss."""

from __future__ import annotations

import io
from pathlib import Path

from kb.commands.new import ask
from kb.content.load import load_rules
from kb.content.project import Project
from kb.content.taxonomy import load_taxonomy
from kb.contrib.scaffold import did_you_mean, fields, leaves

PROJECT = Project(Path(__file__).resolve().parents[1])
TAXONOMY = load_taxonomy(PROJECT.taxonomy_file)
RULES = load_rules(PROJECT, TAXONOMY)
FIELDS = {item.name: item for item in leaves(fields(RULES))}


def _ask(name: str, typed: str) -> tuple[object, str]:
    out = io.StringIO()
    value = ask(FIELDS[name], TAXONOMY, RULES, {}, io.StringIO(typed), out)
    return value, out.getvalue()


def test_near_misses() -> None:
    regions = [term.name for term in TAXONOMY.terms("regions")]
    sourcing = [term.name for term in TAXONOMY.terms("sourcing")]
    assert did_you_mean("Southwest", regions) == "South West"
    assert did_you_mean("Southwest England", regions) == "South West"
    assert did_you_mean("tender", sourcing) == "Competitive tender"
    assert did_you_mean("zzzz", regions) is None


def test_kb_new_offers_did_you_mean() -> None:
    value, said = _ask("region", "Southwest\nSouth West\n")
    assert value == "south-west"
    assert "'Southwest' is not one of the choices above. Did you mean 'South West'?" in said
    value, said = _ask("sourcing", "tender\nCompetitive tender\n")
    assert value == "competitive-tender"
    assert "Did you mean 'Competitive tender'?" in said


def test_kb_new_states_the_limit_before_asking() -> None:
    value, said = _ask(
        "summary", "x" * 10 + "\n" + "A plain summary of what happened here, and why." + "\n"
    )
    assert said.index("Between 40 and 400 characters.") < said.index(">")
    assert "is too short: it must be at least 40 characters; it has 10" in said
    assert value == "A plain summary of what happened here, and why."
