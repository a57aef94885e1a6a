"""The import corpus: every bad or hostile file gets its expected outcome, never a crash."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point

from components import importer, reconcile
from components.layers import load_atlas

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "imports"
CASES = json.loads((CORPUS / "cases.json").read_text())
AIDDATA = Path(__file__).resolve().parents[1] / "fixtures" / "aiddata" / "aiddata_geogcdf_pakistan_sample.geojson"


def test_corpus_is_complete():
    files = {p.name for p in CORPUS.iterdir() if p.name not in ("cases.json", "make_corpus.py")}
    assert files == set(CASES)
    assert len(CASES) >= 30


@pytest.mark.parametrize("name", sorted(CASES))
def test_corpus_case(name):
    case = CASES[name]
    data = (CORPUS / name).read_bytes()
    if case["outcome"] == "refused":
        with pytest.raises(importer.ImportRefused) as info:
            importer.read(name, data)
        assert case["message"] in str(info.value)
        assert "\n" not in str(info.value)
        return
    layer = importer.read(name, data)
    report = layer.report
    if case["outcome"] == "needs-fix":
        assert report.suggested_fix == case["fix"] and not layer.drawable
    else:
        assert layer.drawable and report.feature_count == case["features"] == len(layer.features)
        assert layer.features.crs.to_epsg() == 4326
        assert not layer.features.geometry.has_z.any()
        assert layer.features.geometry.is_valid.all()
    if "repair" in case:
        assert any(case["repair"] in k for k in report.repairs), report.repairs
    if "warning" in case:
        assert any(case["warning"] in w for w in report.warnings), report.warnings


def test_fixes_put_features_in_the_right_place():
    layer = importer.read("web-mercator.geojson", (CORPUS / "web-mercator.geojson").read_bytes())
    fixed = importer.apply_fix(layer, "web-mercator")
    assert fixed.drawable
    first = fixed.features.geometry.iloc[0]
    assert abs(first.x - 67.0) < 0.01 and abs(first.y - 24.9) < 0.01
    layer = importer.read("swapped.geojson", (CORPUS / "swapped-lat-lon.geojson").read_bytes())
    fixed = importer.apply_fix(layer, "swap-xy")
    assert (round(fixed.features.geometry.iloc[0].x, 2), round(fixed.features.geometry.iloc[0].y, 2)) == (67.0, 24.9)


def test_hostile_text_is_kept_as_text_and_shortened():
    layer = importer.read("s.geojson", (CORPUS / "script-payloads.geojson").read_bytes())
    assert layer.features["name"].iloc[0] == "<img src=x onerror=alert(1)>"  # escaped where shown, not here
    long = importer.read("l.geojson", (CORPUS / "long-strings.geojson").read_bytes())
    assert len(long.features["name"].iloc[0]) == importer.MAX_TEXT
    assert long.features["p_description"].iloc[0].endswith("…")


def test_nan_and_infinity_become_null():
    layer = importer.read("n.geojson", (CORPUS / "nan-infinity.geojson").read_bytes())
    row = layer.features.iloc[0]
    assert row["p_capacity"] is None and row["p_cost"] is None and row["p_year"] is None


def test_size_limit():
    with pytest.raises(importer.ImportRefused, match="the limit is 1 MB"):
        importer.read("big.geojson", b" " * 2_000_000, max_bytes=1_000_000)


def test_zip_bomb_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("bomb.shp", b"\0" * 300_000_000)
    with pytest.raises(importer.ImportRefused, match=r"zip bomb|would expand"):
        importer.read("bomb.zip", buffer.getvalue())


def test_zipped_shapefile_with_a_projection_is_reprojected(tmp_path):
    frame = gpd.GeoDataFrame({"name": ["a", "b"]}, geometry=[Point(67, 25), Point(73, 33.7)], crs="EPSG:4326")
    frame.to_crs("EPSG:32642").to_file(tmp_path / "sites.shp")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for part in tmp_path.iterdir():
            z.write(part, f"folder/{part.name}")
    layer = importer.read("sites.zip", buffer.getvalue())
    assert layer.drawable and "32642" in layer.report.crs
    assert abs(layer.features.geometry.iloc[0].x - 67) < 1e-6


def test_geopackage(tmp_path):
    frame = gpd.GeoDataFrame({"name": ["a"], "kind": ["power"]}, geometry=[Point(67, 25)], crs="EPSG:4326")
    frame.to_file(tmp_path / "x.gpkg", driver="GPKG")
    layer = importer.read("x.gpkg", (tmp_path / "x.gpkg").read_bytes())
    assert layer.features["name"].tolist() == ["a"]


def test_sector_mapping_from_a_column():
    layer = importer.read("c.csv", (CORPUS / "csv-lonlat.csv").read_bytes())
    mapped = importer.map_sectors(layer, "p_kind")
    assert mapped.features["sector"].tolist() == ["port", "transport"]
    overridden = importer.map_sectors(layer, "p_kind", {"metro": "social"})
    assert overridden.features["sector"].tolist() == ["port", "social"]


def test_aiddata_is_recognised_and_mapped():
    layer = importer.read(AIDDATA.name, AIDDATA.read_bytes())
    report = layer.report
    assert report.schema == "aiddata-geogcdf"
    assert "AidData" in report.attribution and "OpenStreetMap" in report.attribution
    rows = layer.features.set_index("source_id")
    assert rows.loc["35127", "sector"] == "energy"
    assert rows.loc["35316", "sector"] == "social"
    assert rows.loc["35306", "sector"] == "sez"
    assert rows.loc["35127", "status"] == "operational"
    assert (rows.loc["35127", "start_year"], rows.loc["35127", "completion_year"]) == (2016, 2019)
    assert rows.loc["35127", "cost_usd_m"] == pytest.approx(696.933, abs=0.01)
    assert rows.loc["35316", "completion_year"] == 2010  # float year 2010.0 in the file
    assert rows.loc["35306", "cost_basis"] == "constant USD 2017"  # the older property names


def test_aiddata_variants_nan_and_dates(tmp_path):
    text = AIDDATA.read_text()
    data = json.loads(text)
    feature = data["features"][1]
    feature["properties"]["Completion.Year"] = None
    feature["properties"]["Actual.Completion.Date.(MM/DD/YYYY)"] = "2019-07-09 00:00:00"
    data["features"].append(json.loads(json.dumps(feature)))  # a second project on the same geometry
    data["features"][-1]["properties"]["id"] = 99999
    raw = json.dumps(data).replace('"Implementation.Start.Year": 2016.0', '"Implementation.Start.Year": NaN')
    layer = importer.read("variant.geojson", raw.encode())
    rows = layer.features.set_index("source_id")
    assert rows.loc["35127", "completion_year"] == 2019  # from the date with a time
    assert any("share a geometry" in w for w in layer.report.warnings)


def test_aiddata_reconciles_with_the_thar_block_ii_plant():
    layer = importer.read(AIDDATA.name, AIDDATA.read_bytes())
    result = reconcile.reconcile(layer.features, load_atlas().features)
    pairs = result.pairs.set_index("atlas_id")
    assert "engro-thar-block-ii-power-plant" in pairs.index
    pair = pairs.loc["engro-thar-block-ii-power-plant"]
    assert pair["distance_km"] < 1 and pair["name_score"] >= 60
    assert pair["import_capacity_mw"] == 660  # read from "2x330 MW" in the title
    assert "cost_usd_m" in pair["disagreements"] and "status" not in pair["disagreements"]
    assert len(result.only_imported) == 2
    statuses = result.status_of()
    assert sorted(statuses.values()) == ["mismatch", "unmatched", "unmatched"]
    csv = result.to_csv_bytes().decode()
    assert "only in the import" in csv and "matched" in csv


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deep_nesting_is_refused_quickly_with_a_message(depth):
    import time

    data = b'{"type": "FeatureCollection", "features": [' + b"[" * depth + b"]" * depth + b"]}"
    started = time.perf_counter()
    with pytest.raises(importer.ImportRefused, match="nested"):
        importer.read("deep.geojson", data)
    assert time.perf_counter() - started < 2.0


@pytest.mark.parametrize(
    ("data", "depth"),
    [(b"[]", 1), (b'{"a": [1, {"b": [[2]]}]}', 5), (b'["[[[[", "\\\\", "\\"{"]', 1), (b'"[["', 0), (b"{}", 1)],
)
def test_json_depth_ignores_brackets_in_strings(data, depth):
    assert importer.json_depth(data) == depth


def test_an_unexpected_failure_is_a_refusal_without_paths(monkeypatch):
    def broken(data, report):
        raise RuntimeError("boom in /usr/lib/python3/site-packages/thing.py")

    monkeypatch.setitem(importer.READERS, "geojson", broken)
    with pytest.raises(importer.ImportRefused) as caught:
        importer.read("x.geojson", b'{"type": "FeatureCollection", "features": []}')
    assert "/usr/lib" not in str(caught.value) and "RuntimeError" in str(caught.value)


def test_gdal_messages_do_not_show_server_paths():
    with pytest.raises(importer.ImportRefused) as caught:
        importer.read("bad.gpkg", b"SQLite format 3\x00" + b"\x00" * 2000)
    assert "/tmp" not in str(caught.value)
