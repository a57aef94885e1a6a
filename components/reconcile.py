"""Reconcile an imported layer with the atlas: which features are the same asset, where the
sources disagree, and what each side has that the other lacks.

Two features match when their geometries are within ``max_km`` of each other (measured
in UTM zone 42N, a metric CRS that covers Pakistan) and their names are similar
(rapidfuzz token-set ratio ≥ ``min_score``); each imported feature takes its best
candidate, each atlas feature is matched at most once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import shapely
from rapidfuzz import fuzz

from components.formatting import is_missing

METRIC_CRS = "EPSG:32642"  # UTM 42N: metres across Pakistan's longitudes (about 60–78°E)
MAX_KM = 5.0
MIN_SCORE = 50.0
COMPARED = ("status", "start_year", "completion_year", "cost_usd_m", "capacity_mw")
_MW = re.compile(r"(\d+(?:\.\d+)?)\s*(?:x|×)\s*(\d+(?:\.\d+)?)\s*mw|(\d[\d,]*(?:\.\d+)?)\s*mw", re.IGNORECASE)
_NOISE = re.compile(r"\[[^\]]*\]|\([^)]*\)|\b(provides?|loan|grant|million|billion|usd|rmb|\$[\d.,]+)\b", re.IGNORECASE)


@dataclass
class Reconciliation:
    pairs: pd.DataFrame  # one row per match: ids, names, distance, score, and the fields that disagree
    only_imported: pd.DataFrame
    only_atlas: pd.DataFrame

    def status_of(self) -> dict[str, str]:
        """Imported feature id → 'match' | 'mismatch' | 'unmatched' (for map highlighting)."""
        out = {i: "unmatched" for i in self.only_imported["import_id"]}
        for _, row in self.pairs.iterrows():
            out[row["import_id"]] = "mismatch" if row["disagreements"] else "match"
        return out

    def to_csv_bytes(self) -> bytes:
        frames = [
            self.pairs.assign(result="matched"),
            self.only_imported.assign(result="only in the import"),
            self.only_atlas.assign(result="only in the atlas"),
        ]
        return pd.concat(frames, ignore_index=True).to_csv(index=False).encode("utf-8")


def capacity_from_text(text: str) -> float | None:
    """'2x330 MW' → 660, '1,320 MW' → 1320 (titles often carry the capacity)."""
    match = _MW.search(str(text or ""))
    if not match:
        return None
    if match.group(1):
        return float(match.group(1)) * float(match.group(2))
    return float(match.group(3).replace(",", ""))


def _clean_name(text: str) -> str:
    return " ".join(_NOISE.sub(" ", str(text or "")).split())


def name_score(a: str, b: str) -> float:
    return float(fuzz.token_set_ratio(_clean_name(a).lower(), _clean_name(b).lower()))


def _same(field: str, left, right) -> bool:
    if is_missing(left) and is_missing(right):
        return True
    if is_missing(left) or is_missing(right):
        return False
    if field in ("cost_usd_m", "capacity_mw"):
        return abs(float(left) - float(right)) <= 0.05 * max(abs(float(left)), abs(float(right)), 1)
    if field in ("start_year", "completion_year"):
        return int(left) == int(right)
    return str(left) == str(right)


def reconcile(
    imported: gpd.GeoDataFrame, atlas: gpd.GeoDataFrame, max_km: float = MAX_KM, min_score: float = MIN_SCORE
) -> Reconciliation:
    imp = imported.to_crs(METRIC_CRS).reset_index(drop=True)
    ref = atlas.to_crs(METRIC_CRS).reset_index(drop=True)
    candidates = []
    # pairs within max_km from the spatial index, not every imported feature against every atlas one
    near_i, near_j = ref.sindex.query(imp.geometry.values, predicate="dwithin", distance=max_km * 1000)
    kms = shapely.distance(imp.geometry.values[near_i], ref.geometry.values[near_j]) / 1000
    imp_names, ref_names = imp["name"].tolist(), ref["name"].tolist()
    for i, j, km in zip(near_i.tolist(), near_j.tolist(), kms.tolist(), strict=True):
        if km > max_km:
            continue
        score = name_score(imp_names[i], ref_names[j])
        if score >= min_score:
            candidates.append((score - 2 * km, i, j, float(km), score))
    candidates.sort(reverse=True)
    used_i, used_j, rows = set(), set(), []
    for _, i, j, km, score in candidates:
        if i in used_i or j in used_j:
            continue
        used_i.add(i)
        used_j.add(j)
        mine, theirs = imp.iloc[i], ref.iloc[j]
        row = {
            "import_id": mine["id"],
            "import_name": mine["name"],
            "atlas_id": theirs["id"],
            "atlas_name": theirs["name"],
            "distance_km": round(km, 2),
            "name_score": round(score, 1),
        }
        disagreements = []
        for field in COMPARED:
            left = mine.get(field) if field != "capacity_mw" else capacity_from_text(mine.get("name"))
            right = theirs.get(field)
            row[f"import_{field}"] = None if is_missing(left) else left
            row[f"atlas_{field}"] = None if is_missing(right) else right
            if not _same(field, left, right) and not (is_missing(left) and field == "capacity_mw"):
                disagreements.append(field)
        row["disagreements"] = ", ".join(disagreements)
        rows.append(row)
    pairs = pd.DataFrame(
        rows, columns=["import_id", "import_name", "atlas_id", "atlas_name", "distance_km", "name_score"]
    )
    if rows:
        pairs = pd.DataFrame(rows)
    else:
        pairs["disagreements"] = []
    left = [i for i in range(len(imp)) if i not in used_i]
    only_imported = pd.DataFrame(
        {"import_id": imp["id"].to_numpy()[left].tolist(), "import_name": imp["name"].to_numpy()[left].tolist()}
    )
    only_atlas = pd.DataFrame(
        {
            "atlas_id": [ref.at[j, "id"] for j in range(len(ref)) if j not in used_j],
            "atlas_name": [ref.at[j, "name"] for j in range(len(ref)) if j not in used_j],
        }
    )
    return Reconciliation(pairs, only_imported, only_atlas)
