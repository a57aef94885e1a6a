"""Filter state: what the user selected, how it applies to features, and its URL form.

The URL form is the shareable one:
``?sector=energy,port&status=operational&province=sindh&years=2015-2025&q=coal``.
Values are vocabulary ids, comma-separated. Parsing never raises: unknown or
malformed values are dropped and described in the returned notes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from components import vocab
from components.timeline import as_of

MAX_QUERY_LENGTH = 100
ASOF_MIN, ASOF_MAX = 2013, 2030
PARAMS = ("sector", "status", "province", "years", "q", "asof")


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

    def describe(self) -> str:
        """One line naming the active filters, for captions and export subtitles."""
        parts = []
        if self.sectors:
            parts.append("sectors: " + ", ".join(vocab.SECTOR_BY_ID[s].label for s in self.sectors))
        if self.statuses:
            parts.append("status: " + ", ".join(vocab.STATUS_BY_ID[s].label for s in self.statuses))
        if self.provinces:
            parts.append("province: " + ", ".join(vocab.PROVINCE_BY_ID[p].label for p in self.provinces))
        if self.years:
            parts.append(f"years {self.years[0]}–{self.years[1]}")
        if self.q:
            parts.append(f"text “{self.q}”")
        if self.asof:
            parts.append(f"as of {self.asof}")
        return "; ".join(parts) if parts else "all features"


@dataclass
class ParseResult:
    filters: Filters
    notes: list[str] = field(default_factory=list)


def _first(value: object) -> str:
    """Query values may arrive as a string or a list of strings (repeated keys)."""
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return "" if value is None else str(value)


def _parse_ids(raw: str, allowed: tuple[str, ...], name: str, notes: list[str], aliases=None) -> tuple[str, ...]:
    aliases = aliases or {}
    chosen: list[str] = []
    for token in (t.strip() for t in raw.split(",")):
        if not token:
            continue
        key = aliases.get(token.lower(), token.lower())
        if key in allowed:
            if key not in chosen:
                chosen.append(key)
        else:
            notes.append(f"Ignored unknown {name} “{token[:40]}”.")
    # keep vocabulary order so that equal selections give equal URLs
    return tuple(a for a in allowed if a in chosen)


_PROVINCE_ALIASES = {p.label.lower(): p.id for p in vocab.PROVINCES} | {
    "kp": "khyber-pakhtunkhwa",
    "kpk": "khyber-pakhtunkhwa",
    "gb": "gilgit-baltistan",
    "ict": "islamabad",
    "azad-kashmir": "ajk",
}


def parse_query(params: Mapping[str, object]) -> ParseResult:
    """Turn URL query parameters into :class:`Filters`, dropping what is not understood."""
    notes: list[str] = []
    sectors = _parse_ids(_first(params.get("sector")), vocab.SECTOR_IDS, "sector", notes)
    statuses = _parse_ids(
        _first(params.get("status")),
        vocab.STATUS_IDS,
        "status",
        notes,
        aliases={"under-construction": "under_construction", "construction": "under_construction"},
    )
    provinces = _parse_ids(_first(params.get("province")), vocab.PROVINCE_IDS, "province", notes, _PROVINCE_ALIASES)
    years = None
    raw_years = _first(params.get("years")).strip()
    if raw_years:
        match = re.fullmatch(r"(\d{4})(?:\s*[-–:]\s*(\d{4}))?", raw_years)
        if not match:
            notes.append(f"Ignored malformed years “{raw_years[:40]}” (expected e.g. 2015-2025).")
        else:
            lo = int(match.group(1))
            hi = int(match.group(2) or match.group(1))
            lo, hi = min(lo, hi), max(lo, hi)
            if lo < vocab.YEAR_MIN or hi > vocab.YEAR_MAX:
                notes.append(f"Ignored years {lo}-{hi}: outside {vocab.YEAR_MIN}-{vocab.YEAR_MAX}.")
            else:
                years = (lo, hi)
    asof = None
    raw_asof = _first(params.get("asof")).strip()
    if raw_asof:
        if re.fullmatch(r"\d{4}", raw_asof) and ASOF_MIN <= int(raw_asof) <= ASOF_MAX:
            asof = int(raw_asof)
        else:
            notes.append(f"Ignored as-of year “{raw_asof[:40]}” (expected {ASOF_MIN}–{ASOF_MAX}).")
    q = " ".join(_first(params.get("q")).split())
    if len(q) > MAX_QUERY_LENGTH:
        notes.append(f"Search text shortened to {MAX_QUERY_LENGTH} characters.")
        q = q[:MAX_QUERY_LENGTH]
    unknown = sorted(set(params) - set(PARAMS) - EXTRA_PARAMS)
    if unknown:
        notes.append("Ignored unknown URL parameter(s): " + ", ".join(u[:30] for u in unknown[:5]) + ".")
    return ParseResult(Filters(sectors, statuses, provinces, years, q, asof), notes)


#: Parameters other modules own (page-specific state); the filter parser leaves them alone.
EXTRA_PARAMS: set[str] = {"embed", "embed_options", "near", "km"}


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
