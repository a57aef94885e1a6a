"""Links in Chromium: a shared view= and feature= open exactly that map for a new visitor,
panning rewrites view= without rerunning the app, and a popup's "copy link" gives the project's link."""

from __future__ import annotations

import re
import time
import urllib.parse

import pytest

from components import layers, links, map_builder
from tests.browser.conftest import MAP_FRAME, map_frame, wait_for_features, wait_until_idle

pytestmark = pytest.mark.browser
ATLAS = layers.load_atlas()
KAROT = "karot-hydropower-project"
KAROT_NAME = ATLAS.features.set_index("id").loc[KAROT, "name"]
VIEW = (33.52, 73.41, 9)  # near Karot, not centred on it: the link's view wins over the feature's


def leaflet(page):
    """The map iframe's frame, to read its Leaflet map (streamlit-folium keeps it as window.map)."""
    map_frame(page)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "streamlit_folium" in frame.url and frame.evaluate("() => !!(window.map && window.map.getCenter)"):
                return frame
        time.sleep(0.25)
    raise AssertionError("no Leaflet map in the component frame")


def centre(frame) -> tuple[float, float, int]:
    return tuple(frame.evaluate("() => [map.getCenter().lat, map.getCenter().lng, map.getZoom()]"))


def popup_misplacement(page, frame) -> float:
    """Pixels between the open popup's tip and the point it belongs to (0 when laid out right)."""
    anchor = frame.evaluate(
        "() => { var p = null; map.eachLayer(function (l) { if (l.isPopupOpen && l.isPopupOpen()) p = l.getPopup(); });"
        " return map.latLngToContainerPoint(p.getLatLng()); }"
    )
    box = page.locator(MAP_FRAME).bounding_box()
    tip = map_frame(page).locator(".leaflet-popup-tip").bounding_box()
    return abs(tip["x"] + tip["width"] / 2 - (box["x"] + anchor["x"]))


def query(page) -> dict[str, str]:
    """The address bar's parameters, read from the page (replaceState does not always refresh page.url)."""
    search = page.evaluate("() => window.location.search")
    return {k: v[0] for k, v in urllib.parse.parse_qs(search.lstrip("?")).items()}


def wait_for(predicate, timeout: float = 20, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_shared_link_opens_that_view_with_the_popup_and_panning_only_rewrites_the_address(page, app_url):
    sent: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    view = links.format_view(map_builder.View(center=VIEW[:2], zoom=VIEW[2]))
    page.goto(f"{app_url}/?feature={KAROT}&view={view}&sector=energy")
    wait_for_features(page, 1)
    frame = leaflet(page)
    lat, lon, zoom = centre(frame)
    assert zoom == VIEW[2]
    assert abs(lat - VIEW[0]) < 0.01 and abs(lon - VIEW[1]) < 0.01
    popup = map_frame(page).locator(".leaflet-popup-content")
    assert wait_for(lambda: popup.count() == 1, what="the linked popup")
    assert KAROT_NAME in popup.inner_text()
    assert popup_misplacement(page, frame) < 3
    assert query(page)["feature"] == KAROT and query(page)["sector"] == "energy"

    # panning: the address follows, and nothing is sent to the server (no rerun)
    page.wait_for_timeout(1500)  # the page settles (its first runs are over)
    before = len(sent)
    frame.evaluate("() => map.panBy([300, 120], {animate: false})")
    frame.evaluate("() => map.setZoom(map.getZoom() + 1, {animate: false})")
    lat, lon, zoom = centre(frame)
    wanted = links.format_view(map_builder.View(center=(lat, lon), zoom=zoom))
    wait_for(lambda: query(page).get("view") == wanted, what=f"view={wanted} in the address")
    page.wait_for_timeout(1000)
    assert len(sent) == before, "panning sent messages to the server"
    assert page.locator('[data-testid="stStatusWidget"]').count() == 0 or "Running" not in (
        page.locator('[data-testid="stStatusWidget"]').inner_text()
    )

    # a rerun (a filter changes) keeps the map's view and feature in the address
    search = page.get_by_label("Search names and descriptions")
    search.fill("hydro")
    search.press("Enter")
    wait_for(lambda: query(page).get("q") == "hydro", what="q=hydro")
    wait_for(lambda: query(page).get("view") == wanted and query(page).get("feature") == KAROT, what="view kept")
    assert centre(frame)[2] == zoom  # the map was not reset by the rerun


def test_copy_link_in_the_popup_gives_the_projects_link_with_the_filters(page, app_url, browser):
    browser.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url)
    page.goto(f"{app_url}/?feature={KAROT}&status=operational")
    wait_for_features(page, 1)
    frame = leaflet(page)
    lat, lon, _ = centre(frame)
    assert abs(lat - 33.6) < 0.2 and abs(lon - 73.6) < 0.2  # centred on Karot by the link alone
    popup = map_frame(page).locator(".leaflet-popup-content")
    wait_for(lambda: popup.count() == 1, what="the linked popup")
    assert popup_misplacement(page, frame) < 3
    box = page.locator(MAP_FRAME).bounding_box()
    tip = map_frame(page).locator(".leaflet-popup-tip").bounding_box()
    assert abs(tip["x"] + tip["width"] / 2 - (box["x"] + box["width"] / 2)) < 40  # Karot is in the middle
    map_frame(page).get_by_role("button", name=links.TEXT["copy"]).click()
    field = map_frame(page).locator(".atlas-copy-url")
    wait_for(lambda: field.is_visible() and field.input_value(), what="the link in the popup")
    copied = field.input_value()
    params = urllib.parse.parse_qs(urllib.parse.urlsplit(copied).query)
    assert params["feature"] == [KAROT] and params["status"] == ["operational"]
    assert re.fullmatch(r"-?\d+\.\d{4},-?\d+\.\d{4},\d+", params["view"][0])
    assert frame.evaluate("() => navigator.clipboard.readText()") == copied


def test_projects_page_opened_from_a_link_shows_the_row_and_its_link(page, app_url):
    page.goto(f"{app_url}/projects?feature={KAROT}&sector=energy")
    page.get_by_text(links.TEXT["detail_link"]).wait_for(timeout=60_000)
    assert page.get_by_role("heading", name=KAROT_NAME).count() == 1  # the detail view of the linked row
    link = page.locator('[data-testid="stCode"]').inner_text().strip()
    assert link == f"{app_url}/projects?sector=energy&feature={KAROT}"  # the page path once, filters kept
    assert query(page) == {"feature": KAROT, "sector": "energy"}


def test_closing_and_picking_a_feature_on_the_map_rewrites_feature(page, app_url):
    page.goto(f"{app_url}/?feature={KAROT}")
    wait_for_features(page, 1)
    frame = leaflet(page)
    inside = map_frame(page)
    wait_for(lambda: inside.locator(".leaflet-popup").count() == 1, what="the linked popup")
    frame.evaluate("() => map.closePopup()")  # (the offline-basemap note may cover its close button)
    wait_for(lambda: "feature" not in query(page), what="feature= removed when the popup closes")
    frame.evaluate("() => map.setView([33.6, 73.6], 8, {animate: false})")
    page.wait_for_timeout(500)
    marker = inside.locator(".leaflet-marker-pane .atlas-marker").first
    marker.dispatch_event("click")
    picked = wait_for(
        lambda: frame.evaluate(
            "() => { var id = null; map.eachLayer(function (l) { if (l.isPopupOpen && l.isPopupOpen())"
            " id = (l.atlasProperties || l.feature.properties).id; }); return id; }"
        ),
        what="a popup from the click",
    )
    wait_for(lambda: query(page).get("feature") == picked, what=f"feature={picked} in the address")


def test_a_selected_project_stays_selected_when_a_filter_moves_its_row(page, app_url):
    page.goto(f"{app_url}/projects?feature={KAROT}&sector=energy")
    page.get_by_role("heading", name=KAROT_NAME).wait_for(timeout=60_000)
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.click()
    page.get_by_role("option", name="Transport").click()  # transport rows come first: Karot's row moves
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"sector=transport"), timeout=30_000)
    wait_until_idle(page)  # the rerun after the filter change has finished
    assert page.get_by_role("heading", name=KAROT_NAME).count() == 1
    assert query(page)["feature"] == KAROT
