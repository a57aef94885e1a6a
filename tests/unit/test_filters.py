"""Filters: URL parsing (never raises), round trip, and feature counts after each filter."""

from __future__ import annotations

import pytest

from components import layers
from components.filters import (
    MAX_NOTES,
    MAX_URL_LENGTH,
    MAX_VALUE_LENGTH,
    Filters,
    Notes,
    apply_filters,
    bound,
    parse_query,
    to_query,
    year_mask,
)


@pytest.fixture
def features(data_dir):
    return layers.load_atlas(data_dir).features


def test_issue_example_url_parses():
    result = parse_query(
        {"sector": "energy,port", "status": "operational", "province": "Sindh", "years": "2015-2025", "q": "coal"}
    )
    assert result.notes == []
    assert result.filters == Filters(("energy", "port"), ("operational",), ("sindh",), (2015, 2025), "coal")


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(sectors=("energy",)),
        Filters(
            ("transport", "port"),
            ("under_construction", "planned"),
            ("gilgit-baltistan", "ajk"),
            (2013, 2030),
            "tunnel & bridge",
        ),
    ],
)
def test_url_round_trip(filters):
    assert parse_query(to_query(filters)).filters == filters


def test_default_filters_give_empty_query():
    assert to_query(Filters()) == {}


def test_to_query_uses_vocabulary_order():
    assert to_query(Filters(sectors=("energy", "transport")))["sector"] == "energy,transport"
    assert parse_query({"sector": "port,energy"}).filters.sectors == ("energy", "port")


@pytest.mark.parametrize(
    ("params", "expected", "note"),
    [
        ({"sector": "energy,mining"}, Filters(sectors=("energy",)), "unknown sector “mining”"),
        ({"status": "done"}, Filters(), "unknown status “done”"),
        ({"province": "Atlantis,KP"}, Filters(provinces=("khyber-pakhtunkhwa",)), "unknown province “Atlantis”"),
        ({"years": "twenty"}, Filters(), "malformed years"),
        ({"years": "1900-2100"}, Filters(), "outside 2005-2035"),
        ({"years": "2025-2015"}, Filters(years=(2015, 2025)), None),
        ({"years": "2020"}, Filters(years=(2020, 2020)), None),
        ({"q": "x" * 500}, Filters(q="x" * 100), "shortened"),
        ({"sector": "<script>alert(1)</script>"}, Filters(), "unknown sector"),
        ({"zoom": "9"}, Filters(), "unknown URL parameter"),
        ({"sector": ["energy", "port"]}, Filters(sectors=("energy", "port")), None),
        ({"sector": ",,ENERGY, ,"}, Filters(sectors=("energy",)), None),
        ({"status": "under-construction"}, Filters(statuses=("under_construction",)), None),
    ],
)
def test_nonsense_is_dropped_with_a_note(params, expected, note):
    result = parse_query(params)
    assert result.filters == expected
    if note is None:
        assert result.notes == []
    else:
        assert any(note in n for n in result.notes), result.notes


def test_hostile_values_are_cut_in_notes():
    note = parse_query({"sector": "a" * 10_000}).notes[0]
    assert len(note) < 100


def test_sector_filter_counts(features):
    assert len(apply_filters(features, Filters())) == 7
    assert len(apply_filters(features, Filters(sectors=("energy",)))) == 3
    assert len(apply_filters(features, Filters(sectors=("energy", "port")))) == 5
    assert set(apply_filters(features, Filters(sectors=("transport",)))["id"]) == {"road-a", "road-b"}


def test_status_and_province_filters(features):
    assert set(apply_filters(features, Filters(statuses=("planned",)))["id"]) == {"road-b"}
    # a line crossing two provinces matches either
    assert "road-a" in set(apply_filters(features, Filters(provinces=("sindh",)))["id"])
    assert "road-a" in set(apply_filters(features, Filters(provinces=("punjab",)))["id"])
    assert set(apply_filters(features, Filters(provinces=("ajk",)))["id"]) == {"hydro-b"}


def test_year_filter_uses_overlap_and_drops_undated(features):
    ids = set(apply_filters(features, Filters(years=(2019, 2021)))["id"])
    assert "hydro-b" in ids  # 2020-2026 overlaps
    assert "coal-a" not in ids  # 2015-2017 does not
    assert "wind-c" not in ids  # no years at all
    assert "road-b" not in ids  # only a completion year (2030)
    assert "road-b" in set(apply_filters(features, Filters(years=(2030, 2030)))["id"])


def test_year_mask_single_year(features):
    mask = year_mask(features, (2017, 2017))
    assert set(features[mask]["id"]) >= {"coal-a"}


def test_text_search_is_case_insensitive_over_name_and_description(features):
    assert set(apply_filters(features, Filters(q="JHIMPIR"))["id"]) == {"wind-c"}
    assert set(apply_filters(features, Filters(q="hydro"))["id"]) == {"hydro-b"}
    assert apply_filters(features, Filters(q="no such thing")).empty
    # regex characters are literal
    assert apply_filters(features, Filters(q=".*")).empty


def test_filters_combine(features):
    f = Filters(sectors=("energy",), statuses=("operational",), provinces=("sindh",))
    assert set(apply_filters(features, f)["id"]) == {"wind-c"}


def test_describe():
    assert Filters().describe() == "all features"
    text = Filters(("energy",), ("operational",), ("sindh",), (2015, 2025), "coal").describe()
    assert text == "sectors: Energy; status: Operational; province: Sindh; years 2015–2025; text “coal”"


def test_a_flood_of_values_gives_a_few_notes_quickly():
    import time

    started = time.perf_counter()
    result = parse_query(
        {"sector": ",".join(["x"] * 40_000), "status": ["bad"] * 5000, **{f"p{i}": "1" for i in range(500)}}
    )
    assert time.perf_counter() - started < 1.0
    assert result.filters == Filters()
    assert 1 <= len(result.notes) <= MAX_NOTES
    assert all(len(n) < 200 for n in result.notes)


def test_unknown_values_are_grouped_and_deduplicated():
    result = parse_query({"sector": "energy,a,b,a,c,d,energy"})
    assert result.filters.sectors == ("energy",)
    assert result.notes == ["Ignored 4 unknown sector values: “a”, “b”, “c” and 1 more."]


def test_values_and_the_whole_address_are_capped():
    params = bound({"q": "q" * 5000, "sector": "s" * 5000, "status": "t" * 5000}, {"q", "sector", "status"}, Notes())
    assert len(params["q"]) == MAX_VALUE_LENGTH
    assert sum(len(v) for v in params.values()) <= MAX_URL_LENGTH


def test_notes_carry_no_invisible_characters():
    note = parse_query({"sector": "ab\u202ecd\u200b"}).notes[0]
    assert "\u202e" not in note and "\u200b" not in note and "abcd" in note


def test_notes_and_descriptions_in_another_language():
    from components import i18n

    zh = parse_query({"sector": "energy,bogus", "asof": "1900"}, lang="zh")
    assert zh.filters.sectors == ("energy",)
    assert all(n.startswith("已忽略") for n in zh.notes) and len(zh.notes) == 2
    assert "bogus" in zh.notes[0] and i18n.t("notes.what_sector", "zh") in zh.notes[0]
    described = Filters(("energy", "port"), years=(2015, 2020)).describe("ur")
    assert i18n.sector("energy", "ur") in described and i18n.sector("port", "ur") in described
    assert "2015" in described and "sectors" not in described
