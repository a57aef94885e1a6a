"""The real app in Chromium: the map draws offline, filters change it, shared URLs restore it."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from components import assets, layers, map_builder, vocab
from components.filters import Filters, apply_filters
from tests.browser.conftest import FEATURES, map_frame, start_app, stop_app, wait_for_features

pytestmark = pytest.mark.browser
ATLAS = layers.load_atlas()
CDN = re.compile(r"cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|code\.jquery\.com|bootstrapcdn")


def expected_count(filters: Filters) -> int:
    """Symbols the map should draw: one per feature, one per point of a multi-point feature."""
    shown = apply_filters(ATLAS.features, filters)
    return sum(len(g.geoms) if g.geom_type == "MultiPoint" else 1 for g in shown.geometry)


def test_overview_draws_every_feature_offline(page, app_url, artifacts):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(app_url)
    count = wait_for_features(page, expected_count(Filters()))
    assert count == expected_count(Filters())
    # Leaflet and its plugins came from the app itself, not from a CDN
    assert not [u for u in requests if CDN.search(u)]
    assert any(f"/app/static/vendor/{assets.LEAFLET.folder}/dist/leaflet.js" in u for u in requests)
    frame = map_frame(page)
    assert frame.locator(".atlas-legend").count() == 1
    assert "not authoritative" in frame.locator(".atlas-disclaimer").inner_text()
    assert frame.locator(".leaflet-control-layers").count() == 1
    assert frame.locator(".leaflet-control-scale").count() == 1
    assert frame.locator(".leaflet-control-minimap").count() == 1
    page.screenshot(path=str(artifacts / "overview.png"), full_page=True)


def test_sector_filter_in_the_sidebar_drops_the_count(page, app_url, artifacts):
    page.goto(app_url)
    everything = wait_for_features(page, expected_count(Filters()))
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.click()
    page.get_by_role("option", name="Energy").click()
    page.keyboard.press("Escape")
    energy = expected_count(Filters(sectors=("energy",)))
    page.wait_for_url(re.compile(r"sector=energy"), timeout=30_000)
    count = wait_for_features(page, 1)
    deadline_tries = 0
    while count != energy and deadline_tries < 20:  # the map swaps its layers after the rerun
        page.wait_for_timeout(500)
        count = map_frame(page).locator(FEATURES).count()
        deadline_tries += 1
    assert count == energy < everything
    page.screenshot(path=str(artifacts / "filtered-energy.png"), full_page=True)


def test_shared_url_shows_only_energy(page, app_url, artifacts):
    page.goto(f"{app_url}/?sector=energy")
    energy = expected_count(Filters(sectors=("energy",)))
    assert wait_for_features(page, energy) == energy
    frame = map_frame(page)
    markers = frame.locator("#map_div > .leaflet-map-pane > .leaflet-marker-pane .atlas-marker")
    classes = markers.evaluate_all("els => els.map(e => e.className)")
    assert classes and all("atlas-energy" in c for c in classes)
    colours = frame.locator(
        "#map_div > .leaflet-map-pane > .leaflet-overlay-pane path.leaflet-interactive"
    ).evaluate_all("els => els.map(e => e.getAttribute('stroke'))")
    assert colours and set(colours) == {vocab.SECTOR_BY_ID["energy"].colour}
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert "Energy" in sidebar.inner_text()
    page.screenshot(path=str(artifacts / "shared-energy.png"), full_page=True)


def test_nonsense_url_keeps_the_app_working(page, app_url):
    page.goto(f"{app_url}/?sector=energy,%3Cscript%3E&years=never")
    energy = expected_count(Filters(sectors=("energy",)))
    assert wait_for_features(page, energy) == energy
    text = page.locator('[data-testid="stSidebar"]').inner_text()
    assert "Ignored unknown sector" in text and "Ignored malformed years" in text
    assert not page.dialogs


def test_popup_shows_sources(page, app_url):
    page.goto(f"{app_url}/?q=Sahiwal")
    assert wait_for_features(page, 1) == expected_count(Filters(q="Sahiwal"))
    frame = map_frame(page)
    # the plant is a footprint now: its symbol at the centre (zoomed out) opens the same popup
    frame.locator("#map_div .atlas-marker, #map_div .atlas-footprint").first.dispatch_event("click")
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    text = popup.inner_text()
    assert "Sahiwal" in text and "1,320 MW" in text and "Sources:" in text
    assert popup.locator("a[href^='http']").count() >= 1


@pytest.mark.parametrize("path", ["gwadar", "kkh", "sez", "projects", "sectors", "sources"])
def test_every_page_opens(page, app_url, artifacts, path):
    page.goto(f"{app_url}/{path}")
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=60_000)
    if path in ("gwadar", "kkh", "sez"):
        assert wait_for_features(page, 1) >= 1
    assert not page.locator('[data-testid="stException"]').count()
    page.screenshot(path=str(artifacts / f"{path}.png"), full_page=True)


def test_map_symbols_match_the_python_legend_symbols(page, app_url):
    page.goto(app_url)
    wait_for_features(page, 1)
    frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]').first
    for sector in vocab.SECTOR_IDS:
        for precision in vocab.PRECISION_IDS:
            drawn = frame.locator("body").evaluate(f"() => window.atlasSymbol('{sector}', '{precision}')")
            assert drawn == map_builder.marker_svg(sector, precision), (sector, precision)
    legend = frame.locator(".atlas-legend").inner_text()
    assert all(s.label in legend for s in vocab.SECTORS)


HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def hostile_app(shipped_copy_module):
    data = json.loads((shipped_copy_module / "layers/border.geojson").read_text())
    data["features"][0]["properties"]["name"] = HOSTILE
    data["features"][0]["properties"]["subsector"] = "<script>alert(2)</script>"
    (shipped_copy_module / "layers/border.geojson").write_text(json.dumps(data))
    url, proc = start_app({"CPEC_ATLAS_DATA": str(shipped_copy_module)})
    yield url
    stop_app(proc)


@pytest.fixture(scope="module")
def shipped_copy_module(tmp_path_factory):
    target = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(Path(layers.DATA_DIR), target)
    return target


def test_hostile_name_shows_literally_and_runs_nothing(page, hostile_app):
    page.goto(f"{hostile_app}/?sector=border")
    assert wait_for_features(page, 1) == 1
    frame = map_frame(page)
    marker = frame.locator("#map_div .atlas-marker").first
    marker.hover()
    tooltip = frame.locator(".leaflet-tooltip")
    tooltip.wait_for(timeout=10_000)
    assert HOSTILE in tooltip.inner_text()
    marker.dispatch_event("click")
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    assert HOSTILE in popup.inner_text() and "<script>alert(2)</script>" in popup.inner_text()
    assert popup.locator("img").count() == 0 and popup.locator("script").count() == 0
    page.wait_for_timeout(500)
    assert page.dialogs == []


def test_deep_link_on_a_fresh_server_gets_the_whole_app(page):
    """The first request a new server sees is a shared link to a page, not the overview."""
    url, proc = start_app()
    try:
        page.goto(f"{url}/sez?sector=sez")
        expect(page.locator('[data-testid="stMainBlockContainer"] h1').first).to_have_text(
            "Special Economic Zones", timeout=60_000
        )
        sidebar = page.locator('[data-testid="stSidebar"]')
        expect(sidebar.get_by_role("heading", name="Filters")).to_be_visible(timeout=30_000)
        expect(sidebar).to_contain_text("Special Economic Zone")  # the restored sector filter
        zones = expected_count(Filters(sectors=("sez",)))
        assert wait_for_features(page, zones) == zones
    finally:
        stop_app(proc)


def test_html_export_draws_offline_the_same_features_as_the_app(page, app_url, tmp_path):
    from components import export

    filters = Filters(sectors=("energy", "transport"))
    page.goto(f"{app_url}/?sector=energy,transport")
    in_app = wait_for_features(page, expected_count(filters))
    path = tmp_path / "map.html"
    path.write_bytes(export.html_bytes(apply_filters(ATLAS.features, filters)))
    offline = page.context.new_page()
    requested: list[str] = []

    def block(route):
        requested.append(route.request.url)
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    offline.route("**/*", block)
    offline.goto(path.as_uri())
    selector = (
        ".folium-map > .leaflet-map-pane > .leaflet-overlay-pane path.leaflet-interactive, "
        ".folium-map > .leaflet-map-pane > .leaflet-marker-pane .atlas-marker"
    )
    offline.wait_for_function(f"document.querySelectorAll({json.dumps(selector)}).length >= {in_app}", timeout=30_000)
    assert offline.locator(selector).count() == in_app
    # nothing but basemap tiles was asked of the network
    assert all(u.startswith("file://") or u.endswith((".png", ".jpg")) or "/tile" in u for u in requested), requested
    offline.close()


def test_overview_image_export_downloads_a_png(page, app_url, artifacts):
    page.goto(f"{app_url}/?sector=energy")
    wait_for_features(page, 1)
    page.get_by_text("Export this view").click()
    page.get_by_role("button", name="Prepare file").click()
    download_button = page.get_by_role("button", name="Download cpec-atlas.png")
    expect(download_button).to_be_visible(timeout=60_000)
    with page.expect_download(timeout=60_000) as info:
        download_button.click()
    target = artifacts / "export.png"
    info.value.save_as(target)
    assert target.read_bytes().startswith(b"\x89PNG")
    assert target.stat().st_size > 20_000


def test_uploaded_hostile_name_shows_literally_in_the_popup(page, app_url, artifacts):
    payload = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": HOSTILE, "kind": "<script>alert(3)</script>"},
                "geometry": {"type": "Point", "coordinates": [63.5, 29.0]},  # clear of atlas symbols
            }
        ],
    }
    page.goto(f"{app_url}/imports")
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": "hostile.geojson", "mimeType": "application/geo+json", "buffer": json.dumps(payload).encode()}]
    )
    add = page.get_by_role("button", name="Add to the map")
    expect(add).to_be_visible(timeout=60_000)
    add.click()
    frame = map_frame(page)
    marker = frame.locator("#map_div .atlas-imported").first
    marker.wait_for(timeout=60_000)
    marker.dispatch_event("click")
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    assert HOSTILE in popup.inner_text()
    assert popup.locator("img").count() == 0
    page.wait_for_timeout(500)
    assert page.dialogs == []
    page.screenshot(path=str(artifacts / "import.png"), full_page=True)


def test_asof_2016_shows_fewer_features_than_2030(page, app_url):
    page.goto(f"{app_url}/?asof=2016")
    early = wait_for_features(page, expected_count(Filters(asof=2016)))
    page.goto(f"{app_url}/?asof=2030")
    late = wait_for_features(page, expected_count(Filters(asof=2030)))
    assert early == expected_count(Filters(asof=2016)) < late == expected_count(Filters(asof=2030))


def test_near_khunjerab_highlights_sost(page, app_url):
    page.goto(f"{app_url}/?near=khunjerab-pass-border-crossing&km=100")
    wait_for_features(page, 1)
    frame = map_frame(page)
    halo = frame.locator("path.atlas-near-sost-dry-port")
    halo.wait_for(state="attached", timeout=30_000)
    assert halo.count() == 1
    panel = page.locator('[data-testid="stExpander"]').filter(has_text="What is near").inner_text()
    assert "features within 100 km of Khunjerab Pass" in panel


TILE_HOSTS = re.compile(r"basemaps\.cartocdn\.com|tile\.openstreetmap\.org|arcgisonline\.com")
OUTLINE_PATHS = "#map_div .leaflet-atlasOutline-pane path"
OUTLINE_LABELS = "#map_div .atlas-outline-label"
MINIMAP_OUTLINE = "#map_div .leaflet-control-minimap .leaflet-atlasOutline-pane path"


def _boxes_overlap(rects) -> list:
    bad = []
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            if a[0] < b[2] - 0.5 and a[2] > b[0] + 0.5 and a[1] < b[3] - 0.5 and a[3] > b[1] + 0.5:
                bad.append((a, b))
    return bad


def test_blocked_tiles_switch_the_overview_to_the_outline_basemap(page, app_url, artifacts):
    page.route(TILE_HOSTS, lambda route: route.abort())
    page.goto(app_url)
    assert wait_for_features(page, expected_count(Filters())) == expected_count(Filters())
    frame = map_frame(page)
    expect(frame.locator(".atlas-basemap-note")).to_be_visible(timeout=30_000)
    assert "offline outline basemap" in frame.locator(".atlas-basemap-note").inner_text()
    assert frame.locator(OUTLINE_PATHS).count() > 300  # land, countries, rivers, disputed areas, borders
    assert frame.locator("#map_div .atlas-outline-disputed").count() >= 3
    # province lines in their own style, the territories' in the disputed one
    assert frame.locator("#map_div .atlas-outline-province").count() >= 5
    assert frame.locator("#map_div .atlas-outline-territory").count() >= 3
    # the mini-map draws the outline too instead of staying blank
    mini = frame.locator(MINIMAP_OUTLINE)
    expect(mini.first).to_be_attached(timeout=30_000)
    assert mini.count() > 50
    assert frame.locator("#map_div .leaflet-control-minimap .atlas-outline-label").count() == 0
    labels = frame.locator(OUTLINE_LABELS)
    names = set(labels.all_inner_texts())
    assert {"Karachi", "Lahore", "Quetta"} <= names, names
    rects = labels.evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"
    )
    assert _boxes_overlap(rects) == []
    # the features are still all there and the disclaimer stays
    assert frame.locator(FEATURES).count() == expected_count(Filters())
    assert "not authoritative" in frame.locator(".atlas-disclaimer").inner_text()
    page.screenshot(path=str(artifacts / "overview-offline-outline.png"), full_page=True)


def test_tiles_that_load_leave_the_basemap_alone(page, app_url):
    import base64

    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
    )
    page.route(TILE_HOSTS, lambda route: route.fulfill(status=200, body=png, content_type="image/png"))
    page.goto(app_url)
    wait_for_features(page, expected_count(Filters()))
    frame = map_frame(page)
    page.wait_for_timeout(3000)
    assert frame.locator(".atlas-basemap-note").count() == 0
    assert frame.locator(OUTLINE_PATHS).count() == 0
    assert frame.locator("#map_div .leaflet-tile-loaded").count() > 0
    assert frame.locator("#map_div .leaflet-control-minimap .leaflet-tile-loaded").count() > 0
