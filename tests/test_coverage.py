"""kb coverage: the counts, the review dates, every output format and the --check exit code.

The case studies are fictional (tests.support.corpus), written into tmp_path and read by the real loader.
Terms are taken from the taxonomy by position and by their priority flag, so the tests keep
working when coordinators edit names, minimums or priorities.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kb import cli
from kb.content.casestudy import CaseStudy, Collection, case_study_files, load_case_studies
from kb.content.taxonomy import Term
from kb.coverage import (
    CSV_COLUMNS,
    build_report,
    compute_coverage,
    find_stale,
    render_csv,
    render_json,
    render_markdown,
    render_table,
    years_before,
)
from tests.support import corpus
from tests.support.project import repo_rules, repo_taxonomy

TAXONOMY = repo_taxonomy()
PRIORITY = [term for term in TAXONOMY.categories if term.priority]
OTHER = [term for term in TAXONOMY.categories if not term.priority]
P0, P1 = PRIORITY[0], PRIORITY[1]
N0 = OTHER[0]
R0, R1 = TAXONOMY.regions[0], TAXONOMY.regions[1]
T0, T1, T2 = TAXONOMY.commissioner_types[:3]
TODAY = dt.date(2026, 6, 15)


def commissioner(term: Term, number: int) -> dict[str, str]:
    return {"name": f"Exampleshire Body {number}", "type": term.id}


def write(directory: Path, name: str, index: int, **overrides: object) -> Path:
    """Write fictional case study `index` with its front matter overridden."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.md"
    text = corpus.case_study_text(corpus.front_matter(index, TAXONOMY, **overrides))
    path.write_text(text, encoding="utf-8")
    return path


def write_fixture_set(directory: Path) -> Path:
    """Four case studies that exercise every counting rule.

    a: published, two categories (P0, N0), region R0, joint commissioners of types T0 and T1
       (T1 twice: still counted once).
    b: published, P0, region R1, T0.
    c: a draft, P0 and P1, region R0, T2.
    d: published, N0, region R0, two commissioners both of type T0 (counted once).
    """
    write(
        directory,
        "a-two-categories-joint",
        1,
        categories=[P0.id, N0.id],
        region=R0.id,
        commissioner=commissioner(T0, 1),
        other_commissioners=[commissioner(T1, 2), commissioner(T1, 3)],
    )
    write(
        directory,
        "b-one-category",
        2,
        categories=[P0.id],
        region=R1.id,
        commissioner=commissioner(T0, 4),
    )
    write(
        directory,
        "c-draft",
        3,
        categories=[P0.id, P1.id],
        region=R0.id,
        commissioner=commissioner(T2, 5),
        status="draft",
    )
    write(
        directory,
        "d-same-type-twice",
        4,
        categories=[N0.id],
        region=R0.id,
        commissioner=commissioner(T0, 6),
        other_commissioners=[commissioner(T0, 7)],
    )
    return directory


def load(directory: Path) -> Collection:
    return load_case_studies(case_study_files(directory), repo_rules())


@pytest.fixture
def fixture_dir(tmp_path: Path) -> Path:
    directory = write_fixture_set(tmp_path / "case_studies")
    collection = load(directory)
    assert collection.problems == []  # the fixture set itself must be valid
    assert len(collection.case_studies) == 4
    return directory


def by_id(counts) -> dict[str, object]:
    return {count.term.id: count for count in counts}


# ------------------------------------------------------------------------------------------
# Counting
# ------------------------------------------------------------------------------------------


def test_published_case_studies_are_counted_once_in_each_of_their_categories(fixture_dir):
    coverage = compute_coverage(load(fixture_dir).case_studies, TAXONOMY)
    categories = by_id(coverage.categories)
    assert categories[P0.id].published == 2  # a and b; the draft c is not counted
    assert categories[N0.id].published == 2  # a and d
    assert categories[P1.id].published == 0  # only the draft c
    assert coverage.published_total == 3
    assert sum(count.published for count in coverage.categories) == 4  # a counted twice


def test_categories_with_no_case_studies_are_listed_with_zero(fixture_dir):
    coverage = compute_coverage(load(fixture_dir).case_studies, TAXONOMY)
    assert [count.term.id for count in coverage.categories] == TAXONOMY.ids("categories")
    zero = [c for c in coverage.categories if c.term.id not in (P0.id, N0.id)]
    assert zero and all(count.published == 0 for count in zero)
    assert all(count.gap == count.wanted_minimum for count in zero)


def test_gap_is_how_many_more_are_wanted_and_never_negative(fixture_dir):
    coverage = compute_coverage(load(fixture_dir).case_studies, TAXONOMY)
    for count in coverage.categories:
        assert count.wanted_minimum == count.term.wanted_minimum
        assert count.priority == count.term.priority
        assert count.gap == max(0, count.term.wanted_minimum - count.published)
    assert [count.term.id for count in coverage.gaps] == [
        c.term.id for c in coverage.categories if c.published < c.term.wanted_minimum
    ]
    assert all(count.priority for count in coverage.priority_gaps)


def test_regions_count_each_published_case_study_once(fixture_dir):
    coverage = compute_coverage(load(fixture_dir).case_studies, TAXONOMY)
    regions = by_id(coverage.regions)
    assert regions[R0.id].published == 2  # a and d
    assert regions[R1.id].published == 1  # b
    assert sum(count.published for count in coverage.regions) == 3
    assert all(count.wanted_minimum is None and count.gap is None for count in coverage.regions)


def test_joint_commissioners_count_once_per_distinct_type(fixture_dir):
    coverage = compute_coverage(load(fixture_dir).case_studies, TAXONOMY)
    types = by_id(coverage.commissioner_types)
    assert types[T0.id].published == 3  # a, b and d (d has two T0 commissioners)
    assert types[T1.id].published == 1  # a has two T1 commissioners: counted once
    assert types[T2.id].published == 0  # only the draft


def test_category_by_region_matrix(fixture_dir):
    coverage = compute_coverage(load(fixture_dir).case_studies, TAXONOMY)
    cells = {
        (category.id, cell.term.id): cell.published
        for category, cells in coverage.matrix.items()
        for cell in cells
    }
    assert len(cells) == len(TAXONOMY.categories) * len(TAXONOMY.regions)
    assert cells[P0.id, R0.id] == 1
    assert cells[P0.id, R1.id] == 1
    assert cells[N0.id, R0.id] == 2
    assert sum(cells.values()) == 4


def test_drafts_are_not_counted_unless_asked(fixture_dir):
    coverage = compute_coverage(load(fixture_dir).case_studies, TAXONOMY)
    assert coverage.drafts_total is None
    assert all(count.drafts is None for count in coverage.categories)
    assert all(cell.drafts is None for cells in coverage.matrix.values() for cell in cells)


def test_drafts_are_counted_separately_when_asked(fixture_dir):
    coverage = compute_coverage(load(fixture_dir).case_studies, TAXONOMY, include_drafts=True)
    categories = by_id(coverage.categories)
    assert coverage.published_total == 3
    assert coverage.drafts_total == 1
    assert (categories[P0.id].published, categories[P0.id].drafts) == (2, 1)
    assert (categories[P1.id].published, categories[P1.id].drafts) == (0, 1)
    assert categories[P1.id].gap == P1.wanted_minimum  # a draft never fills a gap
    assert by_id(coverage.regions)[R0.id].drafts == 1
    assert by_id(coverage.commissioner_types)[T2.id].drafts == 1
    drafts = {
        (category.id, cell.term.id): cell.drafts
        for category, cells in coverage.matrix.items()
        for cell in cells
    }
    assert drafts[P0.id, R0.id] == drafts[P1.id, R0.id] == 1
    assert sum(drafts.values()) == 2


def test_a_term_missing_from_the_taxonomy_is_an_error_not_a_silent_zero():
    meta = corpus.front_matter(1, TAXONOMY, categories=["not-a-category"])
    case = CaseStudy("x", Path("x.md"), meta, "")
    with pytest.raises(ValueError, match="not-a-category"):
        compute_coverage([case], TAXONOMY)


# ------------------------------------------------------------------------------------------
# Review dates
# ------------------------------------------------------------------------------------------


def reviewed_case(slug: str, reviewed: str, status: str = "published") -> CaseStudy:
    meta = corpus.front_matter(1, TAXONOMY, published=reviewed, reviewed=reviewed, status=status)
    return CaseStudy(slug, Path(f"{slug}.md"), meta, "")


@pytest.mark.parametrize(
    ("reviewed", "expected"),
    [
        ("2026-06-15", None),  # today
        ("2025-06-16", None),  # a year less a day
        ("2025-06-15", None),  # exactly one year: not yet due
        ("2025-06-14", "due"),  # one year and a day
        ("2023-06-16", "due"),
        ("2023-06-15", "due"),  # exactly three years: due for review, no archive decision yet
        ("2023-06-14", "archive"),  # three years and a day
        ("2015-01-01", "archive"),
    ],
)
def test_review_boundaries(reviewed, expected):
    staleness = find_stale([reviewed_case("x", reviewed)], TODAY)
    found = (
        "due"
        if staleness["due_for_review"]
        else "archive"
        if staleness["archive_decision_needed"]
        else None
    )
    assert found == expected


def test_review_year_from_29_february():
    assert years_before(dt.date(2028, 2, 29), 1) == dt.date(2027, 2, 28)
    staleness = find_stale(
        [reviewed_case("on", "2027-02-28"), reviewed_case("before", "2027-02-27")],
        dt.date(2028, 2, 29),
    )
    assert [case.slug for case in staleness["due_for_review"]] == ["before"]


def test_drafts_are_never_due_for_review():
    staleness = find_stale([reviewed_case("x", "2015-01-01", status="draft")], TODAY)
    assert staleness["due_for_review"] == staleness["archive_decision_needed"] == ()


def test_stale_lists_are_oldest_first():
    cases = [reviewed_case("b", "2024-03-01"), reviewed_case("a", "2024-01-01")]
    assert [c.slug for c in find_stale(cases, TODAY)["due_for_review"]] == ["a", "b"]


# ------------------------------------------------------------------------------------------
# Output formats
# ------------------------------------------------------------------------------------------


def report_of(directory: Path, include_drafts: bool = False):
    return build_report(load(directory), TAXONOMY, include_drafts=include_drafts, today=TODAY)


def test_json_has_every_figure_under_stable_keys(fixture_dir):
    data = json.loads(render_json(report_of(fixture_dir, include_drafts=True)))
    assert list(data) == [
        "format_version",
        "today",
        "include_drafts",
        "totals",
        "categories",
        "gaps",
        "regions",
        "commissioner_types",
        "outcomes",
        "category_by_region",
        "review",
        "not_counted",
        "check",
    ]
    assert data["totals"] == {"published": 3, "drafts": 1, "files_not_counted": 0}
    # Every outcome is listed; together they count each published case study once.
    assert [item["id"] for item in data["outcomes"]] == TAXONOMY.ids("outcomes")
    assert sum(item["published"] for item in data["outcomes"]) == 3
    categories = {item["id"]: item for item in data["categories"]}
    assert categories[P0.id] == {
        "id": P0.id,
        "name": P0.name,
        "published": 2,
        "drafts": 1,
        "wanted_minimum": P0.wanted_minimum,
        "priority": True,
        "gap": max(0, P0.wanted_minimum - 2),
    }
    assert {item["id"]: item["published"] for item in data["regions"]}[R0.id] == 2
    types = {item["id"]: item for item in data["commissioner_types"]}
    assert (types[T0.id]["published"], types[T1.id]["published"]) == (3, 1)
    assert "gap" not in types[T0.id]
    assert data["category_by_region"]["published"][N0.id][R0.id] == 2
    assert data["category_by_region"]["drafts"][P1.id][R0.id] == 1
    assert [item["id"] for item in data["gaps"]] == [
        item["id"] for item in data["categories"] if item["gap"]
    ]
    assert data["check"]["passed"] is False
    assert P1.id in data["check"]["priority_gaps"]


def test_json_drafts_are_null_when_not_counted(fixture_dir):
    data = json.loads(render_json(report_of(fixture_dir)))
    assert data["totals"]["drafts"] is None
    assert {item["drafts"] for item in data["categories"]} == {None}
    assert data["category_by_region"]["drafts"] is None


def test_csv_is_one_long_table(fixture_dir):
    rows = list(csv.DictReader(io.StringIO(render_csv(report_of(fixture_dir, True)))))
    assert tuple(rows[0]) == CSV_COLUMNS
    sections = [row["section"] for row in rows]
    assert sections.count("categories") == len(TAXONOMY.categories)
    assert sections.count("regions") == len(TAXONOMY.regions)
    assert sections.count("commissioner_types") == len(TAXONOMY.commissioner_types)
    assert sections.count("category_by_region") == len(TAXONOMY.categories) * len(TAXONOMY.regions)
    p0 = next(r for r in rows if r["section"] == "categories" and r["term_id"] == P0.id)
    assert p0["term_name"] == P0.name
    assert (p0["published"], p0["drafts"]) == ("2", "1")
    assert (p0["wanted_minimum"], p0["priority"]) == (str(P0.wanted_minimum), "yes")
    assert p0["gap"] == str(max(0, P0.wanted_minimum - 2))
    n0 = next(r for r in rows if r["section"] == "categories" and r["term_id"] == N0.id)
    assert n0["priority"] == "no"
    t1 = next(r for r in rows if r["section"] == "commissioner_types" and r["term_id"] == T1.id)
    assert (t1["published"], t1["wanted_minimum"], t1["gap"]) == ("1", "", "")
    cell = next(
        r
        for r in rows
        if r["section"] == "category_by_region"
        and r["term_id"] == N0.id
        and r["region_id"] == R0.id
    )
    assert (cell["published"], cell["region_name"]) == ("2", R0.name)


def test_csv_drafts_are_empty_when_not_counted(fixture_dir):
    rows = list(csv.DictReader(io.StringIO(render_csv(report_of(fixture_dir)))))
    assert {row["drafts"] for row in rows} == {""}


def test_csv_lists_case_studies_due_for_review(tmp_path):
    directory = tmp_path / "cs"
    write(directory, "old", 1, published="2024-01-10", reviewed="2024-01-10")
    write(directory, "ancient", 2, published="2020-05-01", reviewed="2020-05-01")
    rows = list(csv.DictReader(io.StringIO(render_csv(report_of(directory)))))
    review = [(r["section"], r["term_id"], r["reviewed"]) for r in rows if r["reviewed"]]
    assert review == [
        ("due_for_review", "old", "2024-01-10"),
        ("archive_decision_needed", "ancient", "2020-05-01"),
    ]


def markdown_rows(text: str, first_cell: str) -> list[list[str]]:
    """The cells of every Markdown table row whose first cell is `first_cell`."""
    rows = []
    for line in text.splitlines():
        if line.startswith("| "):
            cells = [cell.strip() for cell in line.strip("|").split(" | ")]
            if cells[0] == first_cell:
                rows.append(cells)
    return rows


def test_markdown_tables(fixture_dir):
    text = render_markdown(report_of(fixture_dir, include_drafts=True))
    assert "| Category | Priority | Published | Drafts | Wanted minimum | Gap |" in text
    gap = max(0, P0.wanted_minimum - 2)
    expected_gap = f"needs {gap} more" if gap else "met"
    assert markdown_rows(text, P0.name)[0] == [
        P0.name,
        "PRIORITY",
        "2",
        "1",
        str(P0.wanted_minimum),
        expected_gap,
    ]
    assert markdown_rows(text, R0.name)[0][:3] == [R0.name, "2", "1"]
    assert markdown_rows(text, T1.name)[0][:2] == [T1.name, "1"]
    matrix_row = markdown_rows(text, N0.name)[-1]  # the category-by-region row
    assert len(matrix_row) == 1 + len(TAXONOMY.regions)
    assert matrix_row[1] == "2"  # R0 is the first region
    assert f"{P1.name} (**PRIORITY**): 0 published" in text


def test_markdown_escapes_pipes_in_names():
    from kb.coverage import _md_table

    table = _md_table(["Name"], [["a | b"]], set())
    assert table.splitlines()[2] == "| a \\| b |"


def test_table_is_words_as_well_as_figures(fixture_dir):
    text = render_table(report_of(fixture_dir, include_drafts=True))
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith("Category "))
    assert header.split() == [
        "Category",
        "Priority",
        "Published",
        "Drafts",
        "Wanted",
        "minimum",
        "Gap",
    ]
    p1 = next(line for line in lines if line.startswith(P1.name + " "))
    assert "PRIORITY" in p1
    assert f"needs {P1.wanted_minimum} more" in p1
    assert f"{P1.name}, PRIORITY: 0 published, {P1.wanted_minimum} wanted" in text
    # columns line up: every number in the Published column ends where its header ends
    end = header.index("Published") + len("Published")
    assert p1[end - 1] == "0" and p1[end] == " "
    assert "none yet" in text
    assert f"  {N0.name}: {R0.name} 2" in text
    assert "-----" not in text  # no rule lines for a screen reader to read out


def test_table_says_drafts_are_not_counted(fixture_dir):
    text = render_table(report_of(fixture_dir))
    assert "Drafts are not counted" in text
    header = next(line for line in text.splitlines() if line.startswith("Category "))
    assert "Drafts" not in header  # no Drafts column


# ------------------------------------------------------------------------------------------
# The command: kb coverage
# ------------------------------------------------------------------------------------------


def run_kb(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(["coverage", *args])
    out, err = capsys.readouterr()
    return code, out, err


def write_check_passing_set(directory: Path) -> Path:
    """Exactly the wanted minimum of published case studies in every priority category."""
    index = 0
    for term in PRIORITY:
        for number in range(term.wanted_minimum):
            index += 1
            write(directory, f"{term.id}-{number}", index, categories=[term.id])
    return directory


def test_check_passes_when_every_priority_category_has_its_minimum(tmp_path, capsys):
    directory = write_check_passing_set(tmp_path / "cs")
    code, out, err = run_kb(capsys, "--case-studies", str(directory), "--check")
    assert code == 0
    assert "Check passed" in err
    assert "Gaps:" in out


def test_check_fails_naming_each_priority_category_below_minimum(tmp_path, capsys):
    directory = write_check_passing_set(tmp_path / "cs")
    (directory / f"{P0.id}-0.md").unlink()
    code, _, err = run_kb(capsys, "--case-studies", str(directory), "--check")
    assert code == 1
    assert "Check failed: 1 priority category is below the wanted minimum" in err
    assert f"{P0.name}: {P0.wanted_minimum - 1} published" in err
    assert P1.name not in err


def test_check_ignores_non_priority_gaps_and_drafts(tmp_path, capsys):
    directory = write_check_passing_set(tmp_path / "cs")
    write(directory, "draft", 99, categories=[P0.id], status="draft")
    code, *_ = run_kb(capsys, "--case-studies", str(directory), "--check", "--include-drafts")
    assert code == 0
    assert any(term.wanted_minimum for term in OTHER)  # so non-priority gaps exist here


def test_without_check_the_exit_code_is_0_even_with_gaps(fixture_dir, capsys):
    code, out, _ = run_kb(capsys, "--case-studies", str(fixture_dir))
    assert code == 0
    assert "Gaps:" in out


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown", "table"])
def test_every_format_from_the_command(fixture_dir, capsys, fmt):
    code, out, err = run_kb(capsys, "--case-studies", str(fixture_dir), "--format", fmt)
    assert code == 0
    assert err == ""
    if fmt == "json":
        assert json.loads(out)["totals"]["published"] == 3
    elif fmt == "csv":
        assert next(csv.reader(io.StringIO(out))) == list(CSV_COLUMNS)


def test_check_result_goes_to_stderr_so_json_stays_parseable(fixture_dir, capsys):
    code, out, err = run_kb(
        capsys, "--case-studies", str(fixture_dir), "--format", "json", "--check"
    )
    assert code == 1
    assert json.loads(out)["check"]["passed"] is False
    assert "Check failed" in err


def test_today_fixes_the_review_date(tmp_path, capsys):
    directory = tmp_path / "cs"
    write(directory, "reviewed-2024", 1, published="2024-01-10", reviewed="2024-01-10")
    _, out, _ = run_kb(capsys, "--case-studies", str(directory), "--today", "2025-01-10")
    assert "Due for review (reviewed more than a year before 10 January 2025): none" in out
    _, out, _ = run_kb(capsys, "--case-studies", str(directory), "--today", "2025-01-11")
    assert "Due for review (reviewed more than a year before 11 January 2025): 1" in out
    assert "  reviewed-2024: Fictional case study 1" in out
    _, out, _ = run_kb(capsys, "--case-studies", str(directory), "--today", "2027-01-11")
    assert "Archive decision needed (reviewed more than three years before" in out
    assert "2027): 1" in out


def test_invalid_files_are_reported_and_not_counted(fixture_dir, capsys):
    write(fixture_dir, "broken", 9, categories=[P0.id], region="atlantis")
    code, out, err = run_kb(capsys, "--case-studies", str(fixture_dir), "--format", "json")
    assert code == 0  # the report was printed; it says what was left out
    data = json.loads(out)
    assert data["totals"]["published"] == 3
    assert data["totals"]["files_not_counted"] == 1
    [left_out] = data["not_counted"]
    assert left_out["path"].endswith("broken.md")
    assert any("region" in problem for problem in left_out["problems"])
    # the standard 'path:line: field: message' format
    assert re.search(r"^\S*broken\.md:\d+: region: ", err, re.MULTILINE)
    assert "NOT counted" in err


def test_invalid_files_are_named_in_the_table_and_fail_the_check(fixture_dir, capsys):
    write(fixture_dir, "broken", 9, region="atlantis")
    code, out, err = run_kb(capsys, "--case-studies", str(fixture_dir), "--check")
    assert code == 1
    assert "WARNING: 1 file has problems and was NOT counted" in out
    assert "broken.md" in out
    assert "1 file has problems and was not counted" in err


def test_invalid_files_fail_the_check_even_without_gaps(tmp_path, capsys):
    directory = write_check_passing_set(tmp_path / "cs")
    (directory / "broken.md").write_text("no front matter\n", encoding="utf-8")
    code, _, err = run_kb(capsys, "--case-studies", str(directory), "--check")
    assert code == 1
    assert "priority category" not in err
    assert "broken.md:1: front matter:" in err


def test_a_missing_folder_is_a_usage_error(tmp_path, capsys):
    code, _, err = run_kb(capsys, "--case-studies", str(tmp_path / "nowhere"))
    assert code == 2
    assert "no such folder" in err


def test_a_bad_date_is_a_usage_error(fixture_dir, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["coverage", "--case-studies", str(fixture_dir), "--today", "25/11/2026"])
    assert exit_info.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_help_documents_the_csv_columns_and_exit_codes(capsys):
    with pytest.raises(SystemExit):
        cli.main(["coverage", "--help"])
    text = capsys.readouterr().out
    assert ",".join(CSV_COLUMNS) in text
    assert "Exit status" in text


def test_check_exit_codes_from_a_real_process(tmp_path):
    directory = write_check_passing_set(tmp_path / "cs")

    def check() -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "kb", "coverage", "--case-studies", str(directory), "--check"],
            capture_output=True,
            text=True,
            check=False,
        )

    assert check().returncode == 0
    (directory / f"{P0.id}-0.md").unlink()
    failed = check()
    assert failed.returncode == 1
    assert P0.name in failed.stderr
