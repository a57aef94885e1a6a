"""Imported layers next to the atlas: the sector filter, and the atlas schema for exports."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from components import map_builder
from components.filters import Filters
from components.importer import ImportedLayer
from components.layers import FIELDS

_CACHED = 2  # encoded payloads kept per layer: the overview map and the reconciliation map


def filtered(layer: ImportedLayer, filters: Filters) -> gpd.GeoDataFrame:
    """The sector filter applies to imports through their mapped sector (unmapped rows show
    only when no sector is selected); the other filters concern the atlas' own fields."""
    frame = layer.features
    if filters.sectors:
        frame = frame[frame["sector"].isin(filters.sectors)]
    return frame


def map_group(layer: ImportedLayer, filters: Filters, index: int = 0, highlight: dict[str, str] | None = None):
    """The layer's map group (``map_builder.build_import_group``), encoded once per sector filter,
    colour and reconciliation and kept with the layer: reruns and pages reuse it."""
    key = (filters.sectors, index, None if highlight is None else tuple(sorted(highlight.items())))
    cache = layer.map_cache
    if key not in cache:
        rows = filtered(layer, filters)
        if rows.empty:
            return None
        payload = map_builder.import_payload(rows, layer.name, index, highlight)
        while len(cache) >= _CACHED:
            cache.pop(next(iter(cache)))
        cache[key] = (payload["n"], map_builder.compact.to_json(payload))
    count, text = cache[key]
    return map_builder.import_group_from_json(text, count, layer.name)


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
