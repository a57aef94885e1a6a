"""The data audit: how well the drawn geometry and the figures match what the sources say.

Pure functions over the loaded features (no Streamlit): per line, the drawn geodesic length
against the published ``length_km``; pairs of features drawn on the same coordinate and
whether they declare a shared ``site``; how the location precision is spread; what is listed
without a position and why; and which figures have no ``<figure>_source``.
``python -m components audit`` prints the same report (``--json`` for machines).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
from pyproj import Geod

GEOD = Geod(ellps="WGS84")

#: A drawn line within this share of its published length needs no explanation.
TOLERANCE = 0.05
#: With a ``length_note`` (the figure describes more or less than the line), the gap must stay below this.
NOTE_TOLERANCE = 0.10
#: Two features closer than this (metres) are "on the same coordinate".
SAME_POINT_M = 10.0
#: The largest acceptable share of ``area``-precision features.
AREA_SHARE_MAX = 0.15
#: Figures that must name the source stating them (``<figure>_source``).
FIGURES = ("capacity_mw", "length_km", "area_acres", "cost_usd_m", "elevation_m")

LINE_KINDS = ("LineString", "MultiLineString")

#: Verdicts of :func:`line_lengths`, best first.
WITHIN = "within tolerance"
EXPLAINED = "explained by length note"
NOTE_TOO_FAR = "length note, but over 10 %"
OUTSIDE = "outside tolerance"
NO_FIGURE = "no published length"
LINE_PROBLEMS = (NOTE_TOO_FAR, OUTSIDE)


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def _number(value: object) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def drawn_km(geom) -> float:
    """Geodesic length of a (multi)line on the WGS 84 ellipsoid, km."""
    return GEOD.geometry_length(geom) / 1000.0


def verdict(drawn: float, published: float | None, note: str | None) -> str:
    """Whether a drawn length agrees with the published one (see the module constants)."""
    if published is None or published <= 0:
        return NO_FIGURE
    gap = abs(drawn / published - 1)
    if gap <= TOLERANCE:
        return WITHIN
    if note:
        return EXPLAINED if gap < NOTE_TOLERANCE else NOTE_TOO_FAR
    return OUTSIDE


def line_lengths(features: pd.DataFrame) -> pd.DataFrame:
    """One row per line: drawn km, published km, drawn/published ratio, length note and verdict."""
    columns = ["id", "name", "precision", "drawn_km", "published_km", "ratio", "length_note", "verdict"]
    rows = []
    lines = features[features.geometry.geom_type.isin(LINE_KINDS)]
    for _, row in lines.iterrows():
        drawn = drawn_km(row.geometry)
        published = _number(row.get("length_km"))
        note = _text(row.get("length_note"))
        rows.append(
            {
                "id": row["id"],
                "name": row["name"],
                "precision": row.get("precision"),
                "drawn_km": round(drawn, 1),
                "published_km": published,
                "ratio": round(drawn / published, 3) if published else None,
                "length_note": note,
                "verdict": verdict(drawn, published, note),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def _anchor(geom):
    """The coordinate a feature is drawn at: the point itself, or a polygon's representative point.

    Lines are left out: lines meeting at a junction share a vertex by design.
    """
    if geom is None or geom.is_empty or geom.geom_type in LINE_KINDS:
        return None
    if geom.geom_type == "Point":
        return geom
    return geom.representative_point()


def shared_positions(features: pd.DataFrame, metres: float = SAME_POINT_M) -> pd.DataFrame:
    """Pairs of features drawn within ``metres`` of each other, and whether both declare the same site."""
    columns = ["a", "b", "distance_m", "site_a", "site_b", "declared"]
    anchors = []
    for _, row in features.iterrows():
        point = _anchor(row.geometry)
        if point is not None:
            anchors.append((row["id"], point.x, point.y, _text(row.get("site"))))
    rows = []
    degrees = metres / 50_000  # a cheap, generous pre-filter: a degree is at least ~50 km in the corridor
    for (ida, xa, ya, sa), (idb, xb, yb, sb) in itertools.combinations(anchors, 2):
        if abs(xa - xb) > degrees or abs(ya - yb) > degrees:
            continue
        distance = GEOD.inv(xa, ya, xb, yb)[2]
        if distance <= metres:
            rows.append(
                {
                    "a": ida,
                    "b": idb,
                    "distance_m": round(distance, 1),
                    "site_a": sa,
                    "site_b": sb,
                    "declared": sa is not None and sa == sb,
                }
            )
    return pd.DataFrame(rows, columns=columns)


def precision_counts(features: pd.DataFrame) -> pd.DataFrame:
    """Features per location precision, with their share of all mapped features."""
    from components import vocab

    counts = features["precision"].value_counts()
    total = max(len(features), 1)
    return pd.DataFrame(
        [
            {"precision": key, "features": int(counts.get(key, 0)), "share": round(counts.get(key, 0) / total, 3)}
            for key in vocab.PRECISION_IDS
        ]
    )


def area_share(features: pd.DataFrame) -> float:
    """Share of mapped features whose position is only known to the town or district."""
    return float((features["precision"] == "area").mean()) if len(features) else 0.0


def first_sentence(text: str | None, limit: int = 220) -> str:
    """The first sentence of a note (the stated reason), shortened to ``limit`` characters."""
    if not text:
        return ""
    head = text.split(". ")[0].strip().rstrip(".")
    return head if len(head) <= limit else head[: limit - 1].rstrip() + "…"


def unlocated(table: pd.DataFrame) -> pd.DataFrame:
    """Features listed without a position and the reason their notes give (empty when none is stated)."""
    columns = ["id", "name", "reason"]
    if table is None or table.empty:
        return pd.DataFrame(columns=columns)
    notes = table["notes"] if "notes" in table.columns else pd.Series([None] * len(table), index=table.index)
    return pd.DataFrame(
        {"id": table["id"], "name": table["name"], "reason": [first_sentence(_text(n)) for n in notes]},
        columns=columns,
    ).reset_index(drop=True)


def unsourced_figures(features: pd.DataFrame) -> pd.DataFrame:
    """Every non-null figure whose ``<figure>_source`` is empty: id, figure, value."""
    rows = []
    for _, row in features.iterrows():
        for figure in FIGURES:
            value = _number(row.get(figure))
            if value is not None and not _text(row.get(f"{figure}_source")):
                rows.append({"id": row["id"], "figure": figure, "value": value})
    return pd.DataFrame(rows, columns=["id", "figure", "value"])


@dataclass
class Audit:
    """Everything the audit found, as tables."""

    total: int
    lines: pd.DataFrame
    shared: pd.DataFrame
    precision: pd.DataFrame
    area_share: float
    unlocated: pd.DataFrame
    unsourced: pd.DataFrame
    problems: list[str] = field(default_factory=list)

    @property
    def line_problems(self) -> pd.DataFrame:
        return self.lines[self.lines["verdict"].isin(LINE_PROBLEMS)]

    @property
    def undeclared_shared(self) -> pd.DataFrame:
        return self.shared[~self.shared["declared"].astype(bool)]

    def as_dict(self) -> dict:
        def records(frame: pd.DataFrame) -> list[dict]:
            return [
                {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
                for r in frame.to_dict("records")
            ]

        return {
            "mapped_features": self.total,
            "lines": records(self.lines),
            "shared_positions": records(self.shared),
            "precision": records(self.precision),
            "area_share": round(self.area_share, 3),
            "unlocated": records(self.unlocated),
            "unsourced_figures": records(self.unsourced),
            "problems": self.problems,
        }


def audit(features: gpd.GeoDataFrame, unlocated_table: pd.DataFrame | None = None) -> Audit:
    """Run every check over the mapped features (and the unlocated list)."""
    lines = line_lengths(features)
    shared = shared_positions(features)
    share = area_share(features)
    gone = unlocated(unlocated_table)
    unsourced = unsourced_figures(features)
    problems = [
        f"line {r.id}: drawn {r.drawn_km} km vs published {r.published_km:g} km ({r.verdict})"
        for r in lines[lines["verdict"].isin(LINE_PROBLEMS)].itertuples()
    ]
    problems += [
        f"{r.a} and {r.b} share a position without a common site"
        for r in shared[~shared["declared"].astype(bool)].itertuples()
    ]
    if share > AREA_SHARE_MAX:
        problems.append(f"area precision for {share:.0%} of mapped features (target at most {AREA_SHARE_MAX:.0%})")
    problems += [f"unlocated {r.id}: no reason stated" for r in gone.itertuples() if not r.reason]
    problems += [f"{r.id}: {r.figure} {r.value:g} has no {r.figure}_source" for r in unsourced.itertuples()]
    return Audit(len(features), lines, shared, precision_counts(features), share, gone, unsourced, problems)


def _table(frame: pd.DataFrame, columns: list[str]) -> str:
    if frame.empty:
        return "  (none)"
    shown = frame[columns].astype(object).where(frame[columns].notna(), "")
    return "\n".join("  " + line for line in shown.to_string(index=False).splitlines())


def format_text(result: Audit) -> str:
    """The readable report ``python -m components audit`` prints."""
    lines = result.lines
    counts = lines["verdict"].value_counts()
    parts = [
        f"CPEC Atlas data audit: {result.total} mapped features, {len(result.unlocated)} listed without a position",
        "",
        f"Lines ({len(lines)}): "
        + ", ".join(f"{int(counts.get(v, 0))} {v}" for v in (WITHIN, EXPLAINED, *LINE_PROBLEMS, NO_FIGURE)),
        _table(lines, ["id", "drawn_km", "published_km", "ratio", "verdict"]),
        "",
        f"Features on the same coordinate (within {SAME_POINT_M:g} m): {len(result.shared)} pairs, "
        f"{len(result.undeclared_shared)} without a shared site",
        _table(result.shared, ["a", "b", "distance_m", "site_a", "declared"]),
        "",
        f"Location precision (area: {result.area_share:.0%}, target at most {AREA_SHARE_MAX:.0%})",
        _table(result.precision, ["precision", "features", "share"]),
        "",
        f"Listed without a position ({len(result.unlocated)})",
        _table(result.unlocated, ["id", "reason"]),
        "",
        f"Figures without a source field ({len(result.unsourced)})",
        _table(result.unsourced, ["id", "figure", "value"]),
        "",
        f"Problems: {len(result.problems)}" if result.problems else "Problems: none",
    ]
    return "\n".join(parts) + "\n"
