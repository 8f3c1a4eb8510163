"""kb.search: indexing a built site with Pagefind, reading the index back, and its checks.

The sites here are a few hand-written HTML files, so each test takes well under a second.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kb import paths, search
from kb.search import Record, SearchIndexError, check_case_study_records
from kb.taxonomy import load_taxonomy
from tests.site_fixtures import assert_cut_copies_index_the_same

DOCS = paths.PROJECT_ROOT / "docs"


def _page(body: str, *, marked: bool = True, title: str = "Page") -> str:
    attribute = " data-pagefind-body" if marked else ""
    return (
        f'<!doctype html><html lang="en"><head><title>{title}</title></head><body>'
        f"<nav>Site navigation words</nav><main{attribute}>{body}</main></body></html>"
    )


def _case_study(slug: str, region: str, words: str, published: str = "2025-01-02") -> str:
    markers = (
        '<div hidden><span data-pagefind-filter="type:case-study"></span>'
        f'<span data-pagefind-filter="region:{region}"></span>'
        '<span data-pagefind-filter="category:tupe"></span>'
        f'<span data-pagefind-sort="published:{published}"></span>'
        f'<span data-pagefind-meta="dpulo:Forum {slug}"></span></div>'
    )
    heading = f'<h2 id="a">Heading {slug}<a class="headerlink" href="#a">¶</a></h2>'
    return _page(f"{markers}<h1>Case {slug}</h1>{heading}<p>{words}</p>", title=slug)


def write_site(root: Path, slugs: dict[str, str], dates: dict[str, str] | None = None) -> Path:
    """A built site: a home page (not marked), case studies, and one guide."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text(_page("Home page words", marked=False))
    for slug, region in slugs.items():
        page = root / "case-studies" / slug / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        published = (dates or {}).get(slug, "2025-01-02")
        page.write_text(_case_study(slug, region, f"advocacy words for {slug}", published))
    guide = root / "guides" / "one" / "index.html"
    guide.parent.mkdir(parents=True, exist_ok=True)
    guide.write_text(
        _page('<span hidden data-pagefind-filter="type:guide"></span><h1>A guide</h1><p>Text</p>')
    )
    return root


SLUGS = {"alpha": "london", "beta": "wales", "gamma": "london"}
URLS = [f"case-studies/{slug}/" for slug in SLUGS]
#: Publication dates that differ from the addresses' order, for the bundle tests.
DATES = {"alpha": "2024-05-01", "beta": "2025-03-01", "gamma": "2024-11-30"}


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, search.IndexReport]:
    """The small site indexed as one bundle, with search/facets.json written, as kb build does."""
    site = write_site(tmp_path_factory.mktemp("site"), SLUGS)
    report = search.index_site(site)
    search.write_facets(site, records=report.records, bundles=report.bundles)
    return site, report


# --- indexing ---------------------------------------------------------------------------------


def test_index_holds_only_marked_pages_with_their_filters_and_meta(
    indexed: tuple[Path, search.IndexReport],
) -> None:
    _site, report = indexed
    assert [r.url for r in report.records] == [
        "/case-studies/alpha/",
        "/case-studies/beta/",
        "/case-studies/gamma/",
        "/guides/one/",
    ]
    alpha = report.records[0]
    assert alpha.page_type == "case-study"
    assert alpha.filters["region"] == ["london"]
    assert alpha.meta["dpulo"] == "Forum alpha"
    assert alpha.title == "Case alpha"
    assert report.count("case-study") == 3
    assert report.count("guide") == 1
    assert report.files_read == 4  # the unmarked home page never reaches Pagefind
    assert [(bundle.path, bundle.dated_pages) for bundle in report.bundles] == [("pagefind/", 3)]
    assert "4 pages (3 case studies, 0 resources, 1 guides) from 4 HTML files; 1 bundle," in (
        report.summary()
    )


def test_heading_permalinks_are_not_indexed(indexed: tuple[Path, search.IndexReport]) -> None:
    site, _report = indexed
    fragments = list((site / search.BUNDLE_DIR / "fragment").glob("*"))
    assert fragments
    import gzip

    assert not any("¶" in gzip.decompress(f.read_bytes()).decode() for f in fragments)


def test_reindexing_replaces_the_old_bundle(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", SLUGS)
    search.index_site(site)
    for slug in ("beta", "gamma"):
        (site / "case-studies" / slug / "index.html").unlink()
    report = search.index_site(site)
    assert [r.url for r in report.records] == ["/case-studies/alpha/", "/guides/one/"]


def test_index_site_refuses_a_folder_that_is_not_a_built_site(tmp_path: Path) -> None:
    with pytest.raises(SearchIndexError, match="not a built site"):
        search.index_site(tmp_path)


def test_read_records_notices_fragments_that_do_not_match_the_entry_file(
    tmp_path: Path, indexed: tuple[Path, search.IndexReport]
) -> None:
    import shutil

    site, _report = indexed
    bundle = tmp_path / "pagefind"
    shutil.copytree(site / search.BUNDLE_DIR, bundle)
    next((bundle / "fragment").iterdir()).unlink()
    with pytest.raises(SearchIndexError, match="counts 4 pages but there are 3 fragments"):
        search.read_records(bundle)


# --- the case-study check ---------------------------------------------------------------------


def _record(url: str, kind: str = "case-study") -> Record:
    return Record(url=url, title=url, filters={"type": [kind]})


def test_check_passes_with_one_record_per_published_case_study() -> None:
    records = [_record("/case-studies/a/"), _record("/case-studies/b/"), _record("/g/", "guide")]
    assert check_case_study_records(records, ["case-studies/a/", "case-studies/b/"]) == []


def test_check_names_what_is_missing_extra_and_repeated() -> None:
    records = [
        _record("/case-studies/a/"),
        _record("/case-studies/a/"),
        _record("/case-studies/draft/"),
        _record("/case-studies/c/", "guide"),  # indexed, but not as a case study
    ]
    problems = check_case_study_records(
        records, ["case-studies/a/", "case-studies/b/", "case-studies/c/"]
    )
    # Three records for three case studies: the count alone would pass; the addresses do not.
    assert problems == [
        "published case study missing from the search index: /case-studies/b/ (its page needs "
        'data-pagefind-body and data-pagefind-filter="type:case-study")',
        "published case study missing from the search index: /case-studies/c/ (its page needs "
        'data-pagefind-body and data-pagefind-filter="type:case-study")',
        "search index has a case-study record that is not a published case study: "
        "/case-studies/draft/",
        "case study indexed 2 times: /case-studies/a/",
    ]


def test_check_reports_the_count_when_records_are_missing() -> None:
    problems = check_case_study_records([_record("/case-studies/a/")], URLS[:2])
    assert problems[0].startswith("the search index has 1 case-study records but there are 2")


def test_check_index_reads_the_built_bundle(indexed: tuple[Path, search.IndexReport]) -> None:
    site, _report = indexed
    assert search.check_index(site, URLS) == []
    problems = search.check_index(site, [*URLS, "case-studies/delta/"])
    assert any("missing from the search index: /case-studies/delta/" in p for p in problems)


def test_check_index_without_a_bundle_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    (problem,) = search.check_index(tmp_path, URLS)
    assert problem.startswith("search index: search/facets.json: cannot read the list")
    (tmp_path / "search").mkdir()
    listing = '{"bundles": [{"path": "pagefind/", "dated_pages": 3}]}'
    (tmp_path / search.FACETS_FILE).write_text(listing, encoding="utf-8")
    (problem,) = search.check_index(tmp_path, URLS)
    assert problem.startswith("search index: ") and "pagefind-entry.json" in problem


def test_check_index_reports_a_bundle_the_facets_file_does_not_list(tmp_path: Path) -> None:
    """A bundle the search page does not merge is case studies no reader can find."""
    site = write_site(tmp_path / "site", SLUGS, DATES)
    assert search.build_index(site, pages_per_bundle=2) == []
    facets_file = site / search.FACETS_FILE
    data = json.loads(facets_file.read_text(encoding="utf-8"))
    data["bundles"] = data["bundles"][:1]
    facets_file.write_text(json.dumps(data), encoding="utf-8")
    problems = search.check_index(site, URLS)
    assert problems[0].startswith("the search index has 1 case-study records but there are 3")
    assert (
        "published case study missing from the search index: /case-studies/alpha/" in (problems[1])
    )


def test_build_index_writes_the_bundle_and_the_facets(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", SLUGS)
    assert search.build_index(site) == []
    assert (site / search.BUNDLE_DIR / "pagefind.js").is_file()
    data = json.loads((site / search.FACETS_FILE).read_text(encoding="utf-8"))
    assert data["bundles"] == [{"path": "pagefind/", "dated_pages": 3}]
    assert data["sort_key"] == search.SORT_KEY
    assert data["counts"]["region"] == {"london": 2, "wales": 1}
    assert data["counts"]["type"] == {"case-study": 3, "guide": 1}


# --- bundles: a large site indexed a part at a time --------------------------------------------


def test_bundles_put_undated_pages_first_then_the_newest(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site", {**SLUGS, "delta": "wales"}, {**DATES, "delta": DATES["beta"]}
    )
    bundles = search.plan_bundles(site, pages_per_bundle=2)
    assert [bundle.path for bundle in bundles] == [
        "pagefind/",
        "pagefind/bundle-2/",
        "pagefind/bundle-3/",
    ]
    # The guide has no date; beta and delta share the newest date, so go in address order.
    assert [bundle.pages for bundle in bundles] == [
        ("guides/one/index.html", "case-studies/beta/index.html"),
        ("case-studies/delta/index.html", "case-studies/gamma/index.html"),
        ("case-studies/alpha/index.html",),
    ]
    assert [bundle.dated_pages for bundle in bundles] == [1, 2, 1]


def test_a_bundle_of_undated_pages_says_it_has_none(tmp_path: Path) -> None:
    """The search page must not sort such a bundle: Pagefind would return it all, unsorted."""
    site = write_site(tmp_path / "site", SLUGS, DATES)
    bundles = search.plan_bundles(site, pages_per_bundle=1)
    assert [(bundle.pages[0].split("/")[0], bundle.dated_pages) for bundle in bundles] == [
        ("guides", 0),
        ("case-studies", 1),
        ("case-studies", 1),
        ("case-studies", 1),
    ]


def test_bundles_leave_out_pages_pagefind_would_not_index(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", SLUGS)
    (site / "pagefind").mkdir()
    (site / "pagefind" / "old.html").write_text(_page("An old bundle's page"))
    (bundle,) = search.plan_bundles(site)
    assert "index.html" not in bundle.pages  # no data-pagefind-body
    assert not any(page.startswith("pagefind/") for page in bundle.pages)
    assert len(bundle.pages) == 4


def test_a_page_that_mentions_the_marker_in_its_text_is_not_marked() -> None:
    assert search.body_marker(b"<p>Mark pages with <code>data-pagefind-body</code>.</p>") == -1
    html = b"<p>data-pagefind-body</p><main class=x data-pagefind-body>Text</main>"
    assert search.body_marker(html) == html.rindex(b"data-pagefind-body")


def test_a_bundle_needs_room_for_at_least_one_page(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", SLUGS)
    with pytest.raises(ValueError, match="at least 1; got 0"):
        search.plan_bundles(site, pages_per_bundle=0)


def test_several_bundles_hold_every_page_once_and_the_facets_list_them(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", SLUGS, DATES)
    assert search.build_index(site, pages_per_bundle=2) == []
    data = json.loads((site / search.FACETS_FILE).read_text(encoding="utf-8"))
    assert data["bundles"] == [
        {"path": "pagefind/", "dated_pages": 1},
        {"path": "pagefind/bundle-2/", "dated_pages": 2},
    ]
    assert data["counts"]["type"] == {"case-study": 3, "guide": 1}
    vocabulary = "/kb-search-vocabulary/"
    first = [r.url for r in search.read_records(site / "pagefind")]
    second = [r.url for r in search.read_records(site / "pagefind" / "bundle-2")]
    assert first == ["/case-studies/beta/", "/guides/one/", vocabulary]
    assert second == ["/case-studies/alpha/", "/case-studies/gamma/", vocabulary]
    shown = [url for url in first + second if url != vocabulary]
    assert [r.url for r in search.read_site_records(site)] == sorted(shown)
    assert search.check_index(site, URLS) == []


def test_each_bundle_has_a_vocabulary_page_the_search_page_hides(tmp_path: Path) -> None:
    """Pagefind guesses at a word an index lacks; the vocabulary page gives every bundle every
    word. It is written only while indexing, and its ids are listed for the page to leave out."""
    site = write_site(tmp_path / "site", SLUGS, DATES)
    report = search.index_site(site, pages_per_bundle=2)
    assert not (site / "kb-search-vocabulary").exists()
    assert report.files_read == 4  # the vocabulary page, read once a bundle, is not counted
    assert not any(record.is_vocabulary for record in report.records)
    hidden = {
        r.id
        for bundle in ("pagefind", "pagefind/bundle-2")
        for r in search.read_records(site / bundle)
        if r.is_vocabulary
    }
    assert hidden and set(report.hidden_ids) == hidden
    assert all((site / "pagefind").rglob(f"{id_}.pf_fragment") for id_ in hidden)
    search.write_facets(site, records=report.records, bundles=report.bundles, hidden_ids=hidden)
    data = json.loads((site / search.FACETS_FILE).read_text(encoding="utf-8"))
    assert sorted(data["hidden_pages"]) == sorted(hidden)


def test_one_bundle_needs_no_vocabulary_page(indexed: tuple[Path, search.IndexReport]) -> None:
    site, report = indexed
    assert report.hidden_ids == ()
    assert not any(r.is_vocabulary for r in search.read_records(site / "pagefind"))


def test_the_vocabulary_holds_the_indexed_text_and_metadata_only() -> None:
    html = (
        b"<html><head><title>Head words</title></head><body><nav>Navigation</nav>"
        b"<main data-pagefind-body><h1>Body <em>words</em></h1><p>people&#x27;s forum</p>"
        b'<span data-pagefind-meta="dpulo:Metaford Forum"></span></main></body></html>'
    )
    words = search.page_words(html, search.body_marker(html))
    assert {b"Body", b"words", b"people&#x27;s", b"forum", b"Metaford", b"Forum"} <= words
    assert not {b"Head", b"Navigation"} & words
    html = search.vocabulary_page(words)
    assert b"<main data-pagefind-body><p>" in html and b"Metaford" in html


def test_a_scan_takes_the_words_of_the_indexed_element_and_metadata(tmp_path: Path) -> None:
    page = tmp_path / "site" / "a" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_bytes(
        b'<html><head><meta data-pagefind-meta="image:Headimage"><title>Head</title></head>'
        b"<body><nav>Navigation</nav><main data-pagefind-body><h1>Body <em>words</em></h1>"
        b'<span data-pagefind-meta="dpulo:Metaford"></span></main><footer>Footer</footer>'
        b"</body></html>"
    )
    words = search._scan_pages(tmp_path / "site", ["a/index.html"], words=True).words
    assert {b"Body", b"words", b"Metaford", b"Headimage"} <= words
    assert not {b"Head", b"Navigation", b"Footer"} & words


def test_a_scan_in_parallel_finds_what_one_process_finds(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", SLUGS, DATES)
    pages = search.html_files(site)
    assert sorted(pages) == [
        "case-studies/alpha/index.html",
        "case-studies/beta/index.html",
        "case-studies/gamma/index.html",
        "guides/one/index.html",
        "index.html",
    ]
    one = search._scan_pages(site, pages, words=True)
    many = search.scan_site(site, pages * 200, words=True)  # above the threshold: in a pool
    assert sorted(set(many.dated)) == sorted(one.dated) and many.words == one.words
    assert len(many.dated) == 200 * len(one.dated)


def test_a_merged_bundle_keeps_its_index_and_drops_the_scripts(tmp_path: Path) -> None:
    """The search page loads Pagefind's scripts and WebAssembly once, from the first bundle."""
    site = write_site(tmp_path / "site", SLUGS, DATES)
    assert search.build_index(site, pages_per_bundle=2) == []
    first = {path.name for path in (site / "pagefind").iterdir()}
    second = {path.name for path in (site / "pagefind" / "bundle-2").iterdir()}
    assert {"pagefind.js", "pagefind-worker.js", "wasm.en.pagefind", "bundle-2"} <= first
    assert {"pagefind-entry.json", "fragment", "index", "filter"} <= second
    assert [name for name in second if name.endswith(".pf_meta")]
    assert not [name for name in second if name.endswith((".js", ".css")) or "wasm" in name]


def test_reindexing_with_fewer_bundles_removes_the_old_ones(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", SLUGS, DATES)
    assert search.build_index(site, pages_per_bundle=1) == []
    assert (site / "pagefind" / "bundle-4").is_dir()
    assert search.build_index(site) == []
    assert not any(path.name.startswith("bundle-") for path in (site / "pagefind").iterdir())
    assert search.check_index(site, URLS) == []


# --- the filter names the search page shows ----------------------------------------------------


def test_facets_name_every_taxonomy_term_in_taxonomy_order() -> None:
    """Filter values are taxonomy ids; the page shows the taxonomy's names, from this file."""
    taxonomy = load_taxonomy()
    groups = {group["key"]: group for group in search.facets(taxonomy)["filters"]}
    for key, _label, facet in search.FILTERS:
        if facet is not None:
            names = groups[key]["names"]
            assert list(names) == taxonomy.ids(facet)
            assert all(names[t.id] == t.name for t in taxonomy.terms(facet))
    assert groups["category"]["names"]["tupe"] == "TUPE transfers"
    assert list(groups) == [key for key, _label, _facet in search.FILTERS]


def test_facet_counts_count_each_value_once_per_page() -> None:
    records = [
        Record("/a/", "a", {"category": ["x", "y", "x"], "type": ["case-study"]}),
        Record("/b/", "b", {"category": ["x"], "type": ["case-study"]}),
    ]
    assert search.facet_counts(records) == {
        "category": {"x": 2, "y": 1},
        "type": {"case-study": 2},
    }


def test_the_filter_keys_match_the_markers_the_site_writes() -> None:
    """Every key the search page shows is one the case-study pages carry, and none is
    Pagefind's reserved any/all/none/not."""
    markers = paths.PROJECT_ROOT / "scripts" / "kb" / "site" / "case_study.py"
    if not markers.is_file():
        pytest.skip("the site plugin is not there yet")
    source = markers.read_text(encoding="utf-8")
    for key, _label, _facet in search.FILTERS:
        assert f'("{key}"' in source, f"case-study pages carry no {key!r} filter"
        assert key not in {"any", "all", "none", "not"}


# --- the search page and its script --------------------------------------------------------------


def test_search_script_never_inserts_markup() -> None:
    """Everything shown is built with createElement/textContent; excerpts keep only <mark>."""
    script = (DOCS / "javascripts" / "search.js").read_text(encoding="utf-8")
    for risky in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert risky not in script, f"search.js uses {risky}"


def test_search_page_has_a_label_a_polite_status_and_browse_links() -> None:
    page = (DOCS / "search.md").read_text(encoding="utf-8")
    assert re.search(r'<label[^>]*for="kb-search-input"', page)
    assert re.search(r'<input[^>]*id="kb-search-input"', page)
    assert re.search(r'role="status"[^>]*aria-live="polite"', page)
    for browse in ("case-studies", "categories", "regions", "commissioner-types"):
        assert f'href="../{browse}/"' in page
    assert "data-pagefind-body" not in page, "the search page itself must not be indexed"


def test_search_assets_are_in_mkdocs_yml() -> None:
    config = (paths.PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "- javascripts/search.js" in config
    assert "- stylesheets/search.css" in config


def test_kb_build_indexes_between_building_and_checking() -> None:
    from kb.site.build import STAGES

    names = [stage.name for stage in STAGES]
    assert "search" in names
    assert names.index("build") < names.index("search") < names.index("check")


# --- the copies of the pages Pagefind reads -----------------------------------------------


def _copy(html: str) -> str:
    data = html.encode()
    return search.search_copy(data, search.body_marker(data)).decode()


def test_a_search_copy_keeps_the_head_and_the_indexed_element_only() -> None:
    html = _case_study("alpha", "london", "advocacy words")
    copy = _copy(html)
    assert copy.startswith('<!doctype html><html lang="en"><head><title>alpha</title></head>')
    assert "Site navigation words" not in copy
    start = html.index("<main data-pagefind-body>")
    assert copy.endswith("<body>" + html[start : html.index("</main>") + 7] + "</body></html>")


def test_a_search_copy_ends_at_the_indexed_elements_own_closing_tag() -> None:
    html = (
        "<html><head></head><body><nav><div>menu</div></nav>"
        "<div class='x' data-pagefind-body><div>one<div>two</div></div><DIV>three</DIV></div>"
        "<div>footer</div></body></html>"
    )
    assert _copy(html) == (
        "<html><head></head><body><div class='x' data-pagefind-body><div>one<div>two</div></div>"
        "<DIV>three</DIV></div></body></html>"
    )


@pytest.mark.parametrize(
    "html",
    [
        # A comment (or a script) could hide what looks like a closing tag.
        "<html><head></head><body><main data-pagefind-body><!-- </main> --><p>a</p></main></body>",
        "<html><head></head><body><main data-pagefind-body><script>'</main>'</script></main></body>",
        # Pagefind reads data-pagefind attributes anywhere on the page.
        '<html><head></head><body><span data-pagefind-meta="a:b"></span>'
        "<main data-pagefind-body><p>a</p></main></body>",
        # No head, or an element that never closes.
        "<html><body><main data-pagefind-body><p>a</p></main></body>",
        "<html><head></head><body><main data-pagefind-body><p>a</p></body>",
    ],
)
def test_a_page_that_cannot_be_cut_safely_is_copied_whole(html: str) -> None:
    assert _copy(html) == html


def test_the_site_is_indexed_from_cut_copies_and_the_index_is_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = write_site(tmp_path / "site", SLUGS, DATES)
    html = (site / "case-studies" / "alpha" / "index.html").read_bytes()
    assert len(search.search_copy(html, search.body_marker(html))) < len(html)
    assert_cut_copies_index_the_same(site, monkeypatch, pages_per_bundle=2)


def test_a_bundle_read_again_unchanged_is_not_decoded_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = write_site(tmp_path / "site", SLUGS, DATES)
    report = search.index_site(site, pages_per_bundle=2)
    bundles = [bundle.path for bundle in report.bundles]
    first = search.read_bundles(site, bundles)

    def unread(path: Path) -> Record:
        raise AssertionError(f"{path} was read again")

    monkeypatch.setattr(search, "_read_fragment", unread)
    assert search.read_bundles(site, bundles) == first
    # A fragment written again is read again, and so is a bundle indexed afresh.
    fragment = next((site / "pagefind" / "fragment").iterdir())
    fragment.write_bytes(b"not a fragment")
    with pytest.raises(AssertionError, match="was read again"):
        search.read_bundles(site, bundles)
    monkeypatch.undo()
    with pytest.raises(SearchIndexError, match="not a Pagefind fragment"):
        search.read_bundles(site, bundles)
    search.index_site(site, pages_per_bundle=2)
    assert search.read_bundles(site, bundles) == first


def test_the_copies_go_in_memory_only_when_there_is_room(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "MEMORY_FOLDER", tmp_path)
    assert search.copies_folder(10) == tmp_path
    free = search.shutil.disk_usage(tmp_path).free
    assert search.copies_folder(free // search.COPY_ROOM_BYTES + 1) is None
    monkeypatch.setattr(search, "MEMORY_FOLDER", tmp_path / "missing")
    assert search.copies_folder(10) is None
