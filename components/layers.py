"""The one door for data: read the layer registry and every layer file, validate, normalize.

Everything downstream (filters, map, charts, exports) trusts the frame this module
returns: one row per feature, EPSG:4326, known vocabularies, nullable numbers,
``sources`` and ``province`` as tuples of strings. A layer file that fails
validation is reported (file name and problem) and left out; the others load.
"""

from __future__ import annotations

import json
import math
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pandera.pandas as pa
import shapely
from pandera.engines.geopandas_engine import Geometry

from components import vocab

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
REGISTRY_FILE = "layers.toml"

#: Every feature property, in display order, with what it means.
FIELDS: dict[str, str] = {
    "id": "Stable identifier, lower-case words joined by hyphens; unique across all layers.",
    "name": "Name of the asset as commonly published.",
    "sector": "One of: " + ", ".join(vocab.SECTOR_IDS) + ".",
    "subsector": "Finer kind, e.g. coal, hydro, wind, solar, road, rail, free_zone.",
    "status": "One of: " + ", ".join(vocab.STATUS_IDS) + ".",
    "province": "Province or territory (a list when a line crosses several).",
    "start_year": "Year construction started, or null.",
    "completion_year": "Year of opening/commercial operation (or the planned year), or null.",
    "capacity_mw": "Installed or planned generation/transmission capacity in MW, or null.",
    "length_km": "Published length in km (roads, rail, lines), or null.",
    "area_acres": "Published area in acres (zones, airports), or null.",
    "cost_usd_m": "Published cost in million US dollars, or null.",
    "operator": "Operator, sponsor or developer, or null.",
    "precision": "Location precision: " + ", ".join(vocab.PRECISION_IDS) + ".",
    "description": "A short description.",
    "sources": "List of URLs that support the facts (at least one).",
}
REQUIRED = tuple(FIELDS)
NUMERIC = ("capacity_mw", "length_km", "area_acres", "cost_usd_m")
YEARS = ("start_year", "completion_year")
TEXT = ("subsector", "operator", "description")

#: Optional properties: absent means null. Kept through loading, exports and round trips.
OPTIONAL_FIELDS: dict[str, str] = {
    "elevation_m": "Published elevation in metres (passes, sites), or null.",
    **{
        f"{n}_source": f"URL of the source that states {n}; required when {n} is given."
        for n in (*NUMERIC, "elevation_m")
    },
    "site": "Shared-site id: features that really stand on one site carry the same value (the map fans them out).",
    "geometry_source": "Where the geometry comes from, with its licence (e.g. OSM via AidData GeoGCDF, ODbL).",
    "length_note": "When the published length describes more or less than the line drawn: what it describes.",
    "aiddata_ids": "AidData GeoGCDF project ids of the same project (list).",
    **{
        field: text
        for lang, language in (("ur", "Urdu"), ("zh", "Simplified Chinese"))
        for field, text in (
            (f"name_{lang}", f"The name in {language} as a source gives it (shown in lang={lang}), or null."),
            (f"name_{lang}_source", f"URL of the source that gives name_{lang}; required when name_{lang} is given."),
        )
    },
    "notes": "Where each coordinate and figure came from, and what is uncertain.",
}
OPTIONAL_NUMERIC = ("elevation_m",)
TRANSLATED_NAMES = ("name_ur", "name_zh")  # each with its <name>_source
OPTIONAL_URLS = tuple(k for k in OPTIONAL_FIELDS if k.endswith("_source") and k != "geometry_source")
OPTIONAL_LISTS = ("aiddata_ids",)
OPTIONAL_TEXT = tuple(k for k in OPTIONAL_FIELDS if k not in (*OPTIONAL_NUMERIC, *OPTIONAL_URLS, *OPTIONAL_LISTS))
ALL_FIELDS = (*REQUIRED, *OPTIONAL_FIELDS)

GEOMETRY_KINDS = {
    "point": {"Point", "MultiPoint"},
    "line": {"LineString", "MultiLineString"},
    "polygon": {"Polygon", "MultiPolygon"},
}
GEOMETRY_KINDS["any"] = set().union(*GEOMETRY_KINDS.values())


class LayerError(ValueError):
    """A layer file that cannot be used; the message names the file and the problem."""

    def __init__(self, file: str, problem: str):
        super().__init__(f"{file}: {problem}")
        self.file = file
        self.problem = problem

    def __reduce__(self):  # picklable, so cached results can carry problems
        return (LayerError, (self.file, self.problem))


@dataclass(frozen=True)
class LayerSpec:
    """One entry of ``data/layers.toml``."""

    id: str
    file: str
    title: str
    sector: str
    geometry: str = "any"
    description: str = ""
    weight: int = 4


@dataclass
class Atlas:
    """All features that loaded, plus what did not."""

    features: gpd.GeoDataFrame
    layers: list[LayerSpec]
    problems: list[LayerError] = field(default_factory=list)
    #: Sourced assets whose position is not published: listed, never drawn.
    unlocated: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(REQUIRED)))

    def count_by_layer(self) -> dict[str, int]:
        counts = self.features["layer"].value_counts()
        return {spec.id: int(counts.get(spec.id, 0)) for spec in self.layers}


def read_registry(data_dir: Path = DATA_DIR) -> list[LayerSpec]:
    """Read ``layers.toml``; an unusable registry is a hard error (nothing can load)."""
    path = Path(data_dir) / REGISTRY_FILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise LayerError(REGISTRY_FILE, f"cannot read the layer registry ({exc})") from exc
    specs = []
    for entry in raw.get("layer", []):
        try:
            spec = LayerSpec(**entry)
        except TypeError as exc:
            raise LayerError(REGISTRY_FILE, f"bad layer entry {entry!r} ({exc})") from exc
        if spec.sector not in vocab.SECTOR_IDS:
            raise LayerError(REGISTRY_FILE, f"layer {spec.id!r} has unknown sector {spec.sector!r}")
        if spec.geometry not in GEOMETRY_KINDS:
            raise LayerError(REGISTRY_FILE, f"layer {spec.id!r} has unknown geometry {spec.geometry!r}")
        specs.append(spec)
    ids = [s.id for s in specs]
    if len(set(ids)) != len(ids):
        raise LayerError(REGISTRY_FILE, "layer ids are not unique")
    return specs


def data_date(data_dir: Path = DATA_DIR) -> date:
    """The date the data was last reviewed (``[atlas] data_date`` in layers.toml)."""
    try:
        raw = tomllib.loads((Path(data_dir) / REGISTRY_FILE).read_text(encoding="utf-8"))
        return date.fromisoformat(str(raw["atlas"]["data_date"]))
    except (OSError, tomllib.TOMLDecodeError, KeyError, ValueError) as exc:
        raise LayerError(REGISTRY_FILE, f"no valid [atlas] data_date ({exc})") from exc


def _is_url(value: object) -> bool:
    return isinstance(value, str) and value.startswith(("https://", "http://")) and " " not in value


def _as_tuple(value: object) -> tuple:
    """Normalize a list-like property (JSON array, or one string) to a tuple of strings."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ()
    if isinstance(value, str):
        return (value,)
    try:
        return tuple(str(v) for v in value)
    except TypeError:
        return (str(value),)


_YEAR_ORDER = "completion_year is before start_year"
_NAME_SOURCE = "{name} needs {name}_source (the URL that gives the name)"
_ROW_RULES = {_YEAR_ORDER, *(_NAME_SOURCE.format(name=n) for n in TRANSLATED_NAMES)}

SCHEMA = pa.DataFrameSchema(
    {
        "id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9][a-z0-9-]*$"), unique=True),
        "name": pa.Column(str, pa.Check.str_length(min_value=1)),
        "sector": pa.Column(str, pa.Check.isin(vocab.SECTOR_IDS)),
        "subsector": pa.Column(str, nullable=True),
        "status": pa.Column(str, pa.Check.isin(vocab.STATUS_IDS)),
        "province": pa.Column(
            object,
            pa.Check(
                lambda s: s.map(lambda t: len(t) > 0 and all(p in vocab.PROVINCE_BY_LABEL for p in t)),
                error="must be one or more of: " + ", ".join(vocab.PROVINCE_BY_LABEL),
            ),
        ),
        **{y: pa.Column("Int64", pa.Check.in_range(1950, 2050), nullable=True) for y in YEARS},
        **{n: pa.Column(float, pa.Check.ge(0), nullable=True) for n in NUMERIC},
        "operator": pa.Column(str, nullable=True),
        "precision": pa.Column(str, pa.Check.isin(vocab.PRECISION_IDS)),
        "description": pa.Column(str, nullable=True),
        "sources": pa.Column(
            object,
            pa.Check(
                lambda s: s.map(lambda t: len(t) > 0 and all(_is_url(u) for u in t)),
                error="must be a non-empty list of http(s) URLs",
            ),
        ),
        "geometry": pa.Column(Geometry(crs="EPSG:4326")),
        "elevation_m": pa.Column(float, nullable=True),
        **{
            u: pa.Column(
                object,
                pa.Check(lambda s: s.map(lambda v: v is None or _is_url(v)), error="must be a URL"),
                nullable=True,
            )
            for u in OPTIONAL_URLS
        },
    },
    checks=[
        pa.Check(
            lambda df: (
                df["completion_year"].isna() | df["start_year"].isna() | (df["completion_year"] >= df["start_year"])
            ),
            error=_YEAR_ORDER,
        ),
        *[
            pa.Check(
                lambda df, n=name: df[n].isna() | df[f"{n}_source"].notna(),
                error=_NAME_SOURCE.format(name=name),
            )
            for name in TRANSLATED_NAMES
        ],
    ],
    strict=False,
)


def _coerce_numbers(df: pd.DataFrame, column: str, file: str, integer: bool) -> pd.Series:
    raw = df[column]
    numbers = pd.to_numeric(raw, errors="coerce")
    bad = numbers.isna() & raw.notna()
    non_finite = numbers.notna() & ~numbers.map(lambda v: math.isfinite(v) if v is not None else True)
    if bad.any() or non_finite.any():
        where = df.loc[bad | non_finite, "id"].astype(str).tolist()
        raise LayerError(file, f"{column} must be a number or null (features: {', '.join(where[:5])})")
    if integer:
        fractional = numbers.notna() & (numbers % 1 != 0)
        if fractional.any():
            where = df.loc[fractional, "id"].astype(str).tolist()
            raise LayerError(file, f"{column} must be a whole year (features: {', '.join(where[:5])})")
        return numbers.astype("Int64")
    return numbers.astype(float)


def _normalize(raw: pd.DataFrame, file: str) -> pd.DataFrame:
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise LayerError(file, f"missing required field(s): {', '.join(missing)}")
    has_geometry = isinstance(raw, gpd.GeoDataFrame)
    raw = raw.copy()
    for column in OPTIONAL_FIELDS:
        if column not in raw.columns:
            raw[column] = None
    df = raw[[*ALL_FIELDS, "geometry"] if has_geometry else list(ALL_FIELDS)].copy()
    for column in ("id", "name", "sector", "status", "precision"):
        df[column] = df[column].map(lambda v: v if isinstance(v, str) else ("" if v is None else str(v)))
        df[column] = df[column].astype(object).str.strip()
    for column in (*TEXT, *OPTIONAL_TEXT, *OPTIONAL_URLS):
        df[column] = df[column].map(lambda v: None if v is None or (isinstance(v, float) and math.isnan(v)) else str(v))
        df[column] = df[column].astype(object)
    for column in YEARS:
        df[column] = _coerce_numbers(df, column, file, integer=True)
    for column in (*NUMERIC, *OPTIONAL_NUMERIC):
        df[column] = _coerce_numbers(df, column, file, integer=False)
    df["sources"] = df["sources"].map(_as_tuple)
    for column in OPTIONAL_LISTS:
        df[column] = df[column].map(_as_tuple)
    df["province"] = df["province"].map(_as_tuple)
    return gpd.GeoDataFrame(df, geometry="geometry", crs=raw.crs) if has_geometry else df


def _describe_failures(exc: pa.errors.SchemaErrors, frame: pd.DataFrame) -> str:
    """Turn pandera's failure table into one readable line: field, rule, bad values, features."""
    parts = []
    for (column, check), group in exc.failure_cases.groupby(["column", "check"], dropna=False, sort=False):
        rule = str(check)
        rule = {
            "isin": "must be one of the vocabulary",
            "str_matches": "must be lower-case words joined by hyphens",
            "greater_than_or_equal_to": "must not be negative",
            "in_range": "must be a year between 1950 and 2050",
        }.get(rule.split("(")[0], rule)
        values = [repr(v)[:40] for v in group["failure_case"].head(3).tolist()]
        ids = []
        for index in group["index"].dropna().tolist()[:5]:
            try:
                ids.append(str(frame.loc[index, "id"]))
            except (KeyError, TypeError):
                ids.append(str(index))
        where = f" (features: {', '.join(ids)})" if ids else ""
        if rule in _ROW_RULES:  # a row-level rule: reported once, not per column
            parts.append(f"{rule}{where}")
        else:
            parts.append(f"{column} {rule}; found {', '.join(values)}{where}")
    return "; ".join(list(dict.fromkeys(parts))[:6])


def _check_geometry(df: gpd.GeoDataFrame, spec: LayerSpec, file: str) -> None:
    geom = df.geometry
    allowed = GEOMETRY_KINDS[spec.geometry]
    wrong = ~geom.geom_type.isin(allowed)
    if wrong.any():
        kinds = sorted(set(geom[wrong].geom_type))
        raise LayerError(
            file,
            f"geometry type {', '.join(kinds)} not allowed in a {spec.geometry} layer "
            f"(features: {', '.join(df.loc[wrong, 'id'].astype(str).tolist()[:5])})",
        )
    invalid = ~geom.is_valid
    if invalid.any():
        first = df.loc[invalid].iloc[0]
        reason = shapely.is_valid_reason(first.geometry)
        raise LayerError(file, f"invalid geometry in feature {first['id']}: {reason}")
    minx, miny, maxx, maxy = vocab.REGION_BOUNDS
    b = geom.bounds
    outside = (b.minx < minx) | (b.maxx > maxx) | (b.miny < miny) | (b.maxy > maxy)
    if outside.any():
        ids = df.loc[outside, "id"].astype(str).tolist()
        raise LayerError(
            file,
            "coordinates outside the corridor region "
            f"(lon {minx}..{maxx}, lat {miny}..{maxy}; swapped lat/lon?) (features: {', '.join(ids[:5])})",
        )


def load_layer(path: Path, spec: LayerSpec, check_sector: bool = True) -> gpd.GeoDataFrame:
    """Read and validate one layer file; raise :class:`LayerError` naming the file.

    ``check_sector=False`` accepts mixed sectors (for files that are not registry layers,
    such as the atlas' own exports read back).
    """
    file = Path(path).name
    try:
        raw = gpd.read_file(path, engine="pyogrio")
    except Exception as exc:  # pyogrio/GDAL raise several unrelated types for unreadable files
        detail = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        raise LayerError(file, f"not a readable GeoJSON file ({detail})") from exc
    if raw.empty:
        raise LayerError(file, "the layer has no features")
    if raw.crs is None or raw.crs.to_epsg() != 4326:
        raise LayerError(file, f"CRS must be EPSG:4326 (WGS 84), found {raw.crs}")
    df = _normalize(raw, file)
    missing_geometry = df.geometry.isna() | df.geometry.is_empty
    if missing_geometry.any():
        ids = df.loc[missing_geometry, "id"].astype(str).tolist()
        raise LayerError(file, f"empty or missing geometry (features: {', '.join(ids[:5])})")
    try:
        df = SCHEMA.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise LayerError(file, _describe_failures(exc, df)) from None
    wrong_sector = df["sector"] != spec.sector
    if check_sector and wrong_sector.any():
        ids = df.loc[wrong_sector, "id"].tolist()
        raise LayerError(file, f"features of another sector than {spec.sector!r}: {', '.join(ids[:5])}")
    _check_geometry(df, spec, file)
    df["layer"] = spec.id
    return df


UNLOCATED_FILE = "unlocated.geojson"
#: Unlocated entries may lack a province (nothing is known), but nothing else is relaxed.
UNLOCATED_SCHEMA = SCHEMA.remove_columns(["geometry", "province"])


def load_unlocated(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Features with sources but no published position (``geometry: null``)."""
    path = Path(data_dir) / UNLOCATED_FILE
    if not path.exists():
        return pd.DataFrame(columns=list(REQUIRED))
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        rows = [f["properties"] for f in raw["features"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise LayerError(UNLOCATED_FILE, f"not a readable GeoJSON file ({exc})") from exc
    if any(f.get("geometry") for f in raw["features"]):
        raise LayerError(UNLOCATED_FILE, "entries here must have no geometry (located features belong in a layer)")
    df = _normalize(pd.DataFrame(rows, columns=list(ALL_FIELDS)), UNLOCATED_FILE)
    try:
        return UNLOCATED_SCHEMA.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise LayerError(UNLOCATED_FILE, _describe_failures(exc, df)) from None


def load_atlas(data_dir: Path = DATA_DIR) -> Atlas:
    """Load every registered layer; broken files are reported, the rest still load."""
    data_dir = Path(data_dir)
    specs = read_registry(data_dir)
    frames: list[gpd.GeoDataFrame] = []
    problems: list[LayerError] = []
    seen: dict[str, str] = {}
    for spec in specs:
        path = data_dir / spec.file
        if not path.exists():
            problems.append(LayerError(spec.file, "file not found"))
            continue
        try:
            frame = load_layer(path, spec)
        except LayerError as exc:
            problems.append(exc)
            continue
        clash = [i for i in frame["id"] if i in seen]
        if clash:
            problems.append(LayerError(Path(spec.file).name, f"id {clash[0]!r} already used in {seen[clash[0]]}"))
            continue
        seen.update({i: Path(spec.file).name for i in frame["id"]})
        frames.append(frame)
    if frames:
        features = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs="EPSG:4326")
    else:
        features = gpd.GeoDataFrame(
            {c: pd.Series(dtype=object) for c in [*REQUIRED, "layer"]}, geometry=gpd.GeoSeries([], crs="EPSG:4326")
        )
    features["geom_kind"] = features.geometry.geom_type.map(
        lambda t: next((k for k, v in GEOMETRY_KINDS.items() if k != "any" and t in v), None)
    )
    try:
        unlocated = load_unlocated(data_dir)
    except LayerError as exc:
        problems.append(exc)
        unlocated = pd.DataFrame(columns=list(REQUIRED))
    return Atlas(features=features, layers=specs, problems=problems, unlocated=unlocated)
