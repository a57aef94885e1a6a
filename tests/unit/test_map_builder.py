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


def test_hostile_text_travels_as_data_and_cannot_close_the_script(data_dir):
    hostile = "<img src=x onerror=alert(1)>\"'&"
    write_json(
        data_dir / "layers/power.geojson",
        collection(feature("evil", name=hostile + "</script><script>alert(2)</script>", operator="<b>op</b>")),
    )
    atlas = layers.load_atlas(data_dir)
    m = map_builder.build_map(atlas.features)
    html = _html(m)
    # the name reaches the map as a JSON string, unchanged (the map's script escapes it on display) ...
    props = next(f["properties"] for f in map_builder.map_features(m) if f["properties"]["id"] == "evil")
    assert props["n"].startswith(hostile)
    # ... and nothing in it can end the inline <script> early
    assert "</script><script>alert(2)" not in html
    assert "<\\/script><script>alert(2)<\\/script>" in html


def test_map_features_are_compact_and_omit_unknowns(atlas):
    feats = {f["properties"]["id"]: f for f in map_builder.map_features(map_builder.build_map(atlas.features))}
    coal = feats["coal-a"]["properties"]
    assert coal["mw"] == 1320 and coal["s"] == "energy" and coal["st"] == "operational" and coal["pr"] == "exact"
    assert coal["src"] == ["https://example.org/source"]
    wind = feats["wind-c"]["properties"]
    assert "mw" not in wind and "y0" not in wind and "y1" not in wind  # unknowns are not sent as numbers
    assert feats["road-a"]["properties"]["km"] == 392
    assert "w" in feats["road-a"]["properties"] and "w" not in coal  # line weight only for lines


def test_only_web_links_reach_the_map_and_extra_sources_are_counted(data_dir):
    urls = ["javascript:alert(1)", "https://a.example/1", "http://b.example/2", "https://c.example/3"]
    write_json(data_dir / "layers/power.geojson", collection(feature("x", sources=["https://ok.example"])))
    atlas = layers.load_atlas(data_dir)
    row = atlas.features.iloc[0].to_dict() | {"sources": tuple(urls)}
    props = map_builder.map_properties(row, atlas.features.geometry.iloc[0])
    assert props["src"] == ["https://a.example/1"]
    assert props["more"] == 2


def test_line_weight_comes_from_the_registry(atlas):
    m = map_builder.build_map(atlas.features, weights={s.id: s.weight for s in atlas.layers})
    weights = {f["properties"]["id"]: f["properties"].get("w") for f in map_builder.map_features(m)}
    assert weights["road-a"] == 5 and weights["road-b"] == 5


def test_style_vocabulary_is_handed_to_the_map_script(atlas):
    html = _html(map_builder.build_map(atlas.features))
    config = json.loads(re.search(r"window\.atlasSetup\((\{.*?\})\);", html).group(1))
    assert config["statuses"]["planned"] == ["Planned", vocab.STATUS_BY_ID["planned"].dash]
    assert config["statuses"]["operational"][1] is None
    assert config["sectors"]["energy"] == ["Energy", vocab.SECTOR_BY_ID["energy"].colour, "triangle"]
    assert config["fade"]["area"] < config["fade"]["approximate"] < config["fade"]["exact"]
    assert config["disclaimer"] == vocab.BOUNDARY_DISCLAIMER


def test_precision_changes_the_point_symbol():
    exact = map_builder.marker_svg("energy", "exact")
    approximate = map_builder.marker_svg("energy", "approximate")
    area = map_builder.marker_svg("energy", "area")
    assert len({exact, approximate, area}) == 3
    assert "stroke-dasharray" not in exact
    assert "stroke-dasharray" in approximate and "stroke-dasharray" in area
    assert 'fill-opacity="0"' in area


def test_sector_symbols_differ_in_colour_and_shape():
    colours = {s.colour for s in vocab.SECTORS}
    shapes = {s.shape for s in vocab.SECTORS}
    assert len(colours) == len(shapes) == len(vocab.SECTORS)


def test_controls_legend_and_disclaimer(atlas):
    m = map_builder.build_map(atlas.features)
    html = _html(m)
    for control in (
        "L.control.fullscreen",
        "L.Control.Measure",
        "L.Control.MiniMap",
        "L.control.layers",
        "L.control.scale",
    ):
        assert control in html, control
    assert "window.atlasControls(" in html  # legend and boundary disclaimer
    for name in ("CARTO light", "OpenStreetMap", "CARTO dark", "Esri imagery"):
        assert name in html
    urls = assets.asset_urls(m)
    assert any(u.endswith("/app/static/atlas/atlas-map.js") for u in urls)
    assert any(u.endswith("/app/static/atlas/atlas-map.css") for u in urls)
    # no branca colormap, so streamlit-folium adds no d3 from a CDN
    assert "d3" not in " ".join(urls)


def test_only_the_app_map_keeps_links_and_offers_copy_buttons(atlas):
    from components import links

    def config(m):
        return json.loads(re.search(r"window\.atlasSetup\((\{.*?\})\);", _html(m)).group(1))

    app = map_builder.build_base_map(link_text=links.POPUP_TEXT)
    assert config(app)["links"] == links.POPUP_TEXT
    assert config(map_builder.build_map(atlas.features))["links"] is None  # exports have no app address
    assert assets.own_url("links.js") in assets.asset_urls(app)
    script = (assets.OWN_DIR / "links.js").read_text()
    for name in ("window.atlasLinksInit", "window.atlasLinksAdded", "window.atlasShareHtml", "replaceState"):
        assert name in script


def test_own_map_script_and_styles_exist():
    script = (assets.OWN_DIR / "atlas-map.js").read_text()
    for name in ("window.atlasLayer", "window.atlasSetup", "window.atlasControls", "function esc("):
        assert name in script
    assert (assets.OWN_DIR / "atlas-map.css").is_file()


def test_view_fit_picks_the_zoom_that_holds_the_box():
    # 10° of longitude fit 900 px at zoom 6 (900 px = 12.4°) but not at zoom 7 (6.2°)
    assert map_builder.View.fit((65.0, 25.0, 75.0, 26.0), 900, 520).zoom == 6
    # a tall box is limited by its height: 33.7–37.0°N needs zoom 7 in 520 px
    view = map_builder.View.fit((72.55, 33.7, 75.6, 37.0), 900, 520)
    assert view.zoom == 7
    assert 33.7 < view.center[0] < 37.0 and view.center[1] == 74.075
    m = map_builder.build_map(layers.load_atlas().features, view=view)
    assert '"zoom": 7,' in _html(m)


def test_carto_basemap_without_key_drops_placeholder(atlas):
    html = _html(map_builder.build_base_map())
    assert "insert your API key" not in html
    assert "basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png" in html
    keyed = _html(map_builder.build_base_map(carto_key="abc123"))
    assert "key=abc123" in keyed


def test_assets_local_when_installed_cdn_otherwise(tmp_path, atlas):
    own = "/app/static/atlas/"
    # without a vendor folder every library URL stays on the CDN
    cdn = map_builder.build_map(atlas.features, vendor_dir=tmp_path / "none")
    assert all(u.startswith("https://") for u in assets.asset_urls(cdn) if own not in u)
    # with the files present every URL is served by the app
    for package, inner in assets.CDN_FILES.values():
        path = tmp_path / package.folder / inner
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("/* test */")
    m = map_builder.build_map(atlas.features, base_url="/", vendor_dir=tmp_path)
    urls = [u for u in assets.asset_urls(m) if own not in u]
    assert urls and all(u.startswith("/app/static/vendor/") for u in urls), urls
    assert len(urls) == len([u for u in assets.asset_urls(cdn) if own not in u])
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
    by_id = {f["properties"]["id"]: f for f in map_builder.map_features(m)}
    assert by_id["area-one"]["geometry"]["coordinates"] == [62.34, 25.11]  # data unchanged
    assert tuple(by_id["area-one"]["properties"]["o"]) == offsets["area-one"]


SQUARE = {
    "type": "Polygon",
    "coordinates": [[[62.33, 25.10], [62.35, 25.10], [62.35, 25.12], [62.33, 25.12], [62.33, 25.10]]],
}


def _port_footprints(data_dir, **props):
    write_json(
        data_dir / "layers/ports.geojson",
        collection(
            feature("terminal", sector="port", geometry=SQUARE, aiddata_ids=["35124", "38995"], **props),
            feature("planned-zone", sector="port", geometry=SQUARE, status="planned", precision="area"),
        ),
    )
    return layers.load_atlas(data_dir)


def test_footprints_render_with_the_styling_data_of_every_geometry(data_dir):
    atlas = _port_footprints(data_dir)
    assert set(atlas.features.loc[atlas.features["layer"] == "ports", "geom_kind"]) == {"polygon"}
    by_id = {f["properties"]["id"]: f for f in map_builder.map_features(map_builder.build_map(atlas.features))}
    terminal, zone = by_id["terminal"], by_id["planned-zone"]
    assert terminal["geometry"]["type"] == "Polygon" and len(terminal["geometry"]["coordinates"][0]) == 5
    # sector, status and precision travel with the footprint, so the script styles it like a line
    assert (terminal["properties"]["s"], terminal["properties"]["st"], terminal["properties"]["pr"]) == (
        "port",
        "operational",
        "exact",
    )
    assert (zone["properties"]["st"], zone["properties"]["pr"]) == ("planned", "area")
    assert terminal["properties"]["aid"] == ["35124", "38995"]
    assert "aid" not in zone["properties"]


def test_map_script_styles_footprints_and_links_aiddata_records():
    script = (assets.OWN_DIR / "atlas-map.js").read_text(encoding="utf-8")
    # polygons: filled in the sector colour, dashed by status, faded by precision
    assert 'indexOf("Polygon")' in script and "fill: polygon" in script and "dashArray: p.st" in script
    assert "fillOpacity: 0.3 * fade" in script
    # AidData ids become escaped links to the project pages, digits only
    assert "https://china.aiddata.org/projects/" in script and "/^[0-9]+$/" in script
    # small footprints get their sector symbol at the centre when zoomed out
    assert "FOOTPRINT_SYMBOL_MAX_ZOOM" in script and "atlas-footprint" in script


def test_aiddata_ids_that_are_not_numbers_never_reach_the_map(data_dir):
    atlas = _port_footprints(data_dir)
    atlas.features.loc[atlas.features["id"] == "terminal", "aiddata_ids"] = [("35124", "<script>", "12 3")]
    by_id = {f["properties"]["id"]: f for f in map_builder.map_features(map_builder.build_map(atlas.features))}
    assert by_id["terminal"]["properties"]["aid"] == ["35124"]


def test_declared_shared_site_fans_out_even_when_points_differ_slightly(data_dir):
    write_json(
        data_dir / "layers/power.geojson",
        collection(
            feature("unit-a", geometry={"type": "Point", "coordinates": [70.39407, 24.81248]}, site="block-ii"),
            feature(
                "unit-b",
                geometry={"type": "Point", "coordinates": [70.39410, 24.81250]},
                site="block-ii",
                precision="approximate",
            ),
            feature(
                "unit-c",
                geometry={"type": "Point", "coordinates": [70.39407, 24.81248]},
                site="block-ii",
                precision="approximate",
            ),
            feature("elsewhere", geometry={"type": "Point", "coordinates": [70.5, 24.9]}, site="block-ii"),
        ),
    )
    atlas = layers.load_atlas(data_dir)
    assert set(atlas.features.loc[atlas.features["layer"] == "power", "site"]) == {"block-ii"}
    offsets = map_builder.fan_offsets(atlas.features)
    assert "unit-a" not in offsets  # the exactly placed member keeps its point
    assert offsets["unit-b"] != offsets["unit-c"]
    assert "elsewhere" not in offsets  # a far-away point of the same site is not on top of the others


def test_the_outline_basemap_is_a_base_layer_with_a_fallback():
    from components import outline_map

    m = map_builder.build_map(layers.load_atlas().features)
    html = m.get_root().render()
    layers_ = [c for c in m._children.values() if isinstance(c, outline_map.OutlineBasemap)]
    assert [layer.layer_name for layer in layers_] == ["Atlas outline (offline)", "Atlas outline, dark (offline)"]
    assert all(not layer.overlay and not layer.show for layer in layers_)
    assert '"Atlas outline (offline)"' in html and "window.atlasOutlineFallback(" in html
    urls = assets.asset_urls(m)
    assert "/app/static/atlas/outline-basemap-data.js" in urls and "/app/static/atlas/outline-basemap.js" in urls
    # data before the script that reads it
    assert urls.index("/app/static/atlas/outline-basemap-data.js") < urls.index("/app/static/atlas/outline-basemap.js")


def test_outline_can_be_the_default_basemap():
    from components import outline_map

    m = map_builder.build_base_map(basemap="outline")
    shown = [c for c in m._children.values() if getattr(c, "show", False) and hasattr(c, "overlay") and not c.overlay]
    assert len(shown) == 1 and isinstance(shown[0], outline_map.OutlineBasemap)


@pytest.mark.parametrize("lang", ["ur", "zh"])
def test_the_map_speaks_the_language(atlas, lang):
    from components import i18n

    m = map_builder.build_map(atlas.features, lang=lang)
    html = _html(m)
    config = json.loads(re.search(r"window\.atlasSetup\((\{.*?\})\);", html).group(1))
    assert config["sectors"]["energy"][0] == i18n.sector("energy", lang)
    assert config["statuses"]["planned"][0] == i18n.status("planned", lang)
    assert config["disclaimer"] == i18n.t("common.disclaimer", lang)
    assert config["t"]["legend"] == i18n.t("map.legend", lang)
    assert set(config["t"]) == {k.removeprefix("map.") for k in i18n.catalogue("en") if k.startswith("map.")}
    assert config["rtl"] is (lang == "ur")
    names = [c.layer_name for c in m._children.values() if isinstance(c, folium.FeatureGroup)]
    assert names and all(not n.startswith(("Energy", "Transport", "Port")) for n in names)
    assert any(n.startswith(i18n.sector("energy", lang)) for n in names)
    tiles = [c.layer_name for c in m._children.values() if isinstance(c, folium.raster_layers.TileLayer)]
    assert i18n.t("map.basemap_carto_light", lang) in tiles
    assert f'"localization": "{"cn" if lang == "zh" else "en"}"' in html  # leaflet-measure's own words


def test_a_feature_carries_its_sourced_name_in_the_language(atlas):
    frame = atlas.features.copy()
    frame["name_zh"] = None
    frame.loc[frame.index[0], "name_zh"] = "瓜达尔港"
    first = frame.iloc[0]["id"]
    zh = {
        f["properties"]["id"]: f["properties"]["n"]
        for f in map_builder.map_features(map_builder.build_map(frame, lang="zh"))
    }
    en = {f["properties"]["id"]: f["properties"]["n"] for f in map_builder.map_features(map_builder.build_map(frame))}
    assert zh[first] == "瓜达尔港" and en[first] == frame.iloc[0]["name"]
    assert all(zh[i] == en[i] for i in en if i != first)  # the others keep their English name


def test_the_mini_map_falls_back_to_the_outline_and_the_outline_credits_its_sources():
    import folium.plugins

    from components import outline_map

    m = map_builder.build_base_map()
    html = m.get_root().render()
    minimap = [c for c in m._children.values() if isinstance(c, folium.plugins.MiniMap)]
    assert len(minimap) == 1
    name = minimap[0].get_name()
    # the watcher runs after the control it watches is added
    call = f"window.atlasOutlineMinimap({name});"
    assert call in html and html.index(f"addControl({name})") < html.index(call)
    assert "© OpenStreetMap contributors" in outline_map.ATTRIBUTION and "GeoNames" in outline_map.ATTRIBUTION
    assert json.dumps(outline_map.ATTRIBUTION)[1:-1] in html
