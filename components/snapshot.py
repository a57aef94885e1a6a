"""Static map snapshots (PNG, SVG, PDF) drawn with matplotlib: no browser, no network.

The renderer draws the filtered features over an offline vector basemap (Natural Earth
country outlines, public domain, the copy bundled with pyogrio) in Web Mercator, the
projection of the interactive map, with the same sector colours and symbols, a title, a
subtitle naming the filters, a legend of the sectors drawn, a scale bar, a north arrow, an
attribution line and the boundary disclaimer.

:meth:`Snapshot.pixel` is the renderer's world-to-pixel transform, so tests (and callers
that annotate images) can compute where a coordinate lands.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from functools import lru_cache, wraps
from pathlib import Path

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pyogrio
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath
from pyproj import Transformer

from components import vocab

FORMATS = ("png", "svg", "pdf")
MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}

#: matplotlib marker for each sector shape (the interactive map uses the same shapes).
MARKERS = {
    "square": "s",
    "triangle": "^",
    "circle": "o",
    "hexagon": "h",
    "star": "*",
    "diamond": "D",
    "pentagon": "p",
    "cross": "P",
}
#: matplotlib dash pattern for each status (None = solid), mirroring vocab's Leaflet dashes.
DASHES = {s.id: (None if s.dash is None else (0, tuple(float(x) / 2 for x in s.dash.split()))) for s in vocab.STATUSES}

LAND = "#ecebe6"
LAND_EDGE = "#9a9a9a"
SEA = "#dfe9f2"
ATTRIBUTION = (
    "Data: CPEC Atlas (CC BY 4.0), sources listed per feature. "
    "Basemap: Natural Earth (public domain). "
    "Dashed lines: not yet operational. Faded/hollow symbols: approximate/area-level positions."
)

_TO_MERCATOR = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)


def subtitle(description: str, count: int, data_date) -> str:
    """The line under a snapshot's title: the active filters, the count and the data date."""
    return f"{description[:1].upper()}{description[1:]} · {count} features · data as of {data_date.isoformat()}"


def natural_earth_path() -> Path:
    return Path(pyogrio.__file__).parent / "tests" / "fixtures" / "naturalearth_lowres" / "naturalearth_lowres.shp"


@lru_cache(maxsize=1)
def _country_paths() -> tuple[MplPath, ...]:
    """Country outlines in Web Mercator as matplotlib paths, read and projected once."""
    world = gpd.read_file(natural_earth_path())
    # Web Mercator is undefined at the poles; nothing of interest lies there.
    world = world.clip((-180, -85, 180, 85)).to_crs("EPSG:3857")
    paths = []
    for geom in world.geometry:
        for polygon in getattr(geom, "geoms", [geom]):
            rings = [np.asarray(polygon.exterior.coords)] + [np.asarray(r.coords) for r in polygon.interiors]
            codes = []
            for ring in rings:
                codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(ring) - 2) + [MplPath.CLOSEPOLY]
            paths.append(MplPath(np.concatenate(rings), codes))
    return tuple(paths)


def mercator(lon: float, lat: float) -> tuple[float, float]:
    return _TO_MERCATOR.transform(lon, lat)


@dataclass
class SnapshotSpec:
    """What to draw: the view (lon/lat box), the size and the texts."""

    bbox: tuple[float, float, float, float]
    width_px: int = 1200
    height_px: int = 800
    dpi: int = 100
    title: str = "CPEC Atlas"
    subtitle: str = ""

    def __post_init__(self):
        minx, miny, maxx, maxy = self.bbox
        if not (-180 <= minx < maxx <= 180 and -85 <= miny < maxy <= 85):
            raise ValueError(f"bbox must be minlon,minlat,maxlon,maxlat with min < max, got {self.bbox}")
        if not (200 <= self.width_px <= 12000 and 200 <= self.height_px <= 12000):
            raise ValueError("width and height must be between 200 and 12000 pixels")
        if not 50 <= self.dpi <= 600:
            raise ValueError("dpi must be between 50 and 600")


PRINT = {"width_px": 3508, "height_px": 2480, "dpi": 300}  # A4 landscape at 300 dpi


@dataclass
class Snapshot:
    figure: plt.Figure
    ax: plt.Axes
    spec: SnapshotSpec
    legend_labels: list[str] = field(default_factory=list)

    def pixel(self, lon: float, lat: float) -> tuple[float, float]:
        """Where a lon/lat lands in the rendered image, in pixels from the top-left corner."""
        x, y = self.ax.transData.transform(mercator(lon, lat))
        return float(x), float(self.spec.height_px - y)

    def to_bytes(self, fmt: str = "png") -> bytes:
        if fmt not in FORMATS:
            raise ValueError(f"unknown image format {fmt!r}; use one of {', '.join(FORMATS)}")
        buffer = io.BytesIO()
        options = {"pil_kwargs": {"compress_level": 3}} if fmt == "png" else {}
        self.figure.savefig(buffer, format=fmt, dpi=self.spec.dpi, **options)
        return buffer.getvalue()

    def close(self) -> None:
        plt.close(self.figure)


def _nice_length(km: float) -> float:
    """The largest 1-2-5 step not above ``km``."""
    if km <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(km))
    for step in (5, 2, 1):
        if step * power <= km:
            return step * power
    return power


def _scale_bar(ax, center_lat: float) -> None:
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    ground_m_per_unit = math.cos(math.radians(center_lat))  # Web Mercator metres → ground metres
    width_km = (x1 - x0) * ground_m_per_unit / 1000
    length_km = _nice_length(width_km / 5)
    length_units = length_km * 1000 / ground_m_per_unit
    bx, by = x0 + (x1 - x0) * 0.03, y0 + (y1 - y0) * 0.04
    ax.plot([bx, bx + length_units], [by, by], color="#222222", linewidth=3, solid_capstyle="butt", zorder=20)
    label = f"{length_km:,.0f} km" if length_km >= 1 else f"{length_km * 1000:,.0f} m"
    ax.text(bx, by + (y1 - y0) * 0.015, label, fontsize=8, color="#222222", zorder=20)


def _north_arrow(ax) -> None:
    ax.annotate(
        "N",
        xy=(0.965, 0.95),
        xytext=(0.965, 0.85),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontsize=10,
        fontweight="bold",
        arrowprops={"arrowstyle": "-|>", "color": "#222222", "linewidth": 1.5},
        zorder=20,
    )


def _draw_features(ax, features: gpd.GeoDataFrame, marker_size: float) -> list[str]:
    """Draw lines/polygons then points; return the labels of the sectors drawn."""
    if features.empty:
        return []
    projected = features.to_crs("EPSG:3857")
    rows = list(zip(projected["sector"], projected["status"], projected["precision"], projected.geometry, strict=True))
    sectors = {s.id: s for s in vocab.SECTORS}
    fade = {"exact": 1.0, "approximate": 0.7, "area": 0.5}
    points: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for sector_id, status, precision, geom in rows:
        sector = sectors[sector_id]
        if geom.geom_type in ("Point", "MultiPoint"):
            # a multi-point feature (one project in several towns) gets a symbol at each point
            points.setdefault((sector_id, precision), []).extend((g.x, g.y) for g in getattr(geom, "geoms", [geom]))
        elif geom.geom_type in ("LineString", "MultiLineString"):
            for part in getattr(geom, "geoms", [geom]):
                xs, ys = part.xy
                (line,) = ax.plot(xs, ys, color=sector.colour, linewidth=2.2, alpha=fade[precision], zorder=5)
                if DASHES[status] is not None:
                    line.set_dashes(DASHES[status][1])
        elif geom.geom_type in ("Polygon", "MultiPolygon"):
            _draw_polygon(ax, geom, sector.colour, status, precision, fade[precision])
            minx, miny, maxx, maxy = geom.bounds
            if max(maxx - minx, maxy - miny) < FOOTPRINT_SYMBOL_PX * _metres_per_pixel(ax):
                # too small to see at this scale: the sector symbol marks its centre as well
                centre = geom.representative_point()
                points.setdefault((sector_id, precision), []).append((centre.x, centre.y))
    for (sector_id, precision), xy in points.items():
        sector = sectors[sector_id]
        hollow = precision == "area"
        xs, ys = zip(*xy, strict=True)
        ax.scatter(
            xs,
            ys,
            s=marker_size,
            marker=MARKERS[sector.shape],
            facecolors="none" if hollow else sector.colour,
            edgecolors=sector.colour if hollow else "white",
            linewidths=1.6 if hollow else 0.8,
            alpha=0.6 if precision == "approximate" else 1.0,
            zorder=10,
        )
    present = {sector_id for sector_id, *_ in rows}
    return [s.label for s in vocab.SECTORS if s.id in present]


#: A footprint smaller than this many pixels also gets its sector symbol at its centre.
FOOTPRINT_SYMBOL_PX = 12


def _metres_per_pixel(ax) -> float:
    x0, x1 = ax.get_xlim()
    return (x1 - x0) / max(ax.bbox.width, 1.0)


def _polygon_path(geom) -> MplPath:
    vertices, codes = [], []
    for polygon in getattr(geom, "geoms", [geom]):
        for ring in [polygon.exterior, *polygon.interiors]:
            xy = np.asarray(ring.coords)
            vertices.append(xy)
            codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(xy) - 2) + [MplPath.CLOSEPOLY]
    return MplPath(np.concatenate(vertices), codes)


def _draw_polygon(ax, geom, colour: str, status: str, precision: str, fade: float) -> None:
    """A footprint: translucent sector fill, sector outline dashed when not operational
    (as lines are), fainter for approximate and area-level outlines."""
    patch = PathPatch(
        _polygon_path(geom),
        facecolor=to_rgba(colour, 0.3 * fade),
        edgecolor=to_rgba(colour, 0.9 * fade),
        linewidth=1.4,
        zorder=4,
    )
    if DASHES[status] is not None:
        patch.set_linestyle(DASHES[status])
    ax.add_patch(patch)


def _fill_box(lower_left, upper_right, ratio: float) -> tuple[float, float, float, float]:
    """Widen the requested view (Mercator metres) to the map frame's width/height ratio.

    The whole requested box stays visible and one metre is the same length across and up.
    """
    (x0, y0), (x1, y1) = lower_left, upper_right
    width, height = x1 - x0, y1 - y0
    if width / height < ratio:
        extra = (height * ratio - width) / 2
        x0, x1 = x0 - extra, x1 + extra
    else:
        extra = (width / ratio - height) / 2
        y0, y1 = y0 - extra, y1 + extra
    return x0, y0, x1, y1


def _draw_extra(ax, frame: gpd.GeoDataFrame, colour: str, marker_size: float) -> None:
    """An imported layer: one colour, circles for points."""
    projected = frame.to_crs("EPSG:3857")
    points = projected[projected.geometry.geom_type == "Point"]
    others = projected[projected.geometry.geom_type != "Point"]
    if not others.empty:
        others.plot(ax=ax, color=colour, alpha=0.45, edgecolor=colour, linewidth=1.5, zorder=8)
    if not points.empty:
        ax.scatter(
            points.geometry.x,
            points.geometry.y,
            s=marker_size,
            marker="o",
            facecolors=colour,
            edgecolors="white",
            linewidths=1.0,
            zorder=11,
        )


def _plain_text(draw):
    """Titles, filter text and layer names come from users: ``$…$`` must not become a formula."""

    @wraps(draw)
    def wrapper(*args, **kwargs):
        with plt.rc_context({"text.parse_math": False}):
            return draw(*args, **kwargs)

    return wrapper


@_plain_text
def render(
    features: gpd.GeoDataFrame,
    spec: SnapshotSpec,
    extra: list[tuple[str, str, gpd.GeoDataFrame]] | None = None,
) -> Snapshot:
    """Draw ``features`` (already filtered) in the view ``spec.bbox``; ``extra`` adds imported
    layers as (label, colour, features)."""
    fig = plt.figure(figsize=(spec.width_px / spec.dpi, spec.height_px / spec.dpi), dpi=spec.dpi)
    fig.patch.set_facecolor("white")
    box = (0.02, 0.09, 0.96, 0.80)
    ax = fig.add_axes(box)
    ax.set_facecolor(SEA)
    minx, miny, maxx, maxy = spec.bbox
    x0, y0, x1, y1 = _fill_box(
        mercator(minx, miny), mercator(maxx, maxy), box[2] * spec.width_px / (box[3] * spec.height_px)
    )
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.add_collection(
        PathCollection(_country_paths(), facecolor=LAND, edgecolor=LAND_EDGE, linewidth=0.6, zorder=1),
        autolim=False,
    )
    scale = spec.dpi / 100
    drawn = _draw_features(ax, features, marker_size=70 * scale * scale)
    extra = [(label, colour, frame) for label, colour, frame in (extra or []) if not frame.empty]
    for _, colour, frame in extra:
        _draw_extra(ax, frame, colour, 60 * scale * scale)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.apply_aspect()  # the frame already has the view's ratio; settle it before measuring
    _scale_bar(ax, (miny + maxy) / 2)
    _north_arrow(ax)
    legend = []
    if drawn or extra:
        handles = [
            Line2D(
                [],
                [],
                linestyle="none",
                marker=MARKERS[s.shape],
                markersize=8,
                markerfacecolor=s.colour,
                markeredgecolor="white",
                label=s.label,
            )
            for s in vocab.SECTORS
            if s.label in drawn
        ]
        handles += [
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=8,
                markerfacecolor=colour,
                markeredgecolor="white",
                label=label,
            )
            for label, colour, _ in extra
        ]
        ax.legend(handles=handles, loc="lower right", fontsize=8, framealpha=0.92, title="Sectors", title_fontsize=8)
        legend = [h.get_label() for h in handles]
    fig.text(0.02, 0.955, spec.title, fontsize=16, fontweight="bold", va="center")
    if spec.subtitle:
        fig.text(0.02, 0.91, spec.subtitle, fontsize=9, color="#444444", va="center")
    fig.text(0.02, 0.055, ATTRIBUTION, fontsize=6.5, color="#444444", va="center")
    fig.text(0.02, 0.025, vocab.BOUNDARY_DISCLAIMER, fontsize=6.5, color="#444444", va="center", style="italic")
    return Snapshot(figure=fig, ax=ax, spec=spec, legend_labels=legend)


def render_bytes(features: gpd.GeoDataFrame, spec: SnapshotSpec, fmt: str = "png", extra=None) -> bytes:
    snapshot = render(features, spec, extra)
    try:
        return snapshot.to_bytes(fmt)
    finally:
        snapshot.close()


def fit_bbox(features: gpd.GeoDataFrame, pad: float = 0.08) -> tuple[float, float, float, float]:
    """A lon/lat box around ``features`` with a margin (a point gets a small box around it)."""
    minx, miny, maxx, maxy = features.total_bounds
    if not np.isfinite([minx, miny, maxx, maxy]).all():
        raise ValueError("no features to fit")
    dx = max((maxx - minx) * pad, 0.1)  # a lone point still gets ~20 km of context
    dy = max((maxy - miny) * pad, 0.1)
    return (
        max(minx - dx, -180.0),
        max(miny - dy, -85.0),
        min(maxx + dx, 180.0),
        min(maxy + dy, 85.0),
    )
