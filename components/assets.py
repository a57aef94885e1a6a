"""Leaflet and plugin assets: served by the app itself when installed, from the CDN otherwise.

folium and streamlit-folium load every script and stylesheet a map element lists
in ``default_js``/``default_css`` from its URL. Offline, CDN URLs fail and the map
does not draw at all. ``make setup`` fetches the same files from the npm registry
into ``static/vendor/`` (git-ignored), which Streamlit serves at ``/app/static/``;
:func:`localize` then points the map's elements at those copies. Without them the
map keeps its CDN URLs, as on a fresh Streamlit Community Cloud deployment.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import folium

ROOT = Path(__file__).resolve().parent.parent
VENDOR_DIR = ROOT / "static" / "vendor"
STATIC_URL = "app/static/vendor"  # Streamlit serves ROOT/static at /app/static


@dataclass(frozen=True)
class Package:
    name: str
    version: str

    @property
    def folder(self) -> str:
        return f"{self.name}@{self.version}"


LEAFLET = Package("leaflet", "1.9.3")
FULLSCREEN = Package("leaflet.fullscreen", "3.0.0")
MEASURE = Package("leaflet-measure", "2.1.7")
MINIMAP = Package("leaflet-minimap", "3.6.1")
SUPERCLUSTER = Package("supercluster", "8.0.1")  # clustering of big point layers (static/atlas/cluster.js)
AXE = Package("axe-core", "4.14.1")  # accessibility checks, used by the browser tests only
PACKAGES = (LEAFLET, FULLSCREEN, MEASURE, MINIMAP, SUPERCLUSTER, AXE)
SUPERCLUSTER_JS = "https://cdn.jsdelivr.net/npm/supercluster@8.0.1/dist/supercluster.min.js"

#: CDN URL used by folium → (npm package, file inside the package).
CDN_FILES: dict[str, tuple[Package, str]] = {
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": (LEAFLET, "dist/leaflet.js"),
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": (LEAFLET, "dist/leaflet.css"),
    "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js": (
        FULLSCREEN,
        "Control.FullScreen.js",
    ),
    "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.css": (
        FULLSCREEN,
        "Control.FullScreen.css",
    ),
    "https://cdn.jsdelivr.net/gh/ljagis/leaflet-measure@2.1.7/dist/leaflet-measure.min.js": (
        MEASURE,
        "dist/leaflet-measure.js",
    ),
    "https://cdn.jsdelivr.net/gh/ljagis/leaflet-measure@2.1.7/dist/leaflet-measure.min.css": (
        MEASURE,
        "dist/leaflet-measure.css",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet-minimap/3.6.1/Control.MiniMap.js": (
        MINIMAP,
        "dist/Control.MiniMap.min.js",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet-minimap/3.6.1/Control.MiniMap.css": (
        MINIMAP,
        "dist/Control.MiniMap.min.css",
    ),
    SUPERCLUSTER_JS: (SUPERCLUSTER, "dist/supercluster.min.js"),
}

#: Files the browser tests inject into the pages (never loaded by the app itself).
TEST_FILES: dict[Package, str] = {AXE: "axe.min.js"}


def test_file(package: Package, vendor_dir: Path = VENDOR_DIR) -> Path | None:
    """The installed copy of a test-time file (e.g. axe-core), or None when it is missing."""
    path = vendor_dir / package.folder / TEST_FILES[package]
    return path if path.is_file() else None


#: What the atlas' maps need from the base Map element: Leaflet only (folium also
#: lists jQuery, Bootstrap and awesome-markers, which these maps do not use).
MAP_JS = [("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js")]
MAP_CSS = [("leaflet_css", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css")]


OWN_DIR = ROOT / "static" / "atlas"  # the atlas' own map script and stylesheet (in git)


def own_url(name: str, base_url: str = "/") -> str:
    """URL of one of the atlas' own static files (always served by the app)."""
    return f"{base_url.rstrip('/')}/app/static/atlas/{name}"


def local_path(url: str, vendor_dir: Path = VENDOR_DIR) -> Path | None:
    """The installed copy of a CDN file, or None when it is not known or not installed."""
    entry = CDN_FILES.get(url)
    if entry is None:
        return None
    package, inner = entry
    path = vendor_dir / package.folder / inner
    return path if path.is_file() else None


def installed(vendor_dir: Path = VENDOR_DIR) -> bool:
    """True when every asset the maps use is present locally."""
    return all(local_path(url, vendor_dir) is not None for url in CDN_FILES)


def resolve(url: str, base_url: str = "/", vendor_dir: Path = VENDOR_DIR) -> str:
    """The URL a browser should load for ``url``: the local copy when installed, else ``url``."""
    entry = CDN_FILES.get(url)
    if entry is None or local_path(url, vendor_dir) is None:
        return url
    package, inner = entry
    return f"{base_url.rstrip('/')}/{STATIC_URL}/{package.folder}/{inner}"


def _elements(element):
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _elements(child)


def localize(m: folium.Map, base_url: str = "/", vendor_dir: Path = VENDOR_DIR) -> folium.Map:
    """Point the map's (and its plugins') scripts and stylesheets at local copies when installed.

    Overrides are set on the instances, which is where folium and streamlit-folium
    read them; the classes keep their CDN defaults.
    """
    for element in _elements(m):
        for attr in ("default_js", "default_css"):
            links = getattr(element, attr, None)
            if links:
                setattr(element, attr, [(name, resolve(url, base_url, vendor_dir)) for name, url in links])
    return m


def asset_urls(m: folium.Map) -> list[str]:
    """Every script/stylesheet URL the map's elements list (what the browser will fetch)."""
    urls: list[str] = []
    for element in _elements(m):
        for attr in ("default_js", "default_css"):
            urls.extend(url for _, url in getattr(element, attr, None) or [])
    return list(dict.fromkeys(urls))


# --- fetching (used by `make setup`) -------------------------------------------------


def _npm_pack(package: Package, workdir: Path) -> Path:
    out = subprocess.run(
        ["npm", "pack", f"{package.name}@{package.version}", "--silent", "--json"],
        cwd=workdir,
        check=True,
        capture_output=True,
        text=True,
        timeout=180,
    ).stdout
    filename = json.loads(out)[0]["filename"]
    return workdir / filename


def _extract(tgz: Path, target: Path) -> None:
    """Extract an npm tarball's ``package/`` folder into ``target`` (no paths outside it)."""
    with tarfile.open(tgz, "r:gz") as tar:
        members = []
        for member in tar.getmembers():
            if not member.name.startswith("package/") or not (member.isfile() or member.isdir()):
                continue
            member.name = member.name[len("package/") :]
            # dotfiles (linter settings, CI files) are not needed and would be served publicly
            if member.name and not any(part.startswith(".") for part in member.name.split("/")):
                members.append(member)
        tar.extractall(target, members=members, filter="data")


def fetch(vendor_dir: Path = VENDOR_DIR, log=print) -> None:
    """Download every package from the npm registry into ``vendor_dir`` (skips those present)."""
    vendor_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for package in PACKAGES:
            target = vendor_dir / package.folder
            needed = [inner for pkg, inner in CDN_FILES.values() if pkg == package]
            needed += [inner for pkg, inner in TEST_FILES.items() if pkg == package]
            if all((target / inner).is_file() for inner in needed):
                continue
            log(f"fetching {package.folder} from the npm registry")
            tgz = _npm_pack(package, Path(tmp))
            digest = hashlib.sha256(tgz.read_bytes()).hexdigest()[:12]
            staging = Path(tmp) / package.folder
            _extract(tgz, staging)
            missing = [inner for inner in needed if not (staging / inner).is_file()]
            if missing:
                raise RuntimeError(f"{package.folder}: package lacks {', '.join(missing)}")
            if target.exists():
                shutil.rmtree(target)
            shutil.move(str(staging), target)
            (target / "FETCHED.txt").write_text(f"{package.name}@{package.version} from npm, sha256 {digest}\n")


if __name__ == "__main__":  # pragma: no cover - exercised by `make setup`
    import sys

    try:
        fetch()
    except (OSError, subprocess.SubprocessError, RuntimeError, ValueError) as exc:
        print(f"could not fetch the map assets ({exc}); the maps will load them from the CDN", file=sys.stderr)
        sys.exit(0 if "--optional" in sys.argv else 1)
    print(f"map assets installed in {VENDOR_DIR.relative_to(ROOT)}")
