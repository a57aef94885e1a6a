"""In Chromium: hostile text from a shared link or an uploaded file renders as text.

The DOM must hold no link, image, formula, colour or emphasis made from the payloads, and
the browser must request nothing from the payloads' outside address.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode, urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import map_frame

pytestmark = pytest.mark.browser
CORPUS = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "injection.json").read_text("utf-8"))
MARKER, PAYLOADS = CORPUS["marker"], CORPUS["payloads"]

#: Run in the page: every element that formats text derived from a payload, and every active
#: element pointing at the outside address.
FIND_ACTIVE = """(marker) => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.data.includes(marker)) continue;
    for (let e = node.parentElement; e && e !== document.body; e = e.parentElement) {
      const style = e.getAttribute("style") || "";
      const whole = e.textContent.trim();
      const formatting = e.matches("strong, b, em, i, code, del, s") && /^ZQX( alert)?$/.test(whole);
      if (e.matches("a, img, .katex, h1, h2, h3, h4, h5, h6, li, blockquote, table") || formatting
          || /color|background/.test(style) || /stMarkdownColored|colored/i.test(e.className)) {
        found.push(e.tagName + ": " + whole.slice(0, 80));
      }
    }
  }
  // the outside host, not the app's own links that carry a payload in their encoded query
  const outside = (url) => { try { return new URL(url, location.href).hostname.includes("elsewhere"); }
                             catch (err) { return true; } };
  for (const e of document.querySelectorAll('a[href*="elsewhere"], img[src*="elsewhere"], .katex')) {
    if (e.matches(".katex") || outside(e.getAttribute("href") || e.getAttribute("src"))) {
      found.push("active element " + e.tagName);
    }
  }
  return found;
}"""


def _watch(page) -> list[str]:
    """Hosts the page requests anything from."""
    requests: list[str] = []
    page.on("request", lambda r: requests.append(urlparse(r.url).hostname or ""))
    return requests


@pytest.mark.parametrize("path", ["/", "/projects", "/gwadar"])
def test_shared_link_payloads_render_as_text(page, app_url, path):
    requests = _watch(page)
    for payload in PAYLOADS[:6]:
        query = urlencode({"q": payload, "sector": f"energy,{payload}", payload[:30]: "1", "near": payload})
        page.goto(f"{app_url}{path}?{query}")
        page.get_by_text("The page address holds this view").wait_for(timeout=60_000)
        page.wait_for_timeout(800)
        assert page.evaluate(FIND_ACTIVE, MARKER) == [], payload
        assert MARKER in page.locator('[data-testid="stSidebar"]').inner_text()  # shown, as text
        assert "q=" in page.url and "ZQX" in page.url.replace("%", "")  # the search text stays shareable
    assert not [h for h in requests if "elsewhere" in h]
    assert page.dialogs == []


def test_uploaded_file_name_and_properties_render_as_text(page, app_url, artifacts):
    requests = _watch(page)
    collection = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": PAYLOADS[0]}},
        "features": [
            {
                "type": "Feature",
                "properties": {"name": p, "kind": p},
                "geometry": {"type": "Point", "coordinates": [64 + i * 0.3, 28.5]},
            }
            for i, p in enumerate(PAYLOADS)
        ],
    }
    page.goto(f"{app_url}/imports")
    page.locator('input[type="file"]').set_input_files(
        files=[
            {
                "name": f"{PAYLOADS[1][:40]}.geojson",
                "mimeType": "application/geo+json",
                "buffer": json.dumps(collection).encode(),
            }
        ]
    )
    add = page.get_by_role("button", name="Add to the map")
    expect(add).to_be_visible(timeout=60_000)
    assert page.evaluate(FIND_ACTIVE, MARKER) == []
    add.click()
    map_frame(page).locator("#map_div .atlas-imported").first.wait_for(timeout=60_000)
    page.wait_for_timeout(800)
    assert page.evaluate(FIND_ACTIVE, MARKER) == []
    frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]').first
    assert frame.locator('a[href*="elsewhere"], img[src*="elsewhere"]').count() == 0  # the layer control too
    page.screenshot(path=str(artifacts / "injection-import.png"), full_page=True)
    assert not [h for h in requests if "elsewhere" in h]
    assert page.dialogs == []


def test_deep_nesting_and_a_flood_of_values_get_a_short_note(page, app_url):
    import time

    started = time.monotonic()
    page.goto(f"{app_url}/?sector=" + ",".join(["x"] * 40_000)[:30_000])
    page.get_by_text("unknown sector").first.wait_for(timeout=60_000)
    assert page.locator('[data-testid="stAlert"]').count() <= 5
    page.get_by_role("link", name="Projects").first.click()
    page.get_by_text("features match").wait_for(timeout=30_000)  # the next page renders
    flood_seconds = time.monotonic() - started

    page.goto(f"{app_url}/imports")
    deep = b'{"type": "FeatureCollection", "features": [' + b"[" * 5000 + b"]" * 5000 + b"]}"
    started = time.monotonic()
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": "deep.geojson", "mimeType": "application/geo+json", "buffer": deep}]
    )
    page.get_by_text("nested").first.wait_for(timeout=30_000)
    deep_seconds = time.monotonic() - started
    body = page.locator("body").inner_text()
    assert "Traceback" not in body and "RecursionError" not in body and "/tmp" not in body
    print(f"flood URL to next page: {flood_seconds:.1f} s; deep file to message: {deep_seconds:.1f} s")
