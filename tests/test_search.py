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

DOCS = paths.PROJECT_ROOT / "docs"


def _page(body: str, *, marked: bool = True, title: str = "Page") -> str:
    attribute = " data-pagefind-body" if marked else ""
    return (
        f'<!doctype html><html lang="en"><head><title>{title}</title></head><body>'
        f"<nav>Site navigation words</nav><main{attribute}>{body}</main></body></html>"
    )


def _case_study(slug: str, region: str, words: str) -> str:
    markers = (
        '<div hidden><span data-pagefind-filter="type:case-study"></span>'
        f'<span data-pagefind-filter="region:{region}"></span>'
        '<span data-pagefind-filter="category:tupe"></span>'
        '<span data-pagefind-sort="published:2025-01-02"></span>'
        f'<span data-pagefind-meta="dpulo:Forum {slug}"></span></div>'
    )
    heading = f'<h2 id="a">Heading {slug}<a class="headerlink" href="#a">¶</a></h2>'
    return _page(f"{markers}<h1>Case {slug}</h1>{heading}<p>{words}</p>", title=slug)


def write_site(root: Path, slugs: dict[str, str]) -> Path:
    """A built site: a home page (not marked), case studies, and one guide."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text(_page("Home page words", marked=False))
    for slug, region in slugs.items():
        page = root / "case-studies" / slug / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(_case_study(slug, region, f"advocacy words for {slug}"))
    guide = root / "guides" / "one" / "index.html"
    guide.parent.mkdir(parents=True, exist_ok=True)
    guide.write_text(
        _page('<span hidden data-pagefind-filter="type:guide"></span><h1>A guide</h1><p>Text</p>')
    )
    return root


SLUGS = {"alpha": "london", "beta": "wales", "gamma": "london"}
URLS = [f"case-studies/{slug}/" for slug in SLUGS]


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, search.IndexReport]:
    site = write_site(tmp_path_factory.mktemp("site"), SLUGS)
    return site, search.index_site(site)


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
    assert report.files_read == 5  # the unmarked home page is read but not indexed
    assert "4 pages (3 case studies, 0 resources, 1 guides)" in report.summary()


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
    assert problem.startswith("search index: ") and "pagefind-entry.json" in problem


def test_build_index_writes_the_bundle_and_the_facets(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", SLUGS)
    assert search.build_index(site) == []
    assert (site / search.BUNDLE_DIR / "pagefind.js").is_file()
    data = json.loads((site / search.FACETS_FILE).read_text(encoding="utf-8"))
    assert data["counts"]["region"] == {"london": 2, "wales": 1}
    assert data["counts"]["type"] == {"case-study": 3, "guide": 1}


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
