"""Load: N concurrent Chromium sessions against one server and against three replicas behind HAProxy.

Each session opens the overview, then the Gwadar and the SEZ pages through the sidebar (one
Streamlit session each, as a visitor would browse), and we time how long each page takes
until its map draws features. Browsers and servers run on the same machine and share its
cores, so these are figures for this machine under that contention, not server capacity.
Everything is on loopback; every wait is bounded.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from deploy.cluster import COOKIE, Cluster
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, FEATURES, start_app, stop_app

# ATLAS_LOAD_SESSIONS=2 runs a quick check of the benchmark itself
SESSIONS = tuple(int(n) for n in os.environ.get("ATLAS_LOAD_SESSIONS", "5,10,20").split(","))
PAGES = ("", "gwadar", "sez")  # url paths: overview first, then two pages with their own map
PAGE_TIMEOUT_S = 240
MAP = 'iframe[title="streamlit_folium.st_folium"]:not([data-old])'


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _count(page) -> int:
    try:
        return page.frame_locator(MAP).first.locator(FEATURES).count()
    except Exception:  # the frame is being replaced by a rerun
        return 0


def _wait_all(pages: list, started: float) -> tuple[list[float], list[str]]:
    """Poll every page in turn until each draws map features; times from ``started``."""
    times: dict[int, float] = {}
    errors: list[str] = []
    deadline = started + PAGE_TIMEOUT_S
    while len(times) < len(pages) and time.monotonic() < deadline:
        for i, page in enumerate(pages):
            if i not in times and _count(page) > 0:
                times[i] = time.monotonic() - started
        time.sleep(0.2)
    errors += [f"session {i}: no map features within {PAGE_TIMEOUT_S} s" for i in range(len(pages)) if i not in times]
    return list(times.values()), errors


def _warm(browser, url: str) -> None:
    """One visit loads the layers into the server's cache, as the first visitor of the day does."""
    page = browser.new_page()
    page.goto(url)
    _wait_all([page], time.monotonic())
    page.close()


def run_sessions(browser, url: str, n: int) -> dict:
    contexts, pages, errors = [], [], []
    for i in range(n):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.on("pageerror", lambda e, i=i: errors.append(f"session {i}: page error {str(e)[:100]}"))
        contexts.append(context)
        pages.append(page)
    times: list[float] = []
    for path in PAGES:
        started = time.monotonic()
        for page in pages:
            if not path:
                page.goto(f"{url}/", wait_until="commit")
            else:
                # mark the old map so the new page's map is the one counted
                page.evaluate("document.querySelectorAll('iframe').forEach(f => f.dataset.old = '1')")
                page.locator(f'[data-testid="stSidebarNav"] a[href$="/{path}"]').first.click()
        page_times, page_errors = _wait_all(pages, started)
        times += page_times
        errors += page_errors
    errors += [f"{n} exception(s) shown" for p in pages if (n := p.locator('[data-testid="stException"]').count())]
    replicas = [next((c["value"] for c in ctx.cookies() if c["name"] == COOKIE), "-") for ctx in contexts]
    for context in contexts:
        context.close()
    return {"times": times, "errors": errors, "replicas": replicas}


def measure(browser, url: str, pids: list[int], n: int) -> dict:
    before = sum(rss_mb(pid) for pid in pids)
    result = run_sessions(browser, url, n)
    after = sum(rss_mb(pid) for pid in pids)
    times = sorted(result["times"])
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))] if times else float("nan")
    spread = {r: result["replicas"].count(r) for r in sorted(set(result["replicas"]))}
    return {
        "n": n,
        "median": statistics.median(times) if times else float("nan"),
        "p95": p95,
        "errors": result["errors"],
        "rss_total": after,
        "rss_per_session": (after - before) / n,
        "spread": spread,
    }


def run() -> tuple[list[str], bool]:
    from playwright.sync_api import sync_playwright

    rows: list[tuple[str, dict]] = []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        url, proc = start_app()
        try:
            _warm(browser, url)
            rows += [("one server", measure(browser, url, [proc.pid], n)) for n in SESSIONS]
        finally:
            stop_app(proc)
        cluster = Cluster(3, state_dir=Path(tmp) / "cluster").start(timeout=180)
        try:
            for replica in cluster.members:
                _warm(browser, replica.url)
            pids = [r.process.pid for r in cluster.members]
            rows += [("3 replicas + HAProxy", measure(browser, cluster.url, pids, n)) for n in SESSIONS]
        finally:
            cluster.stop()
        browser.close()
    load_after = os.getloadavg()[0]
    ok = all(not r["errors"] for _, r in rows)
    lines = [
        "## Concurrent sessions: one server and three replicas behind HAProxy",
        "",
        f"N Chromium sessions at once, each opening the overview, then Gwadar and Special Economic Zones from "
        f"the sidebar; time from navigation to the first map features, over all N × {len(PAGES)} page views. "
        f"Browsers, servers and HAProxy share this machine's {os.cpu_count()} cores (with other work running), "
        "so the times are mostly client and CPU contention, not server capacity. Server RSS is the servers' "
        "resident memory with the N sessions open (all replicas summed), after one warm-up visit each. "
        f"Load average (1 min) at the start and the end of this section: {load_before:.1f} and {load_after:.1f}.",
        "",
        "| target | sessions | median to features | p95 | errors | server RSS | RSS per session | per replica |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for target, r in rows:
        spread = " / ".join(str(v) for k, v in r["spread"].items() if k != "-") or "–"
        lines.append(
            f"| {target} | {r['n']} | {r['median']:.1f} s | {r['p95']:.1f} s | {len(r['errors'])} | "
            f"{r['rss_total']:.0f} MB | {r['rss_per_session']:+.1f} MB | {spread} |"
        )
    lines += ["", f"Errors (must be 0): **{'none' if ok else 'SOME'}**.", ""]
    for target, r in rows:
        lines += [f"- {target}, {r['n']} sessions: {e}" for e in r["errors"][:5]]
    return lines, ok
