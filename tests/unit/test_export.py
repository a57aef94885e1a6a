"""Exports read back to the same ids, properties and geometries; the HTML needs no network."""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pyogrio
import pytest
from shapely import wkt

from components import compact, export, layers, map_builder
from components.filters import Filters, apply_filters

ATLAS = layers.load_atlas()
SAMPLE = apply_filters(ATLAS.features, Filters(sectors=("energy", "transport", "sez")))
TEXT = ["name", "sector", "subsector", "status", "precision", "operator", "description"]
NUMBERS = ["start_year", "completion_year", "capacity_mw", "length_km", "area_acres", "cost_usd_m"]


def _expected():
    return SAMPLE.set_index("id").sort_index()


def _same_geometry(a, b) -> bool:
    return a.geom_type == b.geom_type and a.equals_exact(b, 1e-6)


def _check(frame, id_column="id", name_column="name"):
    got = frame.set_index(id_column).sort_index()
    want = _expected()
    assert list(got.index) == list(want.index)
    assert got[name_column].tolist() == want["name"].tolist()
    for column in TEXT[1:]:
        if column in got:
            assert got[column].fillna("").astype(str).tolist() == want[column].fillna("").astype(str).tolist(), column
    for column in NUMBERS:
        left = pd.to_numeric(got[column], errors="coerce").astype(float)
        right = want[column].astype(float)
        assert (((left - right).abs() < 1e-9) | (left.isna() & right.isna())).all(), column
    assert got["sources"].tolist() == [" ".join(s) for s in want["sources"]]
    assert all(_same_geometry(a, b) for a, b in zip(got.geometry, want.geometry, strict=True))


def test_csv_round_trip():
    frame = pd.read_csv(io.BytesIO(export.data_bytes(SAMPLE, "csv")))
    frame["geometry"] = frame["wkt"].map(wkt.loads)
    _check(frame)
    assert (frame["attribution"].str.contains("CC BY 4.0")).all()
    assert frame[["lon", "lat"]].notna().all().all()


def test_geopackage_round_trip(tmp_path):
    path = tmp_path / "x.gpkg"
    path.write_bytes(export.data_bytes(SAMPLE, "gpkg"))
    _check(pyogrio.read_dataframe(path))
    assert "CC BY 4.0" in pyogrio.read_info(path)["layer_metadata"]["DESCRIPTION"]


def test_kml_round_trip(tmp_path):
    path = tmp_path / "x.kml"
    path.write_bytes(export.data_bytes(SAMPLE, "kml"))
    frame = pyogrio.read_dataframe(path)
    # KML reserves "id" and "name": the atlas id comes back as id2, the name as Name
    _check(frame, id_column="id2", name_column="Name")
    assert (frame["attribution"].str.contains("CC BY 4.0")).all()


def test_empty_selection_is_refused_with_a_reason():
    with pytest.raises(export.ExportError, match="nothing to export"):
        export.data_bytes(SAMPLE.iloc[0:0], "csv")
    with pytest.raises(export.ExportError, match="unknown data format"):
        export.data_bytes(SAMPLE, "shp")


def test_html_is_self_contained():
    html = export.html_bytes(SAMPLE, title="Energy <b>x</b>").decode()
    assert not re.search(r"<script[^>]+src=[\"']https?:", html)
    assert not re.search(r"<link[^>]+href=[\"']https?:", html)
    assert not re.search(r"<script[^>]+src=", html) and not re.search(r"<link[^>]+stylesheet", html)
    assert "<title>Energy bx/b</title>" in html  # markup characters are dropped from the title
    assert "window.atlasLayer" in html and "L.Map" in html
    assert "url(data:image/png;base64," in html  # Leaflet's layer-control icon is embedded
    ids = set(compact.feature_ids(html))
    assert ids == set(SAMPLE["id"])


def test_html_without_local_libraries_explains(tmp_path):
    with pytest.raises(export.ExportError, match="make assets"):
        export.html_bytes(SAMPLE, vendor_dir=tmp_path)


def test_html_view_is_the_requested_one():
    view = map_builder.View.fit((62.25, 25.07, 62.62, 25.36))
    html = export.html_bytes(SAMPLE, view=view).decode()
    assert f"center: {json.dumps(list(view.center))}" in html
    assert f'"zoom": {view.zoom}' in html


def test_geojson_round_trip_through_the_atlas_loader(tmp_path):
    path = tmp_path / "all.geojson"
    path.write_bytes(export.data_bytes(SAMPLE, "geojson"))
    back = layers.load_layer(path, layers.LayerSpec("all", "all.geojson", "All", "energy", "any"), check_sector=False)
    got = back.set_index("id").sort_index()
    want = _expected()
    assert list(got.index) == list(want.index)
    for column in [*TEXT, "province", "sources"]:
        assert got[column].tolist() == want[column].tolist(), column
    for column in NUMBERS:
        assert got[column].astype(float).fillna(-1).tolist() == want[column].astype(float).fillna(-1).tolist()
    assert all(_same_geometry(a, b) for a, b in zip(got.geometry, want.geometry, strict=True))


def test_html_with_an_imported_layer_defines_it_before_the_layer_control_names_it():
    from bench import synthetic
    from components import importer

    layer = importer.read("pts.geojson", synthetic.points_geojson(50))
    group = map_builder.build_import_group(layer.features, layer.name, 0)
    html = export.html_bytes(SAMPLE, extra_groups=[group]).decode()
    name = group.get_name()
    assert html.index(f"var {name} = L.featureGroup(") < html.index("L.control.layers(")
    assert set(compact.feature_ids(html)) >= set(layer.features["id"])
