"""The app in Urdu and Chinese in Chromium: right-to-left Urdu (the map not mirrored), translated
titles, legend and layer control, and a language switch that keeps the view."""

from __future__ import annotations

import re

import pytest

from components import i18n
from tests.browser.conftest import map_frame, wait_for_features

pytestmark = pytest.mark.browser
BODY = '[data-testid="stMainBlockContainer"]'
PAGES = ("overview", "projects", "sectors", "gwadar", "kkh", "sez", "routes", "imports", "sources")


def direction(locator) -> str:
    return locator.evaluate("el => getComputedStyle(el).direction")


def title(page) -> str:
    page.wait_for_selector(f"{BODY} h1", timeout=60_000)
    return page.locator(f"{BODY} h1").first.inner_text().strip()


def test_overview_in_urdu_reads_right_to_left_with_an_unmirrored_map(page, app_url, artifacts):
    page.goto(f"{app_url}/?lang=ur")
    wait_for_features(page, 10)
    assert title(page) == i18n.t("overview.title", "ur")
    assert direction(page.locator(BODY)) == "rtl"
    caption = page.locator(f'{BODY} [data-testid="stCaptionContainer"]').first
    assert direction(caption) == "rtl"
    assert page.locator(f'{BODY} [data-testid="stCaptionContainer"]').first.evaluate(
        "el => getComputedStyle(el).textAlign"
    ) in ("right", "start")
    assert direction(page.locator('[data-testid="stSidebar"]')) == "rtl"
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert i18n.t("nav.projects", "ur") in nav and "Projects" not in nav
    frame = map_frame(page)
    legend = frame.locator(".atlas-legend")
    assert legend.locator("summary").first.inner_text() == i18n.t("map.legend", "ur")
    assert i18n.sector("energy", "ur") in legend.inner_text()
    assert direction(legend) == "rtl"
    control = frame.locator(".leaflet-control-layers")
    labels = control.locator("label").evaluate_all("els => els.map(e => e.textContent.trim())")
    assert any(label.startswith(i18n.sector("energy", "ur")) for label in labels), labels
    assert i18n.t("map.outline_light", "ur") in labels
    assert not any(label.startswith("Energy") for label in labels)
    assert i18n.t("common.disclaimer", "ur") in frame.locator(".atlas-disclaimer").inner_text()
    # the map itself is not mirrored: its frame reads left to right, zoom buttons stay on the left
    assert direction(frame.locator("#map_div")) == "ltr"
    box = frame.locator("#map_div").bounding_box()
    zoom = frame.locator(".leaflet-control-zoom").bounding_box()
    assert zoom["x"] < box["x"] + box["width"] / 2
    assert frame.locator(".leaflet-control-zoom-in").get_attribute("title") == i18n.t("map.zoom_in", "ur")
    assert frame.locator(".leaflet-control-layers").bounding_box()["x"] > box["x"] + box["width"] / 2
    page.screenshot(path=str(artifacts / "i18n-overview-ur.png"), full_page=True)


def test_overview_in_chinese(page, app_url, artifacts):
    page.goto(f"{app_url}/?lang=zh")
    wait_for_features(page, 10)
    assert title(page) == i18n.t("overview.title", "zh")
    assert direction(page.locator(BODY)) == "ltr"
    frame = map_frame(page)
    assert frame.locator(".atlas-legend summary").first.inner_text() == i18n.t("map.legend", "zh")
    labels = frame.locator(".leaflet-control-layers label").evaluate_all("els => els.map(e => e.textContent.trim())")
    assert any(label.startswith(i18n.sector("port", "zh")) for label in labels), labels
    assert frame.locator(".leaflet-control-attribution, .atlas-disclaimer").count() >= 1
    assert i18n.t("sidebar.filters", "zh") in page.locator('[data-testid="stSidebar"]').inner_text()
    page.screenshot(path=str(artifacts / "i18n-overview-zh.png"), full_page=True)


def test_switching_language_keeps_the_filters(page, app_url):
    page.goto(f"{app_url}/?sector=energy,port")
    wait_for_features(page, 5)
    page.locator('[data-testid="stSidebar"]').get_by_text(i18n.LANGUAGES["zh"], exact=True).click()
    page.wait_for_url(re.compile(r"lang=zh"), timeout=30_000)
    page.wait_for_function(
        "t => [...document.querySelectorAll('h1')].some(h => h.textContent.trim() === t)",
        arg=i18n.t("overview.title", "zh"),
        timeout=30_000,
    )
    assert re.search(r"sector=energy(%2C|,)port", page.url), page.url
    chips = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.inner_text()
    assert i18n.sector("energy", "zh") in chips and i18n.sector("port", "zh") in chips
    page.locator('[data-testid="stSidebar"]').get_by_text(i18n.LANGUAGES["en"], exact=True).click()
    page.wait_for_function("() => !location.search.includes('lang=')", timeout=30_000)
    assert re.search(r"sector=energy(%2C|,)port", page.url), page.url


@pytest.mark.parametrize("lang", ["ur", "zh"])
@pytest.mark.parametrize("name", PAGES)
def test_every_page_opens_in_the_language(page, app_url, artifacts, name, lang):
    path = "" if name == "overview" else name
    page.goto(f"{app_url}/{path}?lang={lang}")
    expected = i18n.t("overview.title" if name == "overview" else f"nav.{name}", lang)
    assert title(page) == expected
    if name in ("overview", "gwadar", "kkh", "sez", "routes"):
        assert wait_for_features(page, 1) >= 1
    assert not page.locator('[data-testid="stException"]').count()
    want = "rtl" if lang == "ur" else "ltr"
    page.wait_for_function(  # the page's style settles once its run has finished
        "([sel, d]) => getComputedStyle(document.querySelector(sel)).direction === d", arg=[BODY, want], timeout=20_000
    )
    page.wait_for_timeout(1500)
    assert direction(page.locator(BODY)) == want
    page.screenshot(path=str(artifacts / f"i18n-{name}-{lang}.png"), full_page=True)


@pytest.mark.parametrize("lang", ["ur", "zh"])
def test_axe_finds_nothing_serious_in_the_language(page, app_url, lang):
    from components import assets
    from tests.browser.test_accessibility import axe_violations, map_document

    path = assets.test_file(assets.AXE)
    assert path is not None, "axe-core missing: run `make assets` (it fetches axe-core from npm)"
    source = path.read_text()
    page.goto(f"{app_url}/?lang={lang}")
    wait_for_features(page, 10)
    assert axe_violations(page.main_frame, source) == []
    assert axe_violations(map_document(page), source) == []
