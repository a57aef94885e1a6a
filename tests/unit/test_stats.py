"""Headline figures add published numbers only; lengths are geodesic."""

from __future__ import annotations

import pytest
from shapely.geometry import LineString, Polygon

from components import layers, stats


def test_geodesic_length_of_a_degree_on_the_equator():
    assert stats.geodesic_length_km(LineString([(0, 0), (1, 0)])) == pytest.approx(111.32, abs=0.01)


def test_geodesic_length_shrinks_with_latitude():
    # one degree of longitude along the 36th parallel (the Khunjerab's latitude):
    # N·cos(36°)·π/180 with N = a/√(1−e²sin²36°) = 6,385.5 km gives 90.16 km
    assert stats.geodesic_length_km(LineString([(75, 36), (76, 36)])) == pytest.approx(90.16, abs=0.02)


def test_geodesic_area_in_acres():
    # a 0.01° square at the equator is ~1.113 km x 1.106 km = ~1.231 km² = ~304 acres
    square = Polygon([(0, 0), (0.01, 0), (0.01, 0.01), (0, 0.01)])
    assert stats.geodesic_area_acres(square) == pytest.approx(304.2, rel=0.01)


def test_headline_adds_published_figures_only(data_dir):
    f = layers.load_atlas(data_dir).features
    h = stats.headline(f)
    assert h["features"].value == 7
    # operational plants only; the wind farm publishes no capacity
    assert h["generation_mw"] == stats.Total(1320.0, 1, 2)
    assert h["pipeline_mw"] == stats.Total(720.0, 1, 1)  # the hydro plant under construction
    assert h["length_km"] == stats.Total(392.0, 1, 2)
    assert h["cost_usd_m"] == stats.Total(248.0, 1, 7)


def test_transmission_capacity_is_not_generation(data_dir):
    f = layers.load_atlas(data_dir).features.copy()
    f.loc[f["id"] == "coal-a", "subsector"] = "transmission"
    assert stats.headline(f)["generation_mw"].value == 0.0


def test_length_table_compares_drawn_and_published(data_dir):
    table = stats.length_table(layers.load_atlas(data_dir).features).set_index("id")
    assert table.loc["road-a", "published_km"] == 392.0
    assert 230 < table.loc["road-a", "drawn_km"] < 245  # a straight 2° x 1° diagonal
    assert table.loc["road-b", "drawn_vs_published"] != table.loc["road-b", "drawn_vs_published"]  # NaN


def test_shipped_kkh_length_is_plausible():
    f = layers.load_atlas().features
    table = stats.length_table(f).set_index("id")
    kkh = table.loc["karakoram-highway-n35"]
    assert kkh["published_km"] == f.set_index("id").loc["karakoram-highway-n35", "length_km"]
    # the drawn line omits many small bends but must be the real route, not a shortcut
    assert 600 < kkh["drawn_km"] <= 900


def test_sources_table(data_dir):
    table = stats.sources_table(layers.load_atlas(data_dir).features)
    assert table.loc[0, "source"] == "https://example.org/source"
    assert table.loc[0, "count"] == 7


def test_alignments_are_not_counted_twice_in_the_length_total():
    f = layers.load_atlas().features
    with_alignments = stats.headline(f)["length_km"].value
    without = stats.headline(f[f["subsector"] != "alignment"])["length_km"].value
    assert with_alignments == without
