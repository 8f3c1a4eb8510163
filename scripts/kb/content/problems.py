"""Problems found in contributed files, and the one function that prints them.

Every check in kb yields Problem objects; nothing else prints errors. The format follows
python/peps' check-peps.py so editors and CI can jump to the line:

    case_studies/x.md:7: region: must be one of 'london', 'wales', …; got 'London'
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file: where it is, which field, and what to do about it."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        # Every value on one line, control characters escaped: no printed line can begin a
        # GitHub workflow command (::error, ::add-mask, …) or hide text with bidi controls.
        return (
            f"{one_line(self.path)}:{self.line}: {one_line(self.field)}: {one_line(self.message)}"
        )

    def github_annotation(self) -> str:
        """The same problem as a GitHub Actions workflow command, shown on the pull request."""
        return (
            f"::error file={_escape_property(self.path)},line={self.line},"
            f"title={_escape_property(self.field)}::{_escape_data(self.message)}"
        )


def one_line(text: str) -> str:
    """`text` with line breaks and control, format and direction characters escaped."""
    if text.isprintable():
        return text
    return "".join(
        ch
        if ch.isprintable() or ch == " "
        else {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch, f"\\u{ord(ch):04x}")
        for ch in text
    )


def _escape_data(text: str) -> str:
    text = one_line(text)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def print_problems(
    problems: Iterable[Problem],
    *,
    stream: TextIO | None = None,
    github_annotations: bool = False,
) -> int:
    """Print every problem, one per line, sorted by file and line; return how many there were.

    The same message in the same file and field is printed at most REPEATS_SHOWN times, then
    one line says how many more there are.
    """
    out = stream if stream is not None else sys.stdout
    problems = list(problems)
    for problem in capped(problems):
        print(problem, file=out)
        if github_annotations and problem.field != MORE:
            print(problem.github_annotation(), file=out)
    return len(problems)


#: How many times one problem (same file, field and message) is printed before the rest are
#: counted on one line.
REPEATS_SHOWN = 5
#: The field of the line that counts the repeats left out.
MORE = "and more"


def capped(problems: Iterable[Problem]) -> list[Problem]:
    """Sorted problems with repeats of one (path, field, message) past REPEATS_SHOWN replaced
    by one line counting them."""
    ordered = sorted(problems)
    total = Counter((problem.path, problem.field, problem.message) for problem in ordered)
    printed: Counter[tuple[str, str, str]] = Counter()
    shown: list[Problem] = []
    for problem in ordered:
        key = (problem.path, problem.field, problem.message)
        printed[key] += 1
        if printed[key] <= REPEATS_SHOWN:
            shown.append(problem)
        elif printed[key] == REPEATS_SHOWN + 1:
            shown.append(
                Problem(
                    problem.path,
                    problem.line,
                    MORE,
                    f"{total[key] - REPEATS_SHOWN} more of the problem above ({problem.field}) "
                    f"from line {problem.line} on, not shown; fix them the same way",
                )
            )
    return shown


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 case study', '3 case studies': the one way kb writes a count of things."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def summary(files: int, problems: int, files_with_problems: int) -> str:
    """The one-line summary: how many files were checked and how many problems were found."""
    if not problems:
        return f"Checked {plural(files, 'file')}: no problems found."
    return (
        f"Checked {plural(files, 'file')}: {plural(problems, 'problem')} "
        f"in {plural(files_with_problems, 'file')}. "
        "Fix each one as its message says, then run kb validate again."
    )


#: How the build's error starts when the content has problems; the lines after it are printed.
CONTENT_PROBLEMS = "kb: the content has problems, so the site was not built:\n"


def problems_message(problems: list[Problem], files_checked: int) -> str:
    """Every problem in the `path:line: field: message` format, then the summary line."""
    lines = [str(problem) for problem in capped(problems)]
    lines.append(summary(files_checked, len(problems), len({p.path for p in problems})))
    return CONTENT_PROBLEMS + "\n".join(lines)
