"""Display text: unknowns read "n/a", numbers carry units."""

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


def test_labels():
    assert fmt.status_label("under_construction") == "Under construction"
    assert fmt.sector_label("sez") == "Special Economic Zone"
    assert fmt.status_label("unknown") == "unknown"


def test_aiddata_links_keep_numeric_ids_only():
    from components.formatting import aiddata_links

    assert aiddata_links(("35124", " 38995 ", "<b>", "1;2")) == [
        ("35124", "https://china.aiddata.org/projects/35124/"),
        ("38995", "https://china.aiddata.org/projects/38995/"),
    ]
    assert aiddata_links(None) == [] and aiddata_links(()) == []
