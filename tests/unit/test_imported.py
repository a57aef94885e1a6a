"""Imported layers beside the atlas: the sector filter, exports and snapshots include them."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd

from components import export, imported, importer, map_builder, snapshot
from components.filters import Filters

AIDDATA = Path(__file__).resolve().parents[1] / "fixtures" / "aiddata" / "aiddata_geogcdf_pakistan_sample.geojson"
LAYER = importer.read(AIDDATA.name, AIDDATA.read_bytes())


def test_sector_filter_applies_through_the_mapping():
    assert len(imported.filtered(LAYER, Filters())) == 3
    assert imported.filtered(LAYER, Filters(sectors=("energy",)))["source_id"].tolist() == ["35127"]
    assert imported.filtered(LAYER, Filters(sectors=("border",))).empty


def test_exports_carry_imported_rows_with_their_source():
    rows = imported.as_atlas_rows(LAYER)
    merged = gpd.GeoDataFrame(pd.concat([rows], ignore_index=True), geometry="geometry", crs="EPSG:4326")
    data = json.loads(export.data_bytes(merged, "geojson"))
    props = {f["properties"]["id"]: f["properties"] for f in data["features"]}
    thar = next(p for p in props.values() if "Thar Block II" in p["name"])
    assert thar["sources"] == ["https://china.aiddata.org/projects/35127"]
    assert thar["sector"] == "energy" and thar["precision"] == "as imported"
    assert "AidData" in thar["description"]


def test_snapshot_draws_and_lists_the_imported_layer():
    frame = imported.filtered(LAYER, Filters())
    snap = snapshot.render(
        frame.iloc[0:0], snapshot.SnapshotSpec(bbox=(60.8, 23.6, 77.9, 37.1)), [("Imported: sample", "#882255", frame)]
    )
    assert snap.legend_labels == ["Imported: sample"]
    snap.close()


def test_map_group_for_an_import_uses_its_own_colour_and_reconciliation_colours():
    group = map_builder.build_import_group(LAYER.features, "sample", 0)
    feats = next(iter(group._children.values())).data["features"]
    assert {f["properties"]["c"] for f in feats} == {map_builder.IMPORT_COLOURS[0]}
    assert all(f["properties"]["imp"] == "sample" for f in feats)
    ids = LAYER.features["id"].tolist()
    group = map_builder.build_import_group(LAYER.features, "sample", 0, {ids[1]: "mismatch"})
    colours = {
        f["properties"]["id"]: f["properties"]["c"] for f in next(iter(group._children.values())).data["features"]
    }
    assert colours[ids[1]] == map_builder.RECONCILE_COLOURS["mismatch"]
    assert colours[ids[0]] == map_builder.RECONCILE_COLOURS["unmatched"]


def _generic(n: int = 300):
    from bench import synthetic

    return importer.read("generic.geojson", synthetic.points_geojson(n, padding=600))


def test_popups_carry_every_property_of_the_file_with_long_texts_shortened():
    layer = _generic(5)
    feats = next(iter(map_builder.build_import_group(layer.features, "g", 0)._children.values())).data["features"]
    extra = feats[0]["properties"]["x"]
    assert {"category", "value", "start_year", "note", "note_1"} <= set(extra)
    assert extra["value"] == layer.features["p_value"].iloc[0]
    assert len(extra["note"]) == map_builder.POPUP_TEXT and extra["note"].endswith("…")
    assert feats[0]["properties"]["n"] == "Site 1" and feats[0]["properties"]["imp"] == "g"


def test_an_imported_layer_is_encoded_once_and_shared_not_copied():
    import numpy as np

    layer = _generic()
    mapped = importer.map_sectors(layer, "p_category")
    # the mapped layer shares the file's columns and geometry; only the sector column is new
    assert np.shares_memory(mapped.features.geometry.values._data, layer.features.geometry.values._data)
    assert np.shares_memory(mapped.features["p_value"].to_numpy(), layer.features["p_value"].to_numpy())
    first = imported.map_group(mapped, Filters(), 0)
    again = imported.map_group(mapped, Filters(), 0)
    text = next(iter(first._children.values())).json
    assert next(iter(again._children.values())).json is text  # the rerun reuses the encoding
    assert len(mapped.map_cache) == 1
    imported.map_group(mapped, Filters(sectors=("energy",)), 0)
    imported.map_group(mapped, Filters(), 0, {"import-generic-1": "match"})
    assert len(mapped.map_cache) == 2  # the overview's and the reconciliation map's, no more
