"""`kb serve`: check the content, then serve the site at http://127.0.0.1:8000 with live reload."""

from __future__ import annotations

import argparse
import os

from kb.build import CASE_STUDIES_ENV, quiet_mkdocs_logging
from kb.cli import OK, PROBLEMS, USAGE
from kb.commands.build import add_common_arguments, options_from
from kb.content.load import load_content
from kb.content.problems import print_problems
from kb.content.taxonomy import TaxonomyError

ADDRESS = "127.0.0.1:8000"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help=f"check the content, then serve the site at http://{ADDRESS}/",
        description=(
            "Check every case study and data file (as kb validate does), then build the site "
            f"and serve it at http://{ADDRESS}/, rebuilding and reloading the page whenever a "
            "page, case study or data file changes. Stop it with Ctrl+C. Exit status: 0 "
            "stopped, 1 problems found before serving, 2 usage error."
        ),
    )
    add_common_arguments(parser)
    parser.add_argument(
        "--dev-addr", default=ADDRESS, metavar="HOST:PORT", help=f"(default: {ADDRESS})"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    options = options_from(args)
    if isinstance(options, str):
        print(f"kb serve: {options}")
        return USAGE
    try:
        _, problems = load_content(options.project, options.case_studies)
    except TaxonomyError as error:
        print(error)
        return PROBLEMS
    if print_problems(problems):
        return PROBLEMS
    from mkdocs.commands.serve import serve

    quiet_mkdocs_logging(verbose=True)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    if options.case_studies is not None:
        # mkdocs reloads mkdocs.yml on every rebuild, so the folder goes in the environment.
        os.environ[CASE_STUDIES_ENV] = str(options.case_studies.resolve())
    print(f"Serving the site at http://{args.dev_addr}/ (Ctrl+C to stop)")
    serve(config_file=str(options.project.config_file), livereload=True, dev_addr=args.dev_addr)
    return OK
