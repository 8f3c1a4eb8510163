"""`kb search-bytes`: how many bytes a reader downloads for a first search (see kb.search_bytes)."""

from __future__ import annotations

import argparse

from kb import search_bytes


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "search-bytes",
        help="measure the bytes a first search downloads, in Chromium",
        description=(
            "Generate fictional corpora of N case studies (default 1,000 and 10,000), build each "
            "with kb build, open its search page in Chromium, type a query and count the bytes "
            "of every search file downloaded (Pagefind's script, WebAssembly, index chunks, "
            "filters, the results' fragments). With --site-dir, measure a site already built. "
            "Exit status: 0 measured, 2 usage error."
        ),
    )
    search_bytes.add_arguments(parser)
    parser.set_defaults(run=search_bytes.run)
