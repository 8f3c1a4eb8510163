"""`kb serve`: serve a preview of the site at http://127.0.0.1:8000 with live reload.

The preview never hangs: while the content has problems, every page shows them (the kb plugin
builds the problems page instead of the site) and the terminal prints them with a summary line;
the next save that fixes them brings the site back. Drafts are shown, with a banner.
"""

from __future__ import annotations

import argparse
import os

from kb.build import CASE_STUDIES_ENV
from kb.cli import OK, USAGE, add_command
from kb.commands.build import add_common_arguments, options_from

ADDRESS = "127.0.0.1:8000"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers,
        "serve",
        run,
        help=f"preview the site at http://{ADDRESS}/, drafts included",
        description=f"Build a preview of the site and serve it at http://{ADDRESS}/, rebuilding "
        "and reloading the page whenever a page, case study or data file is saved. Every case "
        "study and data file is checked as kb validate does; while any has problems, every page "
        "of the preview lists them (and so does the terminal) until a save fixes them. Draft "
        "case studies are shown with a banner but listed nowhere. Stop it with Ctrl+C. "
        "Exit status: 0 stopped, 2 usage error.",
    )
    add_common_arguments(parser)
    parser.add_argument(
        "--dev-addr", default=ADDRESS, metavar="HOST:PORT", help=f"(default: {ADDRESS})"
    )


def run(args: argparse.Namespace) -> int:
    options = options_from(args)
    if options is None:
        return USAGE
    from mkdocs.commands.serve import serve

    if options.case_studies is not None:
        # mkdocs reloads mkdocs.yml on every rebuild, so the folder goes in the environment.
        os.environ[CASE_STUDIES_ENV] = str(options.case_studies.resolve())
    print(f"Serving a preview at http://{args.dev_addr}/ (Ctrl+C to stop)", flush=True)
    # Not strict: in a preview a warning is printed, not turned into a failed build.
    serve(
        config_file=str(options.project.config_file),
        livereload=True,
        dev_addr=args.dev_addr,
        strict=False,
    )
    return OK
