"""The data audit on small hand-made frames, and the checks the shipped data must pass."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
from pyproj import Geod
from shapely.geometry import LineString, Point, Polygon

from components import audit, layers
from components.__main__ import main

GEOD = Geod(ellps="WGS84")


def _frame(rows: list[dict]) -> gpd.GeoDataFrame:
    base = {
        "name": "x",
        "precision": "exact",
        "length_km": None,
        "length_note": None,
        "site": None,
        "capacity_mw": None,
        "area_acres": None,
        "cost_usd_m": None,
        "elevation_m": None,
    }
    records = [{**base, **{k: v for k, v in r.items() if k != "geometry"}} for r in rows]
    return gpd.GeoDataFrame(records, geometry=[r["geometry"] for r in rows], crs="EPSG:4326")


def _km(line: LineString) -> float:
    return GEOD.geometry_length(line) / 1000


LINE = LineString([(70.0, 30.0), (70.3, 30.2), (70.6, 30.1)])


def test_drawn_length_is_geodesic_and_ratio_is_drawn_over_published():
    drawn = _km(LINE)
    frame = _frame([{"id": "road", "geometry": LINE, "length_km": round(drawn * 1.02, 3)}])
    row = audit.line_lengths(frame).iloc[0]
    assert row["drawn_km"] == pytest.approx(drawn, abs=0.05)
    assert row["ratio"] == pytest.approx(1 / 1.02, abs=0.001)
    assert row["verdict"] == audit.WITHIN


@pytest.mark.parametrize(
    ("factor", "note", "expected"),
    [
        (1.0, None, audit.WITHIN),
        (1.049, None, audit.WITHIN),
        (1.06, None, audit.OUTSIDE),
        (0.94, None, audit.OUTSIDE),
        (1.08, "the figure includes 10 km of link roads", audit.EXPLAINED),
        (1.15, "the figure includes link roads", audit.NOTE_TOO_FAR),
    ],
)
def test_verdict_follows_the_tolerances(factor, note, expected):
    drawn = _km(LINE)
    frame = _frame([{"id": "road", "geometry": LINE, "length_km": drawn * factor, "length_note": note}])
    assert audit.line_lengths(frame).iloc[0]["verdict"] == expected


def test_line_without_a_published_length_is_reported_as_such():
    frame = _frame([{"id": "road", "geometry": LINE}])
    row = audit.line_lengths(frame).iloc[0]
    assert row["verdict"] == audit.NO_FIGURE and pd.isna(row["ratio"])


def test_points_are_not_lines():
    frame = _frame([{"id": "plant", "geometry": Point(70, 30)}])
    assert audit.line_lengths(frame).empty


def test_shared_positions_pair_points_within_ten_metres_and_check_the_site():
    frame = _frame(
        [
            {"id": "a", "geometry": Point(70.0, 30.0), "site": "yard"},
            {"id": "b", "geometry": Point(70.00005, 30.0), "site": "yard"},  # ~5 m east
            {"id": "c", "geometry": Point(70.00003, 30.00003)},  # ~4.5 m, no site
            {"id": "far", "geometry": Point(70.001, 30.0)},  # ~96 m
            {"id": "road", "geometry": LineString([(70.0, 30.0), (70.1, 30.1)])},  # lines meet by design
        ]
    )
    shared = audit.shared_positions(frame)
    pairs = {(r.a, r.b): r.declared for r in shared.itertuples()}
    assert pairs == {("a", "b"): True, ("a", "c"): False, ("b", "c"): False}
    assert shared.loc[(shared["a"] == "a") & (shared["b"] == "b"), "distance_m"].iloc[0] == pytest.approx(
        GEOD.inv(70.0, 30.0, 70.00005, 30.0)[2], abs=0.1
    )


def test_shared_positions_catch_pairs_just_under_the_threshold_in_any_direction():
    # ~9.6 m east-west at 30 degrees north is more than 0.0001 degrees of longitude
    frame = _frame([{"id": "a", "geometry": Point(70.0, 30.0)}, {"id": "b", "geometry": Point(70.0001, 30.0)}])
    distance = GEOD.inv(70.0, 30.0, 70.0001, 30.0)[2]
    assert distance < audit.SAME_POINT_M
    assert len(audit.shared_positions(frame)) == 1
    assert audit.shared_positions(frame, metres=distance - 0.5).empty


def test_different_sites_on_one_point_are_not_declared():
    frame = _frame(
        [
            {"id": "a", "geometry": Point(70.0, 30.0), "site": "north"},
            {"id": "b", "geometry": Point(70.0, 30.0), "site": "south"},
        ]
    )
    assert not audit.shared_positions(frame).iloc[0]["declared"]


def test_polygons_are_compared_by_their_representative_point():
    square = Polygon([(70, 30), (70.01, 30), (70.01, 30.01), (70, 30.01)])
    frame = _frame([{"id": "zone", "geometry": square}, {"id": "gate", "geometry": square.representative_point()}])
    assert len(audit.shared_positions(frame)) == 1


def test_precision_counts_and_area_share():
    frame = _frame(
        [
            {"id": "a", "geometry": Point(70, 30), "precision": "area"},
            {"id": "b", "geometry": Point(71, 30), "precision": "exact"},
            {"id": "c", "geometry": Point(72, 30), "precision": "exact"},
            {"id": "d", "geometry": Point(73, 30), "precision": "approximate"},
        ]
    )
    counts = audit.precision_counts(frame).set_index("precision")
    assert counts.loc["exact", "features"] == 2 and counts.loc["area", "share"] == 0.25
    assert audit.area_share(frame) == 0.25


def test_unsourced_figures_lists_each_figure_without_its_source_field():
    frame = _frame(
        [
            {"id": "a", "geometry": Point(70, 30), "capacity_mw": 660.0, "capacity_mw_source": "https://a.example"},
            {"id": "b", "geometry": Point(71, 30), "capacity_mw": 100.0, "cost_usd_m": 5.0},
            {"id": "c", "geometry": LINE, "length_km": 12.0, "length_km_source": None},
        ]
    )
    found = audit.unsourced_figures(frame)
    assert sorted(zip(found["id"], found["figure"], strict=True)) == [
        ("b", "capacity_mw"),
        ("b", "cost_usd_m"),
        ("c", "length_km"),
    ]


def test_unlocated_reason_is_the_first_sentence_of_the_notes():
    table = pd.DataFrame(
        [
            {"id": "x", "name": "X", "notes": "No coordinate was published. Only the district is known."},
            {"id": "y", "name": "Y", "notes": None},
        ]
    )
    found = audit.unlocated(table)
    assert found["reason"].tolist() == ["No coordinate was published", ""]


def test_audit_collects_problems():
    frame = _frame(
        [
            {"id": "road", "geometry": LINE, "length_km": _km(LINE) * 2, "length_km_source": "https://a.example"},
            {"id": "a", "geometry": Point(70, 30), "precision": "area"},
            {"id": "b", "geometry": Point(70, 30), "precision": "area"},
        ]
    )
    result = audit.audit(frame, pd.DataFrame([{"id": "u", "name": "U", "notes": None}]))
    text = "\n".join(result.problems)
    assert "line road" in text and "a and b share a position" in text and "area precision for 67%" in text
    assert "unlocated u: no reason stated" in text
    assert result.total == 3
    assert len(result.line_problems) == 1 and len(result.undeclared_shared) == 1
    json.dumps(result.as_dict())  # serializable
    report = audit.format_text(result)
    assert "Lines (1)" in report and "Problems: " in report


# --- the shipped data ----------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped():
    atlas = layers.load_atlas()
    assert not atlas.problems, atlas.problems
    return atlas


def test_every_shipped_line_is_within_tolerance_or_explained(shipped):
    lines = audit.line_lengths(shipped.features)
    unexplained = lines[lines["verdict"] == audit.OUTSIDE]
    assert unexplained.empty, unexplained[["id", "drawn_km", "published_km", "ratio"]].to_string()


def test_lines_drawn_from_published_geometry_are_within_ten_percent(shipped):
    """An ``exact`` line claims to follow the real course, so even a length note cannot explain more than 10 %.

    Approximate and area lines (chords through sourced places) are reported by the audit instead.
    """
    lines = audit.line_lengths(shipped.features)
    too_far = lines[(lines["verdict"] == audit.NOTE_TOO_FAR) & (lines["precision"] == "exact")]
    assert too_far.empty, too_far[["id", "drawn_km", "published_km", "ratio"]].to_string()


#: Lines still drawn as chords more than 10 % short of their published length: no openly licensed
#: alignment and not enough sourced intermediate places were found for them yet (see data/README.md).
CHORDS_STILL_OVER_TEN_PERCENT = {
    "china-national-highway-g314-khunjerab-kashgar",
    "di-khan-zhob-n50",
    "surab-hoshab-n85",
    "mirpur-muzaffarabad-mansehra-expressway",
    "chitral-shandur-gilgit-road-n140",
    "pakistan-china-cross-border-optical-fibre",
}


def _noted_lines_over_ten_percent(shipped) -> set[str]:
    lines = audit.line_lengths(shipped.features)
    return set(lines.loc[lines["verdict"] == audit.NOTE_TOO_FAR, "id"])


def test_no_line_with_a_length_note_falls_more_than_ten_percent_short_beyond_the_known_chords(shipped):
    """Lines brought within 10 % stay there; only the listed chords may still be further off."""
    regressed = _noted_lines_over_ten_percent(shipped) - CHORDS_STILL_OVER_TEN_PERCENT
    assert not regressed, sorted(regressed)


@pytest.mark.xfail(
    strict=False,
    reason="still more than 10 % off their published length (chords between sourced towns): "
    + ", ".join(sorted(CHORDS_STILL_OVER_TEN_PERCENT)),
)
def test_every_line_with_a_length_note_is_within_ten_percent(shipped):
    over = _noted_lines_over_ten_percent(shipped)
    assert not over, sorted(over)


def test_lines_off_by_more_than_ten_percent_are_not_exact(shipped):
    lines = audit.line_lengths(shipped.features)
    far = lines[lines["ratio"].notna() & ((lines["ratio"] - 1).abs() >= audit.NOTE_TOLERANCE)]
    assert (far["precision"] != "exact").all(), far.to_string()


def test_no_two_shipped_features_share_a_position_without_a_declared_site(shipped):
    undeclared = audit.shared_positions(shipped.features).query("~declared")
    assert undeclared.empty, undeclared[["a", "b"]].to_string()


@pytest.mark.xfail(
    strict=False,
    reason="point and polygon positions are being sourced in the point/polygon half of the geometry work",
)
def test_area_precision_is_at_most_fifteen_percent(shipped):
    assert audit.area_share(shipped.features) <= audit.AREA_SHARE_MAX


def test_every_unlocated_entry_states_a_reason(shipped):
    found = audit.unlocated(shipped.unlocated)
    assert (found["reason"] != "").all(), found.to_string()


def test_cli_audit_prints_a_report_and_json(capsys):
    assert main(["audit"]) == 0
    out = capsys.readouterr().out
    assert "mapped features" in out and "Lines (" in out
    assert main(["audit", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["mapped_features"] == len(layers.load_atlas().features)
    assert {"lines", "shared_positions", "precision", "area_share", "unlocated", "unsourced_figures"} <= set(data)
