"""The app on a phone (390 × 844, device scale 2, touch): every page fits the screen."""

from __future__ import annotations

import pytest

from tests.browser.conftest import MAP_FRAME, PAGES, PHONE, map_frame, open_page

pytestmark = pytest.mark.browser
WIDTH, HEIGHT = PHONE["viewport"]["width"], PHONE["viewport"]["height"]


def inside_viewport(box: dict, slack: float = 0.5) -> bool:
    return (
        box["x"] >= -slack
        and box["y"] >= -slack
        and box["x"] + box["width"] <= WIDTH + slack
        and box["y"] + box["height"] <= HEIGHT + slack
    )


@pytest.mark.parametrize("path", list(PAGES))
def test_page_fits_a_phone(phone, app_url, screenshots, path):
    has_map = PAGES[path]
    open_page(phone, app_url, path, has_map)
    name = path or "overview"
    phone.screenshot(path=str(screenshots / f"phone-{name}.png"))
    # nothing wider than the screen: the page never scrolls sideways
    scroll_width, inner_width = phone.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert inner_width == WIDTH and scroll_width <= inner_width
    main_width = phone.locator('[data-testid="stMain"]').evaluate("e => e.scrollWidth")
    assert main_width <= WIDTH
    # the sidebar starts folded away, off the screen
    sidebar = phone.locator('[data-testid="stSidebar"]')
    assert sidebar.get_attribute("data-collapsed") == "true"
    box = sidebar.bounding_box()
    assert box is None or box["x"] + box["width"] <= 1
    if has_map:
        frame = phone.locator(MAP_FRAME).first
        frame.scroll_into_view_if_needed()
        box = frame.bounding_box()
        # the map fills the width (the page keeps its 1 rem padding) at a height that leaves
        # room to scroll the page past it
        assert WIDTH - 2 * 24 <= box["width"] <= WIDTH
        assert 320 <= box["height"] <= 0.8 * HEIGHT
        inner = map_frame(phone).locator("#map_div").bounding_box()
        assert abs(inner["height"] - box["height"]) <= 2 and abs(inner["width"] - box["width"]) <= 2
        phone.screenshot(path=str(screenshots / f"phone-{name}-map.png"))


def test_headline_figures_wrap_two_to_a_row(phone, app_url):
    open_page(phone, app_url, "", True)
    metrics = phone.locator('[data-testid="stMetric"]')
    assert metrics.count() == 5
    boxes = [metrics.nth(i).bounding_box() for i in range(5)]
    assert all(b["x"] >= 0 and b["x"] + b["width"] <= WIDTH for b in boxes)
    rows = sorted({round(b["y"]) for b in boxes})
    assert len(rows) == 3  # 2 + 2 + 1, not five full-width rows
    values = phone.locator('[data-testid="stMetricValue"] > div')
    clipped = values.evaluate_all("els => els.filter(e => e.scrollWidth > e.clientWidth + 1).length")
    assert clipped == 0


def test_popup_fits_the_screen_after_a_tap(phone, app_url, screenshots):
    open_page(phone, app_url, "", True)
    phone.locator(MAP_FRAME).first.evaluate("e => e.scrollIntoView({block: 'center'})")
    frame = map_frame(phone)
    markers = frame.locator("#map_div > .leaflet-map-pane > .leaflet-marker-pane .atlas-marker")
    # the uncovered symbol nearest the map's right edge: its popup has to move to fit
    xs = markers.evaluate_all(
        """els => els.map(e => {
            const r = e.getBoundingClientRect(), hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
            return hit && e.contains(hit) ? r.right : -1;
        })"""
    )
    assert max(xs) > 0
    markers.nth(max(range(len(xs)), key=xs.__getitem__)).tap()
    popup = frame.locator(".leaflet-popup")
    popup.wait_for(timeout=10_000)
    phone.wait_for_timeout(800)  # Leaflet pans the map to fit the popup
    box = popup.bounding_box()
    assert inside_viewport(box), box
    # and nothing on the map covers it: its title is what a tap on it reaches
    assert frame.locator(".leaflet-popup-content h4").evaluate(
        """e => { const r = e.getBoundingClientRect();
                  return e.contains(document.elementFromPoint(r.x + 8, r.y + r.height / 2)); }"""
    )
    content = frame.locator(".leaflet-popup-content")
    assert content.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    phone.screenshot(path=str(screenshots / "phone-popup.png"))


def test_projects_table_scrolls_sideways_inside_itself(phone, app_url, screenshots):
    open_page(phone, app_url, "projects", False)
    table = phone.locator('[data-testid="stDataFrame"]')
    box = table.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH
    scroller = table.locator(".dvn-scroller").first
    widths = scroller.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert widths[0] > widths[1]  # more columns than fit: the table scrolls, not the page
    moved = scroller.evaluate("e => { e.scrollLeft = 200; return e.scrollLeft; }")
    assert moved > 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= WIDTH
    phone.screenshot(path=str(screenshots / "phone-projects-scrolled.png"))
