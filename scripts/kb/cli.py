"""The `kb` command line. It only parses arguments and calls the pure functions.

Each subcommand is a module in kb.commands with `register(subparsers)`, which adds its parser
and sets `run` (taking the parsed arguments and returning the exit code). New commands need no
change here.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import kb.commands
from kb.content.casestudy import Rules
from kb.content.load import load_rules
from kb.content.project import Project, ProjectNotFound, find_project
from kb.content.taxonomy import Taxonomy, TaxonomyError, load_taxonomy

#: Exit codes, the same for every command.
OK, PROBLEMS, USAGE, INTERNAL = 0, 1, 2, 3


def build_parser() -> argparse.ArgumentParser:
    description = "Check, build and report on the commissioning knowledge base."
    parser = argparse.ArgumentParser(prog="kb", description=description)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module_info in sorted(pkgutil.iter_modules(kb.commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"kb.commands.{module_info.name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)  # exits 2 with a usage message on a usage error
    try:
        return int(args.run(args))
    except ProjectNotFound as error:
        print(f"kb {args.command}: {error}", file=sys.stderr)
        return USAGE
    except TaxonomyError as error:  # a maintainer's mistake in data/taxonomy.yml, every line
        print(error)
        return PROBLEMS
    except KeyboardInterrupt:
        print("kb: stopped", file=sys.stderr)
        return INTERNAL
    except BrokenPipeError:
        return OK
    except Exception as error:  # never a traceback for a contributor; say how to get one
        print(
            f"kb {args.command}: internal error: {type(error).__name__}: {error}\n"
            "This is a bug in kb, not in your files. Please report it, with the command you ran"
            " (set KB_DEBUG=1 to see the full traceback).",
            file=sys.stderr,
        )
        if os.environ.get("KB_DEBUG") == "1":
            raise
        return INTERNAL


def add_command(
    subparsers: argparse._SubParsersAction,
    name: str,
    run: Callable[[argparse.Namespace], int],
    help: str,
    description: str,
    **options: Any,
) -> argparse.ArgumentParser:
    """Add the subcommand `name`, with --config, whose parsed arguments `run` is called with."""
    parser = subparsers.add_parser(name, help=help, description=description, **options)
    add_config_option(parser)
    parser.set_defaults(run=run)
    return parser


def add_config_option(parser: argparse.ArgumentParser) -> None:
    """--config: the project's mkdocs.yml (default: the nearest one at or above this folder)."""
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="the project's mkdocs.yml (default: the nearest one in this folder or above it)",
    )


def project_rules(args: argparse.Namespace) -> tuple[Project, Taxonomy, Rules]:
    """The project, its taxonomy and the rules a case study is checked against, read now.

    Raises ProjectNotFound or TaxonomyError, which main() prints.
    """
    project = project_from(args)
    taxonomy = load_taxonomy(project.taxonomy_file)
    return project, taxonomy, load_rules(project, taxonomy)


def project_from(args: argparse.Namespace) -> Project:
    """The project the command works on: --config's folder, else found from the working folder.

    Raises ProjectNotFound, which main() prints as a usage error.
    """
    return find_project(config=getattr(args, "config", None))


def add_github_option(parser: argparse.ArgumentParser) -> None:
    """--github / --no-github: also print GitHub Actions annotations for every problem."""
    parser.add_argument(
        "--github",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="also print GitHub Actions annotations (default: on when GITHUB_ACTIONS=true)",
    )


def github_annotations(args: argparse.Namespace) -> bool:
    """Whether to print annotations: as --github says, else when running under GitHub Actions."""
    return args.github if args.github is not None else os.environ.get("GITHUB_ACTIONS") == "true"
