"""What a pull request does to the case studies, as Markdown for the checks' job summary.

`kb review --base DIR --head DIR` compares the case_studies folders of two checkouts (the pull
request's base and head), and for each case study added or changed says what a reviewer needs
without running anything: its key facts, period, categories and every problem the head's
checks find (the same checks as `kb validate`), and the name of the artifact holding the site
built from the head. Everything a contributor wrote is escaped, so it shows as text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from kb.content.casestudy import CaseStudy, case_study_files
from kb.content.dates import period_text
from kb.content.load import load_content
from kb.content.problems import Problem
from kb.content.project import Project
from kb.content.taxonomy import Taxonomy, TaxonomyError

ADDED, CHANGED, REMOVED = "Added", "Changed", "Removed"

#: What Markdown reads as syntax inside a line (every value is written mid-line or in a table
#: cell, so line-start syntax such as '#' or '-' cannot apply); <, > and & become entities.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md(value: object) -> str:
    """`value` as literal text in Markdown: HTML and Markdown syntax escaped, on one line."""
    text = " ".join(str(value).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def code(value: object) -> str:
    """`value` as inline code: backticks cannot end it early."""
    text = " ".join(str(value).split())
    return f"`` {text} ``" if "`" in text else f"`{text}`"


@dataclass(frozen=True)
class FileChange:
    """One case-study file the pull request adds, changes or removes."""

    name: str
    kind: str


def changed_case_studies(base: Path, head: Path) -> list[FileChange]:
    """Case-study files (as kb reads them: not starting '_' or '.') added, changed or removed
    between the folders `base` and `head`, by name."""
    before = {path.name: path for path in case_study_files(base)}
    after = {path.name: path for path in case_study_files(head)}
    changes = []
    for name in sorted(before.keys() | after.keys()):
        if name not in before:
            changes.append(FileChange(name, ADDED))
        elif name not in after:
            changes.append(FileChange(name, REMOVED))
        elif before[name].read_bytes() != after[name].read_bytes():
            changes.append(FileChange(name, CHANGED))
    order = [ADDED, CHANGED, REMOVED]
    return sorted(changes, key=lambda change: order.index(change.kind))


def review(base: Project, head: Project, artifact: str) -> str:
    """The job summary: each case study the head adds or changes, with its facts and problems.

    `artifact` is the name of the artifact holding the built site; empty if it was not built.
    """
    changes = changed_case_studies(base.case_studies_dir, head.case_studies_dir)
    lines = ["## Case studies in this pull request", ""]
    try:
        content, problems = load_content(head)
    except TaxonomyError as error:
        content, problems = None, []
        lines += [
            "The taxonomy (data/taxonomy.yml) is broken, so the case studies could not be checked:",
            "",
            *(f"- {md(line)}" for line in str(error).splitlines()),
            "",
        ]
    if artifact:
        lines += [
            f"The site built from this pull request is attached to this run as the artifact "
            f"{code(artifact)}: download it from the run's summary page, unzip it and open "
            "`index.html` (drafts are not in it).",
            "",
        ]
    else:
        lines += [
            "The site was not built, so there is no preview to download: the checks above say "
            "why. The problems below are the ones to fix first.",
            "",
        ]
    if not changes:
        lines += ["This pull request adds, changes and removes no case studies.", ""]
    shown: set[Path] = set()
    for change in changes:
        path = head.case_studies_dir / change.name
        lines += [f"### {change.kind}: {code('case_studies/' + change.name)}", ""]
        if change.kind == REMOVED:
            lines += ["Its page will no longer be published.", ""]
            continue
        mine = [p for p in problems if Path(p.path).resolve() == path.resolve()]
        shown.add(path.resolve())
        cases = content.collection.case_studies if content is not None else []
        case = next((c for c in cases if c.path.resolve() == path.resolve()), None)
        if case is not None and content is not None:
            lines += [*key_facts(case, content.taxonomy), ""]
        lines += problem_lines(mine, head)
    others = [p for p in problems if Path(p.path).resolve() not in shown]
    if others:
        lines += ["### Other problems in this pull request's files", ""]
        lines += problem_lines(others, head)
    return "\n".join(lines).rstrip("\n") + "\n"


def key_facts(case: CaseStudy, taxonomy: Taxonomy) -> list[str]:
    """The case study's key facts as a two-column Markdown table."""
    meta = case.meta
    status = "Published" if case.is_published else "Draft: not published (kb build leaves it out)"
    commissioners = ", ".join(
        f"{md(c['name'])} ({md(taxonomy.name('commissioner_types', c['type']))})"
        for c in case.commissioners
    )
    categories = ", ".join(md(taxonomy.name("categories", c)) for c in case.categories)
    caveats = meta.get("caveats") or []
    sources = meta.get("sources") or []
    rows = [
        ("Title", md(case.title)),
        ("Summary", md(case.summary)),
        ("Status", status),
        ("Disabled people’s user-led organisation", md(meta["dpulo"]["name"])),
        ("Commissioners" if len(case.commissioners) > 1 else "Commissioner", commissioners),
        ("Region", md(taxonomy.name("regions", case.region))),
        ("Categories", categories),
        *(  # how the work was paid for and how it turned out, under the site's labels
            (taxonomy.facet(name).label, ", ".join(md(taxonomy.name(name, t)) for t in ids))
            for name in ("sourcing", "outcomes")
            if (ids := case.terms(name))
        ),
        ("When", md(period_text(meta["period"]))),
        ("Read this first", "<br>".join(md(caveat) for caveat in caveats) or "None given"),
        ("Published", md(case.published)),
        ("Sources", _sources_text(sources, meta.get("consent") == "published-sources")),
    ]
    return ["| Key fact | Value |", "| --- | --- |", *(f"| {k} | {v} |" for k, v in rows)]


def _sources_text(sources: list[dict], quotes_needed: bool) -> str:
    """How many sources and quotes; and, where every source needs a quote, how many lack one."""
    quotes = sum(len(source.get("quotes") or []) for source in sources)
    text = f"{len(sources)} ({quotes} quote{'' if quotes == 1 else 's'})"
    without = sum(1 for source in sources if not source.get("quotes"))
    if quotes_needed and without:
        text += f", {without} without a quote"
    return text


def problem_lines(problems: list[Problem], head: Project) -> list[str]:
    """Each problem as `path:line: field: message`, paths as in the repository."""
    if not problems:
        return ["No problems found.", ""]
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    lines = [f"**{count}** (fix each as it says; `kb validate` shows the same):", ""]
    for problem in sorted(problems):
        where = _repository_path(problem.path, head)
        lines.append(
            f"- {code(f'{where}:{problem.line}')} {md(problem.field)}: {md(problem.message)}"
        )
    return [*lines, ""]


def _repository_path(shown: str, head: Project) -> str:
    try:
        return Path(shown).resolve().relative_to(head.root.resolve()).as_posix()
    except ValueError:
        return shown
