"""`kb serve` (what `make serve` runs) serves the whole site, search included."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def test_kb_serve_serves_pages_and_the_search_index():
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "kb", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        status, home = 0, b""
        while time.monotonic() < deadline and server.poll() is None:
            try:
                status, home = fetch(f"{base}/")
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        assert status == 200, "kb serve did not answer within two minutes"
        assert b"Commissioning resources and case studies" in home
        # mkdocs serve mounts the site at site_url's path; the home page redirected there.
        prefix = "/kb"
        assert fetch(f"{base}{prefix}/case-studies/")[0] == 200
        assert fetch(f"{base}{prefix}/pagefind/pagefind.js")[0] == 200, "search is not indexed"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
