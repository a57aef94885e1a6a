"""Build the atlas' folium maps. Pure: no Streamlit here, so every map can be unit-tested.

The map is built in two parts so that Streamlit can keep the user's view when the
filters change: :func:`build_base_map` (basemaps, controls, legend, disclaimer —
the same whatever the filters) and :func:`build_sector_groups` (one
``FeatureGroup`` per sector with the filtered features). :func:`build_map`
composes both into one ``folium.Map`` for exports and tests.
"""

from __future__ import annotations

import json
import math
import warnings
from dataclasses import dataclass
from html import escape

import folium
import folium.plugins
import geopandas as gpd
import xyzservices.providers as xyz
from branca.element import Element, MacroElement
from folium.template import Template
from folium.utilities import JsCode

from components import assets, vocab
from components.filters import Filters, apply_filters
from components.formatting import popup_html, tooltip_html


@dataclass(frozen=True)
class View:
    """Where the map opens: fit ``bounds`` (lon/lat box) or centre and zoom."""

    center: tuple[float, float] = (30.0, 69.5)  # lat, lon: Pakistan
    zoom: int = 5
    bounds: tuple[float, float, float, float] | None = None  # minlon, minlat, maxlon, maxlat


DEFAULT_VIEW = View()

#: Basemaps offered in the layer control (id → provider); the first is shown by default.
BASEMAPS = {
    "carto-light": ("CARTO light", xyz.CartoDB.Positron),
    "osm": ("OpenStreetMap", xyz.OpenStreetMap.Mapnik),
    "carto-dark": ("CARTO dark", xyz.CartoDB.DarkMatter),
    "esri-imagery": ("Esri imagery", xyz.Esri.WorldImagery),
}

_SHAPES = {
    "square": '<rect x="4" y="4" width="12" height="12" rx="1"/>',
    "triangle": '<polygon points="10,2 18.5,17 1.5,17"/>',
    "circle": '<circle cx="10" cy="10" r="7"/>',
    "hexagon": '<polygon points="10,2 17,6 17,14 10,18 3,14 3,6"/>',
    "star": '<polygon points="10,1.5 12.4,7.2 18.5,7.6 13.8,11.6 15.3,17.6 10,14.3 4.7,17.6 6.2,11.6 1.5,7.6 7.6,7.2"/>',
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


def marker_svg(sector: str, precision: str = "exact", size: int = 20) -> str:
    """The point symbol of a sector at a location precision, as inline SVG."""
    s = vocab.SECTOR_BY_ID[sector]
    p = _PRECISION_STYLE[precision]
    stroke = p["stroke"] or s.colour
    width = 2.2 if precision == "area" else 1.5
    dash = f' stroke-dasharray="{p["dash"]}"' if p["dash"] else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 20 20">'
        f'<g fill="{s.colour}" fill-opacity="{p["fill_opacity"]}" stroke="{stroke}" '
        f'stroke-width="{width}"{dash}>{_SHAPES[s.shape]}</g></svg>'
    )


def line_style(sector: str, status: str, precision: str, weight: int = 4, kind: str = "line") -> dict:
    """Leaflet path style: colour by sector, dash by status, opacity by precision."""
    colour = vocab.SECTOR_BY_ID[sector].colour
    dash = vocab.STATUS_BY_ID[status].dash
    faded = {"exact": 1.0, "approximate": 0.7, "area": 0.5}[precision]
    style = {"color": colour, "weight": weight, "opacity": 0.9 * faded, "dashArray": dash}
    if kind == "polygon":
        style.update(weight=2, fill=True, fillColor=colour, fillOpacity=0.3 * faded)
    return style


_ON_EACH_FEATURE = JsCode(
    """function (feature, layer) {
    var o = feature.properties.o;
    if (o && layer.setIcon) {
        var icon = layer.options.icon.options;
        layer.setIcon(L.divIcon({html: icon.html, className: icon.className, iconSize: icon.iconSize,
                                 iconAnchor: [icon.iconAnchor[0] - o[0], icon.iconAnchor[1] - o[1]]}));
    }
    layer.bindTooltip(feature.properties.t, {sticky: true});
    layer.bindPopup(feature.properties.p, {maxWidth: 340});
}"""
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


def _collection(rows: gpd.GeoDataFrame, extra=None) -> dict:
    """A minimal FeatureCollection: id, escaped tooltip/popup HTML, style keys, geometry."""
    features = []
    for row, geom in zip(rows.to_dict("records"), rows.geometry, strict=True):
        props = {"id": row["id"], "t": tooltip_html(row), "p": popup_html(row)}
        if extra:
            props.update(extra(row))
        features.append({"type": "Feature", "id": row["id"], "properties": props, "geometry": geom.__geo_interface__})
    return {"type": "FeatureCollection", "features": features}


def _round_coords(obj, ndigits: int = 5):
    """Round coordinates to ~1 m to keep the HTML small."""
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(v, ndigits) for v in obj]
        return [_round_coords(v, ndigits) for v in obj]
    return obj


def _compact(collection: dict) -> dict:
    for feature in collection["features"]:
        geom = feature["geometry"]
        feature["geometry"] = {"type": geom["type"], "coordinates": _round_coords(geom["coordinates"])}
    return collection


def build_sector_groups(features: gpd.GeoDataFrame, weights: dict[str, int] | None = None) -> list[folium.FeatureGroup]:
    """One ``FeatureGroup`` per sector present in ``features`` (already filtered)."""
    weights = weights or {}
    offsets = fan_offsets(features)
    groups = []
    for sector in vocab.SECTORS:
        rows = features[features["sector"] == sector.id]
        if rows.empty:
            continue
        group = folium.FeatureGroup(name=f"{sector.label} ({len(rows)})", show=True)
        kinds = rows.geometry.geom_type
        shapes = rows[~kinds.isin(["Point", "MultiPoint"])]
        if not shapes.empty:
            data = _compact(
                _collection(
                    shapes,
                    extra=lambda r: {
                        "s": r["status"],
                        "pr": r["precision"],
                        "w": weights.get(r.get("layer"), 4),
                    },
                )
            )
            folium.GeoJson(
                data,
                name=f"{sector.id}-shapes",
                control=False,
                style_function=lambda f, sid=sector.id: line_style(
                    sid,
                    f["properties"]["s"],
                    f["properties"]["pr"],
                    f["properties"]["w"],
                    "polygon" if f["geometry"]["type"].endswith("Polygon") else "line",
                ),
                highlight_function=lambda f: {"weight": 7, "opacity": 1.0},
                on_each_feature=_ON_EACH_FEATURE,
                smooth_factor=0.5,
            ).add_to(group)
        points = rows[kinds.isin(["Point", "MultiPoint"])]
        for precision in vocab.PRECISION_IDS:
            subset = points[points["precision"] == precision]
            if subset.empty:
                continue
            icon = folium.DivIcon(
                html=marker_svg(sector.id, precision),
                icon_size=(20, 20),
                icon_anchor=(10, 10),
                class_name=f"atlas-marker atlas-{sector.id} atlas-{precision}",
            )
            folium.GeoJson(
                _compact(_collection(subset, extra=lambda r: {"o": offsets[r["id"]]} if r["id"] in offsets else {})),
                name=f"{sector.id}-{precision}",
                control=False,
                marker=folium.Marker(icon=icon),
                on_each_feature=_ON_EACH_FEATURE,
            ).add_to(group)
        groups.append(group)
    return groups


class _Legend(MacroElement):
    """A legend control written as plain HTML (a branca ColorMap would pull d3 from a CDN)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .atlas-legend, .atlas-disclaimer {background: rgba(255,255,255,.92); padding: 6px 8px;
            font: 12px/1.35 system-ui, sans-serif; color: #222; border-radius: 4px;
            box-shadow: 0 1px 4px rgba(0,0,0,.3);}
        .atlas-legend {max-width: 230px;}
        .atlas-legend h4 {margin: 0 0 4px; font-size: 13px;}
        .atlas-legend .row {display: flex; align-items: center; gap: 6px; margin: 1px 0;}
        .atlas-legend svg {flex: none;}
        .atlas-legend details summary {cursor: pointer; font-weight: 600;}
        .atlas-disclaimer {max-width: 340px; font-size: 11px; color: #444;}
        .atlas-popup h4 {margin: 0 0 4px; font-size: 14px;}
        .atlas-popup table {border-collapse: collapse; font-size: 12px; margin-bottom: 4px;}
        .atlas-popup th {text-align: left; padding-right: 8px; color: #555; font-weight: 600;}
        .atlas-popup p {margin: 4px 0; font-size: 12px;}
        .atlas-marker {background: none; border: none;}
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({position: 'bottomleft'});
            legend.onAdd = function () {
                var div = L.DomUtil.create('div', 'atlas-legend');
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
            var note = L.control({position: 'bottomright'});
            note.onAdd = function () {
                var div = L.DomUtil.create('div', 'atlas-disclaimer');
                div.textContent = {{ this.disclaimer|tojson }};
                return div;
            };
            note.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "AtlasLegend"
        self.html = legend_html()
        self.disclaimer = vocab.BOUNDARY_DISCLAIMER


def _line_sample(dash: str | None, colour: str = "#333") -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<svg width="34" height="10"><line x1="1" y1="5" x2="33" y2="5" stroke="{colour}" '
        f'stroke-width="3"{dash_attr}/></svg>'
    )


def legend_html() -> str:
    """The legend's HTML: sector symbols, status line styles, precision symbols."""
    rows = [f'<div class="row">{marker_svg(s.id)}<span>{escape(s.label)}</span></div>' for s in vocab.SECTORS]
    statuses = [f'<div class="row">{_line_sample(s.dash)}<span>{escape(s.label)}</span></div>' for s in vocab.STATUSES]
    precisions = [
        f'<div class="row">{marker_svg("port", p)}<span>{escape(p.capitalize())} location</span></div>'
        for p in vocab.PRECISION_IDS
    ]
    return (
        "<h4>CPEC Atlas</h4>"
        + "".join(rows)
        + "<details><summary>Status &amp; precision</summary>"
        + "".join(statuses)
        + "".join(precisions)
        + "</details>"
    )


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
            url = url.split("?key=")[0]
            return folium.TileLayer(
                tiles=url,
                attr=provider.html_attribution,
                subdomains=provider.get("subdomains", "abc"),
                max_zoom=provider.get("max_zoom", 19),
                **kwargs,
            )
    return folium.TileLayer(tiles=provider, **kwargs)


def build_base_map(
    view: View = DEFAULT_VIEW,
    basemap: str = "carto-light",
    base_url: str = "/",
    carto_key: str | None = None,
    vendor_dir=assets.VENDOR_DIR,
) -> folium.Map:
    """Basemaps, controls, legend and disclaimer; the same for every filter state."""
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
        label, provider = BASEMAPS[key]
        tile_layer(provider, carto_key, name=label, show=key == basemap, overlay=False, control=True).add_to(m)
    if view.bounds:
        minx, miny, maxx, maxy = view.bounds
        m.fit_bounds([[miny, minx], [maxy, maxx]])
    folium.plugins.Fullscreen(position="topleft").add_to(m)
    folium.plugins.MeasureControl(
        position="topleft", primary_length_unit="kilometers", primary_area_unit="hectares"
    ).add_to(m)
    folium.plugins.MiniMap(
        tile_layer=tile_layer(xyz.CartoDB.Positron, carto_key),
        position="bottomright",
        toggle_display=True,
        width=120,
        height=120,
    ).add_to(m)
    _Legend().add_to(m)
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
) -> folium.Map:
    """The complete map: base map plus the (filtered) sector layers and a layer control."""
    if filters is not None:
        features = apply_filters(features, filters)
    m = build_base_map(view, basemap, base_url, carto_key, vendor_dir)
    for group in build_sector_groups(features, weights):
        group.add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    return m


def feature_count(m: folium.Map) -> dict[str, int]:
    """Features per sector group in a built map (used by tests and benchmarks)."""
    counts: dict[str, int] = {}
    for child in m._children.values():
        if isinstance(child, folium.FeatureGroup):
            n = 0
            for layer in child._children.values():
                if isinstance(layer, folium.GeoJson):
                    n += len(layer.data["features"])
            counts[child.layer_name] = n
    return counts


def geojson_payload(m: folium.Map) -> str:
    """All GeoJSON embedded in a map, as one JSON string (for size checks)."""
    parts = []
    for child in m._children.values():
        for layer in getattr(child, "_children", {}).values():
            if isinstance(layer, folium.GeoJson):
                parts.append(layer.data)
    return json.dumps(parts)


_ = Element  # re-exported for callers that add raw HTML elements
