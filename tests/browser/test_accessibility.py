"""Accessibility in Chromium: axe-core on every page (and inside the map), keyboard access,
and the map's text alternative."""

from __future__ import annotations

import re

import pytest

from components import assets, layers
from components.filters import Filters, apply_filters
from tests.browser.conftest import MAP_FRAME, PAGES, open_page

pytestmark = pytest.mark.browser
ATLAS = layers.load_atlas()
BLOCKING = ("serious", "critical")

#: Rules or elements left out of the check, each because the app cannot change that markup.
#: Empty: every serious or critical finding so far came from the app and was fixed there.
EXCLUDED_RULES: tuple[str, ...] = ()


@pytest.fixture(scope="module")
def axe_source() -> str:
    path = assets.test_file(assets.AXE)
    assert path is not None, "axe-core missing: run `make assets` (it fetches axe-core from npm)"
    return path.read_text()


def axe_violations(frame, source: str) -> list[tuple[str, str, list]]:
    """Serious and critical axe-core findings in one document: (rule id, impact, first targets)."""
    if not frame.evaluate("typeof window.axe !== 'undefined'"):
        frame.evaluate(source)
    result = frame.evaluate(
        """rules => axe.run(document, {
            resultTypes: ["violations"], iframes: false,
            rules: Object.fromEntries(rules.map(r => [r, {enabled: false}]))
        })""",
        list(EXCLUDED_RULES),
    )
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]])
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]


def map_document(page):
    """The Frame object of the first map on the page (the map's own document)."""
    handle = page.locator(MAP_FRAME).first.element_handle()
    return handle.content_frame()


@pytest.mark.parametrize("path", list(PAGES))
def test_axe_finds_nothing_serious_on_a_phone(phone, app_url, axe_source, path):
    open_page(phone, app_url, path, PAGES[path])
    assert axe_violations(phone.main_frame, axe_source) == []
    if PAGES[path]:
        assert axe_violations(map_document(phone), axe_source) == []


@pytest.mark.parametrize("path", ["", "projects"])
def test_axe_finds_nothing_serious_with_the_sidebar_open(page, app_url, axe_source, path):
    open_page(page, app_url, path, PAGES[path])
    assert page.locator('[data-testid="stSidebar"]').get_attribute("data-collapsed") == "false"
    assert axe_violations(page.main_frame, axe_source) == []
    if PAGES[path]:
        assert axe_violations(map_document(page), axe_source) == []


def focused(page) -> str:
    """What has the keyboard focus, as a short description (looking inside the map's frame)."""
    return page.evaluate(
        """() => {
            let el = document.activeElement, where = "page";
            if (el && el.tagName === "IFRAME" && el.title === "streamlit_folium.st_folium") {
                el = el.contentDocument.activeElement; where = "map";
            }
            if (!el) { return "none"; }
            const region = el.closest('[data-testid="stSidebar"]') ? "sidebar" :
                           el.closest('[data-testid="stExpanderDetails"]') ? "panel" : where;
            const name = el.getAttribute("aria-label") || el.getAttribute("title") || el.textContent || "";
            return region + "|" + el.tagName + "|" + el.className + "|" + name.trim().slice(0, 60);
        }"""
    )


def tab_until(page, wanted: re.Pattern, presses: int = 250) -> list[str]:
    """Press Tab until the focused element matches ``wanted``; returns what was focused on the way."""
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        seen.append(focused(page))
        if wanted.search(seen[-1]):
            return seen
    raise AssertionError(f"never reached {wanted.pattern} by Tab; focused: {seen[-20:]}")


def test_keyboard_reaches_filters_map_controls_and_export(page, app_url):
    open_page(page, app_url, "", True)
    page.evaluate("document.activeElement && document.activeElement.blur()")  # start from the top
    seen = tab_until(page, re.compile(r"^map\|A\|.*leaflet-control-zoom-in"))
    assert any(s.startswith("sidebar|INPUT") for s in seen)  # the sector/status/province/search filters
    assert any(s.startswith("sidebar|BUTTON") and "Reset filters" in s for s in seen)
    export = [s for s in seen if s.startswith("page|SUMMARY") and "Export this view" in s]
    assert export, "the Export button comes before the map"
    seen += tab_until(page, re.compile(r"^map\|A\|.*leaflet-control-layers-toggle"))
    # a feature's symbol is a named, focusable button: Enter opens its popup
    seen += tab_until(page, re.compile(r"^map\|DIV\|.*atlas-marker"))
    page.keyboard.press("Enter")
    popup = page.frame_locator(MAP_FRAME).first.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    assert seen[-1].split("|")[-1].split(",")[0] in popup.inner_text()
    # back out of the map (Shift+Tab) to the Export button and open it from the keyboard
    for _ in range(400):
        page.keyboard.press("Shift+Tab")
        if re.search(r"^page\|SUMMARY\|.*Export this view", focused(page)):
            break
    else:
        raise AssertionError("Shift+Tab never returned to the Export button")
    page.keyboard.press("Enter")
    tab_until(page, re.compile(r"^panel\|BUTTON\|.*Prepare file"), presses=10)


def test_map_has_a_text_alternative_and_a_table_link(page, app_url):
    shown = apply_filters(ATLAS.features, Filters(sectors=("energy",)))
    open_page(page, app_url, "?sector=energy", True)
    frame = page.locator(MAP_FRAME).first
    label = ""
    for _ in range(40):  # the label follows the layers once streamlit-folium has swapped them in
        label = frame.get_attribute("aria-label") or ""
        if f"{len(shown)} features" in label:
            break
        page.wait_for_timeout(250)
    assert f": {len(shown)} features in 1 layer" in label
    inner = page.frame_locator(MAP_FRAME).first.locator("#map_div")
    assert inner.get_attribute("role") == "region" and inner.get_attribute("aria-label") == label
    # every symbol and line is drawn with the contrasting halo (tests/unit/test_vocab.py)
    symbol = page.frame_locator(MAP_FRAME).first.locator(".atlas-marker svg").first
    assert symbol.evaluate("e => getComputedStyle(e).filter").count("drop-shadow") == 2
    link = page.get_by_role("link", name="The same features as a table")
    assert re.search(r"(^|/)projects\?(.*&)?sector=energy", link.get_attribute("href"))
    link.click()
    page.wait_for_url(re.compile(r"/projects\?.*sector=energy"), timeout=30_000)
    caption = page.get_by_text(re.compile(r"features match"))
    caption.wait_for(timeout=30_000)
    assert caption.inner_text().startswith(f"{len(shown)} features match")


def test_the_axe_check_sees_a_nameless_button(phone, app_url, axe_source):
    """The check itself works: a button with no name on the page is reported."""
    open_page(phone, app_url, "sources", False)
    phone.evaluate(
        "document.querySelector('[data-testid=\"stMainBlockContainer\"]').append(document.createElement('button'))"
    )
    assert "button-name" in [rule for rule, _, _ in axe_violations(phone.main_frame, axe_source)]
