"""The theme itself: its configuration, its measured colours, and a specimen page holding every
kind of element (admonitions, tables, code, buttons, details…) checked in both schemes.

The specimen is built with the project's own mkdocs.yml (theme, overrides, stylesheets and
Markdown extensions) but none of its plugins, so theme problems show up here even before any
content uses an element.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import a11y
import pytest
import yaml
from playwright.sync_api import Page

SCHEMES = ["light", "dark"]
WIDTHS = [1280, 320]

SQUARE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
    '<rect width="40" height="40" fill="#c00"/></svg>'
)


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, keeping !ENV and !!python/name tags as plain values."""


_TolerantLoader.add_multi_constructor(
    "",
    lambda loader, suffix, node: (
        loader.construct_sequence(node)
        if isinstance(node, yaml.SequenceNode)
        else loader.construct_scalar(node)
        if isinstance(node, yaml.ScalarNode)
        else loader.construct_mapping(node)
    ),
)


def load_mkdocs_config() -> dict[str, Any]:
    """mkdocs.yml as plain data."""
    return yaml.load((a11y.REPO / "mkdocs.yml").read_text(), Loader=_TolerantLoader)


def build_specimen(workdir: Path) -> Path:
    """Build fixtures/specimen.md with the project's theme; returns the site folder."""
    docs = workdir / "docs"
    docs.mkdir(parents=True)
    shutil.copy(a11y.FIXTURES / "specimen.md", docs / "index.md")
    (docs / "square.svg").write_text(SQUARE_SVG)
    for folder in ("stylesheets", "javascripts"):
        if (a11y.REPO / "docs" / folder).is_dir():
            shutil.copytree(a11y.REPO / "docs" / folder, docs / folder)
    site = workdir / "site"
    config = {
        "INHERIT": str(a11y.REPO / "mkdocs.yml"),
        "docs_dir": str(docs),
        "site_dir": str(site),
        "theme": {"custom_dir": str(a11y.REPO / "overrides")},
        "plugins": [],
        "nav": [{"Specimen": "index.md"}],
        "not_in_nav": "",
    }
    config_file = workdir / "mkdocs.yml"
    config_file.write_text(json.dumps(config, indent=2))
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config_file)],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=300,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, f"Specimen build failed:\n{done.stdout}\n{done.stderr}"
    return site


@pytest.fixture(scope="session")
def specimen_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[a11y.SiteServer]:
    """The specimen site, served under the published prefix."""
    site = build_specimen(tmp_path_factory.mktemp("specimen"))
    server = a11y.SiteServer(site, a11y.site_prefix()).start()
    yield server
    server.stop()


@pytest.fixture
def specimen(
    contexts: Callable[..., Any], specimen_server: a11y.SiteServer
) -> Iterator[Callable[..., Page]]:
    """specimen(width=1280, scheme="light", javascript=True) -> the specimen page."""
    opened: list[Page] = []

    def open_(width: int = 1280, scheme: str = "light", javascript: bool = True) -> Page:
        page = contexts(width, scheme, javascript).new_page()
        opened.append(page)
        response = page.goto(specimen_server.url("/"))
        assert response is not None and response.status == 200
        if javascript:
            expected = "slate" if scheme == "dark" else "default"
            assert page.evaluate("() => document.body.dataset.mdColorScheme") == expected
        return page

    yield open_
    for page in opened:
        page.close()


def _assert_none(problems: list[str], where: str) -> None:
    assert not problems, f"{len(problems)} problem(s) on {where}:\n\n" + "\n\n".join(problems)


# ---------------------------------------------------------------------------------------------
# Configuration
# ---------------------------------------------------------------------------------------------


def test_theme_configuration_keeps_the_accessibility_choices() -> None:
    """navigation.instant stays off (it breaks focus, the skip link and page announcements);
    the overrides and extra.css are used; no web fonts; both palettes use the measured custom
    colours; heading permalinks have a title."""
    config = load_mkdocs_config()
    theme = config["theme"]
    features = theme.get("features") or []
    assert not any(f.startswith("navigation.instant") for f in features), features
    assert theme.get("custom_dir") == "overrides"
    assert theme.get("font") is False
    assert "stylesheets/extra.css" in (config.get("extra_css") or [])
    schemes = {option["scheme"] for option in theme["palette"]}
    assert schemes == {"default", "slate"}
    for option in theme["palette"]:
        assert option.get("primary") == "custom" and option.get("accent") == "custom", option
        assert option.get("toggle", {}).get("name"), "the palette toggle needs a name"
    toc = next(
        (
            ext["toc"]
            for ext in config.get("markdown_extensions", [])
            if isinstance(ext, dict) and "toc" in ext
        ),
        {},
    )
    if toc.get("permalink"):
        assert toc.get("permalink_title"), "set toc: permalink_title so ¶ links have a title"


# ---------------------------------------------------------------------------------------------
# Measured colours
# ---------------------------------------------------------------------------------------------

# (foreground variable, background variable, minimum ratio, what it is)
COLOUR_PAIRS: list[tuple[str, str, float, str]] = [
    ("--md-default-fg-color", "--md-default-bg-color", 4.5, "body text"),
    ("--md-default-fg-color--light", "--md-default-bg-color", 4.5, "secondary text"),
    ("--md-default-fg-color--lighter", "--md-default-bg-color", 3.0, "icons"),
    ("--md-typeset-a-color", "--md-default-bg-color", 4.5, "links"),
    ("--md-typeset-a-color", "--md-code-bg-color", 4.5, "links on code background"),
    ("--md-accent-fg-color", "--md-default-bg-color", 4.5, "hovered or focused links"),
    ("--md-primary-bg-color", "--md-primary-fg-color", 4.5, "header text"),
    ("--md-primary-bg-color--light", "--md-primary-fg-color", 4.5, "header secondary text"),
    ("--md-footer-fg-color", "--md-footer-bg-color", 4.5, "footer text"),
    ("--md-footer-fg-color--light", "--md-footer-bg-color", 4.5, "footer links"),
    ("--md-footer-fg-color--lighter", "--md-footer-bg-color", 4.5, "footer small print"),
    ("--md-code-fg-color", "--md-code-bg-color", 4.5, "code"),
    ("--md-code-hl-number-color", "--md-code-bg-color", 4.5, "code numbers"),
    ("--md-code-hl-special-color", "--md-code-bg-color", 4.5, "code specials"),
    ("--md-code-hl-function-color", "--md-code-bg-color", 4.5, "code functions"),
    ("--md-code-hl-constant-color", "--md-code-bg-color", 4.5, "code constants"),
    ("--md-code-hl-keyword-color", "--md-code-bg-color", 4.5, "code keywords"),
    ("--md-code-hl-string-color", "--md-code-bg-color", 4.5, "code strings"),
    ("--md-code-hl-comment-color", "--md-code-bg-color", 4.5, "code comments"),
    ("--kb-focus-color", "--md-default-bg-color", 3.0, "focus ring on the page"),
    ("--kb-focus-color", "--md-code-bg-color", 3.0, "focus ring on code"),
    ("--kb-focus-on-dark", "--md-primary-fg-color", 3.0, "focus ring on the header"),
    ("--kb-focus-on-dark", "--md-footer-bg-color", 3.0, "focus ring on the footer"),
]

_JS_COLOURS = """
(names) => {
  // Resolve each custom property to an rgb() colour through a probe element in the body.
  const probe = document.createElement("span");
  document.body.appendChild(probe);
  const out = {};
  for (const name of names) {
    probe.style.color = "";
    probe.style.color = `var(${name})`;
    out[name] = getComputedStyle(probe).color;
  }
  probe.remove();
  return out;
}
"""


def measured_contrast(page: Page) -> list[tuple[str, str, float, float]]:
    """(what, pair, ratio, minimum) for every COLOUR_PAIRS entry on the page's scheme."""
    names = sorted({name for pair in COLOUR_PAIRS for name in pair[:2]})
    colours = page.evaluate(_JS_COLOURS, names)

    def rgba(value: str) -> tuple[float, float, float, float]:
        parts = [float(p) for p in value[value.index("(") + 1 : -1].replace("/", ",").split(",")]
        return (parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else 1.0)

    rows = []
    for foreground, background, minimum, what in COLOUR_PAIRS:
        bg = rgba(colours[background])
        assert bg[3] == 1.0, f"{background} must be opaque, is {colours[background]}"
        fg = rgba(colours[foreground])
        blended = [fg[i] * fg[3] + bg[i] * (1 - fg[3]) for i in range(3)]
        ratio = a11y.contrast_ratio(blended, bg[:3])
        rows.append((what, f"{foreground} on {background}", ratio, minimum))
    return rows


@pytest.mark.parametrize("scheme", SCHEMES)
def test_palette_colours_meet_wcag_contrast(
    specimen: Callable[..., Page],
    scheme: str,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
) -> None:
    """Every theme colour pair meets WCAG AA: 4.5:1 for text, 3:1 for focus rings and icons.
    Run with -v to print the measured table."""
    rows = measured_contrast(specimen(1280, scheme))
    if request.config.get_verbosity() > 0:
        with capsys.disabled():
            print(f"\nMeasured contrast, {scheme} scheme:")
            for what, pair, ratio, minimum in rows:
                print(f"  {ratio:5.2f}:1 (need {minimum}) {what}: {pair}")
    failing = [
        f"{what}: {pair} is {ratio:.2f}:1, needs {minimum}:1"
        for what, pair, ratio, minimum in rows
        if ratio < minimum
    ]
    assert not failing, "\n".join(failing)


# ---------------------------------------------------------------------------------------------
# The specimen page in the browser
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_specimen_has_no_axe_violations(
    specimen: Callable[..., Page], width: int, scheme: str
) -> None:
    """Admonitions, tables, code, buttons, details, marks and links pass axe in both schemes."""
    _assert_none(a11y.axe_problems(specimen(width, scheme)), f"specimen ({width}px, {scheme})")


def test_specimen_has_no_axe_violations_without_javascript(
    specimen: Callable[..., Page],
) -> None:
    """With JavaScript off (tables not wrapped by the theme's script) axe still passes."""
    _assert_none(a11y.axe_problems(specimen(320, javascript=False)), "specimen (no JavaScript)")


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_specimen_focus_is_visible_everywhere(
    specimen: Callable[..., Page], width: int, scheme: str
) -> None:
    """Every tab stop on the specimen (links in admonitions, buttons, summary, scrolling
    table and code) shows a 3:1 focus ring and is not hidden under the header."""
    page = specimen(width, scheme)
    stops = a11y.tab_stops(page)
    backward = a11y.tab_stops(page, reverse=True)
    problems = a11y.check_focus_visible(stops) + a11y.check_focus_not_obscured(stops)
    problems += a11y.check_focus_not_obscured(backward)
    _assert_none(problems, f"specimen ({width}px, {scheme})")


def test_specimen_reflows_and_scroll_regions_are_named(specimen: Callable[..., Page]) -> None:
    """At 320px only the table scrolls sideways, as a focusable, named region; the code
    block and the long web address wrap."""
    page = specimen(320)
    _assert_none(a11y.check_reflow(page), "specimen (320px)")
    regions = page.evaluate(
        """() => [...document.querySelectorAll('.kb-scroll-region')].map((el) => ({
          tabindex: el.getAttribute('tabindex'), role: el.getAttribute('role'),
          name: el.getAttribute('aria-label') || '', table: !!el.querySelector('table')}))"""
    )
    assert len(regions) == 1 and regions[0]["table"], f"expected the table alone: {regions}"
    region = regions[0]
    assert region["tabindex"] == "0" and region["role"] == "region", region
    assert region["name"] == "Table, scrolls sideways: starting Case study", region


def test_specimen_text_spacing_cuts_nothing_off(specimen: Callable[..., Page]) -> None:
    """WCAG 1.4.12 on every element kind, at 320px."""
    _assert_none(a11y.check_text_spacing(specimen(320)), "specimen (320px)")


def test_heading_permalinks_have_names_that_make_sense_alone(
    specimen: Callable[..., Page],
) -> None:
    """The ¶ after each heading is named "Link to the section: <heading>"."""
    page = specimen(1280)
    names = page.evaluate(
        "() => [...document.querySelectorAll('.headerlink')].map(a => a.getAttribute('aria-label'))"
    )
    assert names, "no heading permalinks found"
    assert all(name and name.startswith("Link to the section: ") for name in names), names
    _assert_none(a11y.check_content_rules(page), "specimen")


def test_print_shows_only_the_content(specimen: Callable[..., Page]) -> None:
    """When printing, the header, sidebars, footer, skip link and edit button are hidden and
    the content is shown."""
    page = specimen(1280)
    page.emulate_media(media="print")
    shown = page.evaluate(
        """() => Object.fromEntries(
          ['.md-header', '.md-sidebar--primary', '.md-sidebar--secondary', '.md-footer',
           '.kb-skip', '.md-content__button', '.md-content'].map((sel) => {
            const el = document.querySelector(sel);
            return [sel, el ? getComputedStyle(el).display !== 'none' : null];
          }))"""
    )
    page.emulate_media(media="screen")
    assert shown.pop(".md-content") is True
    visible = [selector for selector, is_shown in shown.items() if is_shown]
    assert not visible, f"shown when printing: {visible}"


def test_header_buttons_work_from_the_keyboard(specimen: Callable[..., Page]) -> None:
    """At 320px the menu is a named button: Enter opens the drawer and focuses its first link,
    Escape closes it and returns focus to the button."""
    page = specimen(320)
    menu = page.locator(".md-header label[for='__drawer']")
    assert menu.get_attribute("role") == "button"
    assert menu.get_attribute("aria-label")
    menu.focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(100)
    state = page.evaluate(
        """() => ({open: document.getElementById('__drawer').checked,
                   inDrawer: !!document.activeElement.closest('.md-sidebar--primary')})"""
    )
    assert state == {"open": True, "inDrawer": True}, state
    assert menu.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Escape")
    state = page.evaluate(
        """() => ({open: document.getElementById('__drawer').checked,
                   onMenu: document.activeElement.getAttribute('for') === '__drawer'})"""
    )
    assert state == {"open": False, "onMenu": True}, state
