"""How many bytes a reader downloads for a first search, measured in Chromium.

`first_search_bytes(site_dir, query)` serves a built site on 127.0.0.1, opens its search page
in a fresh Chromium (no cache), waits until search is ready, types the query, waits for the
results, and adds up the bytes the server sent for every search file: pagefind.js, its worker
and WebAssembly, the index's entry, metadata, word and filter chunks, the fragments of the
results shown, and search/facets.json. The page itself, the theme's CSS and JS are not counted.

The server sends files as they are, without HTTP compression, as a plain static host would.
Pagefind's index files are gzipped already; its JavaScript is not, so `SearchBytes` also gives
the figure with that JavaScript gzipped, as GitHub Pages and most hosts serve it.

Run `python -m kb.search_bytes --count 1000 --count 10000` (or `kb search-bytes`) to generate
corpora with kb.fake, build them and print the figures; `--site-dir DIR` measures a built site.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import importlib.util
import os
import re
import shutil
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import yaml

from kb import paths, search
from tests.support.chromium import CHROMIUM_ARGS, CHROMIUM_PATH

if TYPE_CHECKING:
    from playwright.sync_api import Browser

#: The query measured by default: a word in every generated case study, so the word's index
#: chunk and the result fragments are as large as they get.
DEFAULT_QUERY = "commissioner"
#: How long to wait for the search page to answer, in milliseconds.
TIMEOUT_MS = 60_000


# ---------------------------------------------------------------------------------------------
# Serving a built site, counting what is sent
# ---------------------------------------------------------------------------------------------


@dataclass
class Served:
    """Every file the server sent: (site path, bytes), in order."""

    files: list[tuple[str, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, path: str, size: int) -> None:
        with self.lock:
            self.files.append((path, size))

    def clear(self) -> None:
        with self.lock:
            self.files.clear()


class _Handler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"
    served: Served

    def __init__(self, *args: Any, directory: str, prefix: str, served: Served, **kw: Any):
        self.prefix, self.served = prefix, served
        super().__init__(*args, directory=directory, **kw)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def translate_path(self, path: str) -> str:
        site_path = unquote(urlsplit(path).path)
        if not site_path.startswith(self.prefix):
            return str(Path(str(self.directory)) / "\0missing")
        return super().translate_path("/" + site_path[len(self.prefix) :])

    def send_head(self) -> Any:
        head = super().send_head()
        target = Path(self.translate_path(self.path))
        if head is not None and target.is_file():
            self.served.add(unquote(urlsplit(self.path).path), target.stat().st_size)
        return head


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextmanager
def serve(site_dir: Path, prefix: str = "/") -> Iterator[tuple[str, Served]]:
    """Serve site_dir at http://127.0.0.1:PORT{prefix}; yield (that address, what was sent)."""
    served = Served()
    handler = functools.partial(_Handler, directory=str(site_dir), prefix=prefix, served=served)
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}", served
    finally:
        server.shutdown()
        server.server_close()


# ---------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchBytes:
    """The search files a first search downloaded, and their sizes."""

    query: str
    results: int
    files: tuple[tuple[str, int], ...]
    #: The same total with Pagefind's (uncompressed) JavaScript gzipped, as most hosts send it.
    gzipped_total: int

    @property
    def total(self) -> int:
        return sum(size for _, size in self.files)

    def by_kind(self) -> dict[str, tuple[int, int]]:
        """Bytes and file count per kind of file (javascript, wasm, fragment, index, …)."""
        kinds: dict[str, tuple[int, int]] = {}
        for path, size in self.files:
            kind = _kind(path)
            total, count = kinds.get(kind, (0, 0))
            kinds[kind] = (total + size, count + 1)
        return kinds


def _kind(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    if name.endswith(".js"):
        return "javascript"
    if name.startswith("wasm."):
        return "webassembly"
    for part in ("fragment", "index", "filter"):
        if f"/{part}/" in path:
            return part
    if name.endswith(".pf_meta"):
        return "metadata"
    return "other"


def _is_search_file(path: str) -> bool:
    return "/pagefind/" in path or path.endswith("/" + search.FACETS_FILE)


def measure_first_search(
    site_dir: Path, query: str = DEFAULT_QUERY, *, prefix: str = "/", browser: Browser | None = None
) -> SearchBytes:
    """Open the search page in a fresh Chromium context, search once, count the search bytes.

    Pass `browser` to reuse a running Chromium (a test's); otherwise one is launched.
    """
    site_dir = Path(site_dir)
    with serve(site_dir, prefix) as (base, served):
        if browser is not None:
            results = _search_once(browser, base, query)
        else:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as playwright:
                launched = playwright.chromium.launch(
                    executable_path=str(CHROMIUM_PATH), args=CHROMIUM_ARGS
                )
                try:
                    results = _search_once(launched, base, query)
                finally:
                    launched.close()
        files = tuple((path, size) for path, size in served.files if _is_search_file(path))
    gzipped = 0
    for path, size in files:
        if path.endswith(".js"):
            local = site_dir / path[len(prefix) :]
            gzipped += len(gzip.compress(local.read_bytes(), 6))
        else:
            gzipped += size
    return SearchBytes(query=query, results=results, files=files, gzipped_total=gzipped)


def _search_once(browser: Browser, base: str, query: str) -> int:
    """Type `query` into the search page at `base` in a new context; return the result count."""
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(base + "search/", wait_until="load")
        try:
            page.wait_for_selector(
                "#kb-search[data-kb-search='ready']", state="attached", timeout=TIMEOUT_MS
            )
        except Exception as error:
            raise RuntimeError(f"the search page did not start: {errors}") from error
        page.fill("#kb-search-input", query)
        page.wait_for_function(
            "() => document.getElementById('kb-search').dataset.kbSearchDone === '1'",
            timeout=TIMEOUT_MS,
        )
        return int(page.eval_on_selector("#kb-search", "r => r.dataset.kbResults || 0"))
    finally:
        context.close()


def first_search_bytes(site_dir: Path, query: str = DEFAULT_QUERY) -> int:
    """Bytes of search files downloaded by a first search on the built site (no compression)."""
    return measure_first_search(site_dir, query).total


# ---------------------------------------------------------------------------------------------
# Building a site from a folder of case studies
# ---------------------------------------------------------------------------------------------


def kb_build_available() -> bool:
    """True when the site engineer's `kb build` exists."""
    return importlib.util.find_spec("kb.commands.build") is not None


def build_site(case_studies: Path, site_dir: Path, *, standin: bool | None = None) -> Path:
    """Build a searchable site from a folder of case studies into site_dir.

    Uses `kb build --case-studies DIR --site-dir DIR` when it exists (or standin=False), and
    otherwise `build_standin_site`.
    """
    if standin is None:
        standin = not kb_build_available()
    if standin:
        return build_standin_site(case_studies, site_dir)
    command = [
        sys.executable,
        "-m",
        "kb",
        "build",
        "--case-studies",
        str(case_studies),
        "--site-dir",
        str(site_dir),
    ]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        command, cwd=paths.PROJECT_ROOT, capture_output=True, text=True, env=env, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} exited {done.returncode}\n{done.stdout[-4000:]}\n"
            f"{done.stderr[-4000:]}"
        )
    return site_dir


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running its !ENV or !!python tags."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)

_ARTICLE = re.compile(
    r'(<article class="md-content__inner md-typeset">)(.*?)(</article>)', re.DOTALL
)
_TITLE = re.compile(r"<title>.*?</title>", re.DOTALL)
_SHELL = "case-studies/kb-search-shell"


def build_standin_site(case_studies: Path, site_dir: Path) -> Path:
    """A stand-in for `kb build` that builds only what search needs, quickly.

    mkdocs-material with this repository's theme, overrides, CSS and JavaScript builds the home
    and search pages and one empty case-study page; each published case study becomes a copy of
    that page holding its heading, summary, body and the Pagefind markers the site plugin
    writes (kb.site.case_study.search_markers). Then it writes the facet names, runs Pagefind
    and checks one record per case study, as `kb build` does. For tests and measurements only.
    """
    import markdown

    from kb.content.casestudy import case_study_files, load_case_studies
    from kb.content.taxonomy import load_taxonomy

    collection = load_case_studies(case_study_files(case_studies))
    if collection.problems:
        listed = "\n".join(str(problem) for problem in collection.problems[:20])
        raise RuntimeError(f"the case studies in {case_studies} have problems:\n{listed}")
    taxonomy = load_taxonomy()
    repo = yaml.load(
        (paths.PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader
    )
    site_dir = site_dir.resolve()
    with tempfile.TemporaryDirectory(prefix="kb-standin-") as tmp:
        docs = Path(tmp) / "docs"
        docs.mkdir()
        for folder in ("javascripts", "stylesheets"):
            source = paths.PROJECT_ROOT / "docs" / folder
            if source.is_dir():
                shutil.copytree(source, docs / folder)
        shutil.copy(paths.PROJECT_ROOT / "docs" / "search.md", docs / "search.md")
        (docs / "index.md").write_text("# Stand-in site for search tests\n", encoding="utf-8")
        (docs / _SHELL).mkdir(parents=True)
        (docs / _SHELL / "index.md").write_text("# Shell\n", encoding="utf-8")
        theme = dict(repo.get("theme") or {"name": "material"})
        theme["custom_dir"] = str(paths.PROJECT_ROOT / "overrides")
        config = {
            "site_name": repo.get("site_name", "Knowledge base"),
            "site_url": repo.get("site_url"),
            "docs_dir": str(docs),
            "site_dir": str(site_dir),
            "theme": theme,
            "extra_css": repo.get("extra_css") or [],
            "extra_javascript": repo.get("extra_javascript") or [],
            "markdown_extensions": ["toc", "admonition", "attr_list", "md_in_html"],
            "plugins": [],
            "nav": [{"Home": "index.md"}, {"Search": "search.md"}],
        }
        config_file = Path(tmp) / "mkdocs.yml"
        config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        done = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(config_file)],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"mkdocs build failed:\n{done.stdout}\n{done.stderr}")
    shell_dir = site_dir / _SHELL
    shell = (shell_dir / "index.html").read_text(encoding="utf-8")
    shutil.rmtree(shell_dir)
    title, article = _TITLE.search(shell), _ARTICLE.search(shell)
    if title is None or article is None or title.end() > article.start():
        raise RuntimeError("the theme's page has no <title> or <article>: update _ARTICLE")
    parts = (
        shell[: title.start()],
        shell[title.end() : article.end(1)],
        shell[article.start(3) :],
    )
    convert = markdown.Markdown(extensions=["toc"])
    for case in collection.published:
        body = convert.reset().convert(case.body)
        content = (
            f'<div class="kb-case-study" data-pagefind-body>\n{_markers(case, taxonomy)}\n'
            f"<h1>{_esc(case.title)}</h1>\n<p>{_esc(case.summary)}</p>\n{body}\n</div>"
        )
        html = f"{parts[0]}<title>{_esc(case.title)}</title>{parts[1]}{content}{parts[2]}"
        page = site_dir / case.url / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(html, encoding="utf-8")
    problems = search.build_index(site_dir, taxonomy) or search.check_index(
        site_dir, [case.url for case in collection.published]
    )
    if problems:
        raise RuntimeError("search index check failed:\n" + "\n".join(problems))
    return site_dir


def _esc(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def _markers(case: Any, taxonomy: Any) -> str:
    """The site plugin's Pagefind markers for a case study."""
    from kb.site.case_study import search_markers

    return str(search_markers(case, taxonomy))


def build_corpus_site(
    count: int, work_dir: Path, *, standin: bool | None = None, words_per_section: int = 120
) -> Path:
    """Generate `count` fictional case studies in work_dir and build them into work_dir/site."""
    from kb import fake

    corpus = work_dir / "case_studies"
    fake.write_corpus(corpus, count, words_per_section)
    return build_site(corpus, work_dir / "site", standin=standin)


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------


def format_report(count: int | None, measured: SearchBytes, seconds: float | None) -> str:
    """A few lines for one measurement."""
    what = f"{count:,} case studies" if count is not None else "the built site"
    lines = [
        f"{what}: first search for {measured.query!r} ({measured.results:,} results) "
        f"downloaded {measured.total:,} bytes of search files "
        f"({measured.gzipped_total:,} with the JavaScript gzipped)"
        + (f"; build took {seconds:.0f} s" if seconds is not None else "")
    ]
    for kind, (size, files) in sorted(measured.by_kind().items(), key=lambda item: -item[1][0]):
        lines.append(f"  {kind:<12} {size:>9,} bytes in {files} file{'s' if files != 1 else ''}")
    return "\n".join(lines)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options `kb search-bytes` and `python -m kb.search_bytes` share."""
    parser.add_argument(
        "--count",
        type=int,
        action="append",
        metavar="N",
        help="generate N fictional case studies, build and measure (repeatable; "
        "default: 1000 and 10000 unless --site-dir is given)",
    )
    parser.add_argument(
        "--site-dir", type=Path, metavar="DIR", help="measure this already built site instead"
    )
    parser.add_argument(
        "--query", default=DEFAULT_QUERY, help="the words to search for (default: %(default)s)"
    )
    parser.add_argument(
        "--standin",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="build with the quick stand-in instead of kb build (default: only when kb build "
        "does not exist)",
    )


def run(args: argparse.Namespace) -> int:
    """Measure as the arguments say; print one report per site."""
    if args.site_dir is not None:
        print(format_report(None, measure_first_search(args.site_dir, args.query), None))
        return 0
    for count in args.count or [1000, 10000]:
        with tempfile.TemporaryDirectory(prefix="kb-search-bytes-") as tmp:
            started = time.perf_counter()
            site = build_corpus_site(count, Path(tmp), standin=args.standin)
            seconds = time.perf_counter() - started
            print(format_report(count, measure_first_search(site, args.query), seconds))
            sys.stdout.flush()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kb.search_bytes", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
