"""Controlled vocabularies shared by the data, the filters, the map and the charts.

Every value that can appear in a layer's ``sector``, ``status``, ``precision`` or
``province`` field is listed here once, with the label users see and the style
the map draws it with. The ids are what the URL carries.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sector:
    id: str
    label: str
    colour: str  # Okabe–Ito palette: distinguishable with the common colour-vision deficiencies
    shape: str  # marker shape, so that colour is never the only cue


@dataclass(frozen=True)
class Status:
    id: str
    label: str
    dash: str | None  # Leaflet dashArray for lines and outlines; None = solid


@dataclass(frozen=True)
class Province:
    id: str
    label: str


SECTORS: tuple[Sector, ...] = (
    Sector("transport", "Transport", "#0072B2", "square"),
    Sector("energy", "Energy", "#E69F00", "triangle"),
    Sector("port", "Port & aviation", "#56B4E9", "circle"),
    Sector("sez", "Special Economic Zone", "#CC79A7", "hexagon"),
    Sector("border", "Border crossing", "#D55E00", "star"),
    Sector("digital", "Digital", "#009E73", "diamond"),
    Sector("agriculture", "Agriculture", "#B8A800", "pentagon"),
    Sector("social", "Social & livelihood", "#555555", "cross"),
)

STATUSES: tuple[Status, ...] = (
    Status("operational", "Operational", None),
    Status("under_construction", "Under construction", "10 6"),
    Status("planned", "Planned", "3 7"),
    Status("proposed", "Proposed", "1 9"),
    Status("suspended", "Suspended", "14 4 2 4"),
)

PRECISIONS: dict[str, str] = {
    "exact": "Exact: the site's own published coordinates",
    "approximate": "Approximate: placed from a description, within a few km",
    "area": "Area-level: only the town or district is known",
}

PROVINCES: tuple[Province, ...] = (
    Province("balochistan", "Balochistan"),
    Province("sindh", "Sindh"),
    Province("punjab", "Punjab"),
    Province("khyber-pakhtunkhwa", "Khyber Pakhtunkhwa"),
    Province("islamabad", "Islamabad Capital Territory"),
    Province("gilgit-baltistan", "Gilgit-Baltistan"),
    Province("ajk", "Azad Jammu and Kashmir"),
    Province("xinjiang", "Xinjiang (China)"),
)

SECTOR_IDS = tuple(s.id for s in SECTORS)
STATUS_IDS = tuple(s.id for s in STATUSES)
PRECISION_IDS = tuple(PRECISIONS)
PROVINCE_IDS = tuple(p.id for p in PROVINCES)

SECTOR_BY_ID = {s.id: s for s in SECTORS}
STATUS_BY_ID = {s.id: s for s in STATUSES}
PROVINCE_BY_LABEL = {p.label: p for p in PROVINCES}
PROVINCE_BY_ID = {p.id: p for p in PROVINCES}

#: Plausible extent of the corridor (lon/lat): Pakistan plus the road on to Kashgar.
#: A coordinate outside it is a data error (often swapped latitude/longitude).
REGION_BOUNDS = (60.0, 23.0, 80.0, 40.5)

#: Years the filters and charts span.
YEAR_MIN, YEAR_MAX = 2005, 2035

#: Shown wherever country boundaries are drawn (basemaps and outlines).
BOUNDARY_DISCLAIMER = (
    "Boundaries and names shown are not authoritative and imply no position "
    "on any disputed territory, including Jammu and Kashmir."
)
