"""Three replicas behind HAProxy (deploy/cluster.py): one stops, its visitors keep their view.

Ten Chromium sessions (separate contexts, so separate cookies) open ten different shared
links through HAProxy, which pins each to a replica by cookie. One session imports a small
GeoJSON. The replica holding that session is stopped; Streamlit's client reconnects on its
own, HAProxy sends the dead replica's cookie to a live one (``option redispatch`` and health
checks), the new session rebuilds the view from the address, and the importing session says
that its layer was lost. The other sessions never lose their websocket.
"""

from __future__ import annotations

import json
import statistics
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from components import assets
from components.filters import Filters
from deploy import cluster as local_cluster
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, FEATURES, map_frame, wait_for_features

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

# Ten shared views: filters, a year, proximity, and combinations of them.
VIEWS = [
    ("?sector=energy", Filters(sectors=("energy",))),
    ("?sector=transport&status=operational", Filters(sectors=("transport",), statuses=("operational",))),
    ("?asof=2018", Filters(asof=2018)),
    ("?sector=energy&asof=2024", Filters(sectors=("energy",), asof=2024)),
    ("?near=khunjerab-pass-border-crossing&km=100", Filters()),
    ("?near=gwadar-port&km=50&sector=port", Filters(sectors=("port",))),
    ("?province=sindh", Filters(provinces=("sindh",))),
    ("?years=2015-2020", Filters(years=(2015, 2020))),
    ("?q=coal", Filters(q="coal")),
    ("?sector=sez&asof=2022&near=rashakai-sez&km=200", Filters(sectors=("sez",), asof=2022)),
]
IMPORTER_VIEW = "?asof=2018"
IMPORTED = "#map_div .atlas-imported"
NEAR_CAPTION = "features within"
LOST = "could not be restored"
# Records every websocket the page opens (times in epoch ms, the same clock as the test's).
WS_PROBE = """
(() => {
  const Native = window.WebSocket;
  const log = (window.__atlasSockets = []);
  function Probe(...args) {
    const ws = new Native(...args);
    const entry = { created: Date.now(), opened: null, closed: null, last: null, frames: 0 };
    log.push(entry);
    ws.addEventListener("open", () => (entry.opened = Date.now()));
    ws.addEventListener("message", () => { entry.frames += 1; entry.last = Date.now(); });
    ws.addEventListener("close", () => (entry.closed = Date.now()));
    return ws;
  }
  Probe.prototype = Native.prototype;
  Object.assign(Probe, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  window.WebSocket = Probe;
})();
"""
SMALL_LAYER = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "Survey point A", "category": "test"},
            "geometry": {"type": "Point", "coordinates": [63.5, 29.0]},
        },
        {
            "type": "Feature",
            "properties": {"name": "Survey point B", "category": "test"},
            "geometry": {"type": "Point", "coordinates": [64.0, 28.5]},
        },
    ],
}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    assert assets.installed(), "map assets missing: run `make assets` (the CSP allows only the app's own scripts)"
    running = local_cluster.Cluster(3, state_dir=tmp_path_factory.mktemp("cluster")).start(timeout=180)
    yield running
    running.stop()


@pytest.fixture
def own_browser(playwright):
    """A browser of its own: each session a context with its own cookies (the shared one has one)."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


def replica_of(context) -> str:
    return next(c["value"] for c in context.cookies() if c["name"] == local_cluster.COOKIE)


def query_without(url: str, key: str) -> dict[str, list[str]]:
    return {k: v for k, v in parse_qs(urlsplit(url).query).items() if k != key}


def view_state(page) -> dict:
    """What the visitor sees: the address, the filter caption, the proximity caption, the map."""
    captions = page.locator('[data-testid="stSidebar"] [data-testid="stCaptionContainer"]')
    sidebar = captions.filter(has_text="Showing").last.inner_text()
    near = page.locator('[data-testid="stCaptionContainer"]').filter(has_text=NEAR_CAPTION)
    return {
        "query": query_without(page.url, "imports"),
        "caption": sidebar,
        "near": near.first.inner_text() if near.count() else None,
        # the atlas' own features; imported ones are counted apart (they cannot survive a move)
        "features": map_frame(page).locator(FEATURES).count() - map_frame(page).locator(IMPORTED).count(),
    }


def sockets(page) -> list[dict]:
    return page.evaluate("window.__atlasSockets || []")


def wait_for_new_session(page, since_ms: float, timeout: float = 120) -> dict:
    """Wait until a websocket opened after ``since_ms`` has carried a whole script run (quiet 2 s)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        fresh = [s for s in sockets(page) if s["opened"] and s["created"] >= since_ms and s["frames"]]
        if fresh and time.time() * 1000 - fresh[-1]["last"] > 2000:
            return fresh[-1]
        page.wait_for_timeout(250)
    raise AssertionError(f"no new session within {timeout:.0f} s: {sockets(page)}")


def upload_small_layer(page) -> None:
    if not page.locator('[data-testid="stFileUploaderDropzone"]').first.is_visible():
        page.get_by_text("Add your own data to this map").click()
    page.locator('input[type="file"]').set_input_files(
        files=[
            {
                "name": "survey.geojson",
                "mimeType": "application/geo+json",
                "buffer": json.dumps(SMALL_LAYER).encode(),
            }
        ]
    )
    add = page.get_by_role("button", name="Add to the map")
    expect(add).to_be_visible(timeout=90_000)
    add.click()
    page.wait_for_url("**imports=1**", timeout=90_000)


CSP_PROBE = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
"""
PAGES = ["", "projects", "sectors", "gwadar", "kkh", "sez", "routes", "imports", "sources"]


def csp_violations(frame) -> list[str]:
    try:
        return frame.evaluate("window.__cspViolations || []")
    except Exception:  # a frame replaced by a rerun
        return []


def test_every_page_works_under_the_proxy_headers(cluster, own_browser):
    """Through HAProxy (CSP and all): each page renders without a policy violation or an error."""
    with urllib.request.urlopen(cluster.url + "/") as response:
        assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    for hidden in ("/_stcore/metrics", f"/app/static/vendor/{assets.LEAFLET.folder}/.fetched"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(cluster.url + hidden)
        assert refused.value.code == 404, hidden
    browser = own_browser
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(CSP_PROBE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    violations: dict[str, list[str]] = {}
    for path in PAGES:
        page.goto(f"{cluster.url}/{path}")
        page.locator("h1").first.wait_for(timeout=90_000)
        if path in ("", "gwadar", "kkh", "sez"):
            wait_for_features(page, 1, timeout=120)
        page.wait_for_timeout(1500)  # charts and late images
        found = [v for frame in page.frames for v in csp_violations(frame)]
        if found:
            violations[path or "overview"] = found
        assert page.locator('[data-testid="stException"]').count() == 0, path
    assert violations == {}
    assert errors == []


def test_stopping_a_replica_moves_its_sessions_and_keeps_their_views(cluster, own_browser, artifacts):
    browser = own_browser
    sessions = []
    errors: list[str] = []
    for i, (query, _) in enumerate(VIEWS):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(WS_PROBE)
        page = context.new_page()
        page.on("pageerror", lambda e, i=i: errors.append(f"session {i}: {e}"))
        page.goto(f"{cluster.url}/{query}")
        sessions.append({"view": query, "context": context, "page": page})
    started = time.monotonic()
    for s in sessions:
        s["before"] = wait_for_features(s["page"], 1, timeout=240)
        s["replica"] = replica_of(s["context"])
    load_seconds = time.monotonic() - started
    per_replica = {r.name: sum(s["replica"] == r.name for s in sessions) for r in cluster.members}
    assert all(per_replica.values()), f"HAProxy left a replica without sessions: {per_replica}"

    # The session that imports a layer (one without a sector filter, which would hide an
    # unmapped layer) is on the replica we stop.
    importer = next(s for s in sessions if s["view"] == IMPORTER_VIEW)
    victim = importer["replica"]
    upload_small_layer(importer["page"])
    imported = map_frame(importer["page"]).locator(IMPORTED)
    expect(imported).to_have_count(len(SMALL_LAYER["features"]), timeout=120_000)

    for s, (_, filters) in zip(sessions, VIEWS, strict=True):
        s["state"] = view_state(s["page"])
        assert s["state"]["caption"].startswith(f"Showing {filters.describe()}.")
        assert ("near=" in s["view"]) == (s["state"]["near"] is not None)

    # A replica marked down under load would have moved cookies away from open websockets.
    assert not [e for e in cluster.events() if " is DOWN" in e], cluster.events()
    affected = [s for s in sessions if s["replica"] == victim]
    others = [s for s in sessions if s["replica"] != victim]
    stop_ms = time.time() * 1000
    cluster.stop_replica(victim)

    for s in affected:
        page = s["page"]
        fresh = wait_for_new_session(page, stop_ms)
        s["reconnect_s"] = (fresh["opened"] - stop_ms) / 1000
        s["rerun_s"] = (fresh["last"] - stop_ms) / 1000
        s["moved_to"] = replica_of(s["context"])
        assert s["moved_to"] != victim
        wait_for_features(page, 1, timeout=120)
        after = view_state(page)
        s["after"] = after
        # the same address after the move, with the map's own view= (written as it lays out) kept
        assert after["query"] == s["state"]["query"]
        shared = query_without(f"{cluster.url}/{s['view']}", "imports")
        assert {k: v for k, v in after["query"].items() if k != "view"} == shared
        assert after["caption"] == s["state"]["caption"]
        assert after["near"] == s["state"]["near"]
        assert after["features"] == s["state"]["features"]
    note = importer["page"].get_by_text(LOST)
    expect(note).to_be_visible(timeout=30_000)
    assert "This view had 1 imported layer" in note.inner_text()
    assert "imports=" not in importer["page"].url
    assert imported.count() == 0
    note.scroll_into_view_if_needed()
    importer["page"].screenshot(path=str(artifacts / "cluster-after-failover.png"))
    # Importing again works on the new replica (every replica signs the XSRF cookie alike).
    upload_small_layer(importer["page"])
    expect(imported).to_have_count(len(SMALL_LAYER["features"]), timeout=120_000)
    expect(note).to_have_count(0, timeout=30_000)

    for s in others:  # untouched: same websocket, same view
        assert all(sock["closed"] is None for sock in sockets(s["page"])), s["view"]
        assert view_state(s["page"]) == s["state"]
    exceptions = sum(s["page"].locator('[data-testid="stException"]').count() for s in sessions)

    report = {
        "sessions_per_replica": per_replica,
        "stopped": victim,
        "affected": len(affected),
        "moved_to": {s["view"]: s["moved_to"] for s in affected},
        "reconnect_s": [round(s["reconnect_s"], 2) for s in affected],
        "view_restored_s": [round(s["rerun_s"], 2) for s in affected],
        "median_view_restored_s": round(statistics.median(s["rerun_s"] for s in affected), 2),
        "first_load_all_10_s": round(load_seconds, 1),
        "haproxy_events": [e[:100] for e in cluster.events()],
        "page_errors": errors,
        "exceptions_shown": exceptions,
    }
    print("\ncluster failover:", json.dumps(report, indent=2))
    Path(artifacts / "cluster-failover.json").write_text(json.dumps(report, indent=2))
    assert not errors and exceptions == 0
