"""The build benchmark (issue 17): `kb build` beside the bare tools, on the same corpus.

    python benchmarks/bench.py [--sizes 1000,3000] [--repeat N] [--no-browser] [--out DIR]

For each size it writes that many fictional case studies (tests/support/corpus.py) and builds
them two ways, each in a fresh process:

- ours: `python -m kb build --case-studies DIR --site-dir OUT` (mkdocs build --strict with the
  kb plugin, one Pagefind run, checks);
- bare: what a user would otherwise pick: mkdocs-material with the case studies out of the nav
  (`not_in_nav`) and no search plugin, then one `python -m pagefind --site OUT`.

Time is wall time, the fastest of --repeat runs. Peak memory is the largest resident size of
any process of the build: each build runs under a small wrapper process that reports
getrusage(RUSAGE_CHILDREN).ru_maxrss once its commands have ended. Then, unless --no-browser,
it builds the real site (case_studies/) and measures in Chromium what a reader downloads for a
first case-study page and a first search (benchmarks/browser.py). Results go to
bench-results/results.json and results.md, and the table is printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
for _path in (ROOT, ROOT / "scripts"):  # this checkout's kb before any installed one
    sys.path.insert(0, str(_path))

from tests.support.corpus import write_corpus  # noqa: E402

#: Issue 17's goals: ours at most this many times the bare tools at 1,000 case studies...
RATIO_GOAL = (1000, 1.5)
#: ...and the cost per page at 3,000 within this factor of the cost per page at 1,000.
LINEAR_GOAL = (1000, 3000, 1.15)
DEFAULT_QUERY = "direct payments"

#: Run in a fresh wrapper process: each command in turn, then their times and the largest
#: resident size of any descendant (ru_maxrss, in KiB on Linux) as JSON on the last line.
_MEASURE = """
import json, resource, subprocess, sys, time
commands, cwd, log = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
seconds, codes = [], []
with open(log, "a") as out:
    for command in commands:
        start = time.perf_counter()
        codes.append(subprocess.run(command, cwd=cwd, stdout=out, stderr=out).returncode)
        seconds.append(time.perf_counter() - start)
        if codes[-1]:
            break
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "codes": codes, "peak_bytes": peak}))
"""


def measure(commands: list[list[str]], cwd: Path, log: Path) -> dict[str, Any]:
    """Run `commands` one after another under a fresh wrapper; their time and peak memory."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT / "scripts"), env.get("PYTHONPATH")])
    )
    start = log.stat().st_size
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, json.dumps(commands), str(cwd), str(log)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout.splitlines()[-1])
    if any(result["codes"]) or len(result["codes"]) < len(commands):
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise RuntimeError(f"{' '.join(commands[len(result['codes']) - 1])} failed:\n{tail}")
    with log.open(encoding="utf-8", errors="replace") as output:
        output.seek(start)
        stages = re.findall(r"^kb build: (\w+): ok \(([\d.]+) s\)", output.read(), re.M)
    return {
        "seconds": sum(result["seconds"]),
        "parts": result["seconds"],
        "peak_bytes": result["peak_bytes"],
        "stages": {name: float(seconds) for name, seconds in stages},  # as kb build prints them
    }


def ours(corpus: Path, site: Path) -> list[list[str]]:
    kb = [sys.executable, "-m", "kb", "build"]
    return [[*kb, "--case-studies", str(corpus), "--site-dir", str(site)]]


def bare(corpus: Path, project: Path, site: Path) -> list[list[str]]:
    """The bare project for `corpus` (made once), and the commands that build and index it."""
    docs = project / "docs"
    if not docs.is_dir():
        shutil.copytree(corpus, docs / "case-studies")
        (docs / "index.md").write_text("# Case studies\n\nA bare mkdocs-material site.\n")
        (project / "mkdocs.yml").write_text(
            "site_name: Bare benchmark\ntheme:\n  name: material\nplugins: []\n"
            "markdown_extensions: [toc, tables, admonition, attr_list, md_in_html, def_list]\n"
            "nav:\n  - Home: index.md\nnot_in_nav: |\n  /case-studies/*\n",
            encoding="utf-8",
        )
    return [
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--quiet",
            "-f",
            str(project / "mkdocs.yml"),
            "-d",
            str(site),
        ],
        [sys.executable, "-m", "pagefind", "--site", str(site)],
    ]


def pages_built(site: Path) -> int:
    return sum(1 for _ in (site / "case-studies").glob("*/index.html"))


def measure_size(count: int, repeat: int, work: Path, log: Path) -> dict[str, Any]:
    """Build `count` case studies ours and bare, alternately, `repeat` times; keep the fastest."""
    corpus = work / f"corpus-{count}"
    write_corpus(corpus, count)
    builds = {
        "ours": lambda site: ours(corpus, site),
        "bare": lambda site: bare(corpus, work / f"bare-{count}", site),
    }
    best: dict[str, dict[str, Any]] = {}
    for _ in range(repeat):
        for name, commands in builds.items():
            site = work / f"site-{name}-{count}"
            result = measure(commands(site), ROOT, log)
            if pages_built(site) != count:
                raise RuntimeError(f"the {name} build of {count} made {pages_built(site)} pages")
            shutil.rmtree(site)
            os.sync()  # the disk finishes deleting before the next build is timed
            if name not in best or result["seconds"] < best[name]["seconds"]:
                best[name] = result
    shutil.rmtree(corpus)
    o, b = best["ours"], best["bare"]
    return {
        "case_studies": count,
        "ours": {"seconds": o["seconds"], "stages": o["stages"], "peak_bytes": o["peak_bytes"]},
        "bare": {
            "seconds": b["seconds"],
            "mkdocs_seconds": b["parts"][0],
            "pagefind_seconds": b["parts"][1],
            "peak_bytes": b["peak_bytes"],
        },
        "ratio": o["seconds"] / b["seconds"],
        "ours_ms_per_page": 1000 * o["seconds"] / count,
        "bare_ms_per_page": 1000 * b["seconds"] / count,
    }


def goals(sizes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Issue 17's goals: met True/False, or None when the sizes they need were not run."""
    by = {s["case_studies"]: s for s in sizes}
    n, limit = RATIO_GOAL
    ratio = by[n]["ratio"] if n in by else None
    small, large, factor = LINEAR_GOAL
    growth = None
    if small in by and large in by:
        growth = by[large]["ours_ms_per_page"] / by[small]["ours_ms_per_page"]
    big = max(by) if by else None
    return (
        [
            {
                "goal": f"at {n:,} case studies ours <= {limit}x the bare tools",
                "measured": None if ratio is None else f"{ratio:.2f}x",
                "met": None if ratio is None else ratio <= limit,
            },
            {
                "goal": f"cost per page at {large:,} within {factor}x of that at {small:,}",
                "measured": None if growth is None else f"{growth:.2f}x",
                "met": None if growth is None else growth <= factor,
            },
            {
                "goal": "10,000 still builds (time and memory reported, no limit)",
                "measured": None
                if 10000 not in by
                else f"{by[10000]['ours']['seconds']:.1f} s, "
                f"{mib(by[10000]['ours']['peak_bytes'])}",
                "met": True if 10000 in by else None,
            },
        ]
        if big is not None
        else []
    )


def real_site(work: Path, log: Path, query: str) -> dict[str, Any]:
    """Build case_studies/ with kb build, then measure a first page and a first search."""
    from benchmarks import browser
    from kb.content.casestudy import case_study_files
    from kb.site.catalogue import case_url

    site = work / "real-site"
    built = measure(ours(ROOT / "case_studies", site), ROOT, log)
    match = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(), re.M)
    path = urlsplit(match.group(1)).path.strip("/") if match else ""
    prefix = f"/{path}/" if path else "/"  # served where it is published, as /kb/
    first = case_study_files(ROOT / "case_studies")[0].stem
    return {
        "build_seconds": built["seconds"],
        **browser.measure(site, prefix, case_url(first), query),
    }


def mib(value: float) -> str:
    return f"{value / 2**20:.0f} MiB"


def kib(value: float) -> str:
    return f"{value / 1024:.0f} KiB"


def markdown(results: dict[str, Any]) -> str:
    lines = [
        f"Build benchmark, {results['date']}, commit {results['commit']}, "
        f"{results['machine']['cpus']} CPUs, fastest of {results['repeat']}.",
        "",
        "| case studies | ours (s) | bare (s) | ratio ours/bare | ours ms/page | bare ms/page "
        "| ours peak | bare peak |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in results["sizes"]:
        b = s["bare"]
        stages = " + ".join(f"{k} {v:.1f}" for k, v in s["ours"]["stages"].items())
        lines.append(
            f"| {s['case_studies']:,} | {s['ours']['seconds']:.1f} ({stages}) | {b['seconds']:.1f} "
            f"(mkdocs {b['mkdocs_seconds']:.1f} + pagefind {b['pagefind_seconds']:.1f}) "
            f"| {s['ratio']:.2f}x | {s['ours_ms_per_page']:.1f} | {s['bare_ms_per_page']:.1f} "
            f"| {mib(s['ours']['peak_bytes'])} | {mib(s['bare']['peak_bytes'])} |"
        )
    if results["goals"]:
        lines += ["", "| goal | measured | result |", "|---|---|---|"]
        for g in results["goals"]:
            verdict = {True: "met", False: "NOT MET", None: "not measured"}[g["met"]]
            lines.append(f"| {g['goal']} | {g['measured'] or '-'} | {verdict} |")
    real = results.get("real_site")
    if real:
        case, search, page = real["case_page"], real["first_search"], real["search_page"]
        kinds = ", ".join(f"{k} {kib(v)}" for k, v in sorted(case["by_kind"].items()))
        lines += [
            "",
            f"Real site ({real['build_seconds']:.1f} s to build), in Chromium, files as on disk "
            "(no HTTP compression):",
            "",
            f"- first case-study page ({case['url']}): {kib(case['bytes'])} in {case['files']} "
            f"files ({kinds})",
            f"- search page before typing: {kib(page['bytes'])} in {page['files']} files",
            f"- first search for '{search['query']}' ({search['results']} results): "
            f"{kib(search['bytes'])} in {search['files']} files fetched after typing; "
            f"{search['typing_to_results_ms']:.0f} ms from typing to results "
            "(including the page's 300 ms pause after typing)",
        ]
    return "\n".join(lines) + "\n"


def git_commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return done.stdout.strip() or "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,3000", help="corpus sizes (default %(default)s)")
    parser.add_argument(
        "--repeat", type=int, default=1, help="builds per size; the fastest is kept"
    )
    parser.add_argument("--no-browser", action="store_true", help="skip the real-site measurement")
    parser.add_argument("--query", default=DEFAULT_QUERY, help="the first search's words")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results", help="results folder")
    args = parser.parse_args(argv)
    sizes = sorted({int(size) for size in args.sizes.split(",") if size.strip()})
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": git_commit(),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
        },
        "repeat": max(1, args.repeat),
        "sizes": [],
    }
    args.out.mkdir(parents=True, exist_ok=True)
    log = args.out / "build-output.log"
    log.write_text("")
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        for count in sizes:
            print(f"building {count:,} case studies, ours and bare ...", flush=True)
            results["sizes"].append(measure_size(count, results["repeat"], Path(tmp), log))
        results["goals"] = goals(results["sizes"])
        if not args.no_browser:
            print("building the real site and measuring it in Chromium ...", flush=True)
            results["real_site"] = real_site(Path(tmp), log, args.query)
    table = markdown(results)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (args.out / "results.md").write_text(table, encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
