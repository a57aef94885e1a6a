"""Downloads: CSV and GeoJSON of the filtered rows, readable back by the atlas' own loader."""

from __future__ import annotations

import io
import json

import pandas as pd

from components import i18n, layers, tabular
from components.filters import Filters, apply_filters
from components.formatting import NA


def test_geojson_download_round_trips_through_the_loader(data_dir, tmp_path):
    atlas = layers.load_atlas(data_dir)
    energy = apply_filters(atlas.features, Filters(sectors=("energy",)))
    data = tabular.to_geojson_bytes(energy)
    assert "CC BY 4.0" in json.loads(data)["attribution"]
    target = tmp_path / "again" / "layers"
    target.mkdir(parents=True)
    (target / "power.geojson").write_bytes(data)
    (target.parent / "layers.toml").write_text(
        '[[layer]]\nid = "power"\nfile = "layers/power.geojson"\ntitle = "P"\nsector = "energy"\ngeometry = "point"\n'
    )
    again = layers.load_atlas(target.parent)
    assert again.problems == []
    left = energy.set_index("id").sort_index()
    right = again.features.set_index("id").sort_index()
    assert list(left.index) == list(right.index)
    for column in ("name", "status", "province", "sources", "capacity_mw", "start_year"):
        assert left[column].astype(str).tolist() == right[column].astype(str).tolist(), column
    assert all(a.equals_exact(b, 1e-9) for a, b in zip(left.geometry, right.geometry, strict=True))


def test_csv_has_every_field_and_a_point(data_dir):
    atlas = layers.load_atlas(data_dir)
    frame = pd.read_csv(io.BytesIO(tabular.to_csv_bytes(atlas.features)))
    assert len(frame) == 7
    for column in [*layers.FIELDS, "lon", "lat", "geometry_type"]:
        assert column in frame.columns
    port = frame.set_index("id").loc["port-a"]
    assert (port["lon"], port["lat"]) == (62.34, 25.11)
    assert frame.set_index("id").loc["road-a", "province"] == "Punjab, Sindh"


def test_display_table_reads_na_for_unknowns(data_dir):
    table = tabular.display_table(layers.load_atlas(data_dir).features).set_index("id")
    assert table.loc["wind-c", "capacity_mw"] == "n/a"
    assert table.loc["wind-c", "start_year"] == "n/a"
    assert table.loc["coal-a", "capacity_mw"] == "1,320"
    assert table.loc["coal-a", "sector"] == "Energy"
    assert table.loc["road-b", "status"] == "Planned"


def test_unlocated_table_reads_like_the_projects_table():
    unlocated = pd.DataFrame(
        [
            {
                "id": "road",
                "name": "Road",
                "sector": "transport",
                "status": "planned",
                "length_km": 19.49,
                "area_acres": None,
                "cost_usd_m": float("nan"),
                "sources": ("https://a.example",),
            },
        ]
    )
    english = tabular.unlocated_table(unlocated)
    assert english.columns.tolist() == tabular.UNLOCATED_COLUMNS
    row = english.iloc[0]
    assert (row["sector"], row["status"], row["area_acres"], row["cost_usd_m"]) == ("Transport", "Planned", NA, NA)
    assert row["length_km"] != NA and row["sources"] == ["https://a.example"]
    chinese = tabular.unlocated_table(unlocated, "zh").iloc[0]
    assert chinese["area_acres"] == i18n.t("common.na", "zh") != NA
    assert chinese["sector"] == i18n.sector("transport", "zh") != "Transport"
