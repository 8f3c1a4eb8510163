"""Where Chromium is and how to start it here: shared by the browser tests and the benchmark."""

from __future__ import annotations

import os
from pathlib import Path

#: Debian's Chromium (Playwright's own browser download does not work on these machines);
#: KB_CHROMIUM points elsewhere, such as another distribution's binary.
CHROMIUM_PATH = Path(os.environ.get("KB_CHROMIUM", "/usr/bin/chromium"))

#: Without the background-networking flags Chromium's own connections get refused here, many at
#: a time, which slows every page load; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
