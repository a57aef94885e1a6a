"""Imported layers next to the atlas: the sector filter, and the atlas schema for exports."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from components.filters import Filters
from components.importer import ImportedLayer
from components.layers import FIELDS


def filtered(layer: ImportedLayer, filters: Filters) -> gpd.GeoDataFrame:
    """The sector filter applies to imports through their mapped sector (unmapped rows show
    only when no sector is selected); the other filters concern the atlas' own fields."""
    frame = layer.features
    if filters.sectors:
        frame = frame[frame["sector"].isin(filters.sectors)]
    return frame


def as_atlas_rows(layer: ImportedLayer, frame: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Imported features in the atlas schema, for snapshots and data exports."""
    frame = layer.features if frame is None else frame
    out = gpd.GeoDataFrame(geometry=frame.geometry.values, crs="EPSG:4326")
    n = len(frame)
    values = {
        "id": frame["id"].to_numpy(),
        "name": frame["name"].to_numpy(),
        "sector": frame["sector"].to_numpy(),
        "subsector": frame.get("source_sector", pd.Series([None] * n)).to_numpy(),
        "status": frame["status"].to_numpy(),
        "province": [()] * n,
        "start_year": frame["start_year"].to_numpy() if "start_year" in frame else [None] * n,
        "completion_year": frame["completion_year"].to_numpy() if "completion_year" in frame else [None] * n,
        "capacity_mw": [None] * n,
        "length_km": [None] * n,
        "area_acres": [None] * n,
        "cost_usd_m": frame["cost_usd_m"].to_numpy(),
        "operator": frame.get("funding", pd.Series([None] * n)).to_numpy(),
        "precision": ["as imported"] * n,
        "description": [f"Imported from {layer.report.file}. {layer.report.attribution}".strip()] * n,
        "sources": [
            (u,) if isinstance(u, str) else () for u in frame.get("source_url", pd.Series([None] * n)).to_numpy()
        ],
    }
    for column in FIELDS:
        out[column] = values[column]
    out["layer"] = f"import: {layer.name}"
    return out[[*FIELDS, "layer", "geometry"]]
