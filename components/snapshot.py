"""Static map snapshots (PNG, SVG, PDF) drawn with matplotlib: no browser needed.

The renderer draws the filtered features in Web Mercator (the projection of the
interactive map) over a basemap: the atlas' own offline vector basemap
(:mod:`components.basemap`: land and sea, borders with disputed areas hatched and
labelled, rivers, lakes, ranked places) or, with ``basemap="tiles"``, the interactive
map's web tiles (:mod:`components.tiles`, cached on disk), falling back to the outline
with a note on the sheet when they cannot be reached.

A sheet has a title block, the filters and data date, a legend, a scale bar, a locator
inset (the view's frame on the whole corridor), labels for the key places in view (and
optionally the features) placed without overlap and with halos, the projection and
date, source and attribution lines and the boundary disclaimer. The map is always
drawn north up, so no north arrow is added. Layouts: ``screen`` (1200 × 800) and
print sizes (A4/A3, portrait/landscape, 300 dpi).

:meth:`Snapshot.pixel` is the renderer's world-to-pixel transform, so tests (and callers
that annotate images) can compute where a coordinate lands.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from datetime import date
from functools import cache, wraps
from pathlib import Path

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import shapely
from matplotlib import font_manager
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_rgba
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Bbox
from pyproj import Transformer

from components import basemap, i18n, tiles, vocab

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

STYLE = basemap.STYLES["light"]
LAND = STYLE.focus  # the land under the atlas' features (Pakistan, drawn a shade lighter)
SEA = STYLE.sea
#: Fonts per interface language, first choice first (matplotlib falls back glyph by glyph along
#: the list). Urdu: Amiri, a Naskh face with the Urdu letters (Debian ``fonts-hosny-amiri``);
#: Chinese: WenQuanYi Micro Hei (``fonts-wqy-microhei``). matplotlib (3.11, with libraqm) shapes
#: and orders the Arabic script itself: letters join and runs read right to left.
FONTS = {
    "en": ["DejaVu Sans"],
    "ur": ["Amiri", "DejaVu Sans"],
    "zh": ["WenQuanYi Micro Hei", "DejaVu Sans"],
}

#: Sheet sizes: (width px, height px, dpi). "screen" is the app's default image.
LAYOUTS = {
    "screen": (1200, 800, 100),
    "a4-landscape": (3508, 2480, 300),
    "a4-portrait": (2480, 3508, 300),
    "a3-landscape": (4961, 3508, 300),
    "a3-portrait": (3508, 4961, 300),
}
BASEMAPS = ("outline", "tiles")
LABELS = ("places", "features", "none")

_TO_MERCATOR = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)


def subtitle(description: str, count: int, data_date, lang: str = i18n.DEFAULT) -> str:
    """The line under a snapshot's title: the active filters, the count and the data date."""
    description = f"{description[:1].upper()}{description[1:]}"
    return i18n.t("snapshot.subtitle", lang, view=description, n=count, date=data_date.isoformat())


def mercator(lon: float, lat: float) -> tuple[float, float]:
    return _TO_MERCATOR.transform(lon, lat)


@dataclass
class SnapshotSpec:
    """What to draw: the view (lon/lat box), the size, the basemap, labels and the texts.

    ``tiles`` is a basemap id of the interactive map ("carto-light", "osm", …) or an XYZ
    URL template; it is used when ``basemap`` is "tiles". ``near`` draws a radius (a
    polygon in lon/lat) and rings around the features found in it; ``highlight`` (a lon/lat
    geometry, the URL's ``feature=``) is drawn with a halo under its symbol.
    """

    bbox: tuple[float, float, float, float]
    width_px: int = 1200
    height_px: int = 800
    dpi: int = 100
    title: str = "CPEC Atlas"
    subtitle: str = ""
    basemap: str = "outline"
    tiles: str = "carto-light"
    labels: str = "places"
    near: object = None  # (radius polygon in lon/lat, [(lon, lat) found], caption): see near_overlay
    highlight: object = None  # a geometry in lon/lat drawn with a halo: the feature a link points at
    made: date | None = None
    lang: str = i18n.DEFAULT  # the language of the sheet's own words (and of feature names, where given)

    def __post_init__(self):
        minx, miny, maxx, maxy = self.bbox
        if not (-180 <= minx < maxx <= 180 and -85 <= miny < maxy <= 85):
            raise ValueError(f"bbox must be minlon,minlat,maxlon,maxlat with min < max, got {self.bbox}")
        if not (200 <= self.width_px <= 12000 and 200 <= self.height_px <= 12000):
            raise ValueError("width and height must be between 200 and 12000 pixels")
        if not 50 <= self.dpi <= 600:
            raise ValueError("dpi must be between 50 and 600")
        if self.basemap not in BASEMAPS:
            raise ValueError(f"basemap must be one of {', '.join(BASEMAPS)}, got {self.basemap!r}")
        if self.labels not in LABELS:
            raise ValueError(f"labels must be one of {', '.join(LABELS)}, got {self.labels!r}")
        if self.lang not in i18n.LANGUAGES:
            raise ValueError(f"lang must be one of {', '.join(i18n.LANGUAGES)}, got {self.lang!r}")

    @classmethod
    def layout(cls, name: str, **kwargs) -> SnapshotSpec:
        if name not in LAYOUTS:
            raise ValueError(f"unknown layout {name!r}; use one of {', '.join(LAYOUTS)}")
        width, height, dpi = LAYOUTS[name]
        return cls(width_px=width, height_px=height, dpi=dpi, **kwargs)

    @property
    def print_sheet(self) -> bool:
        return self.dpi >= 200


PRINT = {"width_px": 3508, "height_px": 2480, "dpi": 300}  # A4 landscape at 300 dpi


@dataclass
class Snapshot:
    figure: plt.Figure
    ax: plt.Axes
    spec: SnapshotSpec
    legend_labels: list[str] = field(default_factory=list)
    #: what the sheet says about itself: e.g. that tiles could not be reached
    notes: list[str] = field(default_factory=list)
    basemap_used: str = "outline"
    #: the labels drawn: (text, kind, the box kept free for it in display pixels, the text artist)
    labels: list[tuple] = field(default_factory=list)
    inset: plt.Axes | None = None

    def pixel(self, lon: float, lat: float) -> tuple[float, float]:
        """Where a lon/lat lands in the rendered image, in pixels from the top-left corner."""
        x, y = self.ax.transData.transform(mercator(lon, lat))
        return float(x), float(self.spec.height_px - y)

    def label_extents(self) -> list[tuple[str, str, Bbox]]:
        """The boxes the drawn label texts really occupy, measured by the renderer."""
        renderer = self.figure.canvas.get_renderer()
        return [(text, kind, artist.get_window_extent(renderer)) for text, kind, _, artist in self.labels]

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


def _scale_bar(ax, center_lat: float, halo, lang: str = i18n.DEFAULT) -> None:
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    ground_m_per_unit = math.cos(math.radians(center_lat))  # Web Mercator metres → ground metres
    width_km = (x1 - x0) * ground_m_per_unit / 1000
    length_km = _nice_length(width_km / 5)
    length_units = length_km * 1000 / ground_m_per_unit
    bx, by = x0 + (x1 - x0) * 0.03, y0 + (y1 - y0) * 0.04
    for start, colour in ((0, "#222222"), (0.5, "#ffffff")):
        ax.add_patch(
            Rectangle(
                (bx + start * length_units, by),
                length_units / 2,
                (y1 - y0) * 0.006,
                facecolor=colour,
                edgecolor="#222222",
                linewidth=0.8,
                zorder=20,
            )
        )
    if length_km >= 1:
        label = i18n.t("snapshot.scale_km", lang, n=f"{length_km:,.0f}")
    else:
        label = i18n.t("snapshot.scale_m", lang, n=f"{length_km * 1000:,.0f}")
    ax.text(bx, by + (y1 - y0) * 0.015, label, fontsize=8, color="#222222", zorder=20, path_effects=halo)


def _draw_features(ax, features: gpd.GeoDataFrame, marker_size: float) -> list[str]:
    """Draw lines/polygons then points; return the labels of the sectors drawn. Features of
    one style (sector, status, precision) are drawn as one collection each."""
    if features.empty:
        return []
    projected = features.to_crs("EPSG:3857")
    rows = list(zip(projected["sector"], projected["status"], projected["precision"], projected.geometry, strict=True))
    sectors = {s.id: s for s in vocab.SECTORS}
    points: dict[tuple[str, str], list[tuple[float, float]]] = {}
    lines: dict[tuple[str, str, str], list[np.ndarray]] = {}
    footprints: dict[tuple[str, str, str], list[MplPath]] = {}
    too_small = FOOTPRINT_SYMBOL_PX * _metres_per_pixel(ax)
    for sector_id, status, precision, geom in rows:
        if geom.geom_type in ("Point", "MultiPoint"):
            # a multi-point feature (one project in several towns) gets a symbol at each point
            points.setdefault((sector_id, precision), []).extend((g.x, g.y) for g in getattr(geom, "geoms", [geom]))
        elif geom.geom_type in ("LineString", "MultiLineString"):
            parts = lines.setdefault((sector_id, status, precision), [])
            parts.extend(np.asarray(part.coords)[:, :2] for part in getattr(geom, "geoms", [geom]))
        elif geom.geom_type in ("Polygon", "MultiPolygon"):
            footprints.setdefault((sector_id, status, precision), []).append(_polygon_path(geom))
            minx, miny, maxx, maxy = geom.bounds
            if max(maxx - minx, maxy - miny) < too_small:
                # too small to see at this scale: the sector symbol marks its centre as well
                centre = geom.representative_point()
                points.setdefault((sector_id, precision), []).append((centre.x, centre.y))
    for (sector_id, status, precision), paths in footprints.items():
        _draw_polygons(ax, paths, sectors[sector_id].colour, status, FADE[precision])
    for (sector_id, status, precision), parts in lines.items():
        ax.add_collection(
            LineCollection(
                basemap.joined(parts),
                colors=sectors[sector_id].colour,
                linewidths=2.2,
                alpha=FADE[precision],
                linestyles=DASHES[status] or "solid",
                capstyle="projecting",
                joinstyle="round",
                zorder=5,
            ),
            autolim=False,
        )
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


#: Opacity by location precision: fainter the less exact the geometry.
FADE = {"exact": 1.0, "approximate": 0.7, "area": 0.5}

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


def _draw_polygons(ax, paths: list[MplPath], colour: str, status: str, fade: float) -> None:
    """Footprints of one style: translucent sector fill, sector outline dashed when not
    operational (as lines are), fainter for approximate and area-level outlines."""
    ax.add_collection(
        PathCollection(
            paths,
            facecolors=[to_rgba(colour, 0.3 * fade)],
            edgecolors=[to_rgba(colour, 0.9 * fade)],
            linewidths=1.4,
            linestyles=DASHES[status] or "solid",
            zorder=4,
        ),
        autolim=False,
    )


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


def _text_size(spec: SnapshotSpec) -> dict[str, float]:
    big = spec.print_sheet
    return {"title": 20 if big else 16, "subtitle": 10 if big else 9, "foot": 7 if big else 6.5}


def _short(name: str, limit: int = 34) -> str:
    """A feature's label: its name up to the first bracket, shortened."""
    text = str(name).split(" (")[0].strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _label_candidates(features, spec, view_bbox, zoom, extent) -> list[dict]:
    """What may be labelled, most important first: the country names and the corridor's
    towns, then the features (with ``labels="features"``), the other places by rank, the
    disputed areas and the provinces."""
    out, named = [], []
    if spec.labels == "features" and not features.empty:
        projected = features.to_crs("EPSG:3857")
        names = [i18n.feature_name(r, spec.lang) for r in projected.drop(columns="geometry").to_dict("records")]
        for name, geom in zip(names, projected.geometry, strict=True):
            point = geom if geom.geom_type == "Point" else geom.representative_point()
            if geom.geom_type in ("LineString", "MultiLineString"):
                point = geom.interpolate(0.5, normalized=True)
            named.append({"text": _short(name), "x": point.x, "y": point.y, "kind": "feature", "size": 7.5})
    if spec.labels == "none":
        return named
    base = basemap.load()
    x0, y0, x1, y1 = extent
    if zoom < 8:
        for name, (x, y) in basemap.country_label_points().items():
            if x0 < x < x1 and y0 < y < y1 and name != "Siachen Glacier":
                out.append({"text": " ".join(name.upper()), "x": x, "y": y, "kind": "country", "size": 8.5})
    places = basemap.places_in_view(base, view_bbox, zoom)
    # the corridor's own country first: a foreign city yields to a Pakistani town two ranks lower
    home = places["corridor"].astype(bool) | (places["country"] == "PK")
    places = places.assign(_order=places["rank"] + np.where(home, 0, 2)).sort_values("_order", kind="stable")
    sizes = {1: 10, 2: 9.5, 3: 9, 4: 8.5}
    for name, rank, geom in zip(places["name"][:90], places["rank"][:90], places.geometry[:90], strict=True):
        x, y = mercator(geom.x, geom.y)
        out.append({"text": name, "x": x, "y": y, "kind": "place", "size": sizes.get(int(rank), 8), "rank": int(rank)})
    # features after the main towns (never hide Gwadar behind its own projects), before the rest
    first = [c for c in out if c["kind"] == "country" or c.get("rank", 9) <= 4]
    out = first + named + [c for c in out if c not in first]
    disputed = base.disputed
    for name, lon, lat, rank in zip(
        disputed["name"], disputed["label_lon"], disputed["label_lat"], disputed["label_rank"], strict=True
    ):
        x, y = mercator(lon, lat)
        if x0 < x < x1 and y0 < y < y1 and (rank <= 2 or zoom >= 7):
            text = i18n.t("snapshot.disputed", spec.lang, name=name)
            out.append({"text": text, "x": x, "y": y, "kind": "disputed", "size": 7.5})
    if zoom < 9:
        regions = base.places[(base.places["kind"] == "region") & base.places["corridor"].astype(bool)]
        regions = regions.cx[view_bbox[0] : view_bbox[2], view_bbox[1] : view_bbox[3]]
        for name, geom in zip(regions["name"], regions.geometry, strict=True):
            if name in set(base.disputed["name"]):
                continue
            x, y = mercator(geom.x, geom.y)
            out.append({"text": name.upper(), "x": x, "y": y, "kind": "region", "size": 7})
    return out


_OFFSETS = ((6, 0, "left", "center"), (-6, 0, "right", "center"), (0, 6, "center", "bottom"), (0, -6, "center", "top"))


def place_labels(fig, ax, candidates: list[dict], obstacles: list[Bbox], style: str = "light", symbols=()):
    """Draw labels in order, each at the first position around its point that stays inside
    the map and overlaps no label, dot or obstacle already there; the rest are left out.
    ``symbols`` (the features' point symbols) are avoided by all but the main cities and
    the country names, which must not go missing.

    Returns the labels drawn as (text, kind, bounding box in display pixels)."""
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    taken = list(obstacles)
    symbols = list(symbols)
    halo = basemap.halo(style, 2.6)
    colours = {
        "place": STYLE.text,
        "feature": "#1a1a1a",
        "disputed": STYLE.disputed,
        "region": STYLE.province_text,
        "country": "#6b6358",
    }
    drawn, dots, labels_only = [], [], []
    pt = fig.dpi / 72
    for c in candidates:
        px, py = ax.transData.transform((c["x"], c["y"]))
        if not frame.contains(px, py):
            continue
        centred = c["kind"] in ("disputed", "region", "country")
        dot = None if centred else Bbox.from_extents(px - 2.5 * pt, py - 2.5 * pt, px + 2.5 * pt, py + 2.5 * pt)
        if dot is not None and any(dot.overlaps(t) for t in labels_only):
            continue  # another label covers this place
        weight = "bold" if c.get("rank", 9) <= 2 or c["kind"] == "feature" else "normal"
        font = FontProperties(size=c["size"], weight=weight, style="italic" if centred else "normal")
        lines = [renderer.get_text_width_height_descent(line, font, ismath=False) for line in c["text"].split("\n")]
        width = max(w for w, _, _ in lines)
        height = sum(h for _, h, _ in lines) * 1.02
        strict = c["kind"] not in ("country", "disputed") and c.get("rank", 9) > 2
        for dx, dy, ha, va in ((0, 0, "center", "center"),) if centred else _OFFSETS:
            # the label's box, measured once and moved arithmetically (no trial drawing)
            x = px + dx * pt - {"left": 0, "center": width / 2, "right": width}[ha]
            y = py + dy * pt - {"bottom": 0, "center": height / 2, "top": height}[va]
            box = Bbox.from_extents(x - 1, y - 1, x + width + 1, y + height + 1)
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
            if not inside or any(box.overlaps(t) for t in taken):
                continue
            if strict and any(box.overlaps(t) for t in symbols):
                continue
            artist = ax.annotate(
                c["text"],
                (c["x"], c["y"]),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontproperties=font,
                color=colours[c["kind"]],
                linespacing=1.0,
                path_effects=halo,
                zorder=15,
                annotation_clip=False,
            )
            taken.append(box)
            labels_only.append(box)
            if dot is not None:
                taken.append(dot)
                if c["kind"] == "place":
                    dots.append((c["x"], c["y"]))
            drawn.append((c["text"], c["kind"], box, artist))
            break
    if dots:
        xs, ys = zip(*dots, strict=True)
        ax.scatter(xs, ys, s=9, marker="o", facecolors=STYLE.text, edgecolors="white", linewidths=0.6, zorder=14)
    return drawn


def _vertices(features: gpd.GeoDataFrame) -> np.ndarray:
    """Every vertex of the features (Web Mercator), to see where on the sheet they lie."""
    if features.empty:
        return np.empty((0, 2))
    return shapely.get_coordinates(features.to_crs("EPSG:3857").geometry.values)


def _inset_corner(fig, ax, size: tuple[float, float], vertices: np.ndarray) -> tuple[float, float]:
    """Where the locator goes (figure coordinates of its lower left): the upper right, unless
    the upper left hides fewer of the features (the lower corners hold the legend and scale)."""
    box = ax.get_position()
    width, height = size
    top = box.y1 - height - box.height * 0.018
    corners = [(box.x1 - width - box.width * 0.012, top), (box.x0 + box.width * 0.012, top)]
    if not len(vertices):
        return corners[0]
    points = fig.transFigure.inverted().transform(ax.transData.transform(vertices))

    def hidden(corner):
        x, y = corner
        inside = (points[:, 0] >= x) & (points[:, 0] <= x + width) & (points[:, 1] >= y) & (points[:, 1] <= y + height)
        return int(inside.sum())

    return min(corners, key=hidden)


def _locator(fig, ax, extent, features: gpd.GeoDataFrame | None = None) -> plt.Axes | None:
    """A small map of the whole region with the view's frame, in an upper corner of the map."""
    rx0, ry0 = mercator(basemap.REGION[0], basemap.REGION[1])
    rx1, ry1 = mercator(basemap.REGION[2], basemap.REGION[3])
    if (extent[2] - extent[0]) > 0.45 * (rx1 - rx0):
        return None  # the view is the corridor already
    box = ax.get_position()
    height = box.height * 0.30
    width = height * (rx1 - rx0) / (ry1 - ry0) * fig.get_figheight() / fig.get_figwidth()
    vertices = _vertices(features) if features is not None else np.empty((0, 2))
    inset = fig.add_axes((*_inset_corner(fig, ax, (width, height), vertices), width, height))
    inset.set_xlim(rx0, rx1)
    inset.set_ylim(ry0, ry1)
    inset.set_xticks([])
    inset.set_yticks([])
    basemap.draw(inset, (rx0, ry0, rx1, ry1), scale=0.4, layers=("land", "boundaries"))
    cx, cy = (extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2
    w = max(extent[2] - extent[0], (rx1 - rx0) * 0.03)
    h = max(extent[3] - extent[1], (ry1 - ry0) * 0.03)
    inset.add_patch(
        Rectangle((cx - w / 2, cy - h / 2), w, h, facecolor="none", edgecolor="#d62728", linewidth=1.4, zorder=5)
    )
    for spine in inset.spines.values():
        spine.set_edgecolor("#555555")
        spine.set_linewidth(0.8)
    inset.set_zorder(30)
    return inset


def _draw_near(ax, near) -> None:
    """The radius of a "what is near" query and rings around the features found."""
    radius, points, _ = near
    projected = gpd.GeoSeries([radius], crs="EPSG:4326").to_crs("EPSG:3857")
    projected.boundary.plot(ax=ax, color="#222222", linewidth=1.4, linestyle=(0, (6, 4)), zorder=6)
    if points:
        xy = [mercator(lon, lat) for lon, lat in points]
        ax.scatter(
            [x for x, _ in xy],
            [y for _, y in xy],
            s=260,
            facecolors="none",
            edgecolors="#FFB000",
            linewidths=2.2,
            zorder=9,
        )


HIGHLIGHT = "#FFB000"


def _draw_highlight(ax, geometry) -> None:
    """A wide halo under a linked feature (a ring around a point) so the eye finds it first."""
    projected = gpd.GeoSeries([geometry], crs="EPSG:4326").to_crs("EPSG:3857").iloc[0]
    if projected.geom_type in ("Point", "MultiPoint"):
        xy = [(g.x, g.y) for g in getattr(projected, "geoms", [projected])]
        ax.scatter(*zip(*xy, strict=True), s=420, facecolors="none", edgecolors=HIGHLIGHT, linewidths=3, zorder=9)
        return
    polygon = projected.geom_type in ("Polygon", "MultiPolygon")
    outline = projected.boundary if polygon else projected
    for part in getattr(outline, "geoms", [outline]):
        ax.plot(*part.xy, color=HIGHLIGHT, linewidth=7, alpha=0.75, solid_capstyle="round", zorder=4)
    if polygon:  # a footprint may be a few pixels wide: a ring marks it as for a point
        centre = projected.representative_point()
        ax.scatter([centre.x], [centre.y], s=420, facecolors="none", edgecolors=HIGHLIGHT, linewidths=3, zorder=9)


def near_overlay(features: gpd.GeoDataFrame, center: str, km: float, lang: str = i18n.DEFAULT):
    """What ``SnapshotSpec.near`` takes for "within ``km`` of feature ``center``": the radius,
    the positions of the features found and a caption."""
    from components import proximity

    found = proximity.within(features, center, km)
    rows = features[features["id"].isin(found["id"])]
    points = [(p.x, p.y) for p in (g if g.geom_type == "Point" else g.representative_point() for g in rows.geometry)]
    row = features.loc[features["id"] == center].iloc[0]
    caption = i18n.t("snapshot.near", lang, n=len(found), km=f"{km:g}", name=i18n.feature_name(row, lang))
    return proximity.buffer(features, center, km), points, caption


def _draw_basemap(ax, spec: SnapshotSpec, extent, scale: float, width_px: int) -> tuple[str, str, list[str]]:
    """The basemap under the features: (basemap used, its credit line, notes)."""
    if spec.basemap == "tiles":
        source = tiles.provider(spec.tiles)
        try:
            image, image_extent = tiles.mosaic(source, extent, width_px)
        except tiles.TilesUnavailable as exc:
            note = i18n.t("snapshot.tiles_unavailable", spec.lang, problem=exc)
            basemap.draw(ax, extent, scale=scale)
            return "outline", i18n.t("snapshot.outline_credit", spec.lang), [note]
        ax.imshow(image, extent=image_extent, interpolation="bilinear", zorder=0)
        ax.set_facecolor(STYLE.sea)
        return "tiles", i18n.t("snapshot.tiles_credit", spec.lang, attribution=source.attribution), []
    basemap.draw(ax, extent, scale=scale)
    return "outline", i18n.t("snapshot.outline_credit", spec.lang), []


#: The file names of those fonts, to register them when matplotlib's font cache predates their
#: installation (the cache is not rescanned by itself).
FONT_FILES = {"Amiri": ("Amiri-Regular.ttf", "Amiri-Bold.ttf"), "WenQuanYi Micro Hei": ("wqy-microhei.ttc",)}


@cache
def fonts(lang: str = i18n.DEFAULT) -> tuple[str, ...]:
    """The font families for ``lang`` that are installed (registered with matplotlib on first use)."""
    known = {f.name for f in font_manager.fontManager.ttflist}
    missing = [family for family in FONTS[lang] if family not in known and family in FONT_FILES]
    if missing:
        wanted = {name: family for family in missing for name in FONT_FILES[family]}
        for path in font_manager.findSystemFonts():
            if Path(path).name in wanted:
                font_manager.fontManager.addfont(path)
        known = {f.name for f in font_manager.fontManager.ttflist}
    return tuple(family for family in FONTS[lang] if family in known)


def text_style(lang: str = i18n.DEFAULT) -> dict:
    """matplotlib settings for a sheet in ``lang``: its fonts and its language (for shaping)."""
    lang = i18n.normalize(lang)
    return {"text.parse_math": False, "font.family": list(fonts(lang)), "text.language": i18n.TAGS[lang]}


def _plain_text(draw):
    """Titles, filter text and layer names come from users: ``$…$`` must not become a formula.
    The sheet's fonts follow its language (``spec.lang``)."""

    @wraps(draw)
    def wrapper(features, spec, *args, **kwargs):
        with plt.rc_context(text_style(spec.lang)):
            return draw(features, spec, *args, **kwargs)

    return wrapper


@_plain_text
def render(
    features: gpd.GeoDataFrame,
    spec: SnapshotSpec,
    extra: list[tuple[str, str, gpd.GeoDataFrame]] | None = None,
) -> Snapshot:
    """Draw ``features`` (already filtered) in the view ``spec.bbox``; ``extra`` adds imported
    layers as (label, colour, features)."""
    width_in, height_in = spec.width_px / spec.dpi, spec.height_px / spec.dpi
    fig = plt.figure(figsize=(width_in, height_in), dpi=spec.dpi)
    fig.patch.set_facecolor("white")
    sizes = _text_size(spec)
    margin_in = 0.45 if spec.print_sheet else 0.24
    top_in = (sizes["title"] + sizes["subtitle"] * 2.6) / 72 + margin_in
    line_in = sizes["foot"] * 1.45 / 72
    footer_lines = 5
    bottom_in = margin_in * 0.6 + line_in * footer_lines
    box = (
        margin_in / width_in,
        bottom_in / height_in,
        1 - 2 * margin_in / width_in,
        1 - (top_in + bottom_in) / height_in,
    )
    ax = fig.add_axes(box)
    minx, miny, maxx, maxy = spec.bbox
    x0, y0, x1, y1 = _fill_box(
        mercator(minx, miny), mercator(maxx, maxy), box[2] * spec.width_px / (box[3] * spec.height_px)
    )
    extent = (x0, y0, x1, y1)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    used, credit, notes = _draw_basemap(ax, spec, extent, 1.0, int(box[2] * spec.width_px))
    if spec.highlight is not None:
        _draw_highlight(ax, spec.highlight)
    drawn = _draw_features(ax, features, marker_size=70)  # points²: the same size on screen and paper
    extra = [(label, colour, frame) for label, colour, frame in (extra or []) if not frame.empty]
    for _, colour, frame in extra:
        _draw_extra(ax, frame, colour, 60)
    if spec.near is not None:
        _draw_near(ax, spec.near)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.apply_aspect()  # the frame already has the view's ratio; settle it before measuring
    halo = basemap.halo("light", 2.5)
    _scale_bar(ax, (miny + maxy) / 2, halo, spec.lang)
    legend = []
    obstacles = []
    renderer = fig.canvas.get_renderer()
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
                label=i18n.sector(s.id, spec.lang),
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
        box_legend = ax.legend(
            handles=handles,
            loc="lower right",
            fontsize=8,
            framealpha=0.92,
            title=i18n.t("snapshot.legend", spec.lang),
            title_fontsize=8,
            markerfirst=not i18n.is_rtl(spec.lang),  # Urdu: the symbol after (right of) its label
            alignment="right" if i18n.is_rtl(spec.lang) else "center",
        )
        box_legend.set_zorder(25)
        legend = [h.get_label() for h in handles]
        obstacles.append(box_legend.get_window_extent(renderer))
    inset = _locator(fig, ax, extent, features)
    if inset is not None:
        obstacles.append(inset.get_window_extent(renderer).expanded(1.04, 1.04))
    px_per_pt = spec.dpi / 72
    bx0, by0 = ax.transAxes.transform((0, 0))
    obstacles.append(Bbox.from_extents(bx0, by0, bx0 + 0.22 * ax.bbox.width, by0 + 0.09 * ax.bbox.height))  # scale bar
    symbols = []
    if not features.empty:
        points = features[features.geometry.geom_type == "Point"].to_crs("EPSG:3857")
        r = 4.2 * px_per_pt
        for g in points.geometry:
            px, py = ax.transData.transform((g.x, g.y))
            symbols.append(Bbox.from_extents(px - r, py - r, px + r, py + r))
    view_bbox = (*_to_lonlat(x0, y0), *_to_lonlat(x1, y1))
    zoom = basemap.zoom_for(view_bbox, int(box[2] * width_in * 100))
    candidates = _label_candidates(features, spec, view_bbox, zoom, extent)
    labels = place_labels(fig, ax, candidates, obstacles, symbols=symbols)
    # title block
    left = box[0]
    # Urdu sheets read from the right: the title block and the footer start there (the map is not mirrored)
    rtl = i18n.is_rtl(spec.lang)
    start, end = (1 - left, left) if rtl else (left, 1 - left)
    lead, trail = ("right", "left") if rtl else ("left", "right")
    title_y = 1 - (margin_in + sizes["title"] / 72 * 0.5) / height_in
    fig.text(start, title_y, spec.title, fontsize=sizes["title"], fontweight="bold", va="center", ha=lead)
    if spec.subtitle:
        sub_y = title_y - (sizes["title"] * 0.6 + sizes["subtitle"] * 1.1) / 72 / height_in
        fig.text(start, sub_y, spec.subtitle, fontsize=sizes["subtitle"], color="#444444", va="center", ha=lead)
    if spec.print_sheet:
        brand = i18n.t("overview.title", spec.lang)
        fig.text(end, title_y, brand, fontsize=sizes["subtitle"] + 1, color="#444444", ha=trail, va="center")
        rule_y = box[1] + box[3] + 0.25 * margin_in / height_in
        fig.add_artist(Line2D([left, 1 - left], [rule_y, rule_y], color="#999999", linewidth=0.8))
    made = (spec.made or date.today()).isoformat()
    t = lambda key, **values: i18n.t(f"snapshot.{key}", spec.lang, **values)  # noqa: E731
    lines = [
        (t("attribution"), {}),
        (credit + (" " + t("labels_credit") if used == "tiles" and labels else ""), {}),
        (t("projection", made=made), {}),
        *[(n, {"color": "#9a3412", "style": "italic"}) for n in notes],
        (i18n.t("common.disclaimer", spec.lang), {"style": "italic"}),
    ]
    y = box[1] - (line_in * 0.9) / height_in
    for text, style in lines[: footer_lines + len(notes)]:
        options = {"fontsize": sizes["foot"], "color": "#444444", "va": "center", "ha": lead} | style
        fig.text(start, y, text, **options)
        y -= line_in / height_in
    return Snapshot(
        figure=fig,
        ax=ax,
        spec=spec,
        legend_labels=legend,
        notes=notes,
        basemap_used=used,
        labels=labels,
        inset=inset,
    )


_TO_LONLAT = Transformer.from_crs("EPSG:3857", "EPSG:4326", always_xy=True)


def _to_lonlat(x: float, y: float) -> tuple[float, float]:
    return _TO_LONLAT.transform(x, y)


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
