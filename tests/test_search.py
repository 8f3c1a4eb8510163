"""kb.search: indexing a built site with Pagefind, reading the index back, and its checks.

The sites here are a few hand-written HTML files, so each test takes well under a second.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import pytest

from htmltree import parse
from kb import search
from kb.content.casestudy import CaseStudy
from kb.search import Record, SearchIndexError, check_case_study_records
from kb.site.search_markup import (
    CASE_STUDY,
    PAGE_TYPES,
    SORT_KEY,
    TYPE_FILTER,
    YEAR_FILTER,
    search_markers,
)
from tests.support.corpus import front_matter
from tests.support.project import ROOT, repo_taxonomy

DOCS = ROOT / "docs"
TAXONOMY = repo_taxonomy()


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
def indexed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Record]]:
    """The small site indexed once, with search/facets.json written, as kb build does."""
    site = write_site(tmp_path_factory.mktemp("site"), SLUGS)
    return site, search.index_site(site, TAXONOMY)


# --- indexing ---------------------------------------------------------------------------------


def test_index_holds_only_marked_pages_with_their_filters_and_meta(
    indexed: tuple[Path, list[Record]],
) -> None:
    site, records = indexed
    assert [r.url for r in records] == [
        "/case-studies/alpha/",
        "/case-studies/beta/",
        "/case-studies/gamma/",
        "/guides/one/",
    ]  # the unmarked home page is not indexed
    alpha = records[0]
    assert alpha.filters["type"] == ["case-study"]
    assert alpha.filters["region"] == ["london"]
    assert alpha.meta["dpulo"] == "Forum alpha"
    assert alpha.title == "Case alpha"
    assert search.read_records(site / search.INDEX_DIR) == records


def test_heading_permalinks_are_not_indexed(indexed: tuple[Path, list[Record]]) -> None:
    site, _records = indexed
    fragments = list((site / search.INDEX_DIR / "fragment").glob("*"))
    assert fragments
    assert not any("¶" in gzip.decompress(f.read_bytes()).decode() for f in fragments)


def test_reindexing_replaces_the_old_index(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", SLUGS)
    search.index_site(site, TAXONOMY)
    for slug in ("beta", "gamma"):
        (site / "case-studies" / slug / "index.html").unlink()
    records = search.index_site(site, TAXONOMY)
    assert [r.url for r in records] == ["/case-studies/alpha/", "/guides/one/"]
    assert search.read_records(site / search.INDEX_DIR) == records


def test_index_site_refuses_a_folder_that_is_not_a_built_site(tmp_path: Path) -> None:
    with pytest.raises(SearchIndexError, match="Pagefind failed"):
        search.index_site(tmp_path, TAXONOMY)


def test_read_records_notices_fragments_that_do_not_match_the_entry_file(
    tmp_path: Path, indexed: tuple[Path, list[Record]]
) -> None:
    site, _records = indexed
    index = tmp_path / "pagefind"
    shutil.copytree(site / search.INDEX_DIR, index)
    next((index / "fragment").iterdir()).unlink()
    with pytest.raises(SearchIndexError, match="counts 4 pages but there are 3 fragments"):
        search.read_records(index)


def test_read_records_refuses_what_is_not_an_index(tmp_path: Path) -> None:
    with pytest.raises(SearchIndexError, match="cannot read the Pagefind entry file"):
        search.read_records(tmp_path)
    (tmp_path / "pagefind-entry.json").write_text('{"languages": {"en": {"page_count": 1}}}')
    (tmp_path / "fragment").mkdir()
    (tmp_path / "fragment" / "x.pf_fragment").write_bytes(gzip.compress(b"something else"))
    with pytest.raises(SearchIndexError, match="not a Pagefind fragment"):
        search.read_records(tmp_path)


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


def test_check_reads_the_records_of_the_built_index(indexed: tuple[Path, list[Record]]) -> None:
    site, _records = indexed
    records = search.read_records(site / search.INDEX_DIR)
    assert check_case_study_records(records, URLS) == []
    problems = check_case_study_records(records, [*URLS, "case-studies/delta/"])
    assert any("missing from the search index: /case-studies/delta/" in p for p in problems)


def test_build_index_writes_the_index_and_the_facets(indexed: tuple[Path, list[Record]]) -> None:
    site, _records = indexed
    assert (site / search.INDEX_DIR / "pagefind.js").is_file()
    data = json.loads((site / search.FACETS_FILE).read_text(encoding="utf-8"))
    assert data["sort_key"] == SORT_KEY
    assert data["counts"]["region"] == {"london": 2, "wales": 1}
    assert data["counts"]["type"] == {"case-study": 3, "guide": 1}
    assert data["result_types"] == {kind: names[0] for kind, names in PAGE_TYPES.items()}
    assert data["result_types"]["resource"] == "Resource list"


# --- the filter names the search page shows ----------------------------------------------------


def test_facets_name_every_taxonomy_term_in_taxonomy_order() -> None:
    """Filter values are taxonomy ids; the page shows the taxonomy's labels and names."""
    groups = {group["key"]: group for group in search.facets(TAXONOMY)["filters"]}
    for facet in TAXONOMY.search_facets:
        group = groups[facet.search_key]
        assert group["label"] == facet.label
        assert list(group["names"]) == TAXONOMY.ids(facet.name)
        assert all(group["names"][t.id] == t.name for t in TAXONOMY.terms(facet.name))
    assert groups["category"]["names"]["tupe"] == "TUPE transfers"
    assert groups["sourcing"]["label"] == "How the work was funded or bought"
    assert list(groups) == [
        TYPE_FILTER,
        "category",
        "region",
        "commissioner_type",
        "service_area",
        "sourcing",
        "outcome",
        YEAR_FILTER,
    ]
    assert groups[TYPE_FILTER]["names"] == {kind: names[1] for kind, names in PAGE_TYPES.items()}
    assert groups[TYPE_FILTER]["names"]["guide"] == "Guides"


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
    """Every key the search page shows is one a case-study page carries, and none is
    Pagefind's reserved any/all/none/not."""
    meta = front_matter(3, TAXONOMY)
    case = CaseStudy("fictional", Path("fictional.md"), meta, "")
    carried = {
        span.get("data-pagefind-filter").split(":", 1)[0]
        for span in parse(search_markers(case, TAXONOMY)).find_all(data_pagefind_filter=True)
    }
    keys = [group["key"] for group in search.facets(TAXONOMY)["filters"]]
    assert set(keys) == carried
    assert CASE_STUDY in search_markers(case, TAXONOMY)
    assert not set(keys) & {"any", "all", "none", "not"}


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
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "- javascripts/search.js" in config
    assert "- stylesheets/search.css" in config
