"""Interface languages: English, Urdu and Simplified Chinese.

The strings live in data files, one per language (``data/i18n/en.toml``, ``ur.toml``,
``zh.toml``), grouped in TOML tables: ``[overview] title = "…"`` is the key
``overview.title``. :func:`t` looks a key up, falls back to English for a key a language
lacks, and fills ``str.format`` placeholders. English is the reference: a test fails when
another language misses one of its keys or uses other placeholders.

Pure (no Streamlit). Text from the data or a URL is never part of a catalogue string: it
is passed in as a placeholder value, already escaped by whoever shows it.
"""

from __future__ import annotations

import string
import tomllib
from functools import cache
from pathlib import Path

from components import vocab

DIR = Path(__file__).resolve().parent.parent / "data" / "i18n"
DEFAULT = "en"
#: Language code (what ``lang=`` carries) → its own name, as the switch shows it.
LANGUAGES = {"en": "English", "ur": "اردو", "zh": "中文"}
RTL = frozenset({"ur"})
#: BCP 47 tags for the page and for text shaping (matplotlib's ``language``).
TAGS = {"en": "en", "ur": "ur", "zh": "zh-Hans"}


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out |= _flatten(value, f"{name}.")
        else:
            out[name] = str(value)
    return out


@cache
def catalogue(lang: str, folder: Path = DIR) -> dict[str, str]:
    """Every key of one language's file (empty for a language without a file)."""
    path = folder / f"{lang}.toml"
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        return _flatten(tomllib.load(fh))


def normalize(lang: object) -> str:
    """A known language code, else the default (English)."""
    return lang if isinstance(lang, str) and lang in LANGUAGES else DEFAULT


def t(key: str, lang: str = DEFAULT, /, **values: object) -> str:
    """The text of ``key`` in ``lang`` (English when missing), with ``{placeholders}`` filled.

    A key missing in English too is a programming error and raises ``KeyError``.
    """
    text = catalogue(normalize(lang)).get(key)
    if text is None:
        text = catalogue(DEFAULT)[key]
    return text.format(**values) if values else text


def placeholders(text: str) -> set[str]:
    """The ``str.format`` field names a catalogue string uses."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def problems(lang: str, folder: Path = DIR) -> list[str]:
    """What is wrong with a language's file against English: missing keys, extra keys, and
    placeholders that differ (an empty list when it is complete)."""
    reference, other = catalogue(DEFAULT, folder), catalogue(lang, folder)
    out = [f"missing key {k}" for k in reference if k not in other]
    out += [f"key {k} is not in English" for k in other if k not in reference]
    out += [
        f"placeholders of {k} differ: {sorted(placeholders(other[k]))} vs {sorted(placeholders(v))}"
        for k, v in reference.items()
        if k in other and placeholders(other[k]) != placeholders(v)
    ]
    return out


def is_rtl(lang: str) -> bool:
    return normalize(lang) in RTL


def parse(raw: object) -> tuple[str, str | None]:
    """The ``lang=`` URL value as a language code and, for a value that is not one, an English
    note key's text (the caller shows it in the chosen language with :func:`bad_lang_note`)."""
    if raw is None or raw == "":
        return DEFAULT, None
    value = str(raw).strip().lower()
    if value in LANGUAGES:
        return value, None
    return DEFAULT, str(raw)


def sector(sector_id: str, lang: str = DEFAULT) -> str:
    """A sector's label (an id outside the vocabulary shows as it is)."""
    return _vocab("sector", sector_id, lang)


def status(status_id: str, lang: str = DEFAULT) -> str:
    return _vocab("status", status_id, lang)


def province(province_id: str, lang: str = DEFAULT) -> str:
    return _vocab("province", province_id, lang)


def provinces(labels, lang: str = DEFAULT) -> list[str]:
    """Province labels as the data holds them (``"Sindh"``), each in ``lang``."""
    by_label = {p.label: p.id for p in vocab.PROVINCES}
    return [province(by_label[p], lang) if p in by_label else str(p) for p in labels]


def precision(precision_id: str, lang: str = DEFAULT) -> str:
    """The long explanation of a location precision."""
    return _vocab("precision", precision_id, lang)


def _vocab(kind: str, value: str, lang: str) -> str:
    key = f"{kind}.{str(value).replace('-', '_')}"
    return t(key, lang) if key in catalogue(DEFAULT) else str(value)


#: The vocabulary a schema field's meaning lists.
_FIELD_VALUES = {"sector": vocab.SECTOR_IDS, "status": vocab.STATUS_IDS, "precision": vocab.PRECISION_IDS}


def field_meaning(field: str, lang: str = DEFAULT) -> str:
    """What a layer field means (the Data & sources page's schema table)."""
    values = _FIELD_VALUES.get(field)
    return t(f"fields.{field}", lang, values=", ".join(values)) if values else t(f"fields.{field}", lang)


def feature_name(row, lang: str = DEFAULT) -> str:
    """A feature's name in ``lang`` where a source gives it (``name_ur``/``name_zh``), else English."""
    lang = normalize(lang)
    if lang != DEFAULT:
        value = row.get(f"name_{lang}") if hasattr(row, "get") else None
        if isinstance(value, str) and value.strip():
            return value
    return row["name"]
