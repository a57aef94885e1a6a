"""Shared fixtures: small, hand-made layers written to a temporary data folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def feature(fid: str, sector: str = "energy", geometry=None, **props) -> dict:
    """A valid feature; override any property with keyword arguments."""
    base = {
        "id": fid,
        "name": fid.replace("-", " ").title(),
        "sector": sector,
        "subsector": "coal" if sector == "energy" else None,
        "status": "operational",
        "province": "Sindh",
        "start_year": 2015,
        "completion_year": 2018,
        "capacity_mw": 660.0 if sector == "energy" else None,
        "length_km": None,
        "area_acres": None,
        "cost_usd_m": None,
        "operator": None,
        "precision": "exact",
        "description": "A test feature.",
        "sources": ["https://example.org/source"],
    }
    base.update(props)
    return {
        "type": "Feature",
        "properties": base,
        "geometry": geometry or {"type": "Point", "coordinates": [67.5, 25.0]},
    }


def collection(*features: dict) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def write_json(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


REGISTRY = """
[[layer]]
id = "power"
file = "layers/power.geojson"
title = "Power"
sector = "energy"
geometry = "point"

[[layer]]
id = "roads"
file = "layers/roads.geojson"
title = "Roads"
sector = "transport"
geometry = "line"
weight = 5

[[layer]]
id = "ports"
file = "layers/ports.geojson"
title = "Ports"
sector = "port"
geometry = "any"
"""


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A tiny atlas: 3 power plants, 2 roads, 2 port features."""
    (tmp_path / "layers.toml").write_text(REGISTRY, encoding="utf-8")
    write_json(
        tmp_path / "layers/power.geojson",
        collection(
            feature("coal-a", capacity_mw=1320.0, province="Punjab", start_year=2015, completion_year=2017),
            feature(
                "hydro-b",
                subsector="hydro",
                capacity_mw=720.0,
                status="under_construction",
                start_year=2020,
                completion_year=2026,
                geometry={"type": "Point", "coordinates": [73.6, 33.6]},
                province=["Punjab", "Azad Jammu and Kashmir"],
            ),
            feature(
                "wind-c",
                subsector="wind",
                capacity_mw=None,
                precision="area",
                start_year=None,
                completion_year=None,
                description="Wind farm near Jhimpir",
            ),
        ),
    )
    write_json(
        tmp_path / "layers/roads.geojson",
        collection(
            feature(
                "road-a",
                "transport",
                {"type": "LineString", "coordinates": [[71.0, 30.0], [70.0, 28.0]]},
                subsector="road",
                length_km=392.0,
                province=["Punjab", "Sindh"],
            ),
            feature(
                "road-b",
                "transport",
                {"type": "LineString", "coordinates": [[73.0, 34.0], [73.5, 35.0]]},
                subsector="road",
                status="planned",
                start_year=None,
                completion_year=2030,
                province="Khyber Pakhtunkhwa",
            ),
        ),
    )
    write_json(
        tmp_path / "layers/ports.geojson",
        collection(
            feature(
                "port-a",
                "port",
                {"type": "Point", "coordinates": [62.34, 25.11]},
                subsector="port",
                province="Balochistan",
                cost_usd_m=248.0,
            ),
            feature(
                "zone-a",
                "port",
                {
                    "type": "Polygon",
                    "coordinates": [[[62.3, 25.1], [62.4, 25.1], [62.4, 25.2], [62.3, 25.2], [62.3, 25.1]]],
                },
                subsector="free_zone",
                province="Balochistan",
                area_acres=60.0,
            ),
        ),
    )
    return tmp_path


@pytest.fixture
def shipped_copy(tmp_path: Path) -> Path:
    """A copy of the shipped data folder, safe to break."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target
