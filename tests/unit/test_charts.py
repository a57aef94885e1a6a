"""Charts follow the filtered data."""

from __future__ import annotations

from components import charts, layers
from components.filters import Filters, apply_filters


def _data(chart) -> list[dict]:
    return chart.to_dict()["datasets"][next(iter(chart.to_dict()["datasets"]))]


def test_features_by_sector_counts_rows(data_dir):
    features = layers.load_atlas(data_dir).features
    rows = _data(charts.features_by_sector(features))
    assert len(rows) == 7
    assert {r["sector"] for r in rows} == {"Energy", "Transport", "Port & aviation"}
    energy = apply_filters(features, Filters(sectors=("energy",)))
    assert len(_data(charts.features_by_sector(energy))) == 3


def test_capacity_chart_uses_published_generation_only(data_dir):
    rows = _data(charts.capacity_by_status(layers.load_atlas(data_dir).features))
    assert sorted(r["capacity_mw"] for r in rows) == [720.0, 1320.0]
    assert {r["status"] for r in rows} == {"Operational", "Under construction"}


def test_completions_by_year_skips_undated(data_dir):
    chart = charts.completions_by_year(layers.load_atlas(data_dir).features)
    rows = _data(chart)
    assert sorted(r["completion_year"] for r in rows) == [2017, 2018, 2018, 2018, 2026, 2030]
    assert chart.to_dict()["encoding"]["color"]["field"] == "sector"
