"""Search: index the built site with Pagefind, check the index, and name the search filters.

`kb build` runs `build_index(site_dir)` as its search stage (steps 1 and 2) and `check_index`
in its check stage (step 3):

1. `index_site(site_dir)`: plans the bundles (`plan_bundles`), runs Pagefind (`python -m
   pagefind`, from the `pagefind[bin]` Python package; no Node) once for each, and returns every
   record it wrote, read back from the bundles themselves.
2. `write_facets(site_dir, taxonomy, records, bundles)`: writes search/facets.json: the bundles
   the search page merges, and for each filter its label, the name of every value (the
   taxonomy's names, never its ids) and how many pages have it.
3. `check_case_study_records(records, urls)`: proves the bundles the search page loads hold
   exactly one record per published case study, by count and by address, and names anything
   missing or extra.

Bundles. Pagefind holds about 320 kB for each page while it indexes, so one run over 10,000
case studies needs 3 GB. A site with more than `PAGES_PER_BUNDLE` indexed pages is indexed as
several bundles, one Pagefind run after another, and the search page merges them in the
browser (Pagefind's mergeIndex). Each bundle holds a run of publication dates, newest first,
so the search page can list results newest first by searching the bundles in order.

When no word in an index starts with a query's word, Pagefind searches for the longest word
that the query's word starts with instead ("forum" finds pages with "for"). One index does that
only for words the whole site lacks; a bundle would do it for every word it happens to lack.
So each bundle of a site with several also holds a vocabulary page, every word the site's
indexed pages have, and the search page never shows it (search/facets.json lists its ids).

Pages say what to index with data attributes the site plugin writes (see STYLE.md, Pagefind):
`data-pagefind-body`, `data-pagefind-filter="type:case-study"`, `category:<id>`, … and
`data-pagefind-meta`, `data-pagefind-sort="published:<date>"`.
"""

from __future__ import annotations

import functools
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from kb.taxonomy import Taxonomy, load_taxonomy

#: The folder Pagefind writes its bundle to, inside the site folder. The second and later
#: bundles of a large site go inside it: pagefind/bundle-2/, pagefind/bundle-3/, …
BUNDLE_DIR = "pagefind"
#: The most pages one Pagefind run indexes. Pagefind 1.5 holds about 320 kB for each page while
#: it indexes (measured: 3.1 GB for 10,010 generated case studies, 630 MB for 2,000), so this
#: keeps a run well under the 1 GB a 10,000-case-study build may use. Each bundle costs a reader
#: one more index chunk, about 20 kB, on a first search; so the bundles are few and large, and
#: indexed one after another (two runs at once, of 1,000 pages each, saved 5 s of 55 at 10,000
#: but added 140 kB to a first search).
PAGES_PER_BUNDLE = 2500
#: The key pages are sorted by for "newest first" (data-pagefind-sort="published:<date>").
SORT_KEY = "published"
#: Where each bundle's vocabulary page is among the pages Pagefind reads (never in the site).
VOCABULARY_PAGE = "kb-search-vocabulary/index.html"
VOCABULARY_URL = "kb-search-vocabulary/"
#: The filter names the search page shows, relative to the site folder.
FACETS_FILE = "search/facets.json"
#: The one language of the site: one index, whatever a page's lang attribute says.
LANGUAGE = "en"
#: Never indexed: the "¶" permalink after each heading (it would show in excerpts).
EXCLUDE_SELECTORS = (".headerlink",)

#: The filter that says what kind of page a record is, and the name of each kind.
TYPE_FILTER = "type"
CASE_STUDY = "case-study"
PAGE_TYPES: dict[str, str] = {
    CASE_STUDY: "Case studies",
    "resource": "Resources",
    "guide": "Guides",
}
#: The same, for one result.
PAGE_TYPE_SINGULAR: dict[str, str] = {
    CASE_STUDY: "Case study",
    "resource": "Resource",
    "guide": "Guide",
}

#: Each filter the search page shows, in order: (Pagefind key, label, taxonomy list or None).
FILTERS: tuple[tuple[str, str, str | None], ...] = (
    (TYPE_FILTER, "Type of page", None),
    ("category", "Category", "categories"),
    ("region", "Region", "regions"),
    ("commissioner_type", "Commissioner type", "commissioner_types"),
    ("service_area", "Service area", "service_areas"),
    ("sourcing", "How the work was funded or bought", "sourcing"),
    ("year", "Year the work began", None),
)

_FRAGMENT_SIGNATURE = b"pagefind_dcd"


class SearchIndexError(Exception):
    """Pagefind failed, or its bundle cannot be read."""


@dataclass(frozen=True)
class Record:
    """One page in the search index, as Pagefind stored it."""

    url: str
    title: str
    filters: dict[str, list[str]] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    #: Pagefind's id for the page (its fragment's name): what a search result calls it.
    id: str = ""

    @property
    def is_vocabulary(self) -> bool:
        """Whether this is a bundle's vocabulary page, never shown (see the module's text)."""
        return site_path(self.url) == VOCABULARY_URL

    @property
    def page_type(self) -> str | None:
        values = self.filters.get(TYPE_FILTER) or []
        return values[0] if len(values) == 1 else None


@dataclass(frozen=True)
class Bundle:
    """One Pagefind index: where it is written in the site, and the pages it holds."""

    #: The bundle's folder relative to the site root, ending "/": "pagefind/", "pagefind/bundle-2/".
    path: str
    #: The HTML files it indexes, relative to the site root.
    pages: tuple[str, ...]
    #: How many of them have a sort date. A sorted search of a bundle with none returns every
    #: page unsorted, so the search page sorts only the bundles with dated pages.
    dated_pages: int = 0

    def listing(self) -> dict[str, str | int]:
        """The bundle as search/facets.json lists it for the search page."""
        return {"path": self.path, "dated_pages": self.dated_pages}


@dataclass(frozen=True)
class IndexReport:
    """What indexing wrote: every record, and the bundles that hold them."""

    #: The site's Pagefind folder; every bundle is inside it.
    bundle_dir: Path
    records: tuple[Record, ...]
    #: HTML files Pagefind read: the pages of every bundle.
    files_read: int
    #: The bundles, in order: "pagefind/", then any others.
    bundles: tuple[Bundle, ...] = ()
    #: Pagefind's ids for the bundles' vocabulary pages, which the search page leaves out.
    hidden_ids: tuple[str, ...] = ()

    def count(self, page_type: str) -> int:
        """How many records have this type filter."""
        return sum(1 for record in self.records if record.page_type == page_type)

    def summary(self) -> str:
        """One line for the build log."""
        kinds = ", ".join(f"{self.count(kind)} {name.lower()}" for kind, name in PAGE_TYPES.items())
        size = sum(p.stat().st_size for p in self.bundle_dir.rglob("*") if p.is_file())
        count = len(self.bundles)
        return (
            f"Search index: {len(self.records)} pages ({kinds}) from {self.files_read} HTML "
            f"files; {count} bundle{'s' if count != 1 else ''}, {size / 1_000_000:.1f} MB in "
            f"{self.bundle_dir.name}/"
        )


# ---------------------------------------------------------------------------------------------
# Indexing
# ---------------------------------------------------------------------------------------------


def bundle_path(number: int) -> str:
    """Where bundle `number` (counting from 1) is written, relative to the site root."""
    return f"{BUNDLE_DIR}/" if number == 1 else f"{BUNDLE_DIR}/bundle-{number}/"


_BODY_MARKER = b"data-pagefind-body"


def body_marker(html: bytes) -> int:
    """Where the page's data-pagefind-body attribute is, or -1 when it has none.

    Only inside a tag: a page that mentions the attribute in its text (this project's own
    maintainers' page does) is not marked for search.
    """
    found = html.find(_BODY_MARKER)
    while found >= 0:
        if html.rfind(b"<", 0, found) > html.rfind(b">", 0, found):
            return found
        found = html.find(_BODY_MARKER, found + 1)
    return -1


_SORT_MARKER = re.compile(rb'data-pagefind-sort="' + SORT_KEY.encode() + rb':([^"]*)"')


@dataclass
class SiteScan:
    """What indexing needs to know of the built site's pages, read in one pass."""

    #: Pages with data-pagefind-body and no sort date (guides, resources), by address.
    undated: list[str] = field(default_factory=list)
    #: Pages with data-pagefind-body and a sort date: (date, address).
    dated: list[tuple[bytes, str]] = field(default_factory=list)
    #: Every word the indexed pages have (see `page_words`), when the scan was asked for them.
    words: set[bytes] = field(default_factory=set)

    def add(self, other: SiteScan) -> None:
        self.undated += other.undated
        self.dated += other.dated
        self.words |= other.words


#: Below this many pages a process pool costs more than it saves.
SCAN_PARALLEL_THRESHOLD = 400


def scan_site(
    site_dir: Path,
    pages: list[str] | None = None,
    *,
    words: bool = False,
    copy_to: Path | None = None,
) -> SiteScan:
    """Read every HTML page once (or those given, relative to the site): which are indexed,
    their sort dates and, if asked, their words. With `copy_to`, write there, at the same
    address, each indexed page as Pagefind needs it (`search_copy`). Many pages are read in
    parallel, one process per core.
    """
    pages = html_files(site_dir) if pages is None else pages
    workers = min(os.cpu_count() or 1, 1 + len(pages) // SCAN_PARALLEL_THRESHOLD)
    chunks = [pages[i::workers] for i in range(workers)]
    scan = SiteScan()
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for part in pool.map(
                _scan_pages, [site_dir] * workers, chunks, [words] * workers, [copy_to] * workers
            ):
                scan.add(part)
    else:
        scan = _scan_pages(site_dir, pages, words, copy_to)
    return scan


def _scan_pages(
    site_dir: Path, pages: list[str], words: bool, copy_to: Path | None = None
) -> SiteScan:
    scan = SiteScan()
    for relative in pages:
        html = (site_dir / relative).read_bytes()
        marker = body_marker(html)
        if marker < 0:
            continue
        # All Pagefind reads of the page, often a third of it; or the page itself.
        copy = search_copy(html, marker) if copy_to is not None or words else html
        if copy_to is not None:
            path = copy_to / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(copy)
        date = _SORT_MARKER.search(html)
        if date is None:
            scan.undated.append(relative)
        else:
            scan.dated.append((date.group(1), relative))
        if words:
            scan.words |= page_words(copy, body_marker(copy))
    return scan


def plan_bundles(
    site_dir: Path, pages_per_bundle: int = PAGES_PER_BUNDLE, scan: SiteScan | None = None
) -> list[Bundle]:
    """The bundles to index: every page that may be indexed, at most `pages_per_bundle` a bundle.

    Only pages holding `data-pagefind-body` are indexed (Pagefind's own rule once any page has
    it), so the others are left out here and Pagefind never reads them. Pages with no sort date
    (guides, resources) come first; then the dated pages, newest first, so that each bundle
    holds a run of dates and the search page can put results newest first bundle by bundle.
    `scan` is the site's scan, when the caller has it.
    """
    if pages_per_bundle < 1:
        raise ValueError(f"pages_per_bundle must be at least 1; got {pages_per_bundle}")
    scan = scan or scan_site(site_dir)
    undated = sorted(scan.undated)
    # Newest first; pages of the same date in address order, so the plan is repeatable.
    dated = sorted(scan.dated, key=lambda item: item[1])
    dated.sort(key=lambda item: item[0], reverse=True)
    pages = undated + [relative for _date, relative in dated]
    # As few bundles as the limit allows, of sizes differing by at most one page.
    count = max(1, -(-len(pages) // pages_per_bundle))
    size, larger = divmod(len(pages), count)
    bundles, start = [], 0
    for number in range(1, count + 1):
        end = start + size + (1 if number <= larger else 0)
        dated_pages = (end - start) - len(undated[start:end])
        bundles.append(Bundle(bundle_path(number), tuple(pages[start:end]), dated_pages))
        start = end
    return bundles


def html_files(site_dir: Path) -> list[str]:
    """Every HTML file of the built site but Pagefind's own folder, relative to the site."""
    found = []
    for folder, subfolders, names in os.walk(site_dir):
        relative = Path(folder).relative_to(site_dir).as_posix()
        if relative == ".":
            subfolders[:] = [name for name in subfolders if name != BUNDLE_DIR]
            prefix = ""
        else:
            prefix = relative + "/"
        found += [prefix + name for name in names if name.endswith(".html")]
    return found


def index_site(site_dir: Path, pages_per_bundle: int = PAGES_PER_BUNDLE) -> IndexReport:
    """Run Pagefind over the built site, a bundle at a time, and return the records it wrote.

    Any earlier bundles are removed first, so the records read back are exactly this run's.
    """
    site_dir = site_dir.resolve()
    if not (site_dir / "index.html").is_file():
        raise SearchIndexError(f"{site_dir}: not a built site (no index.html); build it first")
    output = site_dir / BUNDLE_DIR
    if output.exists():
        shutil.rmtree(output)
    # Pagefind reads copies of the indexed pages cut down to what it indexes: a third of the
    # bytes, so it parses them in three quarters of the time, and writes the same index.
    pages = html_files(site_dir)
    with tempfile.TemporaryDirectory(
        prefix="kb-search-pages-", dir=copies_folder(len(pages))
    ) as copies:
        # The words are wanted only when there will be several bundles: never with this few.
        scan = scan_site(site_dir, pages, words=len(pages) > pages_per_bundle, copy_to=Path(copies))
        bundles = plan_bundles(site_dir, pages_per_bundle, scan)
        if not bundles[0].pages:
            raise SearchIndexError(
                f"{site_dir}: no page is marked for search (data-pagefind-body); nothing to index"
            )
        with_vocabulary = len(bundles) > 1
        if with_vocabulary:
            vocabulary = Path(copies) / VOCABULARY_PAGE
            vocabulary.parent.mkdir(parents=True, exist_ok=True)
            vocabulary.write_bytes(vocabulary_page(scan.words))
            bundles = [replace(b, pages=(*b.pages, VOCABULARY_PAGE)) for b in bundles]
        files_read = sum(
            _index_bundle(Path(copies), bundle, site_dir / bundle.path) for bundle in bundles
        )
    for bundle in bundles[1:]:
        _drop_script_files(site_dir / bundle.path)
    records = read_bundles(site_dir, [bundle.path for bundle in bundles])
    shown = sorted((r for r in records if not r.is_vocabulary), key=lambda record: record.url)
    return IndexReport(
        bundle_dir=output,
        records=tuple(shown),
        # The vocabulary page is read once a bundle, but it is not one of the site's pages.
        files_read=files_read - (len(bundles) if with_vocabulary else 0),
        bundles=tuple(bundles),
        hidden_ids=tuple(sorted({record.id for record in records if record.is_vocabulary})),
    )


_TAG = re.compile(rb"<[^>]*>")
_META_VALUE = re.compile(rb'data-pagefind-meta="[^":]*:([^"]*)"')


def page_words(html: bytes, marker: int = 0) -> set[bytes]:
    """Every word the page may give Pagefind: its text from data-pagefind-body (at `marker`) on,
    and its metadata values, split at white space, as raw HTML text (entities left for Pagefind
    to read, as it does on the page). Words beyond what Pagefind indexes do no harm: they only
    ever find the vocabulary page, which is never shown.
    """
    words = set(_TAG.sub(b" ", html[marker:]).split())
    for value in _META_VALUE.findall(html):
        words.update(value.split())
    return words


def vocabulary_page(words: Iterable[bytes]) -> bytes:
    """A page for Pagefind holding every word once, in a fixed order."""
    return (
        b'<!doctype html><html lang="en"><head><title>Vocabulary</title></head><body>'
        b"<main data-pagefind-body><p>" + b" ".join(sorted(words)) + b"</p></main></body></html>"
    )


#: Where the copies Pagefind reads go when there is room: a folder in memory. On a disk, making
#: 10,000 folders and files cost more than Pagefind saved (24 s of system time on this project's
#: machine, against 0.1 ms a file in memory).
MEMORY_FOLDER = Path("/dev/shm")
#: The room wanted there for each page, well above a copy's size (about 10 kB).
COPY_ROOM_BYTES = 64_000


def copies_folder(pages: int) -> Path | None:
    """MEMORY_FOLDER if it is there with room for `pages` copies, else None (the temporary
    folder the system gives)."""
    try:
        if os.access(MEMORY_FOLDER, os.W_OK) and (
            shutil.disk_usage(MEMORY_FOLDER).free > pages * COPY_ROOM_BYTES
        ):
            return MEMORY_FOLDER
    except OSError:
        pass
    return None


_HEAD_END = b"</head>"
_TAG_NAME = re.compile(rb"<([a-zA-Z][a-zA-Z0-9-]*)")
#: Text in these may hold what looks like a tag, so a page with any of them in its indexed part
#: is copied whole rather than cut by counting tags.
_RAW_TEXT = (b"<!--", b"<script", b"<style", b"<textarea", b"<title", b"<![cdata[")


def search_copy(html: bytes, marker: int) -> bytes:
    """The page as Pagefind needs it: its head, then the element holding data-pagefind-body
    (at `marker`) in an otherwise empty body.

    The header, nav, sidebars, footer and scripts around that element are two thirds of a
    case-study page, and Pagefind would read them only to skip them. The whole page is
    returned instead when cutting could lose anything Pagefind reads: a data-pagefind
    attribute outside the element, or text in the element that might hide a tag.
    """
    start = html.rfind(b"<", 0, marker)
    name = _TAG_NAME.match(html, start)
    head_end = html.find(_HEAD_END)
    if name is None or head_end < 0 or head_end > start:
        return html
    end = _element_end(html, start, name.group(1).lower())
    if end < 0:
        return html
    element = html[start:end]
    lowered = element.lower()
    if any(raw in lowered for raw in _RAW_TEXT):
        return html
    head_end += len(_HEAD_END)
    if b"data-pagefind" in html[head_end:start] or b"data-pagefind" in html[end:]:
        return html
    return html[:head_end] + b"<body>" + element + b"</body></html>"


@functools.cache
def _tag_pattern(name: bytes) -> re.Pattern[bytes]:
    return re.compile(rb"<(/?)" + re.escape(name) + rb"(?=[\s/>])", re.IGNORECASE)


def _element_end(html: bytes, start: int, name: bytes) -> int:
    """Where the element opening at `start` ends (after its closing tag), or -1."""
    depth = 0
    for tag in _tag_pattern(name).finditer(html, start):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            close = html.find(b">", tag.end())
            return -1 if close < 0 else close + 1
    return -1


def _index_bundle(pages_dir: Path, bundle: Bundle, output: Path) -> int:
    """Index one bundle's pages (in `pages_dir`, at their site addresses) into `output`; return
    how many HTML files Pagefind read.

    Pagefind picks the pages by a glob naming each one. The glob goes in a pagefind.json in
    a folder of its own, Pagefind's working folder: a command line has no room for thousands
    of paths, and no pagefind.yml lying in the caller's folder can change the build.
    """
    with tempfile.TemporaryDirectory(prefix="kb-pagefind-") as config_dir:
        config = {"glob": pages_glob(bundle.pages)}
        (Path(config_dir) / "pagefind.json").write_text(json.dumps(config), encoding="utf-8")
        return _run_pagefind(pages_dir, output, Path(config_dir))


#: Characters with a meaning in Pagefind's globs, escaped in paths with a backslash. Others
#: must not be escaped (a backslash before "!" or "." does not parse), and a backslash cannot
#: be written at all.
_GLOB_SPECIAL = re.compile(r"([{}\[\]()<>*?,:])")


def pages_glob(pages: Sequence[str]) -> str:
    """A glob matching exactly these site paths; one that matches nothing when there are none."""
    for page in pages:
        if "\\" in page:
            raise SearchIndexError(
                f"{page}: Pagefind cannot be told to index a page whose path holds a "
                "backslash; rename it"
            )
    escaped = [_GLOB_SPECIAL.sub(r"\\\1", page) for page in pages]
    return "{" + ",".join(escaped) + "}" if escaped else "kb-no-pages/*.html"


#: What the search page reads from a merged bundle: its index, not Pagefind's scripts and UI,
#: which it loads once, from the first bundle.
_MERGED_BUNDLE_KEEPS = ("pagefind-entry.json", "fragment", "index", "filter")


def _drop_script_files(bundle_dir: Path) -> None:
    """Remove from a second or later bundle what only the first is read for (see above)."""
    for path in bundle_dir.iterdir():
        if path.name in _MERGED_BUNDLE_KEEPS or path.suffix == ".pf_meta":
            continue
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def _run_pagefind(site_dir: Path, bundle: Path, working_dir: Path) -> int:
    """Run Pagefind's command line (`python -m pagefind`, from pagefind[bin]) over the site.

    The command line, not the Python API: the API stops its Pagefind process as soon as it
    answers "written", and on large sites that cut files off half written.
    Returns how many HTML files Pagefind read.
    """
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site_dir),
        "--output-path",
        str(bundle),
        "--force-language",
        LANGUAGE,
        "--exclude-selectors",
        ", ".join(EXCLUDE_SELECTORS),
    ]
    try:
        done = subprocess.run(command, cwd=working_dir, capture_output=True, text=True, check=False)
    except OSError as error:
        raise SearchIndexError(f"cannot run Pagefind: {error}") from None
    output = done.stdout + done.stderr
    if done.returncode != 0:
        raise SearchIndexError(
            f"Pagefind failed on {site_dir} (exit {done.returncode}):\n{output[-3000:]}"
        )
    found = re.search(r"Found (\d+) files? matching", output)
    return int(found.group(1)) if found else 0


def read_bundles(site_dir: Path, bundles: Sequence[str]) -> list[Record]:
    """Every record in these bundles (folders relative to the site), one process per core when
    there are several: decompressing and parsing 10,000 fragments takes two seconds on one.

    A bundle this process has read before, and that still holds the same files, is not read
    again: `kb build`'s check stage reads what its search stage has just written and read.
    """
    folders = [site_dir / bundle for bundle in bundles]
    keys = {folder: _bundle_key(folder) for folder in folders}
    unread = [f for f in folders if keys[f] is None or _read_before.get(f, (None,))[0] != keys[f]]
    workers = min(os.cpu_count() or 1, len(unread))
    if workers < 2:
        read = [read_records(folder) for folder in unread]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            read = list(pool.map(read_records, unread))
    found = dict(zip(unread, read, strict=True))
    for folder, records in found.items():
        key = keys[folder]
        if key is not None:
            _read_before[folder] = (key, records)
    return [
        record
        for folder in folders
        for record in (found[folder] if folder in found else _read_before[folder][1])
    ]


#: The records last read from each bundle folder, with the folder's `_bundle_key` then.
_read_before: dict[Path, tuple[tuple, list[Record]]] = {}


def _bundle_key(folder: Path) -> tuple | None:
    """What a bundle folder holds: its entry file's bytes and each fragment's name, size and
    modification time (Pagefind names a fragment by its content, too). None if unreadable."""
    try:
        with os.scandir(folder / "fragment") as entries:
            fragments = sorted(
                (entry.name, entry.stat().st_size, entry.stat().st_mtime_ns) for entry in entries
            )
        return ((folder / "pagefind-entry.json").read_bytes(), tuple(fragments))
    except OSError:
        return None


def read_records(bundle_dir: Path) -> list[Record]:
    """Every record in a Pagefind bundle, read from its fragment files, sorted by URL.

    Checks that the fragments agree with the page counts in pagefind-entry.json.
    """
    entry_file = bundle_dir / "pagefind-entry.json"
    try:
        entry = json.loads(entry_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SearchIndexError(
            f"{entry_file}: cannot read the Pagefind entry file: {error}"
        ) from None
    records = [_read_fragment(path) for path in sorted((bundle_dir / "fragment").glob("*"))]
    expected = sum(int(lang.get("page_count", 0)) for lang in entry.get("languages", {}).values())
    if expected != len(records):
        raise SearchIndexError(
            f"{bundle_dir}: pagefind-entry.json counts {expected} pages but there are "
            f"{len(records)} fragments; index into an empty folder"
        )
    return sorted(records, key=lambda record: record.url)


def _read_fragment(path: Path) -> Record:
    try:
        data = gzip.decompress(path.read_bytes())
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise SearchIndexError(f"{path}: not a Pagefind fragment: {error}") from None
    if not data.startswith(_FRAGMENT_SIGNATURE):
        raise SearchIndexError(f"{path}: not a Pagefind fragment (no signature)")
    try:
        fragment = json.loads(data[len(_FRAGMENT_SIGNATURE) :])
    except ValueError as error:
        raise SearchIndexError(f"{path}: unreadable Pagefind fragment: {error}") from None
    meta = {str(k): str(v) for k, v in (fragment.get("meta") or {}).items()}
    filters = {str(k): [str(v) for v in vs] for k, vs in (fragment.get("filters") or {}).items()}
    return Record(
        url=str(fragment["url"]),
        title=meta.get("title", ""),
        filters=filters,
        meta=meta,
        id=path.name.removesuffix(".pf_fragment"),
    )


# ---------------------------------------------------------------------------------------------
# Checking
# ---------------------------------------------------------------------------------------------


def site_path(url: str) -> str:
    """An address relative to the site root, the way CaseStudy.url writes it: "a/b/"."""
    return url.split("#", 1)[0].split("?", 1)[0].lstrip("/")


def check_case_study_records(records: Iterable[Record], expected_urls: Iterable[str]) -> list[str]:
    """Problems unless there is exactly one type:case-study record per expected URL.

    `expected_urls` are the published case studies' addresses (CaseStudy.url). Returns one
    message per problem, each naming the address; an empty list means the index is right.
    """
    expected = Counter(site_path(url) for url in expected_urls)
    indexed = Counter(site_path(r.url) for r in records if CASE_STUDY in r.filters.get("type", []))
    problems: list[str] = []
    total_indexed, total_expected = sum(indexed.values()), len(expected)
    if total_indexed != total_expected:
        problems.append(
            f"the search index has {total_indexed} case-study records but there are "
            f"{total_expected} published case studies; each must be indexed exactly once"
        )
    problems += [
        f"published case study missing from the search index: /{url} (its page needs "
        'data-pagefind-body and data-pagefind-filter="type:case-study")'
        for url in sorted(expected.keys() - indexed.keys())
    ]
    problems += [
        f"search index has a case-study record that is not a published case study: /{url}"
        for url in sorted(indexed.keys() - expected.keys())
    ]
    problems += [
        f"case study indexed {indexed[url]} times: /{url}"
        for url in sorted(indexed)
        if indexed[url] > 1
    ]
    problems += [
        f"case study listed {expected[url]} times among the published: /{url}"
        for url in sorted(expected)
        if expected[url] > 1
    ]
    return problems


# ---------------------------------------------------------------------------------------------
# Filter names for the search page
# ---------------------------------------------------------------------------------------------


def facet_counts(records: Iterable[Record]) -> dict[str, dict[str, int]]:
    """How many records have each value of each filter: the counts before any search."""
    counts: dict[str, Counter[str]] = {}
    for record in records:
        for key, values in record.filters.items():
            counts.setdefault(key, Counter()).update(set(values))
    return {key: dict(sorted(counter.items())) for key, counter in sorted(counts.items())}


def facets(
    taxonomy: Taxonomy | None = None,
    records: Iterable[Record] | None = None,
    bundles: Sequence[Bundle] = (),
    hidden_ids: Sequence[str] = (),
) -> dict:
    """What the search page reads before its first search (search/facets.json).

    The bundles it merges, in order (one, "pagefind/", when none are given), and the ids of
    pages it must never show (the vocabulary pages); the sort key for "newest first"; and the
    filter groups:
    order, labels and the name of every known value. Values the index holds but this does not
    name (years, or a new id) are shown as they are. With the index's records, also each
    value's count, so the page can show the filters with their counts before it downloads any
    of Pagefind's filter files.
    """
    taxonomy = taxonomy or load_taxonomy()
    groups = []
    for key, label, facet in FILTERS:
        if key == TYPE_FILTER:
            names = dict(PAGE_TYPES)
        elif facet is not None:
            names = {term.id: term.name for term in taxonomy.terms(facet)}
        else:
            names = {}
        groups.append({"key": key, "label": label, "names": names})
    data: dict = {
        "version": 1,
        "bundles": [bundle.listing() for bundle in bundles or [Bundle(bundle_path(1), ())]],
        "hidden_pages": list(hidden_ids),
        "sort_key": SORT_KEY,
        "filters": groups,
        "result_types": dict(PAGE_TYPE_SINGULAR),
    }
    if records is not None:
        data["counts"] = facet_counts(records)
    return data


def write_facets(
    site_dir: Path,
    taxonomy: Taxonomy | None = None,
    records: Iterable[Record] | None = None,
    bundles: Sequence[Bundle] = (),
    hidden_ids: Sequence[str] = (),
) -> Path:
    """Write search/facets.json into the built site; return its path."""
    path = site_dir / FACETS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    document = facets(taxonomy, records, bundles, hidden_ids)
    path.write_text(
        json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    return path


def build_index(
    site_dir: Path, taxonomy: Taxonomy | None = None, pages_per_bundle: int = PAGES_PER_BUNDLE
) -> list[str]:
    """The `search` stage of `kb build`: index the built site and write the facets file.

    Returns the problems (Pagefind failed), or an empty list.
    """
    try:
        report = index_site(site_dir, pages_per_bundle)
        write_facets(site_dir, taxonomy, report.records, report.bundles, report.hidden_ids)
    except SearchIndexError as error:
        return [f"search index: {error}"]
    return []


def listed_bundles(site_dir: Path) -> list[str]:
    """The folders of the bundles the search page merges, as search/facets.json lists them."""
    path = site_dir / FACETS_FILE
    try:
        listed = json.loads(path.read_text(encoding="utf-8"))["bundles"]
        folders = [str(bundle["path"]) for bundle in listed]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SearchIndexError(
            f"{FACETS_FILE}: cannot read the list of search bundles: {error}"
        ) from None
    if not folders:
        raise SearchIndexError(f"{FACETS_FILE}: lists no search bundles")
    return folders


def read_site_records(site_dir: Path) -> list[Record]:
    """Every record in every bundle the search page merges, vocabulary pages left out, by URL."""
    records = read_bundles(site_dir, listed_bundles(site_dir))
    return sorted((r for r in records if not r.is_vocabulary), key=lambda record: record.url)


def check_index(site_dir: Path, published_urls: Iterable[str]) -> list[str]:
    """Read back the bundles the search page loads and check one record per published case study.

    Part of the `check` stage of `kb build`; returns one message per problem.
    """
    try:
        records = read_site_records(site_dir)
    except SearchIndexError as error:
        return [f"search index: {error}"]
    return check_case_study_records(records, published_urls)


def first_search_bytes(site_dir: Path, query: str) -> int:
    """Bytes a first search downloads on the built site (see kb.search_bytes; needs Chromium)."""
    from kb.search_bytes import first_search_bytes as measure

    return measure(site_dir, query)
