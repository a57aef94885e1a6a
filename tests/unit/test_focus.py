"""Focused pages select their subject's features and open on its box."""

from __future__ import annotations

from components import focus, layers


def test_gwadar_subject_selects_gwadar_features_only():
    features = layers.load_atlas().features
    rows = focus.select(features, focus.SUBJECTS["gwadar"])
    assert "gwadar-port" in set(rows["id"])
    assert "new-gwadar-international-airport" in set(rows["id"])
    assert "sahiwal-coal-power-plant" not in set(rows["id"])
    minx, miny, maxx, maxy = focus.SUBJECTS["gwadar"].bounds
    assert all(minx <= p.x <= maxx and miny <= p.y <= maxy for p in rows[rows.geom_type == "Point"].geometry)


def test_kkh_subject_has_the_highway_and_the_pass():
    ids = set(focus.select(layers.load_atlas().features, focus.SUBJECTS["kkh"])["id"])
    assert {"karakoram-highway-n35", "khunjerab-pass-border-crossing"} <= ids
    assert not any(i.startswith("gwadar") for i in ids)


def test_sez_subject_is_every_zone():
    features = layers.load_atlas().features
    rows = focus.select(features, focus.SUBJECTS["sez"])
    assert set(rows["id"]) == set(features.loc[features["sector"] == "sez", "id"])


def test_view_fits_the_box():
    for subject in focus.SUBJECTS.values():
        minx, miny, maxx, maxy = subject.bounds
        lat, lon = subject.view.center
        assert minx < lon < maxx and miny < lat < maxy
    assert focus.SUBJECTS["gwadar"].view.zoom > focus.SUBJECTS["kkh"].view.zoom


def test_gwadar_opens_as_a_site_plan_on_the_port_footprint():
    gwadar = focus.SUBJECTS["gwadar"]
    assert 13 <= gwadar.view.zoom <= 14
    features = layers.load_atlas().features.set_index("id")
    port = features.loc["gwadar-port", "geometry"]
    # what the page's map (900 x MAP_HEIGHT px) really shows at the opening view
    minx, miny, maxx, maxy = gwadar.view.bounds(900, focus.MAP_HEIGHT)
    assert minx < port.bounds[0] and port.bounds[2] < maxx and miny < port.bounds[1] and port.bounds[3] < maxy
    # the plan reaches up the Eastbay Expressway to Free Zone North and the mainland institute
    plan = (
        "gwadar-free-zone-south",
        "gwadar-free-zone-north",
        "pak-china-technical-vocational-institute-gwadar",
        "pak-china-friendship-hospital-gwadar",
    )
    for fid in plan:
        x0, y0, x1, y1 = features.loc[fid, "geometry"].bounds
        assert minx < x0 and x1 < maxx and miny < y0 and y1 < maxy, fid


def test_every_subject_lists_only_assets_that_are_really_without_a_position():
    atlas = layers.load_atlas()
    mapped, unlocated = set(atlas.features["id"]), set(atlas.unlocated["id"])
    for subject in focus.SUBJECTS.values():
        assert set(subject.unlocated) <= unlocated, subject.id
        assert not set(subject.unlocated) & mapped, subject.id


def test_gwadar_draws_the_eastbay_expressway_from_the_port():
    features = layers.load_atlas().features.set_index("id")
    rows = focus.select(features.reset_index(), focus.SUBJECTS["gwadar"])
    assert "gwadar-eastbay-expressway" in set(rows["id"])
    road, port = features.loc["gwadar-eastbay-expressway", "geometry"], features.loc["gwadar-port", "geometry"]
    assert road.geom_type == "LineString" and road.distance(port) < 0.01  # starts at the terminal (~1 km)
