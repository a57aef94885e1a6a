"""The KKH profile: sourced elevations, measured along the line."""

from __future__ import annotations

import json

import pytest
from shapely.geometry import LineString

from components import layers, profile


def test_along_a_straight_line():
    line = LineString([(72.0, 34.0), (73.0, 34.0)])
    km, off = profile.along(line, 72.5, 34.0)
    assert km == pytest.approx(46.2, abs=0.2)  # half a degree of longitude at 34°N
    km, off = profile.along(line, 72.5, 34.1)
    assert off == pytest.approx(11.1, abs=0.3)


def test_shipped_profile_rises_to_the_pass():
    table = profile.profile(layers.load_atlas().features)
    assert table.iloc[0]["place"] == "Hasan Abdal" and table.iloc[0]["km"] == 0
    top = table.iloc[-1]
    assert top["place"] == "Khunjerab Pass" and top["elevation_m"] == 4693
    assert table["km"].is_monotonic_increasing
    assert (table["off_line_km"] < 3).all()  # every place lies on the road as drawn
    assert table["source"].str.startswith("http").all()


def test_unsourced_elevation_is_refused(tmp_path):
    bad = {"places": [{"place": "X", "lon": 73, "lat": 35, "elevation_m": 1200, "source": "my memory"}]}
    (tmp_path / profile.FILE).write_text(json.dumps(bad))
    with pytest.raises(layers.LayerError, match="unsourced"):
        profile.load_elevations(tmp_path)
