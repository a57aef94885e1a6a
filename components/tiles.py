"""Web basemap tiles for static snapshots: the interactive map's providers, cached on disk.

:func:`mosaic` fetches the XYZ tiles covering a Web Mercator extent (in parallel, each
cached under ``CPEC_ATLAS_TILE_CACHE`` or ``~/.cache/cpec-atlas/tiles``) and joins them
into one image. Any failure (no network, DNS, a blocked provider, an HTTP error) raises
:class:`TilesUnavailable` at once, so the caller can fall back to the outline basemap.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import urllib.error
import urllib.request
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

EARTH = 20037508.342789244  # half the Web Mercator world width, metres
TILE = 256
MAX_TILES = 48
USER_AGENT = "CPEC-Atlas-snapshot/1.0 (+https://github.com/)"


class TilesUnavailable(OSError):
    """The tile provider could not be reached; the message says why."""


@dataclass(frozen=True)
class Provider:
    url: str  # template with {x} {y} {z} (and optionally {s})
    attribution: str
    name: str = "tiles"


def provider(spec: str) -> Provider:
    """A provider from a basemap id of the interactive map ("carto-light", "osm", …) or from
    an XYZ URL template (``http://host/{z}/{x}/{y}.png``; attribution "Tiles: host")."""
    if "{z}" in spec and "{x}" in spec and "{y}" in spec:
        host = spec.split("//", 1)[-1].split("/", 1)[0]
        return Provider(spec, f"Tiles: {host}", host)
    from components.map_builder import BASEMAPS  # folium lives there; import only when asked

    if spec not in BASEMAPS:
        raise ValueError(f"unknown tile basemap {spec!r}; use one of {', '.join(BASEMAPS)} or an XYZ URL")
    label, xyz = BASEMAPS[spec]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        url = xyz.build_url(x="{x}", y="{y}", z="{z}", scale_factor="", fill_subdomain=True, accept_token=True)
    return Provider(url.split("?key=")[0], xyz.get("attribution", label), label)


def cache_dir() -> Path:
    return Path(os.environ.get("CPEC_ATLAS_TILE_CACHE") or Path.home() / ".cache" / "cpec-atlas" / "tiles")


def zoom_for(extent, width_px: int) -> int:
    """The tile zoom whose pixels are about the size of the sheet's pixels."""
    metres_per_px = (extent[2] - extent[0]) / max(width_px, 1)
    return max(0, min(19, round(math.log2(2 * EARTH / (TILE * metres_per_px)))))


def _tile_range(extent, z: int):
    n = 2**z
    size = 2 * EARTH / n
    x0 = int(max(0, math.floor((extent[0] + EARTH) / size)))
    x1 = int(min(n - 1, math.floor((extent[2] + EARTH) / size)))
    y0 = int(max(0, math.floor((EARTH - extent[3]) / size)))
    y1 = int(min(n - 1, math.floor((EARTH - extent[1]) / size)))
    return x0, x1, y0, y1


def _fetch(p: Provider, z: int, x: int, y: int, folder: Path, timeout: float) -> Image.Image:
    path = folder / str(z) / str(x) / f"{y}.png"
    if path.is_file():
        return Image.open(path).convert("RGB")
    url = p.url.replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(y)).replace("{s}", "a")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read()
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise TilesUnavailable(f"{p.name} could not be reached ({reason})") from None
    try:
        image = Image.open(io.BytesIO(data)).convert("RGB")
    except OSError:
        raise TilesUnavailable(f"{p.name} sent something that is not an image") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return image


def mosaic(p: Provider, extent, width_px: int, timeout: float = 4.0) -> tuple[np.ndarray, tuple]:
    """The tiles covering ``extent`` (x0, y0, x1, y1 in Web Mercator metres) as one RGB
    array, and the extent (left, right, bottom, top) that array covers, for ``imshow``."""
    z = zoom_for(extent, width_px)
    while True:
        x0, x1, y0, y1 = _tile_range(extent, z)
        if (x1 - x0 + 1) * (y1 - y0 + 1) <= MAX_TILES or z == 0:
            break
        z -= 1
    folder = cache_dir() / hashlib.sha1(p.url.encode()).hexdigest()[:12]
    jobs = [(x, y) for y in range(y0, y1 + 1) for x in range(x0, x1 + 1)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        images = list(pool.map(lambda xy: _fetch(p, z, xy[0], xy[1], folder, timeout), jobs))
    canvas = Image.new("RGB", ((x1 - x0 + 1) * TILE, (y1 - y0 + 1) * TILE))
    for (x, y), image in zip(jobs, images, strict=True):
        canvas.paste(image.resize((TILE, TILE)), ((x - x0) * TILE, (y - y0) * TILE))
    size = 2 * EARTH / 2**z
    left, right = -EARTH + x0 * size, -EARTH + (x1 + 1) * size
    top, bottom = EARTH - y0 * size, EARTH - (y1 + 1) * size
    return np.asarray(canvas), (left, right, bottom, top)
