"""Speed changes made for the benchmark (issue 9) give exactly the answers they replaced."""

from __future__ import annotations

import html
import logging
import posixpath
import re
from pathlib import Path

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb import fake, search
from kb.casestudy import case_study_files, load_case_studies
from kb.plugin import block_guards, parallel, shared_parts, skeleton
from kb.plugin.inline_guards import NEEDS, guard_inline_patterns, is_guarded
from kb.plugin.plugin import KbPlugin
from kb.plugin.reused_markdown import ReusedMarkdown
from kb.site import case_study, raw_html
from kb.site.build import DEFAULT_CONFIG, BuildOptions, clearing_in_background, mkdocs_build
from kb.site.markup import relative_url
from kb.site.safe_markdown import SafeMarkdown
from tests.conftest import TODAY
from tests.site_fixtures import assert_cut_copies_index_the_same

_SEGMENT = st.sampled_from(["", ".", "..", "a", "b", "case-studies", "x-1", "data", "cases.json"])
_URL = st.lists(_SEGMENT, max_size=5).map("/".join) | st.sampled_from(["", "/", "a/", "/a/b/"])


def _relative_url_before(from_page: str, to_page: str) -> str:
    """kb.site.markup.relative_url as it was, calling posixpath.relpath."""
    target, _, fragment = to_page.partition("#")
    start = posixpath.dirname(from_page.rstrip("/") + "/x") if from_page else "."
    end = target.rstrip("/") or "."
    path = posixpath.relpath(end, start or ".")
    if target.endswith("/") or not target:
        path = "./" if path == "." else path + "/"
    return path + (f"#{fragment}" if fragment else "")


@given(_URL, _URL, st.sampled_from(["", "#key-facts"]))
def test_relative_url_gives_what_posixpath_relpath_gave(from_page, to_page, fragment):
    assert relative_url(from_page, to_page + fragment) == _relative_url_before(
        from_page, to_page + fragment
    )


def test_relative_url_examples():
    assert relative_url("case-studies/x/", "regions/london/") == "../../regions/london/"
    assert relative_url("", "case-studies/") == "case-studies/"
    assert relative_url("case-studies/", "") == "../"
    assert relative_url("case-studies/x/", "case-studies/y/#a") == "../y/#a"
    assert relative_url("a/b/", "a/b/") == "./"
    assert relative_url("x/", "data/cases.json") == "../data/cases.json"


def test_checking_the_same_files_again_gives_the_same_collection_without_sharing_it(tmp_path):
    fake.write_corpus(tmp_path, 3, words_per_section=20)
    files = case_study_files(tmp_path)
    first = load_case_studies(files, today=TODAY)
    second = load_case_studies(files, today=TODAY)
    assert second == first and second is not first
    second.case_studies.clear()
    assert load_case_studies(files, today=TODAY) == first


def test_a_file_changed_at_once_with_the_same_size_is_checked_again(tmp_path):
    """File times can be equal for two quick saves; the remembered result must not be used."""
    [path, *_] = fake.write_corpus(tmp_path, 2, words_per_section=20)
    files = case_study_files(tmp_path)
    assert not load_case_studies(files, today=TODAY).problems
    text = path.read_text(encoding="utf-8")
    broken = text.replace('region: "', 'region: "X', 1).replace("\n\n## ", "\n## ", 1)
    assert len(broken) == len(text)
    path.write_text(broken, encoding="utf-8")
    problems = load_case_studies(files, today=TODAY).problems
    assert [problem.field for problem in problems] == ["region"]


def test_a_file_that_disappears_is_reported_not_remembered(tmp_path):
    [path, *_] = fake.write_corpus(tmp_path, 2, words_per_section=20)
    files = case_study_files(tmp_path)
    load_case_studies(files, today=TODAY)
    path.unlink()
    assert [problem.field for problem in load_case_studies(files, today=TODAY).problems] == ["file"]


# -- case-study pages built by worker processes (kb.plugin.parallel) ---------------------------

#: Enough case studies for the plugin to hand their pages to worker processes.
MANY = parallel.MIN_PAGES + 20


#: Values the theme might escape, strip or cut, for pages rendered from a skeleton
#: (kb.plugin.skeleton) and for the shared header (kb.plugin.shared_parts).
AWKWARD_TITLES = (
    'Smith & Jones\'s "forum" <b>and</b> the council',
    "<kb-stand-in title &\"'> a contributor's stand-in look-alike",
    "A title as long as a title may be, so that a template which cut titles short would be "
    "caught doing so, all of it",
)


def write_awkward_case_studies(corpus: Path, count: int) -> None:
    """`count` generated case studies, some with awkward titles, summaries and subheadings."""
    fake.write_corpus(corpus, count, words_per_section=30)
    for index, title in enumerate(AWKWARD_TITLES, start=1):
        meta = fake.front_matter(index, title=title, summary=f"{title}: a fictional summary.")
        body = fake.body(30, index).replace(
            "\n\n## ", f"\n\n### A subheading & *emphasis* {index}\n\nMore text.\n\n## ", 1
        )
        path = corpus / f"fictional-case-study-{index:05d}.md"
        path.write_text(fake.case_study_text(meta, body), encoding="utf-8")


@pytest.fixture(scope="module")
def many_case_studies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    corpus = tmp_path_factory.mktemp("many") / "case_studies"
    write_awkward_case_studies(corpus, MANY)
    return corpus


def _build(corpus: Path, site: Path, workers: int, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setattr(parallel, "worker_count", lambda requested: workers)
    return mkdocs_build(BuildOptions(case_studies=corpus, site_dir=site))


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_pages_built_by_workers_are_byte_for_byte_what_mkdocs_builds(
    many_case_studies, tmp_path, monkeypatch
):
    rendered: list[int] = []
    start = parallel.DeferredPages.start

    def counting(self, *args, **kwargs):
        rendered.append(len(self.src_uris))
        return start(self, *args, **kwargs)

    monkeypatch.setattr(parallel.DeferredPages, "start", counting)
    assert _build(many_case_studies, tmp_path / "one", 1, monkeypatch) == []
    assert rendered == []
    assert _build(many_case_studies, tmp_path / "two", 2, monkeypatch) == []
    assert rendered == [MANY]
    one, two = _files(tmp_path / "one"), _files(tmp_path / "two")
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []


def test_a_warning_while_a_worker_builds_a_page_still_fails_the_strict_build(
    many_case_studies, tmp_path, monkeypatch, caplog
):
    original = case_study.render_case_study

    def warn_once(case, *args, **kwargs):
        if case.slug == "fictional-case-study-00007":
            logging.getLogger("mkdocs.plugins.kb").warning("kb: a warning from a worker")
        return original(case, *args, **kwargs)

    monkeypatch.setattr(case_study, "render_case_study", warn_once)
    problems = _build(many_case_studies, tmp_path / "site", 2, monkeypatch)
    assert problems and "strict" in problems[0]
    assert "kb: a warning from a worker" in caplog.text


def test_an_error_while_a_worker_builds_a_page_fails_the_build_and_says_where(
    many_case_studies, tmp_path, monkeypatch, caplog
):
    def fail(case, *args, **kwargs):
        raise RuntimeError(f"cannot render {case.slug}")

    monkeypatch.setattr(case_study, "render_case_study", fail)
    problems = _build(many_case_studies, tmp_path / "site", 2, monkeypatch)
    assert problems and "mkdocs build failed" in problems[0]
    assert "kb: building the case-study pages failed" in caplog.text
    assert "RuntimeError: cannot render fictional-case-study-" in caplog.text


# -- long lists set aside from Markdown (kb.site.raw_html) -------------------------------------


def test_listing_pages_are_the_same_with_their_lists_set_aside_from_markdown(tmp_path, monkeypatch):
    corpus = tmp_path / "case_studies"
    fake.write_corpus(corpus, 30, words_per_section=20)
    monkeypatch.setattr(parallel, "worker_count", lambda requested: 1)
    assert mkdocs_build(BuildOptions(case_studies=corpus, site_dir=tmp_path / "aside")) == []
    monkeypatch.setattr(raw_html, "set_aside", lambda markdown: (markdown, []))
    assert mkdocs_build(BuildOptions(case_studies=corpus, site_dir=tmp_path / "markdown")) == []
    aside, markdown = _files(tmp_path / "aside"), _files(tmp_path / "markdown")
    assert sorted(aside) == sorted(markdown)
    assert [name for name in aside if aside[name] != markdown[name]] == []
    assert b"kb-case-list" in aside["case-studies/index.html"]


_BLOCK_BEFORE = re.compile(
    r'^(<ul class="kb-case-list">\n)(.*?)(\n</ul>)$', re.MULTILINE | re.DOTALL
)
_KEEP_BEFORE = re.compile(r"\s(?:id|name)=|\n\s*\n", re.IGNORECASE)


def _set_aside_before(markdown: str) -> tuple[str, list[str]]:
    """kb.site.raw_html.set_aside as it was, with a lazy `.*?` and a case-blind pattern."""
    items: list[str] = []

    def swap(match: re.Match[str]) -> str:
        if _KEEP_BEFORE.search(match.group(2)):
            return match.group(0)
        items.append(match.group(2))
        return match.group(1) + raw_html.placeholder(len(items) - 1) + match.group(3)

    return _BLOCK_BEFORE.sub(swap, markdown), items


_ITEM_LINE = st.sampled_from(
    [
        "<li>a</li>",
        '<li><a href="x">b</a> <time datetime="2024">c</time></li>',
        "",
        "  ",
        '<li id="x">a</li>',
        "<li>a NAME=b</li>",
        "<li>said=no</li>",
        "</ul>x",
        " </ul>",
    ]
)
_CASE_LIST = st.builds(
    lambda opening, lines, closing: "\n".join([opening, *lines, closing]),
    st.sampled_from(['<ul class="kb-case-list">', '<ul class="kb-case-list"> ', "<ul>"]),
    st.lists(_ITEM_LINE, max_size=4),
    st.sampled_from(["</ul>", "</ul> ", "</ul>\ntext"]),
)
_OTHER_LINE = st.sampled_from(["", "# Heading", "text", "</ul>"])


@given(st.lists(_CASE_LIST | _OTHER_LINE, max_size=6).map("\n".join))
def test_set_aside_gives_what_it_gave_before(markdown):
    assert raw_html.set_aside(markdown) == _set_aside_before(markdown)


def test_set_aside_keeps_lists_with_anchors_or_blank_lines_and_puts_back_the_rest():
    listed = '<ul class="kb-case-list">\n<li>a</li>\n<li>b</li>\n</ul>'
    anchored = '<ul class="kb-case-list">\n<li id="x">a</li>\n</ul>'
    gapped = '<ul class="kb-case-list">\n<li>a</li>\n\n<li>b</li>\n</ul>'
    markdown = f"# T\n\n{listed}\n\n{anchored}\n\n{gapped}\n"
    aside, items = raw_html.set_aside(markdown)
    assert items == ["<li>a</li>\n<li>b</li>"]
    assert anchored in aside and gapped in aside and listed not in aside
    assert raw_html.put_back(aside, items) == markdown


# -- parts shared by every case-study page, rendered once (kb.plugin.shared_parts) --------------


def test_case_study_pages_are_the_same_with_the_shared_parts_rendered_once(tmp_path, monkeypatch):
    corpus = tmp_path / "case_studies"
    write_awkward_case_studies(corpus, 30)
    monkeypatch.setattr(parallel, "worker_count", lambda requested: 1)
    kept: list[shared_parts.SharedParts] = []
    for_page = shared_parts.PartsCache.for_page

    def counting(self, page_url):
        found = for_page(self, page_url)
        kept.append(found)
        return found

    monkeypatch.setattr(shared_parts.PartsCache, "for_page", counting)
    assert mkdocs_build(BuildOptions(case_studies=corpus, site_dir=tmp_path / "once")) == []
    assert len(kept) == 30 and len(set(map(id, kept))) == 1
    assert sorted(kept[0].html) == sorted(
        ["config", *shared_parts.SHARED_PARTIALS, *shared_parts.TITLED_PARTIALS]
    )
    assert shared_parts.TITLE_STAND_IN in kept[0].get("partials/header.html")
    assert '<script id="__config"' in kept[0].get("config")
    # Without kb_parts every page renders every part itself, as the theme does.
    monkeypatch.setattr(KbPlugin, "on_page_context", lambda self, context, **kwargs: context)
    assert mkdocs_build(BuildOptions(case_studies=corpus, site_dir=tmp_path / "each")) == []
    once, each = _files(tmp_path / "once"), _files(tmp_path / "each")
    assert sorted(once) == sorted(each)
    assert [name for name in once if once[name] != each[name]] == []
    assert not [name for name, data in once.items() if shared_parts.TITLE_STAND_IN.encode() in data]


# -- case-study pages filled into a skeleton (kb.plugin.skeleton) ------------------------------


def test_workers_fill_most_case_study_pages_into_a_skeleton(
    many_case_studies, tmp_path, monkeypatch
):
    """The byte-for-byte test above passes if every skeleton is refused; this one does not."""
    filled = tmp_path / "filled"
    fill = skeleton.Skeleton.fill

    def counting(self, values):
        with filled.open("a", encoding="utf-8") as out:  # the workers are other processes
            out.write(values["edit_url"] + "\n")
        return fill(self, values)

    monkeypatch.setattr(skeleton.Skeleton, "fill", counting)
    assert _build(many_case_studies, tmp_path / "site", 2, monkeypatch) == []
    pages = filled.read_text(encoding="utf-8").splitlines()
    # Each worker renders at least its first two pages of each kind both ways.
    assert len(set(pages)) > MANY // 2


class _Anchor:
    def __init__(self, url: str, title: str) -> None:
        self.url, self.title, self.level, self.children = url, title, 1, []


class _Page:
    """What the theme reads from a case-study page, for a small template."""

    def __init__(self, number: int, title: str) -> None:
        self.title = title
        self.meta = {"title": title, "description": f"About {title}"}
        self.url = f"case-studies/case-{number}/"
        self.canonical_url = f"https://example.org/{self.url}"
        self.edit_url = f"https://example.org/edit/case-{number}.md"
        self.toc = [_Anchor(f"#case-{number}", title)]
        self.content = f"<h1>{title}</h1><p>Case {number}</p>"


_TEMPLATES = {
    "partials/language.html": "",
    "partials/toc.html": "<nav>{% for item in page.toc %}{{ item.title }}{% endfor %}</nav>",
    "main.html": (
        "<title>{{ page.meta.title }}</title><meta content='{{ page.meta.description }}'>"
        "{% if page.toc | first is defined %}<a href='{{ (page.toc | first).url }}'>skip</a>"
        "{% endif %}{% include 'partials/toc.html' %}"
        "<a href='{{ page.edit_url }}'>edit</a><link href='{{ page.canonical_url }}'>"
        "{{ page.content }}"
    ),
}


def _render_pages(main: str, pages: list[_Page]) -> tuple[skeleton.Skeletons, list[str], list[str]]:
    """Each page rendered with `main` through Skeletons, and by the template alone."""
    env = skeleton.install(
        jinja2.Environment(loader=jinja2.DictLoader({**_TEMPLATES, "main.html": main}))
    )
    skeletons = skeleton.Skeletons(env)
    through = [skeletons.get_template("main.html").render({"page": page}) for page in pages]
    alone = [env.get_template("main.html").render({"page": page}) for page in pages]
    return skeletons, through, alone


def _pages(titles: list[str]) -> list[_Page]:
    return [_Page(number, title) for number, title in enumerate(titles)]


def test_pages_after_the_checked_ones_are_filled_in_and_the_same():
    titles = ['A & "B"', "<b>C</b>", "D's", "E", "F & G"]
    skeletons, through, alone = _render_pages(_TEMPLATES["main.html"], _pages(titles))
    assert through == alone
    [kind] = skeletons.kinds.values()
    assert kind.skeleton is not None and kind.checked == skeleton.CHECKED_PAGES
    assert "<nav>F & G</nav>" in through[-1]  # the table of contents is the page's own


@pytest.mark.parametrize(
    "changed",
    [
        "{{ page.meta.title | e }}",  # escaped
        "{{ page.meta.title | striptags }}",  # tags stripped
        "{{ page.meta.title | truncate(12) }}",  # cut short
        "{{ page.meta.title | upper }}",  # changed otherwise
    ],
)
def test_a_skeleton_whose_stand_in_a_filter_changed_is_refused(changed):
    main = _TEMPLATES["main.html"].replace("{{ page.meta.title }}", changed)
    skeletons, through, alone = _render_pages(main, _pages(["A & B", "C", "D", "E"]))
    assert through == alone
    assert [kind.skeleton for kind in skeletons.kinds.values()] == [None]


def test_a_skeleton_is_cut_at_its_stand_ins_and_not_where_one_was_changed():
    title, content = skeleton.stand_in("meta_title"), skeleton.stand_in("content")
    cut = skeleton.Skeleton.cut(f"<title>{title} - Site</title><h1 {content[1:]}<p>end</p>")
    assert cut is not None
    assert cut.fill({"meta_title": "A &amp; B", "content": "<h1>A</h1>"}) == (
        "<title>A &amp; B - Site</title><h1>A</h1><p>end</p>"
    )
    assert skeleton.Skeleton.cut(f"<title>{html.escape(title)}</title>") is None
    assert skeleton.Skeleton.cut(f"<title>{title[:12]}</title>") is None


def test_a_skeleton_that_keeps_one_page_s_own_value_is_refused():
    """A value without a stand-in (here the page's address) would repeat the first page's."""
    main = _TEMPLATES["main.html"] + "<p>{{ page.url }}</p>"
    skeletons, through, alone = _render_pages(main, _pages(["A", "B", "C", "D"]))
    assert through == alone
    assert [kind.skeleton for kind in skeletons.kinds.values()] == [None]


def test_pages_that_differ_in_what_the_template_reads_get_skeletons_of_their_own():
    main = (
        "{% if page.meta.description %}<meta>{{ page.meta.description }}{% endif %}"
        + (_TEMPLATES["main.html"])
    )
    pages = _pages([f"T{number}" for number in range(8)])
    for page in pages[::2]:
        page.meta["description"] = ""
    for page in pages[1::4]:
        page.toc = []
    skeletons, through, alone = _render_pages(main, pages * 2)
    assert through == alone
    assert len(skeletons.kinds) == 3


# -- one Markdown instance per kind of page, reused (kb.plugin.reused_markdown) ----------------


def test_pages_are_the_same_converted_with_reused_markdown_instances(tmp_path, monkeypatch):
    corpus = tmp_path / "case_studies"
    fake.write_corpus(corpus, 30, words_per_section=20)
    monkeypatch.setattr(parallel, "worker_count", lambda requested: 1)
    built: list[bool] = []
    instance = ReusedMarkdown.instance

    def counting(self, config, *, safe):
        built.append(safe)
        return instance(self, config, safe=safe)

    monkeypatch.setattr(ReusedMarkdown, "instance", counting)
    assert mkdocs_build(BuildOptions(case_studies=corpus, site_dir=tmp_path / "reused")) == []
    assert built.count(True) == 30 and built.count(False) > 30
    # mkdocs' own Page.render, a new instance for every page.
    monkeypatch.setattr(ReusedMarkdown, "attach", lambda self, page, *, safe: None)
    assert mkdocs_build(BuildOptions(case_studies=corpus, site_dir=tmp_path / "own")) == []
    reused, own = _files(tmp_path / "reused"), _files(tmp_path / "own")
    assert sorted(reused) == sorted(own)
    assert [name for name in reused if reused[name] != own[name]] == []


def test_a_reused_instance_forgets_the_last_document():
    """Link references and stashed HTML from one page never reach the next."""
    config = {"markdown_extensions": ["toc", "md_in_html"], "mdx_configs": {}}
    reused = ReusedMarkdown(SafeMarkdown())
    first = reused.instance(config, safe=False)
    first.convert("# One\n\n[a link][ref]\n\n[ref]: https://example.org/\n\n<div>raw</div>\n")
    second = reused.instance(config, safe=False)
    assert second is first
    html = second.convert("# Two\n\n[a link][ref]\n")
    assert "example.org" not in html and "raw" not in html
    assert [token["name"] for token in second.toc_tokens] == ["Two"]


def test_case_study_bodies_are_converted_with_raw_html_switched_off():
    safe_markdown = SafeMarkdown()
    config = {"markdown_extensions": ["md_in_html", "attr_list", safe_markdown], "mdx_configs": {}}
    reused = ReusedMarkdown(safe_markdown)
    hostile = '<script>alert(1)</script>\n\nText\n{: onclick="alert(2)" }\n'
    html = reused.instance(config, safe=False).convert(hostile)
    assert "<script>" in html and '<p onclick="alert(2)">' in html
    safe_html = reused.instance(config, safe=True).convert(hostile)
    assert "<script>" not in safe_html and "<p onclick" not in safe_html
    assert "&lt;script&gt;" in safe_html
    # The instance for other pages keeps raw HTML after the safe one was built, and back.
    assert "<script>" in reused.instance(config, safe=False).convert(hostile)
    assert "<script>" not in reused.instance(config, safe=True).convert(hostile)
    assert safe_markdown.active is False


# -- inline patterns skip text they cannot match (kb.plugin.inline_guards) ---------------------

#: Characters Markdown's inline patterns look for, and their neighbours.
_INLINE_ALPHABET = "ab <>&*_`\\[]!()#;:/@.=\"'\n-x0"


def _without(text: str, needs: tuple[str, ...]) -> str:
    """`text` with every string in `needs` taken out, including any that taking out made."""
    while any(needed in text for needed in needs):
        for needed in needs:
            text = text.replace(needed, "")
    return text


@pytest.mark.parametrize("expression", sorted(NEEDS))
@given(text=st.text(alphabet=_INLINE_ALPHABET, max_size=40))
def test_a_guarded_expression_finds_nothing_in_text_without_what_it_needs(expression, text):
    text = _without(text, NEEDS[expression])
    assert re.compile(expression, re.DOTALL | re.UNICODE).search(text) is None


@pytest.fixture(scope="module")
def site_markdown_config():
    """mkdocs.yml's Markdown extensions and their settings, with the plugin's SafeMarkdown."""
    from mkdocs.config import load_config

    config = load_config(str(DEFAULT_CONFIG))
    return {
        "markdown_extensions": [*config["markdown_extensions"], SafeMarkdown()],
        "mdx_configs": config["mdx_configs"],
    }


def _reused(config: dict) -> ReusedMarkdown:
    [safe_markdown] = [e for e in config["markdown_extensions"] if isinstance(e, SafeMarkdown)]
    return ReusedMarkdown(safe_markdown)


@pytest.mark.parametrize("safe", [False, True], ids=["other pages", "case-study bodies"])
def test_every_inline_pattern_of_the_site_is_guarded(site_markdown_config, safe):
    """Fails when Python-Markdown changes an expression: work out what the new one needs."""
    md = _reused(site_markdown_config).instance(site_markdown_config, safe=safe)
    assert [p.compiled_re.pattern for p in md.inlinePatterns if not is_guarded(p)] == []
    assert guard_inline_patterns(md) == []  # guarded once only


@pytest.mark.parametrize("safe", [False, True], ids=["other pages", "case-study bodies"])
def test_every_listed_block_expression_is_guarded_in_the_site(site_markdown_config, safe):
    """Fails when Python-Markdown changes an expression: work out what the new one needs."""
    md = _reused(site_markdown_config).instance(site_markdown_config, safe=safe)
    assert sorted(block_guards.guarded_expressions(md)) == sorted(block_guards.NEEDS)
    assert block_guards.guard_block_processors(md) == []  # guarded once only


#: Pieces of blocks: what Markdown's block processors look for, and their neighbours.
_BLOCK_PIECES = st.sampled_from(
    [*"ab #>:!-_*=[]()\"'\n0.", "  ", ": ", "!!! note", " - - -", "***", "[r]: /z", "\n## x #"]
)


@given(text=st.lists(_BLOCK_PIECES, max_size=20).map("".join))
def test_a_guarded_block_expression_finds_nothing_in_a_block_without_what_it_needs(
    site_markdown_config, text
):
    md = _reused(site_markdown_config).instance(site_markdown_config, safe=False)
    guards = [
        guard
        for processor in md.parser.blockprocessors
        for name in ("RE", "SEARCH_RE")
        if isinstance(guard := getattr(processor, name, None), block_guards.GuardedSearch)
    ]
    assert len(guards) == len(block_guards.NEEDS)
    for guard in guards:
        block = _without(text, guard.needs)
        assert guard.expression.search(block) is None, guard.expression.pattern


#: Pieces of Markdown documents: words and white space, what the inline patterns look for,
#: whole inline constructs, and the starts of blocks.
_WORDS = ("word", " ", "  \n", "\n", "\n\n")
_INLINE = (*"*_`\\[]()<>&;!", "**", "__", "``", "![", "&amp;", "&#35;", "<b>", "</b>", "<!-- c -->")
_CONSTRUCTS = ("<https://example.org>", "<a@b.org>", "[x](#y)", "[x][r]", "\n[r]: /z\n", "{: .c }")
_BLOCKS = ("# ", "- ", "1. ", "> ", "Term\n:   ", "!!! note\n    ", "| a |\n|---|\n| c |\n")
_BLOCKS += ("\n---\n", "\n* * *\n", "Title\n===\n", "\n[r]: /z 'T'\n", "    code\n", ": ", "!!!")
_MARKDOWN_PIECES = st.sampled_from([*_WORDS, *_INLINE, *_CONSTRUCTS, *_BLOCKS])


@settings(max_examples=300, deadline=None)
@given(st.lists(_MARKDOWN_PIECES, max_size=30).map("".join), st.booleans())
def test_documents_convert_the_same_with_guarded_patterns_and_blocks(
    site_markdown_config, document, safe
):
    import markdown

    guarded = _reused(site_markdown_config).instance(site_markdown_config, safe=safe)
    extensions = [
        SafeMarkdown(active=safe) if isinstance(e, SafeMarkdown) else e
        for e in site_markdown_config["markdown_extensions"]
    ]
    plain = markdown.Markdown(
        extensions=extensions, extension_configs=site_markdown_config["mdx_configs"]
    )
    assert guarded.convert(document) == plain.convert(document)


# -- the last build's files deleted while the next build runs (kb.site.build) ------------------


def test_the_last_build_is_moved_aside_then_deleted_and_hidden_files_are_kept(tmp_path):
    site = tmp_path / "site"
    (site / "case-studies" / "old").mkdir(parents=True)
    (site / "case-studies" / "old" / "index.html").write_text("old page")
    (site / "index.html").write_text("old home")
    (site / ".nojekyll").write_text("")
    left_behind = site / ".kb-last-build-interrupted" / "case-studies" / "gone"
    left_behind.mkdir(parents=True)
    (left_behind / "index.html").write_text("a page an interrupted build did not delete")
    with clearing_in_background(site):
        # What mkdocs sees when it starts: only the hidden entries, which it leaves alone.
        visible = [entry.name for entry in site.iterdir() if not entry.name.startswith(".")]
        assert visible == []
        (site / "index.html").write_text("new home")
    assert sorted(entry.name for entry in site.iterdir()) == [".nojekyll", "index.html"]
    assert (site / "index.html").read_text() == "new home"


def test_clearing_a_site_folder_that_is_missing_or_empty_does_nothing(tmp_path):
    with clearing_in_background(tmp_path / "missing"):
        pass
    assert not (tmp_path / "missing").exists()
    (tmp_path / "empty").mkdir()
    with clearing_in_background(tmp_path / "empty"):
        pass
    assert list((tmp_path / "empty").iterdir()) == []


# -- Pagefind reads cut-down copies of the pages (kb.search.search_copy) -----------------------


def test_a_built_site_indexed_from_cut_copies_has_the_same_index(tmp_path, monkeypatch):
    corpus = tmp_path / "case_studies"
    fake.write_corpus(corpus, 30, words_per_section=20)
    monkeypatch.setattr(parallel, "worker_count", lambda requested: 1)
    site = tmp_path / "site"
    assert mkdocs_build(BuildOptions(case_studies=corpus, site_dir=site)) == []
    page = (site / "case-studies" / "fictional-case-study-00001" / "index.html").read_bytes()
    assert len(search.search_copy(page, search.body_marker(page))) < len(page) / 2
    assert len(assert_cut_copies_index_the_same(site, monkeypatch).records) > 30
