"""Links: view= and feature= parsing (bounded, never raising), formatting, and the views they give."""

from __future__ import annotations

import pytest

from components import layers, links
from components.filters import MAX_NOTES, Notes, parse_query
from components.map_builder import View

ATLAS = layers.load_atlas()
IDS = set(ATLAS.features["id"])
KAROT = "karot-hydropower-project"


def parsed_view(raw):
    notes = Notes()
    return links.parse_view(raw, notes), notes.lines()


@pytest.mark.parametrize(
    ("raw", "center", "zoom"),
    [
        ("33.45,73.6,9", (33.45, 73.6), 9),
        (" 24.85 , 67.0 , 7 ", (24.85, 67.0), 7),
        ("-33.9,-70.65,3", (-33.9, -70.65), 3),
        ("85,180,18", (85.0, 180.0), 18),
        ("30,69.5,8.4", (30.0, 69.5), 8),  # a fractional zoom is rounded to the map's steps
    ],
)
def test_good_views_parse_without_notes(raw, center, zoom):
    view, notes = parsed_view(raw)
    assert notes == []
    assert view == View(center=center, zoom=zoom)


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("91,73,9", "latitude must lie within ±85"),
        ("33,181,9", "latitude must lie within ±85"),
        ("33,73,2", "zoom within 3–18"),
        ("33,73,19", "zoom within 3–18"),
        ("33,73", "expected lat,lon,zoom"),
        ("33,73,9,4", "expected lat,lon,zoom"),
        ("nan,73,9", "expected lat,lon,zoom"),
        ("inf,-inf,9", "expected lat,lon,zoom"),
        ("1e2,73,9", "expected lat,lon,zoom"),
        ("<b>33</b>,73,9", "expected lat,lon,zoom"),
        ("3" * 41, "longer than 40 characters"),
    ],
)
def test_nonsense_views_are_dropped_with_a_note(raw, says):
    view, notes = parsed_view(raw)
    assert view is None
    assert len(notes) == 1 and says in notes[0]


def test_empty_view_is_no_view_and_no_note():
    assert parsed_view("") == (None, [])
    assert parsed_view(None) == (None, [])


def test_view_note_quotes_the_value_shortened():
    _, [note] = parsed_view("x" * 39)
    assert "x" * 39 in note
    _, [note] = parsed_view("x" * 400)
    assert "x" * 40 not in note


@pytest.mark.parametrize("view", [View((33.45, 73.6), 9), View((-12.3456, 170.0), 3), View((0.0, 0.0), 18)])
def test_view_round_trip(view):
    assert parsed_view(links.format_view(view)) == (view, [])


def test_format_view_is_short_and_about_ten_metres():
    assert links.format_view(View((33.123456, 73.987654), 9)) == "33.1235,73.9877,9"


def test_known_feature_parses():
    notes = Notes()
    assert links.parse_feature(KAROT, IDS, notes) == KAROT
    assert notes.lines() == []


def test_unknown_feature_gets_the_same_note_as_other_unknown_values():
    notes = Notes()
    assert links.parse_feature("no-such-dam", IDS, notes) is None
    assert notes.lines() == ["Ignored unknown feature “no-such-dam”."]


def test_too_long_feature_is_not_looked_up():
    notes = Notes()
    assert links.parse_feature(KAROT + "x" * 200, IDS | {KAROT + "x" * 200}, notes) is None
    assert "longer than 100 characters" in notes.lines()[0]


def test_feature_without_a_position_says_so():
    unlocated = dict(zip(ATLAS.unlocated["id"], ATLAS.unlocated["name"], strict=True))
    fid, name = next(iter(unlocated.items()))
    notes = Notes()
    assert links.parse_feature(fid, IDS, notes, unlocated) is None
    assert notes.lines() == [links.TEXT["feature_unlocated"].format(name=name)]


def test_parse_takes_both_and_to_query_gives_them_back():
    link = links.parse({"view": "33.6,73.6,10", "feature": KAROT}, IDS, Notes())
    assert link == links.Link(View((33.6, 73.6), 10), KAROT)
    assert links.to_query(link) == {"view": "33.6000,73.6000,10", "feature": KAROT}
    assert links.to_query(links.Link()) == {}


def test_a_hostile_link_costs_at_most_the_usual_notes():
    params = {"view": "a" * 5000, "feature": "<script>" * 50, **{f"x{i}": "1" for i in range(300)}}
    parsed = parse_query(params)
    assert len(parsed.notes) <= MAX_NOTES
    notes = Notes()
    assert links.parse({"view": params["view"][:400], "feature": params["feature"]}, IDS, notes) == links.Link()
    assert len(notes.lines()) == 2


def test_filters_accept_the_link_parameters():
    assert parse_query({"view": "33,73,9", "feature": KAROT, "sector": "energy"}).notes == []


def test_feature_view_centres_on_the_feature_at_a_readable_zoom():
    row = ATLAS.features.set_index("id").loc[KAROT]
    view = links.feature_view(ATLAS.features, KAROT)
    minx, miny, maxx, maxy = row.geometry.bounds
    assert minx <= view.center[1] <= maxx and miny <= view.center[0] <= maxy
    assert view.zoom == links.FEATURE_MAX_ZOOM  # a small footprint is capped, not shown at street level
    west, south, east, north = view.bounds(900, 520)
    assert west < minx and east > maxx and south < miny and north > maxy


def test_feature_view_of_a_long_line_shows_all_of_it():
    lines = ATLAS.features[ATLAS.features.geometry.geom_type.str.contains("LineString")]
    longest = lines.loc[lines.geometry.to_crs("EPSG:3857").length.idxmax()]
    view = links.feature_view(ATLAS.features, longest["id"])
    west, south, east, north = view.bounds(900, 520)
    minx, miny, maxx, maxy = longest.geometry.bounds
    assert view.zoom < links.FEATURE_MAX_ZOOM
    assert west <= minx and east >= maxx and south <= miny and north >= maxy


@pytest.mark.parametrize("box", [(60.8, 23.6, 77.9, 37.1), (73.0, 33.0, 74.0, 34.0), (66.5, 24.7, 67.4, 25.2)])
def test_view_bounds_invert_fit(box):
    view = View.fit(box, 900, 520)
    west, south, east, north = view.bounds(900, 520)
    # the fitted view contains the box, and one zoom further in would not
    assert west <= box[0] and east >= box[2] and south <= box[1] and north >= box[3]
    closer = View(view.center, view.zoom + 1).bounds(900, 520)
    assert closer[0] > box[0] or closer[2] < box[2] or closer[1] > box[1] or closer[3] < box[3]


def test_view_bounds_stay_inside_the_world():
    west, south, east, north = View((84.9, 179.9), 3).bounds(1200, 800)
    assert (east, north) == (180.0, 85.0)  # clipped where the map's world ends
    assert -180 <= west < 179.9 and -85 <= south < 84.9


def test_share_url_keeps_the_filters_and_readable_commas():
    url = links.share_url("http://host/projects", {"sector": "energy,port", "q": "a&b", "feature": KAROT})
    assert url == f"http://host/projects?sector=energy,port&q=a%26b&feature={KAROT}"
    assert links.share_url("http://host/", {}) == "http://host/"


def test_read_notes_a_feature_the_filters_hide_and_keeps_it():
    from components.filters import Filters, apply_filters

    shown = set(apply_filters(ATLAS.features, Filters(sectors=("port",)))["id"])
    link, notes = links.read({"feature": [KAROT]}, ATLAS.features, ATLAS.unlocated, shown, "sectors: Port & aviation")
    assert link.feature == KAROT
    assert notes == [links.hidden_note(ATLAS.features.set_index("id").loc[KAROT, "name"], "sectors: Port & aviation")]
    link, notes = links.read({"feature": [KAROT]}, ATLAS.features, ATLAS.unlocated, IDS, "all features")
    assert (link.feature, notes) == (KAROT, [])


def test_read_ignores_other_parameters():
    link, notes = links.read({"sector": ["energy"], "zzz": ["1"]}, ATLAS.features, ATLAS.unlocated, IDS, "")
    assert (link, notes) == (links.Link(), [])
