"""Coverage: how many case studies each category, region and commissioner type has, against
what coordinators want, and which published case studies are due for review.

Every figure is counted once, here, by `build_report` (which uses `compute_coverage` and
`find_stale`). The `kb coverage` formats (`render_table`, `render_markdown`, `render_json`,
`render_csv`) and the site's /coverage/ page (`render_coverage_page`) only lay out a Report, so
their numbers cannot disagree. Every list of terms comes from the taxonomy; none is restated here.
The counting rules are `compute_coverage`'s; files with problems are not counted, and every
report says so.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kb.content.casestudy import CaseStudy, Collection
from kb.content.dates import format_date
from kb.content.problems import Problem, plural
from kb.content.taxonomy import Taxonomy, Term

#: Bumped when a key of the JSON output changes meaning or disappears.
JSON_FORMAT_VERSION = 1

#: The columns of `kb coverage --format csv`, in order (documented in the command's help).
CSV_COLUMNS = (
    "section",
    "term_id",
    "term_name",
    "published",
    "drafts",
    "wanted_minimum",
    "priority",
    "gap",
    "region_id",
    "region_name",
    "reviewed",
)

#: The taxonomy lists coverage is reported for (their labels come from the taxonomy).
COVERAGE_FACETS = ("categories", "regions", "commissioner_types", "outcomes")


@dataclass(frozen=True)
class TermCount:
    """How many case studies one term has.

    `drafts` is None when drafts were not counted. `wanted_minimum` is None for terms that have
    no minimum (every list but categories); `priority` is only ever true for categories.
    """

    term: Term
    published: int
    drafts: int | None
    wanted_minimum: int | None = None
    priority: bool = False

    @property
    def gap(self) -> int | None:
        """How many more published case studies are wanted: 0 when the minimum is met."""
        if self.wanted_minimum is None:
            return None
        return max(0, self.wanted_minimum - self.published)


@dataclass(frozen=True)
class Coverage:
    """Every count, by category, region, commissioner type and outcome, in taxonomy order."""

    include_drafts: bool
    published_total: int
    #: None when drafts were not counted.
    drafts_total: int | None
    categories: tuple[TermCount, ...]
    regions: tuple[TermCount, ...]
    commissioner_types: tuple[TermCount, ...]
    #: How the relationships stand: continuing, funding cut, lost at re-tender…
    outcomes: tuple[TermCount, ...]
    #: Each category's case studies in every region (each cell's term), in taxonomy order.
    matrix: dict[Term, tuple[TermCount, ...]]
    #: Each category's case studies with each commissioner type, likewise.
    type_matrix: dict[Term, tuple[TermCount, ...]]

    def by_facet(self, facet: str) -> tuple[TermCount, ...]:
        return getattr(self, facet)

    @property
    def gaps(self) -> tuple[TermCount, ...]:
        """Categories with fewer published case studies than their wanted minimum."""
        return tuple(count for count in self.categories if count.gap)

    @property
    def priority_gaps(self) -> tuple[TermCount, ...]:
        """Priority categories below their wanted minimum: what `kb coverage --check` fails on."""
        return tuple(count for count in self.gaps if count.priority)


def compute_coverage(
    case_studies: Iterable[CaseStudy], taxonomy: Taxonomy, include_drafts: bool = False
) -> Coverage:
    """Count case studies per category, region, commissioner type and outcome, and per category
    and region and category and commissioner type.

    Only published case studies count towards a category's wanted minimum; drafts count
    separately when `include_drafts` (so coordinators can see the pipeline), else not at all. A
    case study counts once in each of its categories and once for each distinct type of its
    commissioners. Raises ValueError for a term the taxonomy does not have (a case study
    that passed validation never has one), rather than leaving it out of the figures.
    """
    cases = list(case_studies)
    for case, facet in ((case, facet) for case in cases for facet in COVERAGE_FACETS):
        unknown = sorted(set(case.terms(facet)) - set(taxonomy.ids(facet)))
        if unknown:
            raise ValueError(
                f"{case.slug}: {facet} {unknown} are not in the taxonomy, so it cannot be "
                "counted; run kb validate"
            )
    published = [case for case in cases if case.is_published]
    drafts = [case for case in cases if not case.is_published] if include_drafts else []

    def tally(group: list[CaseStudy]) -> Counter[tuple[str, ...]]:
        """(facet, term id) and (facet, category id, term id), each once per case study."""
        return Counter(
            key
            for case in group
            for facet in COVERAGE_FACETS
            for term in case.terms(facet)
            for key in [(facet, term), *((facet, cat, term) for cat in case.categories)]
        )

    pub, draft = tally(published), tally(drafts)

    def count(key: tuple[str, ...], term: Term, is_category: bool = False) -> TermCount:
        return TermCount(
            term=term,
            published=pub[key],
            drafts=draft[key] if include_drafts else None,
            wanted_minimum=term.wanted_minimum if is_category else None,
            priority=is_category and term.priority,
        )

    lists = {
        facet: tuple(count((facet, t.id), t, facet == "categories") for t in taxonomy.terms(facet))
        for facet in COVERAGE_FACETS
    }

    def matrix(facet: str) -> dict[Term, tuple[TermCount, ...]]:
        return {
            category: tuple(count((facet, category.id, t.id), t) for t in taxonomy.terms(facet))
            for category in taxonomy.categories
        }

    return Coverage(
        include_drafts=include_drafts,
        published_total=len(published),
        drafts_total=len(drafts) if include_drafts else None,
        matrix=matrix("regions"),
        type_matrix=matrix("commissioner_types"),
        **lists,
    )


#: The review lists, most urgent last: their keys in every format, headings and rules.
REVIEW_LISTS = {
    "due_for_review": ("Due for review", "reviewed more than a year before"),
    "archive_decision_needed": ("Archive decision needed", "reviewed more than three years before"),
}


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar date `years` earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def find_stale(
    case_studies: Iterable[CaseStudy], today: dt.date
) -> dict[str, tuple[CaseStudy, ...]]:
    """Published case studies reviewed more than a year before `today` are due for review;
    more than three years before, an archive decision is needed. Each list is oldest first,
    and a case study is in at most one: the more urgent.

    "More than a year" is strict: reviewed exactly one year ago (the same date last year) is
    not yet due; one year and a day is. Likewise exactly three years is due for review, three
    years and a day needs an archive decision. Drafts are never listed.
    """
    one_year, three_years = years_before(today, 1), years_before(today, 3)
    published = sorted(
        (
            (dt.date.fromisoformat(case.reviewed), case)
            for case in case_studies
            if case.is_published
        ),
        key=lambda pair: (pair[1].reviewed, pair[1].slug),
    )
    return {
        "due_for_review": tuple(case for day, case in published if three_years <= day < one_year),
        "archive_decision_needed": tuple(case for day, case in published if day < three_years),
    }


@dataclass(frozen=True)
class Report:
    """The coverage counts, the review lists and the files that could not be counted."""

    coverage: Coverage
    #: The day review ages are measured from.
    today: dt.date
    #: The case studies due for review and needing an archive decision (see `find_stale`).
    review_lists: dict[str, tuple[CaseStudy, ...]]
    taxonomy: Taxonomy
    #: Every problem in the files that were not counted.
    problems: tuple[Problem, ...]

    @property
    def files_not_counted(self) -> tuple[str, ...]:
        """Every file with a problem: it was left out of every figure."""
        return tuple(sorted({problem.path for problem in self.problems}))

    @property
    def check_passed(self) -> bool:
        """The scheduled check passes when every priority category has its wanted minimum and
        every file was counted (a file left out could be a case study the check is missing)."""
        return not self.coverage.priority_gaps and not self.problems


def build_report(
    collection: Collection,
    taxonomy: Taxonomy,
    *,
    include_drafts: bool = False,
    today: dt.date | None = None,
) -> Report:
    """Count a collection of case studies: the one place every output's figures come from."""
    today = today or dt.date.today()
    return Report(
        coverage=compute_coverage(collection.case_studies, taxonomy, include_drafts),
        today=today,
        review_lists=find_stale(collection.case_studies, today),
        taxonomy=taxonomy,
        problems=tuple(sorted(collection.problems)),
    )


def _shortfall(count: TermCount) -> str:
    return f"{count.published} published, {count.wanted_minimum} wanted, needs {count.gap} more"


def check_messages(report: Report) -> list[str]:
    """What `kb coverage --check` says: why it failed, naming each category, or that it passed."""
    messages = []
    gaps = report.coverage.priority_gaps
    if gaps:
        messages.append(
            f"Check failed: {plural(len(gaps), 'priority category', 'priority categories')} "
            f"{'is' if len(gaps) == 1 else 'are'} below the wanted minimum:"
        )
        messages.extend(f"  {count.term.name}: {_shortfall(count)}" for count in gaps)
    if report.problems:
        files = len(report.files_not_counted)
        messages.append(
            f"Check failed: {plural(files, 'file has', 'files have')} problems and "
            f"{'was' if files == 1 else 'were'} not counted; fix {'it' if files == 1 else 'them'} "
            "(run kb validate), then run the check again."
        )
    if not messages:
        messages.append(
            "Check passed: every priority category has at least its wanted minimum of "
            "published case studies."
        )
    return messages


# Words shared by the text and Markdown formats.


def _totals_sentence(coverage: Coverage) -> str:
    total = plural(coverage.published_total, "published case study", "published case studies")
    sentence = f"Counted: {total}"
    if coverage.drafts_total is None:
        return sentence + ". Drafts are not counted (add --include-drafts to see them)."
    return sentence + f", and {plural(coverage.drafts_total, 'draft')} shown separately."


def _not_counted_line(report: Report) -> str:
    files = len(report.files_not_counted)
    return (
        f"WARNING: {plural(files, 'file has', 'files have')} problems and "
        f"{'was' if files == 1 else 'were'} NOT counted, so these figures may be too low:"
    )


_CATEGORY_NOTE = "A case study in several categories counts once in each."
_TYPE_NOTE = (
    "A case study with joint commissioners of different types counts once for each type, so "
    "these may add up to more than the number of case studies."
)


def _count_columns(report: Report, facet: str) -> tuple[list[str], list[list[str]], set[int]]:
    """The headers, rows and numeric columns of one facet's table, shared by table and markdown."""
    is_category = facet == "categories"
    columns: list[tuple[str, bool, Callable[[TermCount], str]]] = [
        (report.taxonomy.facet(facet).label, False, lambda count: count.term.name)
    ]
    if is_category:
        columns.append(("Priority", False, lambda count: "PRIORITY" if count.priority else ""))
    columns.append(("Published", True, lambda count: str(count.published)))
    if report.coverage.include_drafts:
        columns.append(("Drafts", True, lambda count: str(count.drafts)))
    if is_category:
        columns.append(("Wanted minimum", True, lambda count: str(count.wanted_minimum)))
        columns.append(("Gap", False, lambda c: f"needs {c.gap} more" if c.gap else "met"))
    else:
        columns.append(("Note", False, lambda count: "" if count.published else "none yet"))
    rows = [[cell(count) for _, _, cell in columns] for count in report.coverage.by_facet(facet)]
    numeric = {i for i, (_, is_number, _) in enumerate(columns) if is_number}
    return [header for header, _, _ in columns], rows, numeric


def _text_table(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int]) -> str:
    """Columns aligned with spaces: numbers to the right, words to the left. No rule lines,
    which screen readers would read out as rows of dashes."""
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        cells = [
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        return "  ".join(cells).rstrip()

    return "\n".join(line(row) for row in [headers, *rows])


def _matrix_lines(coverage: Coverage) -> list[str]:
    """The category-by-region figures as one line per category, naming each region counted.

    A grid of numbers would be unreadable line by line with a screen reader; this says the
    same figures in words.
    """
    lines = []
    for category, cells in coverage.matrix.items():
        parts = [
            f"{cell.term.name} {cell.published}"
            + (f" (and {plural(cell.drafts, 'draft')})" if cell.drafts else "")
            for cell in cells
            if cell.published or cell.drafts
        ]
        lines.append(f"  {category.name}: {', '.join(parts) if parts else 'none'}")
    return lines


def render_table(report: Report) -> str:
    """The default `kb coverage` output: plain text for a terminal, in words as well as
    figures, so it reads well with a screen reader."""
    coverage = report.coverage
    out = [f"Case study coverage on {format_date(report.today)}", _totals_sentence(coverage), ""]
    if report.problems:
        out += [_not_counted_line(report), *(f"  {path}" for path in report.files_not_counted)]
        out += ["Their problems are listed on standard error; run kb validate for how to fix them."]
        out.append("")
    out += [f"By category. {_CATEGORY_NOTE}", _text_table(*_count_columns(report, "categories"))]
    out.append("")
    if coverage.gaps:
        out.append(
            f"Gaps: {plural(len(coverage.gaps), 'category is', 'categories are')} below the "
            f"wanted minimum ({len(coverage.priority_gaps)} of them PRIORITY):"
        )
        out += [
            f"  {count.term.name}{', PRIORITY' if count.priority else ''}: {_shortfall(count)}"
            for count in coverage.gaps
        ]
    else:
        out.append("Gaps: none. Every category has at least its wanted minimum.")
    out += [
        "",
        "By region",
        _text_table(*_count_columns(report, "regions")),
        "",
        f"By commissioner type. {_TYPE_NOTE}",
        _text_table(*_count_columns(report, "commissioner_types")),
        "",
        "By outcome: how the relationships stand now, or how they ended",
        _text_table(*_count_columns(report, "outcomes")),
        "",
        "Category by region: published case studies in each region (regions with none are "
        "not named).",
        *_matrix_lines(coverage),
    ]
    for key, cases in report.review_lists.items():
        heading, rule = REVIEW_LISTS[key]
        out += ["", f"{heading} ({rule} {format_date(report.today)}): {len(cases) or 'none'}"]
        out += [f"  {case.slug}: {case.title} (reviewed {case.reviewed})" for case in cases]
    return "\n".join(out) + "\n"


def _md_cell(text: str) -> str:
    """A table cell: pipes escaped and line breaks removed, so a name cannot break the table."""
    return " ".join(text.replace("\\", "\\\\").replace("|", "\\|").split())


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int]) -> str:
    align = ["---:" if i in numeric else ":---" for i in range(len(headers))]
    lines = [headers, align, *rows]
    return "\n".join("| " + " | ".join(_md_cell(cell) for cell in line) + " |" for line in lines)


def render_markdown(report: Report) -> str:
    """`kb coverage --format markdown`: the same sections as GitHub-flavoured Markdown tables."""
    coverage = report.coverage
    out = [f"# Case study coverage on {format_date(report.today)}", "", _totals_sentence(coverage)]
    out.append("")
    if report.problems:
        out += [f"**{_not_counted_line(report)}**", ""]
        out += [*(f"- `{path}`" for path in report.files_not_counted), ""]
    out += ["## By category", "", _CATEGORY_NOTE, ""]
    out += [_md_table(*_count_columns(report, "categories")), "", "## Gaps", ""]
    out += [
        f"- {_md_cell(count.term.name)}{' (**PRIORITY**)' if count.priority else ''}: "
        f"{_shortfall(count)}"
        for count in coverage.gaps
    ] or ["None: every category has at least its wanted minimum."]
    out += ["", "## By region", "", _md_table(*_count_columns(report, "regions")), ""]
    out += ["## By commissioner type", "", _TYPE_NOTE, ""]
    out += [_md_table(*_count_columns(report, "commissioner_types")), ""]
    out += ["## By outcome", "", _md_table(*_count_columns(report, "outcomes")), ""]
    drafts = ", with drafts in brackets." if coverage.include_drafts else "."
    out += ["## Category by region", "", f"Published case studies{drafts}", ""]
    headers = ["Category", *(count.term.name for count in coverage.regions)]
    rows = [
        [category.name]
        + [f"{c.published} ({c.drafts})" if c.drafts else str(c.published) for c in cells]
        for category, cells in coverage.matrix.items()
    ]
    out += [_md_table(headers, rows, set(range(1, len(headers)))), ""]
    for key, cases in report.review_lists.items():
        heading, rule = REVIEW_LISTS[key]
        out += [f"## {heading}", "", f"Published case studies {rule} {format_date(report.today)}."]
        out.append("")
        out += [
            f"- `{case.slug}`: {_md_cell(case.title)} (reviewed {case.reviewed})" for case in cases
        ] or ["None."]
        out.append("")
    return "\n".join(out)


def report_data(report: Report) -> dict[str, Any]:
    """Every figure as plain data with stable keys: what `--format json` prints.

    `drafts` values are null when drafts were not counted; `wanted_minimum`, `priority` and
    `gap` appear for categories only.
    """
    coverage = report.coverage

    def terms(counts: tuple[TermCount, ...]) -> list[dict[str, Any]]:
        return [
            {"id": c.term.id, "name": c.term.name, "published": c.published, "drafts": c.drafts}
            | _minimum(c)
            for c in counts
        ]

    def grid(figure: str) -> dict[str, dict[str, int | None]]:
        return {
            category.id: {cell.term.id: getattr(cell, figure) for cell in cells}
            for category, cells in coverage.matrix.items()
        }

    return {
        "format_version": JSON_FORMAT_VERSION,
        "today": report.today.isoformat(),
        "include_drafts": coverage.include_drafts,
        "totals": {
            "published": coverage.published_total,
            "drafts": coverage.drafts_total,
            "files_not_counted": len(report.files_not_counted),
        },
        "categories": terms(coverage.categories),
        "gaps": terms(coverage.gaps),
        "regions": terms(coverage.regions),
        "commissioner_types": terms(coverage.commissioner_types),
        "outcomes": terms(coverage.outcomes),
        "category_by_region": {
            "published": grid("published"),
            "drafts": grid("drafts") if coverage.include_drafts else None,
        },
        "review": {
            key: [{"slug": c.slug, "title": c.title, "reviewed": c.reviewed} for c in cases]
            for key, cases in report.review_lists.items()
        },
        "not_counted": [
            {"path": path, "problems": [str(p) for p in report.problems if p.path == path]}
            for path in report.files_not_counted
        ],
        "check": {
            "passed": report.check_passed,
            "priority_gaps": [count.term.id for count in coverage.priority_gaps],
        },
    }


def _minimum(count: TermCount) -> dict[str, Any]:
    """A category's wanted minimum, priority and gap; nothing for the other lists."""
    if count.wanted_minimum is None:
        return {}
    return {"wanted_minimum": count.wanted_minimum, "priority": count.priority, "gap": count.gap}


def render_json(report: Report) -> str:
    """`kb coverage --format json`: one object, keys in a fixed order (see `report_data`)."""
    return json.dumps(report_data(report), indent=2, ensure_ascii=False) + "\n"


def render_csv(report: Report) -> str:
    """`kb coverage --format csv`: one long table, one row per figure (columns: CSV_COLUMNS,
    described in `kb coverage --help`).

    A name starting = + - or @ gets a leading apostrophe so a spreadsheet cannot run it as a
    formula.
    """
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()

    def text(value: str) -> str:
        return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value

    def row(section: str, term: Term, count: TermCount, **more: Any) -> dict[str, Any]:
        # None is written as an empty cell: "does not apply" (drafts when not counted).
        return {
            "section": section,
            "term_id": term.id,
            "term_name": text(term.name),
            "published": count.published,
            "drafts": count.drafts,
            **more,
        }

    for facet in COVERAGE_FACETS:
        for count in report.coverage.by_facet(facet):
            minimum = _minimum(count)
            if minimum:
                minimum["priority"] = "yes" if count.priority else "no"
            writer.writerow(row(facet, count.term, count, **minimum))
    for category, cells in report.coverage.matrix.items():
        for cell in cells:
            region = {"region_id": cell.term.id, "region_name": text(cell.term.name)}
            writer.writerow(row("category_by_region", category, cell, **region))
    for key, cases in report.review_lists.items():
        writer.writerows(
            {"section": key, "term_id": c.slug, "term_name": text(c.title), "reviewed": c.reviewed}
            for c in cases
        )
    return buffer.getvalue()


RENDERERS = {
    "table": render_table,
    "markdown": render_markdown,
    "json": render_json,
    "csv": render_csv,
}
