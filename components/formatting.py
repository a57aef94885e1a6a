"""Display text for feature properties: numbers with units and "n/a" for unknowns.

(Map tooltips and popups are built, and escaped, by the map's own script:
static/atlas/atlas-map.js.)
"""

from __future__ import annotations

import math

import pandas as pd

from components import vocab

NA = "n/a"

#: Figures shown in popups and detail views: (property, label, unit, decimals)
FIGURES = (
    ("capacity_mw", "Capacity", "MW", 0),
    ("length_km", "Length", "km", 0),
    ("area_acres", "Area", "acres", 0),
    ("cost_usd_m", "Published cost", "US$ m", 0),
)


def is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, (float, int)):
        return not math.isfinite(value)  # NaN and ±inf are unknowns, not numbers
    return False


def fmt_number(value: object, unit: str = "", decimals: int = 0) -> str:
    """``1320.0`` → ``"1,320 MW"``; null → ``"n/a"``."""
    if is_missing(value):
        return NA
    number = float(value)
    if decimals == 0 and abs(number - round(number)) > 1e-9 and abs(number) < 100:
        decimals = 1  # 49.5 MW stays 49.5, not 50
    text = f"{number:,.{decimals}f}"
    return f"{text} {unit}".strip()


def fmt_usd_m(value: object) -> str:
    """Million US dollars, compact: ``34765`` → ``"US$ 34.8 bn"``, ``246`` → ``"US$ 246 m"``."""
    if is_missing(value):
        return NA
    number = float(value)
    if abs(number) >= 1000:
        return f"US$ {number / 1000:,.1f} bn"
    return f"US$ {number:,.0f} m" if number >= 10 else f"US$ {number:,.1f} m"


def fmt_year(value: object) -> str:
    return NA if is_missing(value) else str(int(value))


def fmt_period(start: object, end: object) -> str:
    if is_missing(start) and is_missing(end):
        return NA
    return f"{fmt_year(start)} – {fmt_year(end)}"


def status_label(status: str) -> str:
    return vocab.STATUS_BY_ID[status].label if status in vocab.STATUS_BY_ID else str(status)


def sector_label(sector: str) -> str:
    return vocab.SECTOR_BY_ID[sector].label if sector in vocab.SECTOR_BY_ID else str(sector)


def aiddata_links(ids) -> list[tuple[str, str]]:
    """(id, project page URL) for each AidData project id; anything not a plain number is dropped."""
    out = []
    for value in ids if isinstance(ids, (list, tuple)) else ():
        text = str(value).strip()
        if text.isdigit():
            out.append((text, f"https://china.aiddata.org/projects/{text}/"))
    return out
