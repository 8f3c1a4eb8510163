"""`kb bench`: time each stage of `kb build` on generated corpora, against plain mkdocs-material."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kb import bench
from kb.cli import OK, PROBLEMS, USAGE


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "bench",
        help="measure build time and memory against plain mkdocs-material",
        description=(
            "Generate obviously fictional corpora of N valid case studies in a temporary folder, "
            "build each with every stage of kb build in a fresh process (validate, mkdocs build, "
            "search index, checks), measuring wall time and peak memory, then build the same "
            "corpus the plain way (mkdocs-material, every page in the nav, its own search) and "
            "print ours, plain and the ratio for each figure. Writes results.json and results.md "
            "into --out. Exit status: 0 when every build finished, 1 when one failed."
        ),
    )
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=list(bench.DEFAULT_SIZES),
        metavar="N,N,…",
        help="numbers of case studies to generate and build (default: %(default)s)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder for results.json and results.md (default: bench-results/, git-ignored)",
    )
    parser.add_argument(
        "--skip-plain-above",
        type=int,
        default=bench.DEFAULT_SKIP_PLAIN_ABOVE,
        metavar="N",
        help=(
            "do not build corpora larger than N the plain way: the plain build grows with the "
            "square of the number of pages (default: %(default)s)"
        ),
    )
    parser.add_argument(
        "--plain-timeout",
        type=float,
        default=bench.DEFAULT_PLAIN_TIMEOUT,
        metavar="SECONDS",
        help="stop a plain build still running after this long (default: %(default)s)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        metavar="N",
        help=(
            "run every build N times and keep the fastest: other work on a shared machine only "
            "ever adds time (default: %(default)s)"
        ),
    )
    parser.add_argument(
        "--stages-only",
        action="store_true",
        help=(
            "do not build each corpus a second time with kb build in one process; the end-to-end "
            "figures are then the stages' sum (about half the time)"
        ),
    )
    parser.set_defaults(run=run)


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be whole numbers separated by commas, like 100,1000; got {text!r}"
        ) from None
    if not sizes or any(size < 1 for size in sizes):
        raise argparse.ArgumentTypeError(f"must be numbers of 1 or more; got {text!r}")
    return sizes


def run(args: argparse.Namespace) -> int:
    if args.plain_timeout <= 0:
        print("kb bench: --plain-timeout must be more than 0 seconds")
        return USAGE
    if args.repeat < 1:
        print("kb bench: --repeat must be 1 or more")
        return USAGE
    result = bench.run_benchmark(
        args.sizes,
        skip_plain_above=args.skip_plain_above,
        plain_timeout=args.plain_timeout,
        whole_for=None if args.stages_only else bench.whole_build,
        progress=lambda message: print(f"kb bench: {message}", file=sys.stderr, flush=True),
        repeat=args.repeat,
    )
    json_path, markdown_path = bench.write_results(result, args.out or bench.default_out())
    print(bench.markdown_table(result))
    print(f"Wrote {json_path} and {markdown_path}")
    # A plain build skipped or stopped for taking too long is a result, not a failure.
    failed = [
        (size.case_studies, build)
        for size in result.sizes
        for build in (size.ours, size.plain)
        if build.note
        and build.note != bench.NOT_RUN_QUADRATIC
        and not (build is size.plain and "timed out" in build.note)
    ]
    for count, build in failed:
        print(f"kb bench: {count:,} case studies: {build.note}", file=sys.stderr)
        for stage in build.stages:
            if stage.output_tail:
                print(stage.output_tail, file=sys.stderr)
    return PROBLEMS if failed else OK
