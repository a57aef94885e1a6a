"""Status as of a year follows the start and completion years."""

from __future__ import annotations

import pandas as pd
import pytest

from components import layers, timeline
from components.filters import Filters, apply_filters


def _frame(rows):
    return pd.DataFrame(rows, columns=["id", "status", "start_year", "completion_year"]).astype(
        {"start_year": "Int64", "completion_year": "Int64"}
    )


CASES = _frame(
    [
        ("built", "operational", 2015, 2018),
        ("building", "under_construction", 2021, 2027),
        ("only-end", "operational", None, 2019),
        ("plan", "planned", None, 2029),
        ("undated", "operational", None, None),
        ("stopped", "suspended", 2017, None),
    ]
)


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2014, {}),
        (2015, {"built": "under_construction"}),
        (2017, {"built": "under_construction", "stopped": "suspended"}),
        (2018, {"built": "operational", "only-end": "under_construction", "stopped": "suspended"}),
        (2019, {"built": "operational", "only-end": "operational", "stopped": "suspended"}),
        (
            2022,
            {
                "built": "operational",
                "building": "under_construction",
                "only-end": "operational",
                "stopped": "suspended",
            },
        ),
        (
            2029,
            {
                "built": "operational",
                "building": "under_construction",
                "only-end": "operational",
                "plan": "planned",
                "stopped": "suspended",
            },
        ),
    ],
)
def test_status_as_of(year, expected):
    status = timeline.status_as_of(CASES, year)
    got = {i: s for i, s in zip(CASES["id"], status, strict=True) if s is not None}
    assert got == expected


def test_undated_features_are_never_placed():
    for year in range(timeline.YEAR_MIN, timeline.YEAR_MAX + 1):
        assert timeline.status_as_of(CASES, year)[CASES["id"] == "undated"].isna().all()
    assert timeline.undated(CASES) == 1


def test_shipped_corridor_grows_and_filters_follow():
    features = layers.load_atlas().features
    counts = [len(apply_filters(features, Filters(asof=y))) for y in (2014, 2016, 2020, 2025)]
    assert counts == sorted(counts) and counts[0] < counts[-1]
    energy_2016 = apply_filters(features, Filters(sectors=("energy",), asof=2016))
    assert set(energy_2016["status"]) <= {"operational", "under_construction"}
    sahiwal = apply_filters(features, Filters(asof=2016)).set_index("id").loc["sahiwal-coal-power-plant", "status"]
    assert sahiwal == "under_construction"  # built 2015-2017


def test_buildout_is_cumulative():
    table = timeline.buildout(layers.load_atlas().features)
    assert list(table["year"]) == list(range(timeline.YEAR_MIN, timeline.YEAR_MAX + 1))
    assert table["generation_mw"].is_monotonic_increasing
    assert table.set_index("year").loc[2017, "generation_mw"] >= 1320  # Sahiwal's two units


def test_charts_have_data():
    features = layers.load_atlas().features
    gantt = timeline.gantt(features).to_dict()
    rows = next(iter(gantt["datasets"].values()))
    assert rows and all(r["end"] > r["start"] for r in rows)
    assert timeline.buildout_chart(features).to_dict()["mark"]["type"] == "line"
