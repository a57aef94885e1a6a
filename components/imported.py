"""Imported layers next to the atlas: the sector filter, and the atlas schema for exports."""

from __future__ import annotations

import geopandas as gpd

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


def _column(frame: gpd.GeoDataFrame, name: str, default=None) -> list:
    return frame[name].tolist() if name in frame else [default] * len(frame)


def map_group(
    layer: ImportedLayer,
    filters: Filters,
    index: int = 0,
    highlight: dict[str, str] | None = None,
    lang: str = "en",
):
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
    return map_builder.import_group_from_json(text, count, layer.name, lang)


def as_atlas_rows(layer: ImportedLayer, frame: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Imported features in the atlas schema, for snapshots and data exports.

    A file the atlas exported keeps all its fields (see ``importer._atlas``); other files
    fill what they have and leave the rest unknown.
    """
    frame = layer.features if frame is None else frame
    out = gpd.GeoDataFrame(geometry=frame.geometry.values, crs="EPSG:4326")
    default_description = f"Imported from {layer.report.file}. {layer.report.attribution}".strip()
    values = {
        "id": frame["id"].tolist(),
        "name": frame["name"].tolist(),
        "sector": frame["sector"].tolist(),
        "subsector": _column(frame, "subsector") if "subsector" in frame else _column(frame, "source_sector"),
        "status": frame["status"].tolist(),
        "province": [tuple(p.split(", ")) if isinstance(p, str) and p else () for p in _column(frame, "province")],
        "start_year": _column(frame, "start_year"),
        "completion_year": _column(frame, "completion_year"),
        "capacity_mw": _column(frame, "capacity_mw"),
        "length_km": _column(frame, "length_km"),
        "area_acres": _column(frame, "area_acres"),
        "cost_usd_m": _column(frame, "cost_usd_m"),
        "operator": _column(frame, "operator") if "operator" in frame else _column(frame, "funding"),
        "precision": [p if isinstance(p, str) else "as imported" for p in _column(frame, "precision")],
        "description": [d if isinstance(d, str) else default_description for d in _column(frame, "description")],
        "sources": [
            tuple(s) if isinstance(s, (tuple, list)) else (u,) if isinstance(u, str) else ()
            for s, u in zip(_column(frame, "sources"), _column(frame, "source_url"), strict=True)
        ],
    }
    for column in FIELDS:
        out[column] = values[column]
    out["layer"] = f"import: {layer.name}"
    return out[[*FIELDS, "layer", "geometry"]]
