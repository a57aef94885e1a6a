"""The subjects of the focused pages: which features each covers and where its map opens."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
from shapely.geometry import box

from components.map_builder import View

#: the focused pages' map height in pixels; each page's opening view is fitted to it
MAP_HEIGHT = 580


@dataclass(frozen=True)
class Subject:
    id: str
    title: str
    bounds: tuple[float, float, float, float]  # minlon, minlat, maxlon, maxlat
    sectors: tuple[str, ...] = ()  # empty = every sector
    unlocated: tuple[str, ...] = ()  # ids of sourced assets with no published position
    #: where the map opens when that is closer than the whole box (a site plan), else None
    view_bounds: tuple[float, float, float, float] | None = None

    @property
    def view(self) -> View:
        return View.fit(self.view_bounds or self.bounds, height=MAP_HEIGHT)


SUBJECTS = {
    # The page lists everything from the port to the new airport, and opens as a site plan of
    # the port city (zoom 13): from the terminal and Free Zone South (25.105 N) up the Eastbay
    # Expressway to Free Zone North and the hospital and vocational institute (25.187 N).
    "gwadar": Subject(
        "gwadar",
        "Gwadar",
        (62.25, 25.07, 62.62, 25.36),
        unlocated=("gwadar-safe-city-project",),
        view_bounds=(62.30, 25.102, 62.41, 25.19),
    ),
    "kkh": Subject(
        "kkh", "Karakoram Highway & Khunjerab", (72.55, 33.7, 75.6, 37.0), ("transport", "border", "digital")
    ),
    "sez": Subject("sez", "Special Economic Zones", (66.5, 24.6, 74.8, 36.0), ("sez",)),
}


def select(features: gpd.GeoDataFrame, subject: Subject) -> gpd.GeoDataFrame:
    """Features of the subject's sectors that touch its box."""
    rows = features if not subject.sectors else features[features["sector"].isin(subject.sectors)]
    return rows[rows.intersects(box(*subject.bounds))]
