"""`kb serve` (what `make serve` runs) serves the whole site, search included, and never hangs:
broken content shows as a problems page at every address, the next good save brings the site
back, and drafts are previewed with a banner but published nowhere."""

from __future__ import annotations

import gzip
import html
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kb import cli
from site_fixtures import (
    CASE,
    CHECKOUT_DRAFT_SLUG,
    CHECKOUT_DRAFT_TITLE,
    BuiltCheckout,
    add_draft,
    copy_checkout,
    kb_environment,
)

DRAFT_SLUG, DRAFT_TITLE = CHECKOUT_DRAFT_SLUG, CHECKOUT_DRAFT_TITLE
#: mkdocs serve mounts the site at site_url's path.
MOUNT = "/kb"
#: Every request must be answered within this many seconds.
TIMEOUT = 10


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    """GET with a 10-second timeout; a timeout fails the test (a request must never hang)."""
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")
    except TimeoutError:  # pragma: no cover - the failure this file is about
        pytest.fail(f"{url} did not answer within {TIMEOUT} s: the preview hangs")


def text_of(page: str) -> str:
    """The page's text, tags removed and whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def h1(page: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    return text_of(match.group(1)).removesuffix("¶").strip() if match else ""


def wait_for(url: str, condition, seconds: float = TIMEOUT) -> str:
    """Fetch `url` until `condition(page)` holds, for at most `seconds`; return the page."""
    deadline = time.monotonic() + seconds
    page = ""
    while time.monotonic() < deadline:
        _, page = fetch(url)
        if condition(page):
            return page
        time.sleep(0.05)
    pytest.fail(f"{url} did not change as expected within {seconds} s; last page:\n{page[:3000]}")


def readable(file: Path) -> bytes:
    """A file's bytes, decompressed when gzipped (Pagefind's index files are)."""
    data = file.read_bytes()
    try:
        return gzip.decompress(data)
    except (OSError, EOFError):
        return data


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_checkout(tmp_path_factory.mktemp("preview"))
    add_draft(project)
    return project


@pytest.fixture(scope="module")
def served(project: Path) -> Iterator[str]:
    """`kb serve` in the copy of the project; always killed at the end."""
    port = free_port()
    log = (project / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "kb", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env=kb_environment(),
    )
    base = f"http://127.0.0.1:{port}{MOUNT}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and server.poll() is None:
            try:
                if fetch(f"{base}/")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        else:
            pytest.fail("kb serve did not start:\n" + (project / "serve.log").read_text())
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)
        log.close()


def test_kb_serve_serves_pages_and_the_search_index(served: str) -> None:
    """What `make serve` runs serves the whole site, search included (one server for the file:
    each start is a full build)."""
    # mkdocs serve mounts the site at site_url's path; the bare address redirects there.
    status, home = fetch(served.removesuffix(MOUNT) + "/")
    assert status == 200
    assert "Commissioning resources and case studies" in home
    assert fetch(f"{served}/case-studies/")[0] == 200
    assert fetch(f"{served}/pagefind/pagefind.js")[0] == 200, "search is not indexed"


def test_a_draft_is_previewed_with_a_banner_and_listed_nowhere(served: str) -> None:
    status, page = fetch(f"{served}/case-studies/{DRAFT_SLUG}/")
    assert status == 200
    assert h1(page) == DRAFT_TITLE
    assert re.search(r'role="note"[^>]*>\s*<p class="admonition-title">Draft: not published', page)
    assert "data-pagefind-body" not in page.split('class="kb-case-study"', 1)[1][:40]
    for address in ("/", "/case-studies/", "/categories/", "/regions/north-west/"):
        status, listing = fetch(f"{served}{address}")
        assert status == 200, address
        assert DRAFT_SLUG not in listing and DRAFT_TITLE not in listing, address
    for export in ("/api/case-studies.json", "/api/case-studies.csv", "/feed.xml"):
        status, data = fetch(f"{served}{export}")
        assert status == 200, export
        assert DRAFT_SLUG not in data and DRAFT_TITLE not in data, export


def test_broken_content_shows_its_problems_everywhere_then_the_site_comes_back(
    served: str, project: Path
) -> None:
    path = project / "case_studies" / f"{CASE}.md"
    good = path.read_text(encoding="utf-8")
    lines = good.split("\n")
    line = next(n for n, text in enumerate(lines, start=1) if text.startswith("  name: "))
    lines[line - 1] = "\t" + lines[line - 1].lstrip(" ")
    page_url = f"{served}/case-studies/{CASE}/"
    real_title = h1(fetch(page_url)[1])
    try:
        path.write_text("\n".join(lines), encoding="utf-8")
        page = wait_for(page_url, lambda page: "Fix these problems" in page)
        assert h1(page) == "Fix these problems to see the site"
        text = text_of(page)
        assert f"case_studies/{CASE}.md:{line}: front matter:" in text
        assert "often a tab; indent with spaces" in text
        assert '<html lang="en"' in page and '<ol class="kb-problems__list">' in page
        # Every address shows it: the home page, a listing, and one never built before.
        for address in ("/", "/case-studies/", "/no-such-page/"):
            assert f"case_studies/{CASE}.md:{line}" in text_of(fetch(f"{served}{address}")[1])
    finally:
        path.write_text(good, encoding="utf-8")
    page = wait_for(page_url, lambda page: "Fix these problems" not in page)
    assert h1(page) == real_title


def test_a_broken_mkdocs_yml_shows_what_went_wrong_and_never_hangs(
    served: str, project: Path
) -> None:
    config = project / "mkdocs.yml"
    good = config.read_text(encoding="utf-8")
    try:
        config.write_text(good + "\nnav: [\n", encoding="utf-8")
        page = wait_for(f"{served}/", lambda page: "could not be built" in page)
        assert "<h1>The preview could not be built</h1>" in page
    finally:
        config.write_text(good, encoding="utf-8")
    wait_for(f"{served}/", lambda page: "could not be built" not in page)


def test_kb_build_publishes_no_trace_of_a_draft(built_checkout: BuiltCheckout) -> None:
    """`kb build` of a checkout holding a draft (the session's shared build)."""
    site, result = built_checkout.site, built_checkout.result
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Documentation built in" not in result.stdout + result.stderr
    leaks = [
        str(file.relative_to(site))
        for file in site.rglob("*")
        if file.is_file()
        and any(word.encode() in readable(file) for word in (DRAFT_SLUG, DRAFT_TITLE))
    ]
    assert leaks == []
    assert any(CASE.encode() in readable(file) for file in site.rglob("*.pf_fragment"))
    assert any(site.rglob("*.html")), "nothing was built"


def test_the_preview_is_quiet(served: str, project: Path) -> None:
    fetch(f"{served}/")
    log = (project / "serve.log").read_text(encoding="utf-8")
    assert log.startswith("Serving a preview at http://127.0.0.1:")
    for noise in ("Building documentation", "Cleaning site", "Documentation built in", " code "):
        assert noise not in log, noise
    assert "Checked " in log


def test_kb_build_still_fails_hard_on_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """In process: `kb build`'s exit codes from a real process are held by test_build_command."""
    project = copy_checkout(tmp_path)
    path = project / "case_studies" / f"{CASE}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("\n  name: ", "\n\tname: ", 1))
    monkeypatch.chdir(project)
    code = cli.main(["build", "--site-dir", str(tmp_path / "site")])
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert code == 1
    assert f"case_studies/{CASE}.md:5: front matter: is not valid YAML" in output
    assert "kb build: build: failed" in output
