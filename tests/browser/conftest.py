"""Browser tier: the real app on a free port, driven by Playwright in Debian's Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
# Features of the main map only (the mini-map draws its own view rectangle as a path).
FEATURES = (
    "#map_div > .leaflet-map-pane > .leaflet-overlay-pane path.leaflet-interactive, "
    "#map_div > .leaflet-map-pane > .leaflet-marker-pane .atlas-marker"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(env: dict[str, str] | None = None):
    """Start the real app on a free port and wait for its health endpoint; returns (url, process)."""
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return url, proc
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("the app did not become healthy within 60 s")
        time.sleep(0.25)


def stop_app(proc) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def app_url():
    from components import assets

    assert assets.installed(), "map assets missing: run `make assets` (the browser tier tests the offline map)"
    url, proc = start_app()
    yield url
    stop_app(proc)


@pytest.fixture(scope="session")
def playwright():
    """One Playwright driver for the run (the sync API allows only one per thread)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright, tmp_path_factory):
    assert Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM} (make test installs Debian's chromium)"
    profile = tmp_path_factory.mktemp("chromium-profile")
    context = playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        headless=True,
        viewport={"width": 1400, "height": 1000},
    )
    yield context
    context.close()


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory) -> Path:
    """Screenshots land here (a temporary folder, never the repository)."""
    folder = Path(os.environ.get("ATLAS_ARTIFACTS", tmp_path_factory.mktemp("screenshots")))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def page(browser):
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    yield page
    page.close()


def map_frame(page):
    page.wait_for_selector(MAP_FRAME, timeout=60_000)
    return page.frame_locator(MAP_FRAME).first


def wait_for_features(page, minimum: int = 1, timeout: float = 60) -> int:
    """Wait until the map iframe draws at least ``minimum`` features and the count settles."""
    frame = map_frame(page)
    deadline = time.monotonic() + timeout
    last, stable_since = -1, time.monotonic()
    while time.monotonic() < deadline:
        try:
            count = frame.locator(FEATURES).count()
        except Exception:  # the frame may be replaced while the app reruns
            count = -1
        if count != last:
            last, stable_since = count, time.monotonic()
        elif count >= minimum and time.monotonic() - stable_since > 1.5:
            return count
        time.sleep(0.25)
    raise AssertionError(f"map drew {last} features, expected at least {minimum}")


PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0.0.0 Mobile Safari/537.36"
    ),
}
#: Every page, by its path ("" is the overview), and whether it draws a map.
PAGES = {
    "": True,
    "projects": False,
    "sectors": False,
    "gwadar": True,
    "kkh": True,
    "sez": True,
    "routes": True,
    "imports": False,
    "sources": False,
}


@pytest.fixture(scope="session")
def phone_browser(playwright):
    """A 390 × 844 phone (device scale 2, touch, mobile user agent) in Debian's Chromium."""
    assert Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM} (make test installs Debian's chromium)"
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    context = browser.new_context(**PHONE)
    yield context
    context.close()
    browser.close()


@pytest.fixture
def phone(phone_browser):
    page = phone_browser.new_page()
    yield page
    page.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Screenshots to look at: ``.artifacts/`` in the repository (git-ignored), or ATLAS_ARTIFACTS."""
    folder = Path(os.environ.get("ATLAS_ARTIFACTS") or ROOT / ".artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_page(page, app_url: str, path: str, has_map: bool) -> None:
    """Open a page and wait for its title and, when it has one, its map's features."""
    page.goto(f"{app_url}/{path}")
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=60_000)
    if has_map:
        wait_for_features(page, 1)
    wait_until_idle(page)  # so charts are drawn
    page.wait_for_timeout(500)


def wait_until_idle(page) -> None:
    """Wait until the script run has finished (Streamlit's running indicator is gone)."""
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"] button')", timeout=60_000)
