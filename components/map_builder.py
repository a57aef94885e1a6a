"""Build the atlas' folium maps. Pure: no Streamlit here, so every map can be unit-tested.

The map is built in two parts so that Streamlit can keep the user's view when the
filters change: :func:`build_base_map` (basemaps, controls, legend, disclaimer —
the same whatever the filters) and :func:`build_sector_groups` (one
``FeatureGroup`` per sector with the filtered features). :func:`build_map`
composes both into one ``folium.Map`` for exports and tests.
"""

from __future__ import annotations

import html
import json
import math
import warnings
from dataclasses import dataclass

import folium
import folium.plugins
import geopandas as gpd
import pandas as pd
import xyzservices
import xyzservices.providers as xyz
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from components import assets, compact, i18n, outline_map, vocab
from components.filters import Filters, apply_filters
from components.formatting import FIGURES
from components.text import clean


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _mercator_lat(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


@dataclass(frozen=True)
class View:
    """Where the map opens: a centre (lat, lon) and a zoom level."""

    center: tuple[float, float] = (30.0, 69.5)  # Pakistan
    zoom: int = 5

    @classmethod
    def fit(
        cls, bounds: tuple[float, float, float, float], width: int = 900, height: int = 520, max_zoom: int = 18
    ) -> View:
        """The largest zoom (up to ``max_zoom``) at which the lon/lat box fits a map of ``width`` x ``height`` pixels.

        Computed here rather than with Leaflet's ``fitBounds``, which measures the map
        before Streamlit has sized its frame and so picks a wrong zoom.
        """
        minx, miny, maxx, maxy = bounds
        zoom_x = math.log2(width * 360 / (256 * max(maxx - minx, 1e-6)))
        zoom_y = math.log2(height * 2 * math.pi / (256 * max(_mercator_y(maxy) - _mercator_y(miny), 1e-9)))
        zoom = max(2, min(max_zoom, math.floor(min(zoom_x, zoom_y))))
        lat = _mercator_lat((_mercator_y(miny) + _mercator_y(maxy)) / 2)
        return cls(center=(round(lat, 5), round((minx + maxx) / 2, 5)), zoom=zoom)

    def bounds(self, width: float, height: float) -> tuple[float, float, float, float]:
        """The lon/lat box a ``width`` x ``height`` pixel map shows at this view (the inverse of
        :meth:`fit`), clipped to the Web Mercator world."""
        scale = 256 * 2**self.zoom
        lat, lon = self.center
        half_lon, half_y = width * 180 / scale, height * math.pi / scale
        y = _mercator_y(max(-85.0, min(85.0, lat)))
        return (
            max(lon - half_lon, -180.0),
            max(_mercator_lat(y - half_y), -85.0),
            min(lon + half_lon, 180.0),
            min(_mercator_lat(y + half_y), 85.0),
        )


DEFAULT_VIEW = View()
DEFAULT_BOUNDS = (60.8, 23.6, 77.9, 37.1)  # Pakistan: what the default view shows

#: Basemaps offered in the layer control (id → provider); the first is shown by default.
BASEMAPS = {
    "carto-light": ("CARTO light", xyz.CartoDB.Positron),
    "osm": ("OpenStreetMap", xyz.OpenStreetMap.Mapnik),
    "carto-dark": ("CARTO dark", xyz.CartoDB.DarkMatter),
    "esri-imagery": ("Esri imagery", xyz.Esri.WorldImagery),
}

#: Typical background colours of each tile basemap (land, water and the commonest other
#: surfaces, read from the providers' styles and, for imagery, from the corridor's desert, rock,
#: farmland, snow and sea), against which the symbols' halo keeps 3:1 contrast (atlas-map.css).
TILE_BACKGROUNDS = {
    "carto-light": ("#fafaf8", "#d4dadc", "#e8e8e6"),
    "osm": ("#f2efe9", "#aad3df", "#add19e", "#e0dfdf", "#f5e9c6"),
    "carto-dark": ("#0e0e0e", "#262626", "#2c2c2c"),
    "esri-imagery": ("#c8b48a", "#7a6a58", "#4a5e32", "#f4f6f8", "#12304a"),
}

_SHAPES = {
    "square": '<rect x="4" y="4" width="12" height="12" rx="1"/>',
    "triangle": '<polygon points="10,2 18.5,17 1.5,17"/>',
    "circle": '<circle cx="10" cy="10" r="7"/>',
    "hexagon": '<polygon points="10,2 17,6 17,14 10,18 3,14 3,6"/>',
    "star": (
        '<polygon points="10,1.5 12.4,7.2 18.5,7.6 13.8,11.6 15.3,17.6 10,14.3 4.7,17.6 6.2,11.6 1.5,7.6 7.6,7.2"/>'
    ),
    "diamond": '<polygon points="10,1.5 18.5,10 10,18.5 1.5,10"/>',
    "pentagon": '<polygon points="10,2 18,8 15,18 5,18 2,8"/>',
    "cross": '<polygon points="7,2 13,2 13,7 18,7 18,13 13,13 13,18 7,18 7,13 2,13 2,7 7,7"/>',
}

#: How location precision changes a point symbol: exact = solid, approximate = faded with
#: a dashed outline, area = hollow with a dashed outline.
_PRECISION_STYLE = {
    "exact": {"fill_opacity": 1.0, "stroke": "#ffffff", "dash": ""},
    "approximate": {"fill_opacity": 0.55, "stroke": "#222222", "dash": "2 1.5"},
    "area": {"fill_opacity": 0.0, "stroke": None, "dash": "2 1.5"},
}


def _stroke_width(precision: str) -> float:
    return 2.2 if precision == "area" else 1.5


def marker_svg(sector: str, precision: str = "exact", size: int = 20) -> str:
    """The point symbol of a sector at a location precision, as inline SVG."""
    s = vocab.SECTOR_BY_ID[sector]
    p = _PRECISION_STYLE[precision]
    stroke = p["stroke"] or s.colour
    width = _stroke_width(precision)
    dash = f' stroke-dasharray="{p["dash"]}"' if p["dash"] else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 20 20">'
        f'<g fill="{s.colour}" fill-opacity="{p["fill_opacity"]:g}" stroke="{stroke}" '
        f'stroke-width="{width:g}"{dash}>{_SHAPES[s.shape]}</g></svg>'
    )


FAN_RADIUS_PX = 13


def fan_offsets(features: gpd.GeoDataFrame) -> dict[str, tuple[int, int]]:
    """Pixel offsets for point symbols that share one position, so none hides another.

    Only the symbol is moved on screen (a ring around the true point); the feature's
    coordinates are untouched.
    """
    points = features[features.geometry.geom_type == "Point"]
    rank = {p: i for i, p in enumerate(vocab.PRECISION_IDS)}
    groups: dict[tuple[float, float], list[tuple[int, str]]] = {}
    for fid, precision, geom in zip(points["id"], points["precision"], points.geometry, strict=True):
        groups.setdefault((round(geom.x, 5), round(geom.y, 5)), []).append((rank[precision], fid))
    # A declared shared site (the same ``site`` value) fans out as one group even when its
    # members' published points differ by less than the symbol's size.
    if "site" in points.columns:
        by_site: dict[str, list[tuple[float, float]]] = {}
        for site, geom in zip(points["site"], points.geometry, strict=True):
            if isinstance(site, str) and site:
                by_site.setdefault(site, []).append((round(geom.x, 5), round(geom.y, 5)))
        for keys in by_site.values():
            keys = list(dict.fromkeys(keys))
            while len(keys) > 1:
                near = [k for k in keys if _close([keys[0], k])]
                keys = [k for k in keys if k not in near]
                if len(near) > 1:
                    groups[near[0]] = [m for k in near for m in groups.pop(k, [])]
    offsets = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort()
        if members[0][0] == rank["exact"]:  # the exactly placed feature keeps the true point
            members = members[1:]
        for k, (_, fid) in enumerate(members):
            angle = 2 * math.pi * k / len(members) - math.pi / 2
            offsets[fid] = (round(FAN_RADIUS_PX * math.cos(angle)), round(FAN_RADIUS_PX * math.sin(angle)))
    return offsets


def _close(keys: list[tuple[float, float]], degrees: float = 0.002) -> bool:
    """Whether points lie within ~200 m of each other (so their symbols would overlap)."""
    xs, ys = [k[0] for k in keys], [k[1] for k in keys]
    return max(xs) - min(xs) <= degrees and max(ys) - min(ys) <= degrees


#: How location precision fades lines and polygons (exact = full strength).
PRECISION_FADE = {"exact": 1.0, "approximate": 0.7, "area": 0.5}
MAX_SOURCES = 1  # source links in a popup; the Projects table and the downloads carry all of them

#: Short property keys in the map payload → feature fields (unknowns are left out).
MAP_PROPERTIES = {
    "n": "name",
    "s": "sector",
    "ss": "subsector",
    "st": "status",
    "y0": "start_year",
    "y1": "completion_year",
    "mw": "capacity_mw",
    "km": "length_km",
    "ac": "area_acres",
    "usd": "cost_usd_m",
    "pr": "precision",
}
_FIGURE_KEYS = {"mw": "capacity_mw", "km": "length_km", "ac": "area_acres", "usd": "cost_usd_m"}


def map_properties(row: dict, geometry, weight: int = 4, offset: tuple[int, int] | None = None) -> dict:
    """The properties the map gets for one feature: short keys, unknowns omitted, text as data
    (its geometry travels apart, quantized by :func:`components.compact.encode`).

    Descriptions, operators and sources past the first stay out of the map to keep it light; the
    Projects table and the downloads carry them.

    Text is never turned into HTML here; the map's script escapes every value when it
    builds a tooltip or popup, so a hostile name is shown as text.
    """
    props = {"id": row["id"]}
    for key, field in MAP_PROPERTIES.items():
        value = compact.plain(row.get(field))
        if value is not None:
            props[key] = value
    sources = [u for u in row.get("sources") or () if str(u).lower().startswith(("https://", "http://"))]
    props["src"] = sources[:MAX_SOURCES]
    if len(sources) > MAX_SOURCES:
        props["more"] = len(sources) - MAX_SOURCES
    aid = [str(i) for i in row.get("aiddata_ids") or () if str(i).isdigit()]
    if aid:
        props["aid"] = aid
    if geometry.geom_type not in ("Point", "MultiPoint"):
        props["w"] = weight
    if offset:
        props["o"] = list(offset)
    return props


def _script_json(data) -> str:
    """JSON for inlining in a <script>: compact, and no "</" that could close the tag."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


class AtlasLayer(MacroElement):
    """The features of one layer as a compact payload (:mod:`components.compact`), drawn by the
    map's own script.

    ``atlasCompactLayer`` (``static/atlas/decode.js``) decodes it; styles, point symbols,
    tooltips and popups are made in the browser by ``atlasLayer`` (defined once per map by
    :class:`_AtlasScript`), and big point layers are clustered on canvas by
    ``static/atlas/cluster.js``, so the payload carries data only.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = window.atlasCompactLayer({{ this.json }}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        features: list[dict] | None = None,
        payload: dict | None = None,
        encoded: tuple[int, str] | None = None,
    ):
        super().__init__()
        self._name = "AtlasLayer"
        if encoded is not None:  # (feature count, payload JSON) already made, e.g. a cached import
            self.count, self.json = encoded
            return
        payload = payload if payload is not None else compact.from_features(features or [])
        self.count = payload["n"]
        self.json = compact.to_json(payload)

    @property
    def data(self) -> dict:
        """The layer as GeoJSON, decoded from what is sent (for tests and benchmarks)."""
        return {"type": "FeatureCollection", "features": compact.decode(json.loads(self.json))}

    def render(self, **kwargs) -> None:
        # MacroElement.render would compile the rendered script, data included, as a new
        # Jinja template; the script is final text, so it is added as it is.
        script = self._template.module.__dict__["script"](self, kwargs)
        self.get_root().script.add_child(_Text(script), name=self.get_name())


class _Text(Element):
    """Finished text in a figure section (not a template)."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


def build_sector_groups(
    features: gpd.GeoDataFrame, weights: dict[str, int] | None = None, lang: str = i18n.DEFAULT
) -> list[folium.FeatureGroup]:
    """One ``FeatureGroup`` per sector present in ``features`` (already filtered), named in ``lang``;
    features carry their name in ``lang`` where a source gives it."""
    weights = weights or {}
    offsets = fan_offsets(features)
    buckets: dict[str, tuple[list, list]] = {}
    records = features.drop(columns="geometry").to_dict("records")
    for row, geometry in zip(records, features.geometry, strict=True):
        row = {**row, "name": i18n.feature_name(row, lang)}
        props, geoms = buckets.setdefault(row["sector"], ([], []))
        props.append(map_properties(row, geometry, weights.get(row.get("layer"), 4), offsets.get(row["id"])))
        geoms.append(geometry)
    groups = []
    for sector in vocab.SECTORS:
        if sector.id not in buckets:
            continue
        props, geoms = buckets[sector.id]
        keys = list(dict.fromkeys(k for p in props for k in p))
        payload = compact.encode(geoms, {k: [p.get(k) for p in props] for k in keys})
        group = folium.FeatureGroup(name=f"{i18n.sector(sector.id, lang)} ({len(props)})", show=True)
        AtlasLayer(payload=payload).add_to(group)
        groups.append(group)
    return groups


#: Colours for imported layers (not used by any sector) and for reconciliation results.
IMPORT_COLOURS = ("#882255", "#44AA99", "#332288", "#AA4499")
RECONCILE_COLOURS = {"match": "#117733", "mismatch": "#DDAA33", "unmatched": "#777777"}


def _import_group_name(title: str, count: int, lang: str = i18n.DEFAULT) -> str:
    """Leaflet's layer control shows group names as HTML: a file's name is escaped first."""
    return i18n.t("map.imported", lang, name=html.escape(clean(title, 80))) + f" ({count})"


def build_import_group(
    features: gpd.GeoDataFrame, title: str, index: int = 0, highlight: dict[str, str] | None = None
) -> folium.FeatureGroup:
    """An imported layer as its own group: one colour (or the reconciliation result's colour).

    Built column by column (no per-feature dictionaries), so 50,000 features take a fraction of
    a second; every column of the file reaches the popup as an ``x.`` column.
    """
    group = folium.FeatureGroup(name=_import_group_name(title, len(features)), show=True)
    AtlasLayer(payload=import_payload(features, title, index, highlight)).add_to(group)
    return group


def import_group_from_json(text: str, count: int, title: str, lang: str = i18n.DEFAULT) -> folium.FeatureGroup:
    """An imported layer's group from a payload already encoded by :func:`import_payload`."""
    group = folium.FeatureGroup(name=_import_group_name(title, count, lang), show=True)
    AtlasLayer(encoded=(count, text)).add_to(group)
    return group


POPUP_TEXT = 200  # characters of a long text an imported feature's popup shows (exports keep it whole)


def _popup_text(value):
    if isinstance(value, str) and len(value) > POPUP_TEXT:
        return value[: POPUP_TEXT - 1] + "…"
    return value


#: Imported columns shown in the popup's own rows (not repeated among the file's properties).
_IMPORT_SHOWN = {"geometry", "id", "name", "sector", "status", "start_year", "completion_year", "cost_usd_m"}


def import_payload(
    features: gpd.GeoDataFrame, title: str, index: int = 0, highlight: dict[str, str] | None = None
) -> dict:
    """The compact payload of an imported layer (see :func:`build_import_group`)."""
    colour = IMPORT_COLOURS[index % len(IMPORT_COLOURS)]
    frame = features.reset_index(drop=True)
    n = len(frame)

    def known(column: str, allowed) -> list:
        if column not in frame:
            return [None] * n
        return frame[column].astype(object).where(frame[column].isin(allowed), None)

    urls = frame["source_url"].astype(object) if "source_url" in frame else None
    columns = {
        "id": frame["id"],
        "n": frame["name"],
        "s": known("sector", vocab.SECTOR_IDS),
        "st": known("status", vocab.STATUS_IDS),
        "y0": frame["start_year"] if "start_year" in frame else [None] * n,
        "y1": frame["completion_year"] if "completion_year" in frame else [None] * n,
        "usd": frame["cost_usd_m"] if "cost_usd_m" in frame else [None] * n,
        "src": compact.Listed(
            [None] * n if urls is None else urls.where(urls.astype(str).str.startswith("https://"), None)
        ),
    }
    consts = {"pr": "exact", "imp": title, "w": 3, "c": colour}
    if highlight is not None:
        columns["rc"] = [highlight.get(i, "unmatched") for i in frame["id"]]
        columns["c"] = [RECONCILE_COLOURS[r] for r in columns["rc"]]
        del consts["c"]
    for column in frame.columns:
        if column in _IMPORT_SHOWN or column == "source_url":
            continue
        label = column[2:] if column.startswith("p_") else column.replace("_", " ")
        values = frame[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            values = values.map(_popup_text)
        columns[f"{compact.EXTRA_PREFIX}{label}"] = values
    return compact.encode(frame.geometry.to_numpy(), columns, consts)


class _AtlasScript(JSCSSMixin, MacroElement):
    """Loads the atlas' own map script and stylesheet, hands it the vocabularies and adds
    the legend and the boundary disclaimer.

    ``static/atlas/atlas-map.js`` defines ``atlasLayer`` (styles, symbols, escaped
    tooltips and popups) and ``atlasControls`` (legend, disclaimer); it is part of the
    app, served by Streamlit like Leaflet. A branca ColorMap legend is avoided: it makes
    streamlit-folium load d3 from a CDN.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        window.atlasSetup({{ this.config }});
        window.atlasControls({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, base_url: str = "/", lang: str = i18n.DEFAULT, link_text: dict[str, str] | None = None):
        super().__init__()
        self._name = "AtlasScript"
        self.default_js = [
            ("atlas_map_js", assets.own_url("atlas-map.js", base_url)),
            ("atlas_links_js", assets.own_url("links.js", base_url)),
            *[(name, url) for name, url in compact.scripts(base_url)],
        ]
        self.default_css = [
            ("atlas_map_css", assets.own_url("atlas-map.css", base_url)),
            *[(name, url) for name, url in compact.stylesheets(base_url)],
        ]
        self.config = _script_json(
            {
                "sectors": {s.id: [i18n.sector(s.id, lang), s.colour, s.shape] for s in vocab.SECTORS},
                "statuses": {s.id: [i18n.status(s.id, lang), s.dash] for s in vocab.STATUSES},
                "shapes": _SHAPES,
                "precision": {
                    k: [v["fill_opacity"], v["stroke"], v["dash"], _stroke_width(k)]
                    for k, v in _PRECISION_STYLE.items()
                },
                "fade": PRECISION_FADE,
                "disclaimer": i18n.t("common.disclaimer", lang),
                "figures": [
                    [short, i18n.t(f"figures.{key}", lang), i18n.t(f"units.{key}", lang)]
                    for short, (key, _, _, _) in zip(_FIGURE_KEYS, FIGURES, strict=True)
                ],
                "t": {k.removeprefix("map."): v for k, v in _map_strings(lang).items()},
                "lang": i18n.TAGS[i18n.normalize(lang)],
                "rtl": i18n.is_rtl(lang),
                # In the app the map writes view= and feature= to the page's address and its
                # popups offer a link; an exported file has no app address to write to.
                "links": link_text,
            }
        )


def _map_strings(lang: str) -> dict[str, str]:
    """The map script's own words (popup rows, legend, tooltips), from the ``[map]`` table."""
    return {k: i18n.t(k, lang) for k in i18n.catalogue(i18n.DEFAULT) if k.startswith("map.")}


#: leaflet-measure's own translations (its bundle has Chinese, ``cn``, but no Urdu: English there).
MEASURE_LOCALES = {"en": "en", "zh": "cn"}


def tile_layer(provider, carto_key: str | None = None, **kwargs) -> folium.TileLayer:
    """A tile layer from an xyzservices provider.

    xyzservices lists CARTO's basemaps with an API-key placeholder; with no key configured
    the URL is built without the key parameter (CARTO's public endpoint) instead of
    sending the placeholder text.
    """
    if provider.requires_token():
        if carto_key:
            provider = provider(apikey=carto_key)
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                url = provider.build_url(fill_subdomain=False, scale_factor="{r}", accept_token=True)
            provider = xyzservices.TileProvider({**provider, "url": url.split("?key=")[0], "name": provider.name})
            provider.pop("apikey", None)
    return folium.TileLayer(tiles=provider, **kwargs)


def build_base_map(
    view: View = DEFAULT_VIEW,
    basemap: str = "carto-light",
    base_url: str = "/",
    carto_key: str | None = None,
    vendor_dir=assets.VENDOR_DIR,
    lang: str = i18n.DEFAULT,
    link_text: dict[str, str] | None = None,
) -> folium.Map:
    """Basemaps, controls, legend and disclaimer; the same for every filter state.

    ``basemap`` is a tile basemap id or "outline"/"outline-dark" (the offline outline,
    which also replaces the tiles by itself when they cannot be loaded). Every word the map
    shows (layer control, legend, popups, buttons, notes) is in ``lang``; the map itself is
    never mirrored, only its texts read right to left in Urdu. With ``link_text`` (the app's
    maps: :func:`components.links.popup_text`) the map keeps ``view=``/``feature=`` in the
    page's address and its popups get a "copy link" button."""
    outline = basemap if basemap in outline_map.IDS else ""
    if basemap not in BASEMAPS:
        basemap = "carto-light"
    m = folium.Map(
        location=list(view.center),
        zoom_start=view.zoom,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
        min_zoom=3,
    )
    m.default_js = list(assets.MAP_JS)
    m.default_css = list(assets.MAP_CSS)
    ordered = [basemap, *[b for b in BASEMAPS if b != basemap]]
    for key in ordered:
        _, provider = BASEMAPS[key]
        label = i18n.t(f"map.basemap_{key.replace('-', '_')}", lang)
        shown = key == basemap and not outline
        tile_layer(provider, carto_key, name=label, show=shown, overlay=False, control=True).add_to(m)
    outline_map.add_outline(m, outline, base_url, lang)
    folium.plugins.Fullscreen(
        position="topleft", title=i18n.t("map.fullscreen", lang), title_cancel=i18n.t("map.fullscreen_exit", lang)
    ).add_to(m)
    folium.plugins.MeasureControl(
        position="topleft",
        primary_length_unit="kilometers",
        primary_area_unit="hectares",
        localization=MEASURE_LOCALES.get(i18n.normalize(lang), "en"),
    ).add_to(m)
    minimap = folium.plugins.MiniMap(
        tile_layer=tile_layer(xyz.CartoDB.Positron, carto_key),
        position="bottomright",
        toggle_display=True,
        width=120,
        height=120,
        strings={"hideText": i18n.t("map.minimap_hide", lang), "showText": i18n.t("map.minimap_show", lang)},
    ).add_to(m)
    outline_map.OutlineMinimap(minimap).add_to(m)
    _AtlasScript(base_url, lang, link_text).add_to(m)
    return assets.localize(m, base_url, vendor_dir)


def build_map(
    features: gpd.GeoDataFrame,
    filters: Filters | None = None,
    view: View = DEFAULT_VIEW,
    basemap: str = "carto-light",
    weights: dict[str, int] | None = None,
    base_url: str = "/",
    carto_key: str | None = None,
    vendor_dir=assets.VENDOR_DIR,
    lang: str = i18n.DEFAULT,
) -> folium.Map:
    """The complete map: base map plus the (filtered) sector layers and a layer control."""
    if filters is not None:
        features = apply_filters(features, filters)
    m = build_base_map(view, basemap, base_url, carto_key, vendor_dir, lang)
    for group in build_sector_groups(features, weights, lang):
        group.add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    return m


def map_features(m: folium.Map) -> list[dict]:
    """Every feature a built map carries (used by tests and benchmarks)."""
    out = []
    for child in m._children.values():
        for layer in getattr(child, "_children", {}).values():
            if isinstance(layer, AtlasLayer):
                out.extend(layer.data["features"])
    return out


def feature_count(m: folium.Map) -> dict[str, int]:
    """Features per sector group in a built map."""
    counts: dict[str, int] = {}
    for child in m._children.values():
        if isinstance(child, folium.FeatureGroup):
            counts[child.layer_name] = sum(
                layer.count for layer in child._children.values() if isinstance(layer, AtlasLayer)
            )
    return counts
