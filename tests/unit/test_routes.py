"""Routes with hand-checkable geometry, and the shipped network."""

from __future__ import annotations

import geopandas as gpd
import pytest
from pyproj import Geod
from shapely.geometry import LineString, Point

from components import layers, routes

GEOD = Geod(ellps="WGS84")


def _km(a, b):
    return GEOD.inv(a[0], a[1], b[0], b[1])[2] / 1000


@pytest.fixture
def network():
    a, b, c, d = (70.0, 30.0), (70.5, 30.2), (71.0, 30.1), (71.6, 30.6)
    frame = gpd.GeoDataFrame(
        {
            "id": ["s1", "s2", "s3", "start", "finish", "far"],
            "sector": ["transport", "transport", "transport", "port", "port", "port"],
            "subsector": ["road", "rail", "road", "port", "port", "port"],
            "status": ["operational"] * 6,
            "length_km": [50.0, None, 70.0, None, None, None],
        },
        geometry=[LineString([a, b]), LineString([b, c]), LineString([c, d]), Point(a), Point(d), Point(80.0, 39.0)],
        crs="EPSG:4326",
    )
    return frame, (a, b, c, d)


def test_route_over_three_segments_sums_their_geodesic_lengths(network):
    frame, (a, b, c, d) = network
    found = routes.route(frame, "start", "finish")
    assert found.km == pytest.approx(_km(a, b) + _km(b, c) + _km(c, d), rel=1e-9)
    assert found.features == ["s1", "s2", "s3"]
    assert found.gap_km == 0 and found.snap_km == pytest.approx(0, abs=1e-6)
    assert found.published_km == {"s1": 50.0, "s3": 70.0}


def test_gaps_are_bridged_and_reported(network):
    frame, (_a, _b, c, d) = network
    shifted = frame.copy()
    # move the last segment 10 km east: the route must bridge a gap of about 10 km
    lon, lat, _ = GEOD.fwd(c[0], c[1], 90, 10_000)
    lon2, lat2, _ = GEOD.fwd(d[0], d[1], 90, 10_000)
    shifted.loc[shifted["id"] == "s3", "geometry"] = LineString([(lon, lat), (lon2, lat2)])
    shifted.loc[shifted["id"] == "finish", "geometry"] = Point(lon2, lat2)
    found = routes.route(shifted, "start", "finish")
    assert found.gap_km == pytest.approx(10, abs=0.1)


def test_unknown_and_unreachable(network):
    frame, _ = network
    with pytest.raises(routes.UnknownPlace, match="'nowhere'"):
        routes.route(frame, "start", "nowhere")


def test_shipped_network_links_kashgar_to_karachi():
    features = layers.load_atlas().features
    found = routes.route(features, "kashgar", "karachi")
    assert {"china-national-highway-g314-khunjerab-kashgar", "karakoram-highway-n35"} <= set(found.features)
    assert 2000 < found.km < 3500
    assert found.gap_km < 60


def test_sea_route_is_computed_offline():
    import searoute

    sea = searoute.searoute([62.34, 25.11], [121.46, 31.22], units="km")
    assert 8500 < sea.properties["length"] < 12000


def test_kashgar_to_gwadar_overland_versus_sea():
    comparison = routes.sea_vs_land(layers.load_atlas().features)
    assert comparison.land.gap_km < 1  # the alignments join the KKH to Gwadar
    assert 2000 < comparison.land.km < 3000  # the Western Alignment is published at 2,463 km
    assert 8500 < comparison.sea_km < 12000
    table = comparison.table()
    assert table["km"].iloc[-1] > 4 * table["km"].iloc[0]  # the sea route is several times longer


def test_an_end_on_another_line_is_a_junction_not_a_gap():
    a, b, c = (70.0, 30.0), (70.3, 30.2), (70.0, 30.4)  # c is ~44 km from a, within GAP_KM
    frame = gpd.GeoDataFrame(
        {
            "id": ["main", "spur", "branch", "start", "finish"],
            "sector": ["transport"] * 3 + ["port"] * 2,
            "subsector": ["road", "road", "road", "port", "port"],
            "status": ["operational"] * 5,
            "length_km": [None] * 5,
        },
        geometry=[
            LineString([a, b, c]),
            LineString([(69.5, 30.0), a]),  # ends on main at a
            LineString([c, (70.0, 31.0)]),  # starts on main at c
            Point(69.5, 30.0),
            Point(70.0, 31.0),
        ],
        crs="EPSG:4326",
    )
    found = routes.route(frame, "start", "finish")
    assert found.gap_km == 0
    assert found.features == ["spur", "main", "branch"]
    assert found.km == pytest.approx(_km((69.5, 30.0), a) + _km(a, b) + _km(b, c) + _km(c, (70.0, 31.0)), rel=1e-9)
