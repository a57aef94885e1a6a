"""Reconciliation on hand-made layers: distance and name both decide, each side matches once."""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import Point

from components import reconcile


def _frame(rows):
    return gpd.GeoDataFrame(
        [{k: v for k, v in r.items() if k != "xy"} for r in rows],
        geometry=[Point(*r["xy"]) for r in rows],
        crs="EPSG:4326",
    )


ATLAS = _frame(
    [
        {
            "id": "a",
            "name": "Sahiwal Coal Power Project",
            "status": "operational",
            "start_year": 2015,
            "completion_year": 2017,
            "cost_usd_m": 1912.0,
            "capacity_mw": 1320.0,
            "xy": (73.238, 30.714),
        },
        {
            "id": "b",
            "name": "Port Qasim Coal Power Project",
            "status": "operational",
            "start_year": 2015,
            "completion_year": 2018,
            "cost_usd_m": None,
            "capacity_mw": 1320.0,
            "xy": (67.369, 24.785),
        },
    ]
)


def test_capacity_and_name_helpers():
    assert reconcile.capacity_from_text("2x330 MW Engro") == 660
    assert reconcile.capacity_from_text("a 1,320 MW plant") == 1320
    assert reconcile.capacity_from_text("no figure") is None
    assert (
        reconcile.name_score(
            "CDB provides $1.9 billion loan for Sahiwal Coal Power Project", "Sahiwal Coal Power Project"
        )
        > 90
    )


def test_match_needs_both_distance_and_name():
    imported = _frame(
        [
            # same plant, 3 km away, agreeing except for the year
            {
                "id": "i1",
                "name": "Sahiwal 1320 MW Coal Power Project",
                "status": "operational",
                "start_year": 2015,
                "completion_year": 2018,
                "cost_usd_m": 1912.0,
                "xy": (73.238, 30.741),
            },
            # right name but 60 km away: not the same asset
            {
                "id": "i2",
                "name": "Port Qasim Coal Power Project",
                "status": "operational",
                "start_year": None,
                "completion_year": None,
                "cost_usd_m": None,
                "xy": (67.9, 24.9),
            },
            # close to Port Qasim but a different thing
            {
                "id": "i3",
                "name": "Karachi fish harbour upgrade",
                "status": None,
                "start_year": None,
                "completion_year": None,
                "cost_usd_m": None,
                "xy": (67.37, 24.786),
            },
        ]
    )
    result = reconcile.reconcile(imported, ATLAS)
    assert list(result.pairs["import_id"]) == ["i1"]
    pair = result.pairs.iloc[0]
    assert 2.5 < pair["distance_km"] < 3.5
    assert pair["disagreements"] == "completion_year"
    assert pair["import_capacity_mw"] == 1320
    assert set(result.only_imported["import_id"]) == {"i2", "i3"}
    assert list(result.only_atlas["atlas_id"]) == ["b"]
    assert result.status_of() == {"i1": "mismatch", "i2": "unmatched", "i3": "unmatched"}


def test_each_atlas_feature_matches_once():
    imported = _frame(
        [
            {
                "id": "x",
                "name": "Sahiwal Coal Power Project",
                "status": "operational",
                "start_year": 2015,
                "completion_year": 2017,
                "cost_usd_m": 1912.0,
                "xy": (73.238, 30.714),
            },
            {
                "id": "y",
                "name": "Sahiwal Coal Power Project unit 2",
                "status": "operational",
                "start_year": 2015,
                "completion_year": 2017,
                "cost_usd_m": 1912.0,
                "xy": (73.239, 30.714),
            },
        ]
    )
    result = reconcile.reconcile(imported, ATLAS)
    assert list(result.pairs["import_id"]) == ["x"] and result.pairs.iloc[0]["disagreements"] == ""
    assert result.status_of()["x"] == "match"
