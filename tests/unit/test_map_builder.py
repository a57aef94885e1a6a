"""The map builder: features per layer after filters, escaping, styles, controls, offline assets."""

from __future__ import annotations

import json
import re

import folium
import pytest

from components import assets, layers, map_builder, vocab
from components.filters import Filters
from tests.conftest import collection, feature, write_json


@pytest.fixture
def atlas(data_dir):
    return layers.load_atlas(data_dir)


def _html(m: folium.Map) -> str:
    return m.get_root().render()


def test_feature_counts_per_sector_after_filters(atlas):
    m = map_builder.build_map(atlas.features)
    assert map_builder.feature_count(m) == {"Transport (2)": 2, "Energy (3)": 3, "Port & aviation (2)": 2}
    m = map_builder.build_map(atlas.features, Filters(sectors=("energy",)))
    assert map_builder.feature_count(m) == {"Energy (3)": 3}
    m = map_builder.build_map(atlas.features, Filters(statuses=("planned",)))
    assert map_builder.feature_count(m) == {"Transport (1)": 1}
    m = map_builder.build_map(atlas.features, Filters(q="nothing matches this"))
    assert map_builder.feature_count(m) == {}


def test_shipped_data_default_view_has_every_feature():
    atlas = layers.load_atlas()
    counts = map_builder.feature_count(map_builder.build_map(atlas.features))
    assert sum(counts.values()) == len(atlas.features)
    energy = int((atlas.features["sector"] == "energy").sum())
    assert counts[f"Energy ({energy})"] == energy


def test_property_text_is_escaped(data_dir):
    hostile = "<img src=x onerror=alert(1)>\"'&"
    write_json(
        data_dir / "layers/power.geojson",
        collection(feature("evil", name=hostile, description="<script>alert('x')</script>", operator="<b>op</b>")),
    )
    atlas = layers.load_atlas(data_dir)
    m = map_builder.build_map(atlas.features)
    html = _html(m)
    assert "<img src=x" not in html
    assert "<script>alert" not in html
    props = next(f["properties"] for f in _features(m) if f["id"] == "evil")
    assert "&lt;img src=x onerror=alert(1)&gt;&quot;&#x27;&amp;" in props["p"]
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in props["p"]
    assert "&lt;b&gt;op&lt;/b&gt;" in props["p"]
    assert "<img" not in props["p"] and "<img" not in props["t"]
    assert "&lt;img src=x" in props["t"]


def test_popup_has_figures_sources_and_na(atlas):
    m = map_builder.build_map(atlas.features, Filters(sectors=("energy",)))
    popups = {f["id"]: f["properties"]["p"] for f in _features(m)}
    assert "1,320 MW" in popups["coal-a"]
    assert 'href="https://example.org/source"' in popups["coal-a"]
    assert 'rel="noopener noreferrer"' in popups["coal-a"]
    assert "n/a" in popups["wind-c"]  # no years published
    assert "Capacity" not in popups["wind-c"]  # unknown figure is not shown as a number


def _features(m):
    out = []
    for child in m._children.values():
        for layer in getattr(child, "_children", {}).values():
            if isinstance(layer, folium.GeoJson):
                out.extend(layer.data["features"])
    return out


def test_lines_are_styled_by_status_and_sector(atlas):
    assert map_builder.line_style("transport", "operational", "exact")["dashArray"] is None
    planned = map_builder.line_style("transport", "planned", "exact")
    assert planned["dashArray"] == vocab.STATUS_BY_ID["planned"].dash
    assert planned["color"] == vocab.SECTOR_BY_ID["transport"].colour
    assert map_builder.line_style("transport", "operational", "area")["opacity"] < planned["opacity"]
    polygon = map_builder.line_style("port", "operational", "exact", kind="polygon")
    assert polygon["fill"] is True
    html = _html(map_builder.build_map(atlas.features, weights={s.id: s.weight for s in atlas.layers}))
    assert '"dashArray": "3 7"' in html  # the planned road
    assert '"weight": 5' in html  # the registry's line weight for roads


def test_precision_changes_the_point_symbol():
    exact = map_builder.marker_svg("energy", "exact")
    approximate = map_builder.marker_svg("energy", "approximate")
    area = map_builder.marker_svg("energy", "area")
    assert len({exact, approximate, area}) == 3
    assert "stroke-dasharray" not in exact
    assert "stroke-dasharray" in approximate and "stroke-dasharray" in area
    assert 'fill-opacity="0.0"' in area


def test_sector_symbols_differ_in_colour_and_shape():
    colours = {s.colour for s in vocab.SECTORS}
    shapes = {s.shape for s in vocab.SECTORS}
    assert len(colours) == len(shapes) == len(vocab.SECTORS)


def test_controls_legend_and_disclaimer(atlas):
    html = _html(map_builder.build_map(atlas.features))
    for control in (
        "L.control.fullscreen",
        "L.Control.Measure",
        "L.Control.MiniMap",
        "L.control.layers",
        "L.control.scale",
    ):
        assert control in html, control
    assert "atlas-legend" in html
    assert json.dumps(vocab.BOUNDARY_DISCLAIMER)[1:40] in html
    for name in ("CARTO light", "OpenStreetMap", "CARTO dark", "Esri imagery"):
        assert name in html
    # the legend is plain HTML: no branca colormap, so no d3 from a CDN
    assert "d3" not in " ".join(assets.asset_urls(map_builder.build_map(atlas.features)))


def test_view_bounds_fit(atlas):
    m = map_builder.build_map(atlas.features, view=map_builder.View(bounds=(62.2, 25.0, 62.6, 25.4)))
    assert "fitBounds" in _html(m)
    assert "[[25.0, 62.2], [25.4, 62.6]]" in _html(m)


def test_carto_basemap_without_key_drops_placeholder(atlas):
    html = _html(map_builder.build_base_map())
    assert "insert your API key" not in html
    assert "basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png" in html
    keyed = _html(map_builder.build_base_map(carto_key="abc123"))
    assert "key=abc123" in keyed


def test_assets_local_when_installed_cdn_otherwise(tmp_path, atlas):
    # without a vendor folder every URL stays on the CDN
    cdn = map_builder.build_map(atlas.features, vendor_dir=tmp_path / "none")
    assert all(u.startswith("https://") for u in assets.asset_urls(cdn))
    # with the files present every URL is served by the app
    for url, (package, inner) in assets.CDN_FILES.items():
        path = tmp_path / package.folder / inner
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("/* test */")
    m = map_builder.build_map(atlas.features, base_url="/", vendor_dir=tmp_path)
    urls = assets.asset_urls(m)
    assert urls and all(u.startswith("/app/static/vendor/") for u in urls), urls
    assert len(urls) == len(assets.asset_urls(cdn))
    # only Leaflet and the three plugins are loaded: nothing the atlas does not use
    assert not any(re.search(r"jquery|bootstrap|awesome", u) for u in urls)


def test_payload_is_compact(atlas):
    html = _html(map_builder.build_map(atlas.features))
    assert len(html.encode()) < 60_000


def test_points_sharing_a_position_fan_out_on_screen_only(data_dir):
    same = {"type": "Point", "coordinates": [62.34, 25.11]}
    write_json(
        data_dir / "layers/power.geojson",
        collection(
            feature("exact-one", geometry=same),
            feature("area-one", geometry=same, precision="area"),
            feature("area-two", geometry=same, precision="area"),
            feature("alone", geometry={"type": "Point", "coordinates": [70.0, 25.0]}),
        ),
    )
    atlas = layers.load_atlas(data_dir)
    offsets = map_builder.fan_offsets(atlas.features)
    assert "exact-one" not in offsets and "alone" not in offsets  # the exact site keeps the true point
    assert offsets["area-one"] != offsets["area-two"]
    m = map_builder.build_map(atlas.features)
    by_id = {f["id"]: f for f in _features(m)}
    assert by_id["area-one"]["geometry"]["coordinates"] == [62.34, 25.11]  # data unchanged
    assert tuple(by_id["area-one"]["properties"]["o"]) == offsets["area-one"]
