"""Display text for feature properties: numbers with units, "n/a" for unknowns, escaped HTML.

Everything that turns a property into HTML goes through :func:`popup_html` or
:func:`tooltip_html`, which escape every value, so a hostile name or description
is shown as text and never runs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from html import escape

import pandas as pd

from components import vocab

NA = "n/a"
MAX_TEXT = 400  # characters of description shown in a popup

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


def _text(value: object, limit: int = MAX_TEXT) -> str:
    if is_missing(value):
        return NA
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return escape(text, quote=True)


def _safe_url(url: str) -> str | None:
    url = str(url).strip()
    return url if url.lower().startswith(("https://", "http://")) else None


def source_links(sources: object, limit: int = 5) -> str:
    links = []
    for url in list(sources or ())[:limit]:
        safe = _safe_url(url)
        if safe is None:
            continue
        host = safe.split("/")[2] if safe.count("/") >= 2 else safe
        links.append(
            f'<a href="{escape(safe, quote=True)}" target="_blank" rel="noopener noreferrer">{escape(host)}</a>'
        )
    return ", ".join(links) if links else NA


def tooltip_html(props: Mapping) -> str:
    """Short hover text: name and status."""
    return f"<b>{_text(props.get('name'), 120)}</b><br>{escape(status_label(props.get('status', '')))}"


def popup_html(props: Mapping) -> str:
    """Click popup: name, sector, status, years, figures, precision, description, sources."""
    rows = [
        (
            "Sector",
            sector_label(props.get("sector", ""))
            + (f" · {props['subsector']}" if not is_missing(props.get("subsector")) else ""),
        ),
        ("Status", status_label(props.get("status", ""))),
        ("Built", fmt_period(props.get("start_year"), props.get("completion_year"))),
    ]
    for key, label, unit, decimals in FIGURES:
        if not is_missing(props.get(key)):
            rows.append((label, fmt_number(props.get(key), unit, decimals)))
    if not is_missing(props.get("operator")):
        rows.append(("Operator", props.get("operator")))
    rows.append(("Location", str(props.get("precision", ""))))
    body = "".join(f"<tr><th>{escape(label)}</th><td>{_text(value, 160)}</td></tr>" for label, value in rows)
    return (
        f'<div class="atlas-popup"><h4>{_text(props.get("name"), 160)}</h4>'
        f"<table>{body}</table>"
        f"<p>{_text(props.get('description'))}</p>"
        f"<p><b>Sources:</b> {source_links(props.get('sources'))}</p></div>"
    )
