"""Problems found in contributed files, and the one function that prints them.

Every check in kb yields Problem objects; nothing else prints errors. The format follows
python/peps' check-peps.py so editors and CI can jump to the line:

    case_studies/x.md:7: region: must be one of 'london', 'wales', …; got 'London'
"""

from __future__ import annotations

import sys
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
        return f"{self.path}:{self.line}: {self.field}: {self.message}"

    def github_annotation(self) -> str:
        """The same problem as a GitHub Actions workflow command, shown on the pull request."""
        return (
            f"::error file={_escape_property(self.path)},line={self.line},"
            f"title={_escape_property(self.field)}::{_escape_data(self.message)}"
        )


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def print_problems(
    problems: Iterable[Problem],
    *,
    stream: TextIO | None = None,
    github_annotations: bool = False,
) -> int:
    """Print every problem, one per line, sorted by file and line; return how many there were."""
    out = stream if stream is not None else sys.stdout
    count = 0
    for problem in sorted(problems):
        print(problem, file=out)
        if github_annotations:
            print(problem.github_annotation(), file=out)
        count += 1
    return count


def summary(files: int, problems: int, files_with_problems: int) -> str:
    """The one-line summary: how many files were checked and how many problems were found."""
    noun = "file" if files == 1 else "files"
    if not problems:
        return f"Checked {files} {noun}: no problems found."
    return (
        f"Checked {files} {noun}: {problems} problem{'s' if problems != 1 else ''} "
        f"in {files_with_problems} file{'s' if files_with_problems != 1 else ''}. "
        "Fix each one as its message says, then run kb validate again."
    )
