"""In Chromium with the tile hosts blocked: every page with a map falls back to the outline
basemap, with coastline, borders, province lines, rivers and labelled towns, in the main map
and in the mini-map."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import map_frame, wait_for_features

pytestmark = pytest.mark.browser
TILE_HOSTS = re.compile(r"basemaps\.cartocdn\.com|tile\.openstreetmap\.org|arcgisonline\.com")
MAIN = "#map_div > .leaflet-map-pane .leaflet-atlasOutline-pane"
MINI = "#map_div .leaflet-control-minimap .leaflet-atlasOutline-pane path"
#: each map page and what of the outline lies in its first view
MAP_PAGES = {
    "": ("atlas-outline-province", "atlas-outline-river", "Karachi"),
    "kkh": ("atlas-outline-territory", "atlas-outline-river", "Gilgit"),
    "sez": ("atlas-outline-province", "atlas-outline-river", "Lahore"),
    "gwadar": ("atlas-outline-land", "atlas-outline-land", "Gwadar"),
}

DRAWN = """els => els.filter(e => {
  const d = e.getAttribute("d") || "";
  const r = e.getBoundingClientRect();
  return d.length > 8 && r.width * r.height > 0;
}).length"""


@pytest.mark.parametrize("path", list(MAP_PAGES))
def test_each_map_page_draws_the_outline_offline(page, app_url, artifacts, path):
    line, water, town = MAP_PAGES[path]
    page.route(TILE_HOSTS, lambda route: route.abort())
    page.goto(f"{app_url}/{path}")
    wait_for_features(page, 1, timeout=120)
    frame = map_frame(page)
    expect(frame.locator(".atlas-basemap-note")).to_be_visible(timeout=30_000)
    # what is drawn in view, not merely created: paths with a shape on screen
    assert frame.locator(f"{MAIN} path.atlas-outline-land").evaluate_all(DRAWN) > 0
    assert frame.locator(f"{MAIN} path.atlas-outline-boundary").count() > 0
    assert frame.locator(f"{MAIN} path.{line}").evaluate_all(DRAWN) > 0, line
    assert frame.locator(f"{MAIN} path.{water}").evaluate_all(DRAWN) > 0, water
    labels = set(frame.locator("#map_div .atlas-outline-label").all_inner_texts())
    assert town in labels, labels
    mini = frame.locator(MINI)
    expect(mini.first).to_be_attached(timeout=30_000)
    assert mini.evaluate_all(DRAWN) > 0
    page.screenshot(path=str(artifacts / f"offline-{path or 'overview'}.png"), full_page=True)
