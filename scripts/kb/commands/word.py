"""`kb to-docx SLUG` and `kb from-docx FILE`: the Word route for case studies (kb.contrib.word).

`kb to-docx` lays a case study out as a Word file; `kb from-docx` reads a filled one (or a
case study written back from Word) into a case-study file, checked as `kb validate` checks it,
with every problem named by the heading it sits under.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import frontmatter

from kb.cli import OK, PROBLEMS, USAGE, add_config_option, project_rules
from kb.content.casestudy import HANDLER
from kb.content.project import display_path
from kb.contrib.scaffold import slugify, write_new
from kb.contrib.word import convert_document, document_bytes, split_sections, word_document


def register(subparsers: argparse._SubParsersAction) -> None:
    to_docx = subparsers.add_parser(
        "to-docx",
        help="write a case study as a Word file",
        description="Write case_studies/SLUG.md as a Word file (SLUG.docx) to send to people "
        "who work in Word. kb from-docx reads it back.",
    )
    to_docx.add_argument("slug", help="the case study's file name, without .md")
    to_docx.add_argument("-o", "--output", type=Path, help="where to write (default: SLUG.docx)")
    add_config_option(to_docx)
    to_docx.set_defaults(run=run_to_docx)

    from_docx = subparsers.add_parser(
        "from-docx",
        help="turn a filled Word form into a case study",
        description="Read a filled case-study Word form and report every problem, named by "
        "the heading it sits under. With --write, also write the case study into "
        "case_studies/ (never over an existing file).",
    )
    from_docx.add_argument("file", type=Path, help="the .docx file")
    from_docx.add_argument("--write", action="store_true", help="write the case-study file")
    from_docx.add_argument("--slug", help="the file name, without .md (default: from the title)")
    add_config_option(from_docx)
    from_docx.set_defaults(run=run_from_docx)


def run_to_docx(args: argparse.Namespace) -> int:
    project, taxonomy, rules = project_rules(args)
    source = project.case_studies_dir / f"{args.slug}.md"
    if not source.is_file():
        print(f"There is no case study {display_path(source)}; give its file name without .md")
        return USAGE
    post = frontmatter.loads(source.read_text(encoding="utf-8"), handler=HANDLER)
    document = word_document(
        dict(post.metadata), split_sections(post.content, rules), rules, taxonomy
    )
    output = args.output or Path(f"{args.slug}.docx")
    output.write_bytes(document_bytes(document))
    print(f"Wrote {display_path(output)}")
    return OK


def run_from_docx(args: argparse.Namespace) -> int:
    project, taxonomy, rules = project_rules(args)
    if not args.file.is_file():
        print(f"There is no file {display_path(args.file)}")
        return USAGE
    result = convert_document(args.file.read_bytes(), rules, taxonomy)
    for problem in result.problems:
        print(f"{args.file.name}: {problem}")
    if result.problems:
        print(f"{len(result.problems)} things to change in {args.file.name}.")
    if args.write:
        slug = args.slug or slugify(str(result.meta.get("title", "")))
        try:
            path = write_new(project.case_studies_dir, slug, result.text)
        except FileExistsError:
            print(f"case_studies/{slug}.md already exists; choose another name with --slug")
            return USAGE
        print(f"Wrote {display_path(path)}")
    return PROBLEMS if result.problems else OK
