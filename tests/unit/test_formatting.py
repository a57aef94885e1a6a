"""Display text: unknowns read "n/a", numbers carry units, every property is escaped."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from components import formatting as fmt


@pytest.mark.parametrize("value", [None, float("nan"), pd.NA, math.inf, -math.inf])
def test_unknowns_read_na(value):
    assert fmt.fmt_number(value, "MW") == "n/a"
    assert fmt.fmt_year(value) == "n/a"
    assert fmt.fmt_usd_m(value) == "n/a"


def test_numbers():
    assert fmt.fmt_number(1320.0, "MW") == "1,320 MW"
    assert fmt.fmt_number(49.5, "MW") == "49.5 MW"
    assert fmt.fmt_number(0, "km") == "0 km"
    assert fmt.fmt_usd_m(34765) == "US$ 34.8 bn"
    assert fmt.fmt_usd_m(246) == "US$ 246 m"
    assert fmt.fmt_usd_m(0.4) == "US$ 0.4 m"
    assert fmt.fmt_period(2015, None) == "2015 – n/a"
    assert fmt.fmt_period(None, None) == "n/a"


def test_popup_escapes_and_drops_unsafe_links():
    props = {
        "name": "<script>x</script>",
        "sector": "energy",
        "subsector": "<i>coal</i>",
        "status": "operational",
        "description": "a" * 1000,
        "sources": ["javascript:alert(1)", "https://example.org/a?b=<c>"],
        "precision": "exact",
        "capacity_mw": 660.0,
    }
    html = fmt.popup_html(props)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;i&gt;coal&lt;/i&gt;" in html
    assert "javascript:" not in html
    assert 'href="https://example.org/a?b=&lt;c&gt;"' in html
    assert "a" * 399 + "…" in html or "a" * 398 + "…" in html
    assert "a" * 401 not in html
    assert "660 MW" in html


def test_popup_without_sources_says_na():
    assert "<b>Sources:</b> n/a" in fmt.popup_html({"name": "x", "sources": []})


def test_tooltip_is_short_and_escaped():
    tip = fmt.tooltip_html({"name": "<b>" + "n" * 300, "status": "planned"})
    assert tip.startswith("<b>&lt;b&gt;")
    assert "Planned" in tip
    assert len(tip) < 200
