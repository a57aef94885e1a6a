"""The interface languages: the catalogues, look-ups, fallbacks and the lang= value."""

from __future__ import annotations

import re

import pytest

from components import i18n, vocab

OTHERS = [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT]


@pytest.mark.parametrize("lang", OTHERS)
def test_every_english_key_exists_with_the_same_placeholders(lang):
    assert i18n.catalogue(lang), f"data/i18n/{lang}.toml is missing or empty"
    assert i18n.problems(lang) == []


@pytest.mark.parametrize("lang", OTHERS)
def test_translations_are_translated(lang):
    """No string copied from English by mistake, apart from names and codes that stay as they are."""
    english, other = i18n.catalogue("en"), i18n.catalogue(lang)
    same = [k for k, v in english.items() if other[k] == v and re.search(r"[a-z]{4,}", v)]
    assert set(same) <= {"map.basemap_osm"}, same
    script = re.compile("[\u0600-\u06ff]" if lang == "ur" else "[\u4e00-\u9fff]")
    assert script.search(other["overview.title"])


def test_problems_names_a_missing_key_and_a_different_placeholder(tmp_path):
    (tmp_path / "en.toml").write_text('[a]\nx = "Hello {name}"\ny = "Bye"\n', encoding="utf-8")
    (tmp_path / "ur.toml").write_text('[a]\nx = "سلام {nam}"\nz = "extra"\n', encoding="utf-8")
    found = i18n.problems("ur", tmp_path)
    assert "missing key a.y" in found
    assert "key a.z is not in English" in found
    assert any(p.startswith("placeholders of a.x differ") for p in found)


def test_lookup_fills_placeholders_in_each_language():
    assert i18n.t("projects.intro", "en", n=3, view="all features").startswith("3 features match (all features)")
    zh = i18n.t("projects.intro", "zh", n=3, view="全部项目")
    assert "3" in zh and "全部项目" in zh and "{" not in zh


def test_a_missing_key_falls_back_to_english(monkeypatch):
    original = i18n.catalogue

    def without(lang, folder=i18n.DIR):
        table = dict(original(lang, folder))
        if lang == "zh":
            table.pop("sidebar.reset", None)
        return table

    monkeypatch.setattr(i18n, "catalogue", without)
    assert i18n.t("sidebar.reset", "zh") == "Reset filters"
    assert i18n.t("sidebar.filters", "zh") == "筛选"


def test_an_unknown_key_is_an_error():
    with pytest.raises(KeyError):
        i18n.t("no.such.key", "ur")


@pytest.mark.parametrize(
    ("raw", "lang", "bad"),
    [(None, "en", None), ("", "en", None), ("ur", "ur", None), (" ZH ", "zh", None), ("fr", "en", "fr")],
)
def test_parse_lang(raw, lang, bad):
    assert i18n.parse(raw) == (lang, bad)


def test_an_unknown_language_reads_as_english():
    assert i18n.normalize("xx") == "en"
    assert i18n.t("sidebar.filters", "xx") == "Filters"
    assert i18n.is_rtl("ur") and not i18n.is_rtl("zh") and not i18n.is_rtl("en")


def test_every_vocabulary_value_has_a_label_in_every_language():
    for lang in i18n.LANGUAGES:
        labels = [i18n.sector(s, lang) for s in vocab.SECTOR_IDS] + [i18n.status(s, lang) for s in vocab.STATUS_IDS]
        labels += [i18n.province(p, lang) for p in vocab.PROVINCE_IDS]
        labels += [i18n.precision(p, lang) for p in vocab.PRECISION_IDS]
        assert len(set(labels)) == len(labels), lang  # no two values read the same
    # English labels are the vocabulary's own
    assert [i18n.sector(s.id) for s in vocab.SECTORS] == [s.label for s in vocab.SECTORS]
    assert [i18n.status(s.id) for s in vocab.STATUSES] == [s.label for s in vocab.STATUSES]
    assert [i18n.province(p.id) for p in vocab.PROVINCES] == [p.label for p in vocab.PROVINCES]
    assert [i18n.precision(p) for p in vocab.PRECISION_IDS] == list(vocab.PRECISIONS.values())
    assert i18n.t("common.disclaimer") == vocab.BOUNDARY_DISCLAIMER
    assert i18n.sector("no-such-sector", "ur") == "no-such-sector"


def test_provinces_as_the_data_holds_them():
    assert i18n.provinces(("Sindh", "Punjab"), "ur") == ["سندھ", "پنجاب"]
    assert i18n.provinces(("Somewhere",), "zh") == ["Somewhere"]


def test_feature_name_in_the_language_where_a_source_gives_it():
    row = {"name": "Gwadar Port", "name_ur": "گوادر بندرگاہ", "name_zh": None}
    assert i18n.feature_name(row, "ur") == "گوادر بندرگاہ"
    assert i18n.feature_name(row, "zh") == "Gwadar Port"  # no sourced Chinese name: the English one
    assert i18n.feature_name(row, "en") == "Gwadar Port"
    assert i18n.feature_name({"name": "X", "name_ur": "  "}, "ur") == "X"


def test_the_schema_meanings_match_the_loader_in_english():
    from components.layers import FIELDS

    assert {f: i18n.field_meaning(f) for f in FIELDS} == FIELDS
    assert "energy" in i18n.field_meaning("sector", "zh") and "{" not in i18n.field_meaning("sector", "zh")


def test_figure_units_in_english_are_the_formatting_ones():
    from components.formatting import FIGURES

    assert [i18n.t(f"units.{key}") for key, _, _, _ in FIGURES] == [unit for _, _, unit, _ in FIGURES]
    assert [i18n.t(f"figures.{key}") for key, _, _, _ in FIGURES] == [label for _, label, _, _ in FIGURES]
    assert i18n.t("units.capacity_mw", "zh") == "兆瓦"
