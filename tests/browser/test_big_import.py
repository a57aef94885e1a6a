"""A 50,000-point upload in the real app: clustered on canvas, every point accounted for,
single points with their escaped popups when zoomed in, and pan/zoom that keeps drawing."""

from __future__ import annotations

import json

import numpy as np
import pytest
from playwright.sync_api import expect

from bench import synthetic
from tests.browser.conftest import MAP_FRAME, map_frame

pytestmark = pytest.mark.browser
POINTS = 50_000


def _eval(page, script: str):
    return page.frame_locator(MAP_FRAME).first.locator("body").evaluate(script)


def _stats(page) -> dict:
    return _eval(page, "() => window.atlasCloudStats ? window.atlasCloudStats() : null") or {}


def _wait(page, condition, timeout_s: float = 120):
    for _ in range(int(timeout_s * 2)):
        try:
            stats = _stats(page)
        except Exception:  # the frame is replaced while the app reruns
            stats = {}
        if stats and condition(stats):
            return stats
        page.wait_for_timeout(500)
    raise AssertionError(f"map stats never matched: {stats}")


def _view(page, lat: float, lon: float, zoom: int) -> dict:
    """Move the map and wait until the clusters are redrawn; returns the new stats and bounds."""
    draws = _stats(page)["draws"]
    _eval(page, f"() => {{ window.map.setView([{lat}, {lon}], {zoom}, {{animate: false}}); }}")
    stats = _wait(page, lambda s: s["draws"] > draws, 30)
    bounds = _eval(
        page,
        "() => { const b = window.map.getBounds(); return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }",
    )
    return stats | {"bounds": bounds}


@pytest.mark.timeout(900)  # a 5 MB upload, its check, reconciliation and a 50,000-point map on two shared cores
def test_fifty_thousand_uploaded_points_are_clustered_and_all_accounted_for(page, app_url, artifacts, tmp_path):
    data = synthetic.points_geojson(POINTS)
    upload = tmp_path / "fifty-thousand.geojson"
    upload.write_bytes(data)
    coords = np.array([f["geometry"]["coordinates"] for f in json.loads(data)["features"]])

    page.goto(f"{app_url}/imports")
    page.locator('input[type="file"]').set_input_files(str(upload), timeout=120_000)
    add = page.get_by_role("button", name="Add to the map")
    expect(add).to_be_visible(timeout=180_000)
    add.click()
    expect(page.get_by_text("Added")).to_be_visible(timeout=120_000)
    page.get_by_role("link", name="Overview").click()  # same session: the overview map shows the layer
    map_frame(page)
    stats = _wait(page, lambda s: s["features"] == POINTS and s["draws"] >= 1, 180)
    # the default view holds the whole box: every point is in a drawn cluster or drawn on its own
    assert stats["inView"] == POINTS
    assert 10 <= stats["clusters"] <= 400
    frame = map_frame(page)
    assert frame.locator(".atlas-cluster").count() == stats["clusters"]  # clusters are few DOM markers
    assert frame.locator(".atlas-imported").count() == 0  # no SVG marker per point
    assert _eval(page, "() => performance.getEntriesByName('atlas-cloud-first-paint').length") >= 1
    page.screenshot(path=str(artifacts / "big-import-overview.png"), full_page=True)

    # zoom in where points are dense: single points on canvas, exactly those inside the view
    lon, lat = coords[0]
    stats = _view(page, lat, lon, 15)
    west, south, east, north = stats["bounds"]
    within = (coords[:, 0] >= west) & (coords[:, 0] <= east) & (coords[:, 1] >= south) & (coords[:, 1] <= north)
    inside = int(within.sum())
    assert stats["clusters"] == 0 and stats["points"] == inside >= 1
    assert frame.locator("#map_div canvas").count() >= 1
    # a real click on the first point opens its popup with every property, shown as text
    page.locator(MAP_FRAME).first.scroll_into_view_if_needed()
    x, y = _eval(
        page,
        f"() => {{ const p = window.map.latLngToContainerPoint([{lat}, {lon}]);"
        " const r = window.map.getContainer().getBoundingClientRect(); return [p.x + r.left, p.y + r.top]; }",
    )
    box = page.locator(MAP_FRAME).first.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    text = popup.inner_text()
    assert "Site 1" in text and "category" in text and "Imported layer" in text
    page.screenshot(path=str(artifacts / "big-import-zoomed.png"), full_page=True)

    # pan and zoom back out: the clusters come back and still account for every point
    _view(page, 31.0, 70.0, 8)
    stats = _view(page, 30.0, 69.5, 5)
    assert stats["inView"] == POINTS and stats["clusters"] >= 10
