"""The atlas' own offline vector basemap: loading, ranking places, drawing it with matplotlib.

The data lives in ``data/basemap/`` (built by ``scripts/build_basemap.py`` from Natural
Earth, OpenStreetMap-derived land and GeoNames; see data/README.md): land and sea,
countries, boundary lines (international, disputed, line of control, claims, and the lines
between Pakistan's provinces and territories), the disputed areas themselves, rivers, lakes
and ranked places. The interactive map draws
the same data in the browser (``static/atlas/outline-basemap.js``, from the compact copy
:func:`client_bundle` writes); snapshots draw it with :func:`draw`.

Disputed areas are never coloured as one country's territory: they are hatched, their
claim lines dashed, and they are labelled with who administers and who claims them.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
from matplotlib import patheffects
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.path import Path as MplPath

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data" / "basemap"
CLIENT_FILE = ROOT / "static" / "atlas" / "outline-basemap-data.js"
#: Pakistan, western China to Kashgar, the Arabian Sea coast and the neighbours' borders.
REGION = (58.0, 20.5, 81.5, 41.0)
LAYERS = ("land", "countries", "boundaries", "disputed", "rivers", "lakes", "places")
FOCUS_COUNTRY = "Pakistan"

#: The lowest zoom at which a place of each rank is labelled (the interactive map uses the
#: same table); collisions thin the labels further.
RANK_MIN_ZOOM = {1: 3, 2: 5, 3: 6, 4: 7, 5: 9, 6: 10}


@dataclass(frozen=True)
class Style:
    sea: str
    land: str
    focus: str  # the focus country (Pakistan) a shade lighter
    coast: str
    border: str
    province_text: str
    water: str
    river: str
    disputed: str
    text: str
    halo: str


STYLES = {
    "light": Style(
        sea="#d4e4ef",
        land="#ecebe4",
        focus="#f8f7f2",
        coast="#8aa3b5",
        border="#6f6f6f",
        province_text="#8a7f73",
        water="#b9d3e6",
        river="#7ba7c9",
        disputed="#b5651d",
        text="#2b2b2b",
        halo="#ffffff",
    ),
    "dark": Style(
        sea="#1c2530",
        land="#2f3237",
        focus="#3a3d43",
        coast="#5d7384",
        border="#9a9a9a",
        province_text="#a39a8f",
        water="#2c4356",
        river="#3f6a8a",
        disputed="#e0a060",
        text="#e8e8e8",
        halo="#15181c",
    ),
}


@dataclass
class Basemap:
    land: gpd.GeoDataFrame
    countries: gpd.GeoDataFrame
    boundaries: gpd.GeoDataFrame
    disputed: gpd.GeoDataFrame
    rivers: gpd.GeoDataFrame
    lakes: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    manifest: dict

    def credits(self) -> list[str]:
        """One line per source, for the attribution on a sheet."""
        return [s["credit"] for s in self.manifest.get("sources", {}).values()]


def load(data_dir: Path = DATA_DIR, fresh: bool = False) -> Basemap:
    """The basemap layers in WGS 84 (cached; ``fresh`` re-reads the files)."""
    if fresh:
        _load.cache_clear()
        projected.cache_clear()
        provinces.cache_clear()
        _cached_paths.cache_clear()
        _coast.cache_clear()
    return _load(str(data_dir))


@lru_cache(maxsize=2)
def _load(data_dir: str) -> Basemap:
    folder = Path(data_dir)
    frames = {}
    for name in LAYERS:
        path = folder / f"{name}.geojson"
        if not path.is_file():
            raise FileNotFoundError(f"basemap layer {path} is missing; run `make basemap`")
        frames[name] = gpd.read_file(path).set_crs("EPSG:4326", allow_override=True)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return Basemap(**frames, manifest=manifest)


@lru_cache(maxsize=2)
def provinces(data_dir: str = str(DATA_DIR)) -> gpd.GeoDataFrame:
    """Pakistan's provinces and territories as polygons (WGS 84). The maps draw only the lines
    between them (``boundaries`` of kind ``province`` and ``territory``); the polygons say which
    unit a place is in."""
    return gpd.read_file(Path(data_dir) / "provinces.geojson").set_crs("EPSG:4326", allow_override=True)


def province_of(lon: float, lat: float, data_dir: str = str(DATA_DIR)) -> str | None:
    """The province or territory the point lies in, or None outside them."""
    from shapely.geometry import Point

    frame = provinces(data_dir)
    hit = frame[frame.contains(Point(lon, lat))]
    return None if hit.empty else str(hit["name"].iloc[0])


@lru_cache(maxsize=2)
def projected(data_dir: str = str(DATA_DIR)) -> Basemap:
    """The same layers in Web Mercator (the snapshots' projection), projected once."""
    base = _load(data_dir)
    frames = {name: getattr(base, name).to_crs("EPSG:3857") for name in LAYERS}
    return Basemap(**frames, manifest=base.manifest)


@lru_cache(maxsize=1)
def country_label_points() -> dict[str, tuple[float, float]]:
    """Where each country's name goes (Web Mercator), computed once."""
    base = projected()
    return {n: (p.x, p.y) for n, p in zip(base.countries["name"], base.countries.representative_point(), strict=True)}


def zoom_for(bbox: tuple[float, float, float, float], width_px: int) -> float:
    """The web-map zoom level at which ``bbox`` spans ``width_px`` pixels."""
    span = max(bbox[2] - bbox[0], 1e-6)
    return math.log2(width_px * 360 / (256 * span))


def label_rank(places: gpd.GeoDataFrame):
    """The rank a place is labelled at: the corridor's own places one step sooner."""
    corridor = places["corridor"].astype(bool)
    return (places["rank"] - corridor.astype(int)).clip(lower=1)


def places_in_view(base: Basemap, bbox, zoom: float, corridor_only: bool = False) -> gpd.GeoDataFrame:
    """Places inside ``bbox`` whose rank is shown at ``zoom``, most important first."""
    minx, miny, maxx, maxy = bbox
    places = base.places.cx[minx:maxx, miny:maxy]
    shown = label_rank(places).map(lambda r: RANK_MIN_ZOOM.get(int(r), 99) <= zoom + 1e-9)
    places = places[shown & (places["kind"] != "region")]
    if corridor_only:
        places = places[places["corridor"].astype(bool)]
    order = places.assign(_pop=places["population"].fillna(0)).sort_values(
        ["rank", "corridor", "_pop"], ascending=[True, False, False]
    )
    return order.drop(columns="_pop")


# --- matplotlib -------------------------------------------------------------------------


def _polygon_paths(frame: gpd.GeoDataFrame) -> list[MplPath]:
    paths = []
    for geom in frame.geometry:
        for polygon in getattr(geom, "geoms", [geom]):
            if polygon.is_empty or polygon.geom_type != "Polygon":
                continue
            rings = [np.asarray(polygon.exterior.coords)] + [np.asarray(r.coords) for r in polygon.interiors]
            codes = []
            for ring in rings:
                codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(ring) - 2) + [MplPath.CLOSEPOLY]
            paths.append(MplPath(np.concatenate(rings)[:, :2], codes))
    return paths


def _segments(frame: gpd.GeoDataFrame) -> list[np.ndarray]:
    out = []
    for geom in frame.geometry:
        for part in getattr(geom, "geoms", [geom]):
            if not part.is_empty:
                out.append(np.asarray(part.coords)[:, :2])
    return out


def joined(segments: list[np.ndarray]) -> list[np.ndarray]:
    """Many polylines as one, NaN rows between them (matplotlib lifts the pen at a NaN): a
    collection of one long path draws and builds far faster than thousands of short ones."""
    if len(segments) <= 1:
        return list(segments)
    gap = np.full((1, 2), np.nan)
    parts = [gap] * (2 * len(segments) - 1)
    parts[::2] = segments
    return [np.concatenate(parts)]


@lru_cache(maxsize=1)
def _region_metres() -> tuple[float, float, float, float]:
    from pyproj import Transformer

    t = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
    return (*t.transform(REGION[0], REGION[1]), *t.transform(REGION[2], REGION[3]))


@lru_cache(maxsize=1)
def _backdrop() -> list[MplPath]:
    """Natural Earth 1:110m land (public domain, the copy bundled with pyogrio), outside the region."""
    import pyogrio
    from shapely.geometry import box

    path = Path(pyogrio.__file__).parent / "tests" / "fixtures" / "naturalearth_lowres" / "naturalearth_lowres.shp"
    world = gpd.read_file(path).clip((-180, -85, 180, 85))
    world = gpd.GeoDataFrame(geometry=world.geometry.difference(box(*REGION)), crs=world.crs).to_crs("EPSG:3857")
    return _polygon_paths(world[~world.geometry.is_empty])


@lru_cache(maxsize=2)
def _coast(data_dir: str = str(DATA_DIR)):
    """The coastline as lines in Web Mercator: the land's outline without the region's
    cut edges (so the sheet shows no straight seam where the data stops)."""
    import shapely

    land = _load(data_dir).land
    outline = shapely.union_all(shapely.boundary(land.geometry.values))
    edge = shapely.box(*REGION).boundary.buffer(1e-3)
    lines = gpd.GeoDataFrame(geometry=[outline.difference(edge)], crs="EPSG:4326").to_crs("EPSG:3857")
    segments = _segments(lines.explode(index_parts=False))
    bounds = np.asarray([[s[:, 0].min(), s[:, 1].min(), s[:, 0].max(), s[:, 1].max()] for s in segments])
    return bounds, segments


#: Below this many metres per pixel the coastline is drawn as it is stored.
FULL_DETAIL_M_PER_PX = 16.0


@lru_cache(maxsize=8)
def _coast_simplified(level: int, data_dir: str = str(DATA_DIR)):
    """The coastline simplified to half a pixel at 2**level metres per pixel (invisible at
    that scale, and a fraction of the vertices to draw)."""
    import shapely

    bounds, segments = _coast(data_dir)
    lines = shapely.simplify(np.asarray([shapely.LineString(s) for s in segments]), 2.0**level / 2)
    return bounds, [shapely.get_coordinates(line) for line in lines]


def _coast_in_view(extent, data_dir: str = str(DATA_DIR), metres_per_px: float = 0.0) -> list[np.ndarray]:
    if metres_per_px >= FULL_DETAIL_M_PER_PX:
        bounds, segments = _coast_simplified(int(math.log2(metres_per_px)), data_dir)
    else:
        bounds, segments = _coast(data_dir)
    x0, y0, x1, y1 = extent
    hit = (bounds[:, 0] <= x1) & (bounds[:, 2] >= x0) & (bounds[:, 1] <= y1) & (bounds[:, 3] >= y0)
    return [segments[i] for i in np.flatnonzero(hit)]


def _in_view(frame: gpd.GeoDataFrame, extent) -> gpd.GeoDataFrame:
    x0, y0, x1, y1 = extent
    return frame.cx[x0:x1, y0:y1]


@lru_cache(maxsize=16)
def _cached_paths(data_dir: str, layer: str, country: str | None = None):
    """Each feature's matplotlib paths and bounds (Web Mercator), built once per layer."""
    frame = getattr(projected(data_dir), layer)
    if country is not None:
        frame = frame[frame["name"] == country]
    paths = [_polygon_paths(frame.iloc[[i]]) for i in range(len(frame))]
    return np.asarray(frame.geometry.bounds.values), paths


def _paths_in_view(layer: str, extent, country: str | None = None, data_dir: str = str(DATA_DIR)) -> list[MplPath]:
    bounds, paths = _cached_paths(data_dir, layer, country)
    if not len(bounds):
        return []
    x0, y0, x1, y1 = extent
    hit = (bounds[:, 0] <= x1) & (bounds[:, 2] >= x0) & (bounds[:, 1] <= y1) & (bounds[:, 3] >= y0)
    return [p for i in np.flatnonzero(hit) for p in paths[i]]


ALL = ("land", "water", "disputed", "boundaries")
#: Province and territory lines: thin and finely dashed, apart from the countries' borders.
PROVINCE_DASHES = (0, (3, 1.5))


def draw(
    ax, extent, style: str = "light", scale: float = 1.0, base: Basemap | None = None, layers=ALL
) -> dict[str, int]:
    """Draw the basemap under the features on ``ax`` (Web Mercator), clipped to ``extent``
    (x0, y0, x1, y1 in metres); ``layers`` picks among land, water, disputed and
    boundaries (the locator inset draws land and boundaries only). Returns how many
    shapes of each layer were drawn."""
    s = STYLES[style]
    base = base or projected()
    ax.set_facecolor(s.sea)
    counts = {}
    rx0, ry0, rx1, ry1 = _region_metres()
    if extent[0] < rx0 or extent[1] < ry0 or extent[2] > rx1 or extent[3] > ry1:
        # beyond the basemap's region: Natural Earth 1:110m land, so the sheet has no hard edge
        ax.add_collection(PathCollection(_backdrop(), facecolor=s.land, edgecolor="none", zorder=0.4))
    land = _paths_in_view("land", extent) if base is projected() else _polygon_paths(_in_view(base.land, extent))
    ax.add_collection(PathCollection(land, facecolor=s.land, edgecolor="none", zorder=0.5))
    focus = _paths_in_view("countries", extent, FOCUS_COUNTRY)
    ax.add_collection(PathCollection(focus, facecolor=s.focus, edgecolor="none", zorder=0.6))
    counts["land"] = len(land)
    if "water" in layers:
        _draw_water(ax, base, extent, s, scale, counts)
    coast = _coast_in_view(extent, metres_per_px=(extent[2] - extent[0]) / max(ax.bbox.width, 1.0))
    ax.add_collection(LineCollection(joined(coast), colors=s.coast, linewidths=0.6 * scale, zorder=1.0), autolim=False)
    if "disputed" in layers:
        disputed = _in_view(base.disputed, extent)
        ax.add_collection(
            PathCollection(
                _polygon_paths(disputed),
                facecolor="none",
                edgecolor=s.disputed,
                hatch="////",
                linewidth=0,
                alpha=0.45,
                zorder=1.1,
            )
        )
        counts["disputed"] = len(disputed)
    if "boundaries" in layers:
        _draw_boundaries(ax, base, extent, s, scale, counts)
    return counts


def _draw_water(ax, base, extent, s, scale, counts) -> None:
    lakes = _in_view(base.lakes, extent)
    ax.add_collection(
        PathCollection(_polygon_paths(lakes), facecolor=s.water, edgecolor=s.river, linewidth=0.4 * scale, zorder=0.8)
    )
    rivers = _in_view(base.rivers, extent)
    for rank, part in rivers.groupby("rank"):
        width = max(0.4, 1.4 - 0.12 * rank) * scale
        ax.add_collection(
            LineCollection(joined(_segments(part)), colors=s.river, linewidths=width, zorder=0.9), autolim=False
        )
    counts["rivers"], counts["lakes"] = len(rivers), len(lakes)


def _draw_boundaries(ax, base, extent, s, scale, counts) -> None:
    lines = _in_view(base.boundaries, extent)
    for kind, dashes, width in (
        ("international", None, 0.9),
        ("indefinite", (0, (4, 2)), 0.9),
        ("disputed", (0, (3, 2)), 1.0),
        ("line_of_control", (0, (6, 2, 1, 2)), 1.0),
        ("claim", (0, (1.5, 1.5)), 0.8),
        ("province", PROVINCE_DASHES, 0.7),
        ("territory", PROVINCE_DASHES, 0.7),
    ):
        part = lines[lines["kind"] == kind]
        if part.empty:
            continue
        colour = {"international": s.border, "indefinite": s.border, "province": s.province_text}.get(kind, s.disputed)
        ax.add_collection(
            LineCollection(
                joined(_segments(part)),
                colors=colour,
                linewidths=width * scale,
                linestyles=dashes or "solid",
                zorder=1.2,
            ),
            autolim=False,
        )
    counts["boundaries"] = len(lines)


def halo(style: str = "light", width: float = 2.5):
    """Path effects that keep a label readable over any basemap."""
    return [patheffects.withStroke(linewidth=width, foreground=STYLES[style].halo)]


# --- the browser's copy -----------------------------------------------------------------

_SCALE = 10**4  # coordinates as integers of 1e-4 degree (~10 m)


def _encode_ring(coords) -> list[int]:
    """A ring or line as delta-encoded integers: x0, y0, dx1, dy1, ..."""
    q = np.round(np.asarray(coords)[:, :2] * _SCALE).astype(np.int64)
    deltas = np.vstack([q[:1], np.diff(q, axis=0)])
    keep = np.ones(len(deltas), dtype=bool)
    keep[1:] = (deltas[1:] != 0).any(axis=1)  # repeated vertices add nothing
    return deltas[keep].ravel().tolist()


def _encode(geom) -> list:
    kind = geom.geom_type
    if kind == "Point":
        return [round(geom.x * _SCALE), round(geom.y * _SCALE)]
    if kind == "LineString":
        return [_encode_ring(geom.coords)]
    if kind == "Polygon":
        return [_encode_ring(geom.exterior.coords)] + [_encode_ring(r.coords) for r in geom.interiors]
    if kind.startswith("Multi"):
        out = []
        for part in geom.geoms:
            out.extend(_encode(part) if part.geom_type != "Point" else [_encode(part)])
        return out
    raise ValueError(f"cannot encode {kind}")


def client_bundle(base: Basemap) -> str:
    """The basemap as one small script for the browser: ``window.atlasOutlineData = {...}``.

    Each layer is ``{"p": [properties...], "g": [geometry...]}`` with delta-encoded
    integer coordinates (see ``static/atlas/outline-basemap.js``).
    """
    keep = {
        "land": [],
        "countries": ["name"],
        "boundaries": ["kind"],
        "disputed": ["name", "note", "label_lon", "label_lat", "label_rank"],
        "rivers": ["name", "rank"],
        "lakes": ["name", "rank"],
        "places": ["name", "kind", "rank"],
    }
    data = {"scale": _SCALE, "rankMinZoom": RANK_MIN_ZOOM, "focus": FOCUS_COUNTRY, "layers": {}}
    for name, fields in keep.items():
        frame = getattr(base, name)
        if name == "places":
            frame = frame.assign(rank=label_rank(frame))
        if name == "countries":
            frame = frame[frame["name"] == FOCUS_COUNTRY]
        props = [
            [None if _missing(row[f]) else (row[f].item() if hasattr(row[f], "item") else row[f]) for f in fields]
            for row in frame[fields].to_dict("records")
        ]
        data["layers"][name] = {"f": fields, "p": props, "g": [_encode(g) for g in frame.geometry]}
    data["credits"] = base.credits()
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return (
        "/* CPEC Atlas offline basemap data, written by scripts/build_basemap.py; "
        "sources and licences in data/basemap/manifest.json. */\n"
        f"window.atlasOutlineData = {text};\n"
    )


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))
