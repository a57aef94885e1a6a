"""Filter state: what the user selected, how it applies to features, and its URL form.

The URL form is the shareable one:
``?sector=energy,port&status=operational&province=sindh&years=2015-2025&q=coal``.
Values are vocabulary ids, comma-separated. Parsing never raises: unknown or
malformed values are dropped and described in the returned notes. Input is bounded
(characters per value and per address, values per list, number of notes), so a hostile
link costs no more to open than an ordinary one. Notes are plain text: whoever shows
them in a Markdown context escapes them (:func:`components.text.md`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from components import i18n, vocab
from components.text import clean
from components.timeline import as_of

MAX_QUERY_LENGTH = 100
ASOF_MIN, ASOF_MAX = 2013, 2030
PARAMS = ("sector", "status", "province", "years", "q", "asof")
#: Parameters other modules own (page-specific state); the filter parser leaves them alone.
EXTRA_PARAMS: set[str] = {"embed", "embed_options", "near", "km", "imports", "view", "feature", "lang"}

MAX_VALUE_LENGTH = 400  # characters of one parameter's value that are read
MAX_URL_LENGTH = 2000  # characters of all parameters together that are read
MAX_VALUES = 20  # comma-separated values of one parameter that are looked at
MAX_NOTES = 5  # notes shown for one address, however bad it is


@dataclass(frozen=True)
class Filters:
    """An empty selection means "all" for sectors, statuses and provinces."""

    sectors: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    years: tuple[int, int] | None = None
    q: str = ""
    asof: int | None = None  # show the corridor as it stood in this year

    @property
    def is_default(self) -> bool:
        return self == Filters()

    def describe(self, lang: str = i18n.DEFAULT) -> str:
        """One line naming the active filters, for captions and export subtitles."""
        parts = []
        if self.sectors:
            parts.append(i18n.t("describe.sectors", lang, values=_list(i18n.sector, self.sectors, lang)))
        if self.statuses:
            parts.append(i18n.t("describe.status", lang, values=_list(i18n.status, self.statuses, lang)))
        if self.provinces:
            parts.append(i18n.t("describe.province", lang, values=_list(i18n.province, self.provinces, lang)))
        if self.years:
            parts.append(i18n.t("describe.years", lang, start=self.years[0], end=self.years[1]))
        if self.q:
            parts.append(i18n.t("describe.text", lang, q=self.q))
        if self.asof:
            parts.append(i18n.t("describe.asof", lang, year=self.asof))
        return i18n.t("describe.separator", lang).join(parts) if parts else i18n.t("describe.all", lang)


def _list(label, ids: tuple[str, ...], lang: str) -> str:
    return i18n.t("describe.comma", lang).join(label(i, lang) for i in ids)


@dataclass
class ParseResult:
    filters: Filters
    notes: list[str] = field(default_factory=list)


class Notes:
    """What was ignored in an address, grouped so that it reads as a few lines, not thousands.

    ``unknown("sector", "x")`` for each bad value; :meth:`lines` gives at most
    :data:`MAX_NOTES` plain-text notes ("Ignored 12 unknown sector values: “a”, “b”, “c” …"),
    in ``lang`` (the ``notes.*`` strings of data/i18n; :meth:`add` takes a finished text as it is).
    """

    def __init__(self, lang: str = i18n.DEFAULT) -> None:
        self.lang = lang
        self._unknown: dict[str, list[str]] = {}
        self._other: list[str] = []

    def say(self, key: str, **values: object) -> None:
        """A note from the ``notes.<key>`` string, in the notes' language."""
        self.add(i18n.t(f"notes.{key}", self.lang, **values))

    def unknown(self, what: str, value: str) -> None:
        seen = self._unknown.setdefault(what, [])
        token = clean(value, 40)
        if token not in seen:
            seen.append(token)

    def add(self, note: str) -> None:
        if note not in self._other:
            self._other.append(note)

    def lines(self) -> list[str]:
        t = lambda key, **values: i18n.t(f"notes.{key}", self.lang, **values)  # noqa: E731
        out = []
        for what, values in self._unknown.items():
            shown = t("comma").join(f"“{v}”" for v in values[:3]) + (
                t("and_more", n=len(values) - 3) if len(values) > 3 else ""
            )
            what = t(_WHAT[what]) if what in _WHAT else what
            out.append(
                t("unknown_many", n=len(values), what=what, values=shown)
                if len(values) > 1
                else t("unknown_one", what=what, values=shown)
            )
        out += self._other
        if len(out) > MAX_NOTES:
            out = [*out[: MAX_NOTES - 1], t("more_problems", n=len(out) - MAX_NOTES + 1)]
        return out


#: The names of what a note is about, as the ``notes.what_*`` strings.
_WHAT = {
    "URL parameter": "what_param",
    "sector": "what_sector",
    "status": "what_status",
    "province": "what_province",
    "feature": "what_feature",
}


def bound(params: Mapping[str, object], known: set[str], notes: Notes) -> dict[str, str]:
    """Query parameters as one string each, cut to the size limits; unknown names dropped.

    Repeated keys are joined with commas (``?sector=a&sector=b`` is ``sector=a,b``).
    """
    out: dict[str, str] = {}
    budget = MAX_URL_LENGTH
    for name in list(params)[:100]:
        if name not in known:
            notes.unknown("URL parameter", name)
            continue
        value = params[name]
        value = (
            ",".join(str(v) for v in value) if isinstance(value, (list, tuple)) else "" if value is None else str(value)
        )
        limit = min(MAX_VALUE_LENGTH, max(budget, 0))
        if len(value) > limit:
            notes.say("cut", name=name, n=limit)
            value = value[:limit]
        budget -= len(value)
        out[name] = value
    if len(params) > 100:
        notes.say("first_params", n=len(params))
    return out


def _parse_ids(raw: str, allowed: tuple[str, ...], name: str, notes: Notes, aliases=None) -> tuple[str, ...]:
    aliases = aliases or {}
    chosen: list[str] = []
    tokens = [t.strip() for t in raw.split(",") if t.strip()]
    if len(tokens) > MAX_VALUES:
        what = i18n.t(f"notes.{_WHAT[name]}", notes.lang) if name in _WHAT else name
        notes.say("first_values", max=MAX_VALUES, n=len(tokens), what=what)
    for token in dict.fromkeys(tokens[:MAX_VALUES]):
        key = aliases.get(token.lower(), token.lower())
        if key in allowed:
            if key not in chosen:
                chosen.append(key)
        else:
            notes.unknown(name, token)
    # keep vocabulary order so that equal selections give equal URLs
    return tuple(a for a in allowed if a in chosen)


_PROVINCE_ALIASES = {p.label.lower(): p.id for p in vocab.PROVINCES} | {
    "kp": "khyber-pakhtunkhwa",
    "kpk": "khyber-pakhtunkhwa",
    "gb": "gilgit-baltistan",
    "ict": "islamabad",
    "azad-kashmir": "ajk",
}


def parse_query(params: Mapping[str, object], known: set[str] | None = None, lang: str = i18n.DEFAULT) -> ParseResult:
    """Turn URL query parameters into :class:`Filters`, dropping what is not understood.

    ``known`` names the parameters that are not errors (default: the filters' own and
    :data:`EXTRA_PARAMS`); everything else gets a note (in ``lang``).
    """
    notes = Notes(lang)
    values = bound(params, set(PARAMS) | (EXTRA_PARAMS if known is None else known), notes)
    sectors = _parse_ids(values.get("sector", ""), vocab.SECTOR_IDS, "sector", notes)
    statuses = _parse_ids(
        values.get("status", ""),
        vocab.STATUS_IDS,
        "status",
        notes,
        aliases={"under-construction": "under_construction", "construction": "under_construction"},
    )
    provinces = _parse_ids(values.get("province", ""), vocab.PROVINCE_IDS, "province", notes, _PROVINCE_ALIASES)
    years = None
    raw_years = values.get("years", "").strip()
    if raw_years:
        match = re.fullmatch(r"(\d{4})(?:\s*[-–:]\s*(\d{4}))?", raw_years)
        if not match:
            notes.say("bad_years", value=clean(raw_years, 40))
        else:
            lo = int(match.group(1))
            hi = int(match.group(2) or match.group(1))
            lo, hi = min(lo, hi), max(lo, hi)
            if lo < vocab.YEAR_MIN or hi > vocab.YEAR_MAX:
                notes.say("years_outside", lo=lo, hi=hi, min=vocab.YEAR_MIN, max=vocab.YEAR_MAX)
            else:
                years = (lo, hi)
    asof = None
    raw_asof = values.get("asof", "").strip()
    if raw_asof:
        if re.fullmatch(r"\d{4}", raw_asof) and ASOF_MIN <= int(raw_asof) <= ASOF_MAX:
            asof = int(raw_asof)
        else:
            notes.say("bad_asof", value=clean(raw_asof, 40), min=ASOF_MIN, max=ASOF_MAX)
    q = " ".join(clean(values.get("q", "")).split())
    if len(q) > MAX_QUERY_LENGTH:
        notes.say("q_cut", n=MAX_QUERY_LENGTH)
        q = q[:MAX_QUERY_LENGTH]
    return ParseResult(Filters(sectors, statuses, provinces, years, q, asof), notes.lines())


def to_query(filters: Filters) -> dict[str, str]:
    """The URL query parameters for a filter state; defaults are left out."""
    query: dict[str, str] = {}
    if filters.sectors:
        query["sector"] = ",".join(filters.sectors)
    if filters.statuses:
        query["status"] = ",".join(filters.statuses)
    if filters.provinces:
        query["province"] = ",".join(filters.provinces)
    if filters.years:
        query["years"] = f"{filters.years[0]}-{filters.years[1]}"
    if filters.q:
        query["q"] = filters.q
    if filters.asof:
        query["asof"] = str(filters.asof)
    return query


def year_mask(features: pd.DataFrame, years: tuple[int, int]) -> pd.Series:
    """Features whose period (start..completion) overlaps ``years``.

    A feature with only one of the two years is treated as that single year;
    a feature with neither is excluded once a year range is chosen.
    """
    start = features["start_year"].fillna(features["completion_year"])
    end = features["completion_year"].fillna(features["start_year"])
    lo, hi = years
    return ((start <= hi) & (end >= lo)).fillna(False).astype(bool)


def apply_filters(features: gpd.GeoDataFrame, filters: Filters) -> gpd.GeoDataFrame:
    """The features that match every active filter.

    With ``asof`` the corridor is shown as it stood in that year: statuses are derived from
    the years first (see :mod:`components.timeline`), then the other filters apply.
    """
    if filters.asof:
        features = as_of(features, filters.asof)
    mask = pd.Series(True, index=features.index)
    if filters.sectors:
        mask &= features["sector"].isin(filters.sectors)
    if filters.statuses:
        mask &= features["status"].isin(filters.statuses)
    if filters.provinces:
        labels = {vocab.PROVINCE_BY_ID[p].label for p in filters.provinces}
        mask &= features["province"].map(lambda ps: bool(labels.intersection(ps)))
    if filters.years:
        mask &= year_mask(features, filters.years)
    if filters.q:
        needle = filters.q.casefold()
        text = (
            features["name"].fillna("")
            + " "
            + features["description"].fillna("")
            + " "
            + features["subsector"].fillna("")
            + " "
            + features["operator"].fillna("")
        ).str.casefold()
        mask &= text.str.contains(needle, regex=False)
    return features[mask]
