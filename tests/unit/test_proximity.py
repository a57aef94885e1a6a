"""Proximity with hand-checkable geometry, and the shipped corridor."""

from __future__ import annotations

import geopandas as gpd
import pytest
from pyproj import Geod
from shapely.geometry import LineString, Point

from components import layers, proximity

GEOD = Geod(ellps="WGS84")


def _ten_km_east(lon, lat):
    lon2, lat2, _ = GEOD.fwd(lon, lat, 90, 10_000)
    return Point(lon2, lat2)


@pytest.fixture
def features():
    origin = Point(70.0, 30.0)
    return gpd.GeoDataFrame(
        {
            "id": ["origin", "east", "far", "line"],
            "name": ["Origin", "Ten km east", "Far", "A line"],
            "sector": ["energy", "port", "sez", "transport"],
        },
        geometry=[origin, _ten_km_east(70.0, 30.0), Point(72.0, 31.0), LineString([(70.0, 30.05), (70.5, 30.05)])],
        crs="EPSG:4326",
    )


def test_point_ten_km_east_found_at_11_not_9(features):
    assert "east" in set(proximity.within(features, "origin", 11)["id"])
    assert "east" not in set(proximity.within(features, "origin", 9)["id"])
    d = proximity.within(features, "origin", 11).set_index("id").loc["east", "distance_km"]
    assert d == pytest.approx(10.0, abs=0.02)


def test_distance_to_a_line_is_to_its_closest_point(features):
    # the line runs 0.05° (about 5.5 km) north of the origin
    found = proximity.within(features, "origin", 6).set_index("id")
    assert found.loc["line", "distance_km"] == pytest.approx(5.54, abs=0.05)
    assert "far" not in found.index


def test_buffer_has_the_radius(features):
    ring = proximity.buffer(features, "origin", 10)
    east_edge = ring.bounds[2]
    assert GEOD.inv(70.0, 30.0, east_edge, 30.0)[2] / 1000 == pytest.approx(10, abs=0.05)


def test_unknown_id_and_bad_radius(features):
    with pytest.raises(proximity.UnknownFeature, match="unknown feature id 'nope'"):
        proximity.within(features, "nope", 10)
    with pytest.raises(ValueError, match="radius"):
        proximity.within(features, "origin", 0)


def test_khunjerab_neighbourhood_includes_sost():
    found = proximity.within(layers.load_atlas().features, "khunjerab-pass-border-crossing", 100).set_index("id")
    assert 50 < found.loc["sost-dry-port", "distance_km"] < 65
    assert found.loc["karakoram-highway-n35", "distance_km"] < 1


def test_sez_table_has_every_zone_and_plausible_distances():
    features = layers.load_atlas().features
    table = proximity.sez_table(features).set_index("zone")
    assert len(table) == int((features["sector"] == "sez").sum())
    rashakai = table.loc["Rashakai Special Economic Zone"]
    assert rashakai["road km"] < 120  # the M-14/KKH network is within reach of the M-1 zone
    assert (table["plant km"] >= 0).all()


@pytest.mark.parametrize(
    ("near", "km", "expected", "note"),
    [
        ("a", "30", proximity.Query("a", 30.0), None),
        ("a", None, proximity.Query("a", proximity.DEFAULT_KM), None),
        ("a", "0.5", proximity.Query("a", proximity.DEFAULT_KM), "radius"),
        ("a", "5000", proximity.Query("a", proximity.DEFAULT_KM), "radius"),
        ("a", "nan", proximity.Query("a", proximity.DEFAULT_KM), "radius"),
        ("zz", "30", None, "unknown feature"),
        (None, "banana", None, "radius"),
    ],
)
def test_parse_near_applies_the_stated_limits(near, km, expected, note):
    query, notes = proximity.parse_near(near, km, {"a", "b"})
    assert query == expected
    assert (note is None and notes == []) or any(note in n for n in notes)
