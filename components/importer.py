"""Bring your own data: read an external file safely and normalize it for the atlas.

Accepted: GeoJSON, GeoPackage, KML/KMZ, zipped Shapefile, and CSV with lon/lat or WKT
columns. Every problem is either a clear refusal (:class:`ImportRefused`, one line that
names the problem) or a warning in the report; nothing is written outside a temporary
folder and nothing here touches ``data/``.

The result is an :class:`ImportedLayer`: features in EPSG:4326 with the atlas' core
fields (``id``, ``name``, ``sector``, ``status``, years, ``cost_usd_m``), the file's own
columns kept as text, and a report (format, detected schema, CRS, repairs, warnings).
AidData's Geospatial Global Chinese Development Finance Dataset (GeoGCDF) is recognised
and mapped onto the atlas schema; other files get a sector mapping from a chosen column.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import io
import json
import logging
import math
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS
from shapely.geometry import shape

from components import vocab

MAX_BYTES = 50 * 1024 * 1024  # keep in step with [server] maxUploadSize in .streamlit/config.toml
MAX_UNZIPPED = 200 * 1024 * 1024
MAX_RATIO = 100  # compressed → uncompressed; more is treated as a zip bomb
MAX_FEATURES = 50_000
MAX_TEXT = 500  # characters of any property kept for popups
MAX_DEPTH = 64  # JSON nesting: GeoJSON needs about 8; deeper is refused before parsing

_log = logging.getLogger(__name__)
FORMATS = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".kml": "kml",
    ".kmz": "kmz",
    ".zip": "shapefile-zip",
    ".csv": "csv",
    ".html": "atlas-html",
    ".htm": "atlas-html",
}
SUPPORTED_GEOMETRIES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}
AIDDATA_ATTRIBUTION = "AidData (GeoGCDF v3), ODC-By 1.0; geometries © OpenStreetMap contributors (ODbL)"
ATLAS_ATTRIBUTION = "CPEC Atlas data (CC BY 4.0), compiled from the sources listed per feature"
#: The element in the atlas' self-contained HTML maps that carries their data (components/export.py).
HTML_DATA_ID = "cpec-atlas-data"
#: Spreadsheets run cells that start with these; CSV exports prefix such text with "'" (read back here).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ImportRefused(ValueError):
    """The file cannot be used; the message says why in one line."""


@dataclass
class ImportReport:
    file: str
    format: str
    schema: str = "generic"
    crs: str = "EPSG:4326"
    feature_count: int = 0
    geometry_types: dict[str, int] = field(default_factory=dict)
    repairs: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    sector_column: str | None = None
    sector_mapping: dict[str, str | None] = field(default_factory=dict)
    suggested_fix: str | None = None  # "web-mercator" | "swap-xy" when coordinates look wrong
    attribution: str = ""

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "format": self.format,
            "schema": self.schema,
            "crs": self.crs,
            "feature_count": self.feature_count,
            "geometry_types": self.geometry_types,
            "repairs": self.repairs,
            "warnings": self.warnings,
            "sector_column": self.sector_column,
            "sector_mapping": self.sector_mapping,
            "suggested_fix": self.suggested_fix,
            "attribution": self.attribution,
        }


@dataclass
class ImportedLayer:
    name: str
    features: gpd.GeoDataFrame
    report: ImportReport
    #: Map payloads already encoded for this layer (see ``imported.map_group``), so a rerun
    #: does not encode 50,000 features again.
    map_cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def drawable(self) -> bool:
        """False while the coordinates look wrong and a fix is waiting to be chosen."""
        return self.report.suggested_fix is None and not self.features.empty


# --- reading ---------------------------------------------------------------------------


def _decode(data: bytes, report: ImportReport) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        report.warnings.append("byte-order mark removed")
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        report.warnings.append("not UTF-8: read as Latin-1, some characters may be wrong")
        return data.decode("latin-1")


def _backslashes_before(data: bytes, end: int) -> int:
    start = end
    while start and data[start - 1] == 0x5C:
        start -= 1
    return end - start


def json_depth(data: bytes) -> int:
    """How deeply arrays and objects nest in a JSON text, counted without parsing it.

    Python's parser recurses once per level; measuring first means a hostile file nested
    thousands of levels deep is refused with a message instead of a ``RecursionError``.
    Brackets inside strings do not count (a quote preceded by an odd run of backslashes
    is escaped).
    """
    text = np.frombuffer(data, dtype=np.uint8)
    quotes = np.flatnonzero(text == ord('"'))
    backslash = np.zeros(len(quotes), dtype=bool)
    backslash[quotes > 0] = text[quotes[quotes > 0] - 1] == 0x5C
    for i in np.flatnonzero(backslash).tolist():  # rare: only quotes right after a backslash
        backslash[i] = _backslashes_before(data, int(quotes[i])) % 2 == 1
    quotes = quotes[~backslash]
    brackets = np.flatnonzero((text == 0x5B) | (text == 0x5D) | (text == 0x7B) | (text == 0x7D))
    brackets = brackets[np.searchsorted(quotes, brackets) % 2 == 0]  # an even number of quotes before: outside
    kinds = text[brackets]
    return int(np.cumsum(np.where((kinds == 0x5B) | (kinds == 0x7B), 1, -1)).max(initial=0))


def _read_geojson(data: bytes, report: ImportReport) -> gpd.GeoDataFrame:
    depth = json_depth(data)
    if depth > MAX_DEPTH:
        raise ImportRefused(f"JSON nested {depth:,} levels deep; GeoJSON needs far fewer (the limit is {MAX_DEPTH})")
    text = _decode(data, report)
    try:
        # Python's parser accepts the bare NaN/Infinity that some exporters (AidData) write
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportRefused(f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    if isinstance(raw, dict) and raw.get("type") == "Feature":
        raw = {"type": "FeatureCollection", "features": [raw]}
    if not isinstance(raw, dict) or raw.get("type") != "FeatureCollection" or not isinstance(raw.get("features"), list):
        raise ImportRefused("not a GeoJSON FeatureCollection (no 'features' list)")
    declared = (
        ((raw.get("crs") or {}).get("properties") or {}).get("name") if isinstance(raw.get("crs"), dict) else None
    )
    rows, geometries = [], []
    for index, item in enumerate(raw["features"]):
        if not isinstance(item, dict):
            report.repairs["not a feature (skipped)"] = report.repairs.get("not a feature (skipped)", 0) + 1
            continue
        props = item.get("properties") if isinstance(item.get("properties"), dict) else {}
        geometry = item.get("geometry")
        try:
            geom = shape(geometry) if geometry else None
        except Exception:  # shapely raises several types for malformed coordinates
            geom = None
            report.repairs["unreadable geometry (skipped)"] = report.repairs.get("unreadable geometry (skipped)", 0) + 1
        rows.append({**props, "_feature_index": index, "_feature_id": item.get("id")})
        geometries.append(geom)
    frame = gpd.GeoDataFrame(pd.DataFrame(rows), geometry=gpd.GeoSeries(geometries), crs=None)
    if declared:
        try:
            frame = frame.set_crs(CRS.from_user_input(declared), allow_override=True)
        except Exception:  # pyproj raises CRSError and others for junk
            report.warnings.append(f"declared CRS {str(declared)[:60]!r} not understood; treated as undeclared")
    return frame


def _safe_members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    members, total = [], 0
    for info in archive.infolist():
        name = PurePosixPath(info.filename)
        if info.filename.startswith(("/", "\\")) or ".." in name.parts or ":" in info.filename:
            raise ImportRefused(f"archive entry {info.filename[:60]!r} points outside the archive")
        total += info.file_size
        if (
            info.compress_size
            and info.file_size / max(info.compress_size, 1) > MAX_RATIO
            and info.file_size > 1_000_000
        ):
            raise ImportRefused("archive expands far beyond its size (a zip bomb?)")
        members.append(info)
    if total > MAX_UNZIPPED:
        raise ImportRefused(f"archive would expand to {total / 1e6:,.0f} MB; the limit is {MAX_UNZIPPED / 1e6:,.0f} MB")
    return members


def _open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportRefused("not a readable zip archive") from None


def _refuse_entities(text: str) -> None:
    if re.search(r"<!DOCTYPE|<!ENTITY", text, re.IGNORECASE):
        raise ImportRefused("KML with a DOCTYPE or ENTITY declaration is refused (external entities are not read)")


def _read_with_gdal(path: Path, report: ImportReport) -> gpd.GeoDataFrame:
    try:
        layers = pyogrio.list_layers(path)
        if len(layers) > 1:
            report.warnings.append(f"{len(layers)} layers in the file; the first, {layers[0][0]!r}, was read")
        return pyogrio.read_dataframe(path, layer=layers[0][0] if len(layers) else None)
    except Exception as exc:  # GDAL's errors come in several types
        detail = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        detail = detail.replace(str(path.parent), "").replace(str(path), path.name)
        raise ImportRefused(f"GDAL could not read it ({_no_paths(detail)[:120]})") from None


def _read_kml_text(text: str, report: ImportReport) -> gpd.GeoDataFrame:
    _refuse_entities(text)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.kml"
        path.write_text(text, encoding="utf-8")
        return _read_with_gdal(path, report)


def _read_kmz(data: bytes, report: ImportReport) -> gpd.GeoDataFrame:
    with _open_zip(data) as archive:
        members = [m for m in _safe_members(archive) if m.filename.lower().endswith(".kml")]
        if not members:
            raise ImportRefused("the KMZ holds no .kml document")
        return _read_kml_text(_decode(archive.read(members[0]), report), report)


def _read_shapefile_zip(data: bytes, report: ImportReport) -> gpd.GeoDataFrame:
    with _open_zip(data) as archive, tempfile.TemporaryDirectory() as tmp:
        members = _safe_members(archive)
        shapefiles = [m for m in members if m.filename.lower().endswith(".shp")]
        if not shapefiles:
            raise ImportRefused("the zip holds no .shp file")
        for member in members:
            if not member.is_dir():
                target = Path(tmp) / PurePosixPath(member.filename).name  # flatten: no folders, no traversal
                target.write_bytes(archive.read(member))
        return _read_with_gdal(Path(tmp) / PurePosixPath(shapefiles[0].filename).name, report)


def _read_gpkg(data: bytes, report: ImportReport) -> gpd.GeoDataFrame:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload.gpkg"
        path.write_bytes(data)
        return _read_with_gdal(path, report)


_LON = ("lon", "lng", "long", "longitude", "x")
_LAT = ("lat", "latitude", "y")
_WKT = ("wkt", "geometry", "geom", "the_geom")


def _unguard(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value


def _read_csv(data: bytes, report: ImportReport) -> gpd.GeoDataFrame:
    text = _decode(data, report)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ImportRefused(f"not a readable CSV ({str(exc).splitlines()[0][:100]})") from None
    # undo the spreadsheet guard the atlas' own CSV export adds
    frame = frame.apply(lambda c: c.map(_unguard))
    lower = {c.lower().strip(): c for c in frame.columns}
    lon = next((lower[c] for c in _LON if c in lower), None)
    lat = next((lower[c] for c in _LAT if c in lower), None)
    wkt_column = next((lower[c] for c in _WKT if c in lower), None)
    if "wkt" in lower:  # an explicit geometry column beats a point (the atlas' CSV has both)
        lon = lat = None
        wkt_column = lower["wkt"]
    if lon and lat:
        xs = pd.to_numeric(frame[lon], errors="coerce")
        ys = pd.to_numeric(frame[lat], errors="coerce")
        geoms = [
            shapely.Point(x, y) if np.isfinite(x) and np.isfinite(y) else None for x, y in zip(xs, ys, strict=True)
        ]
        report.warnings.append(f"positions from columns {lon!r} and {lat!r}")
    elif wkt_column:
        geoms = []
        for value in frame[wkt_column]:
            try:
                geoms.append(shapely.from_wkt(value) if value else None)
            except shapely.errors.GEOSException:
                geoms.append(None)
        report.warnings.append(f"geometries from WKT column {wkt_column!r}")
    else:
        raise ImportRefused("no position columns: a CSV needs lon/lat (or longitude/latitude) or a WKT column")
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms), crs=None)


def _read_atlas_html(data: bytes, report: ImportReport) -> gpd.GeoDataFrame:
    """The data an atlas HTML map carries (full precision), not the map's compact drawing copy."""
    match = re.search(
        rb'<script type="application/geo\+json" id="' + HTML_DATA_ID.encode() + rb'">(.*?)</script>', data, re.DOTALL
    )
    if match is None:
        raise ImportRefused("an HTML file is read only when it is a map exported by the atlas (its data was not found)")
    return _read_geojson(match.group(1), report)


READERS = {
    "geojson": _read_geojson,
    "gpkg": _read_gpkg,
    "kml": lambda data, report: _read_kml_text(_decode(data, report), report),
    "kmz": _read_kmz,
    "shapefile-zip": _read_shapefile_zip,
    "csv": _read_csv,
    "atlas-html": _read_atlas_html,
}


def detect_format(name: str, data: bytes) -> str:
    """The reader for a file: by its suffix, else by its first bytes."""
    suffix = Path(name).suffix.lower()
    if suffix in FORMATS:
        return FORMATS[suffix]
    head = data[:64].lstrip()
    if head.startswith((b"{", b"\xef\xbb\xbf{")):
        return "geojson"
    if data.startswith(b"PK"):
        return "shapefile-zip"
    if data.startswith(b"SQLite format 3"):
        return "gpkg"
    raise ImportRefused(
        f"unsupported file type {suffix or '(no extension)'}: use GeoJSON, GeoPackage, KML/KMZ, zip or CSV"
    )


# --- normalizing ---------------------------------------------------------------------


def _count(report: ImportReport, what: str, n: int) -> None:
    if n:
        report.repairs[what] = report.repairs.get(what, 0) + int(n)


def _clean_geometries(frame: gpd.GeoDataFrame, report: ImportReport) -> gpd.GeoDataFrame:
    geoms = frame.geometry
    missing = np.asarray(geoms.isna(), dtype=bool) | np.asarray(geoms.is_empty, dtype=bool)
    _count(report, "null or empty geometry (skipped)", missing.sum())
    frame = frame[~missing].copy()
    if frame.empty:
        return frame
    unsupported = ~frame.geometry.geom_type.isin(SUPPORTED_GEOMETRIES)
    if unsupported.any():
        kinds = sorted(set(frame.geometry[unsupported].geom_type))
        _count(report, f"unsupported geometry ({', '.join(kinds)}) skipped", unsupported.sum())
        frame = frame[~unsupported].copy()
    has_z = frame.geometry.has_z
    if has_z.any():
        frame["geometry"] = shapely.force_2d(frame.geometry.values)
        _count(report, "3D coordinates flattened", has_z.sum())
    coords_ok = np.array([bool(np.isfinite(shapely.get_coordinates(g)).all()) for g in frame.geometry], dtype=bool)
    _count(report, "non-finite coordinates (skipped)", (~coords_ok).sum())
    frame = frame[coords_ok].copy()
    invalid = ~frame.geometry.is_valid
    if invalid.any():
        frame.loc[invalid, "geometry"] = shapely.make_valid(frame.geometry[invalid].values)
        _count(report, "invalid geometry repaired", invalid.sum())
        still = ~frame.geometry.geom_type.isin(SUPPORTED_GEOMETRIES) | frame.geometry.is_empty
        if still.any():
            # make_valid can return a GeometryCollection: keep its polygonal/linear parts
            frame.loc[still, "geometry"] = frame.geometry[still].map(_simplest_parts)
            frame = frame[~(frame.geometry.isna() | frame.geometry.is_empty)].copy()
    return frame


def _simplest_parts(geom):
    parts = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in SUPPORTED_GEOMETRIES and not g.is_empty]
    if not parts:
        return None
    polygons = [p for p in parts if "Polygon" in p.geom_type]
    if polygons:
        return shapely.union_all(polygons)
    return shapely.union_all(parts)


def _check_crs(frame: gpd.GeoDataFrame, report: ImportReport) -> gpd.GeoDataFrame:
    if frame.crs is not None:
        report.crs = frame.crs.to_string()
        if frame.crs.to_epsg() != 4326:
            try:
                frame = frame.to_crs("EPSG:4326")
            except Exception as exc:  # pyproj raises several types
                raise ImportRefused(f"cannot reproject from {report.crs} ({exc})") from None
            report.warnings.append(f"reprojected from {report.crs} to EPSG:4326")
        return frame
    report.crs = "undeclared (assumed EPSG:4326)"
    frame = frame.set_crs("EPSG:4326", allow_override=True)
    if frame.empty:
        return frame
    minx, miny, maxx, maxy = frame.total_bounds
    if max(abs(minx), abs(maxx)) > 180 or max(abs(miny), abs(maxy)) > 90:
        report.suggested_fix = "web-mercator"
        report.warnings.append(
            "coordinates are far outside longitude/latitude ranges: they look like metres (Web Mercator?)"
        )
        return frame
    region = vocab.REGION_BOUNDS
    inside = _share_inside(frame, region)
    swapped = _share_inside(frame.set_geometry(frame.geometry.map(_swap)), region)
    if inside < 0.5 and swapped > 0.5:
        report.suggested_fix = "swap-xy"
        report.warnings.append("coordinates lie outside the corridor but would fit with latitude and longitude swapped")
    elif inside < 0.5:
        report.warnings.append("most features lie outside the corridor's region")
    return frame


def _share_inside(frame: gpd.GeoDataFrame, bounds) -> float:
    minx, miny, maxx, maxy = bounds
    points = frame.geometry.representative_point()
    inside = (points.x >= minx) & (points.x <= maxx) & (points.y >= miny) & (points.y <= maxy)
    return float(inside.mean()) if len(inside) else 0.0


def _swap(geom):
    return shapely.transform(geom, lambda c: c[:, ::-1])


def apply_fix(layer: ImportedLayer, fix: str) -> ImportedLayer:
    """Apply a suggested coordinate fix ("web-mercator" or "swap-xy") and re-check."""
    frame = layer.features.copy()
    report = layer.report
    if fix == "web-mercator":
        frame = frame.set_crs("EPSG:3857", allow_override=True).to_crs("EPSG:4326")
        report.crs = "EPSG:3857 (chosen by the user)"
    elif fix == "swap-xy":
        frame["geometry"] = frame.geometry.map(_swap)
        report.warnings.append("latitude and longitude swapped at the user's request")
    else:
        raise ValueError(f"unknown fix {fix!r}")
    report.suggested_fix = None
    return ImportedLayer(layer.name, frame, report)


def _clean_value(value):
    """Properties as plain, finite, shortened values (escaping happens where they are shown)."""
    if value is None:
        return None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (int, bool, np.integer, np.floating)):
        value = value.item() if hasattr(value, "item") else value
        return value if not isinstance(value, float) or math.isfinite(value) else None
    if isinstance(value, (list, dict, tuple, np.ndarray)):
        value = json.dumps(value if not isinstance(value, np.ndarray) else value.tolist(), default=str)
    text = str(value)
    if text.strip().lower() in ("nan", "inf", "infinity", "-inf", "-infinity", "null", "none"):
        return None
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


# --- schemas ---------------------------------------------------------------------------


def _key(name: str) -> str:
    """Column names of both AidData generations in one form.

    'Amount.(Constant.USD.2021)' and 'Amount (Constant USD2021)' both become 'amount constant usd 2021'.
    """
    text = re.sub(r"[._()\-/]+", " ", str(name)).lower()
    text = re.sub(r"usd(\d{4})", r"usd \1", text)
    return " ".join(text.split())


AIDDATA_KEYS = {"title", "status", "commitment year"}
AIDDATA_MARKERS = {
    "aiddata sector name",
    "sector name",
    "aiddata tuff project id",
    "recipient iso 3",
    "osm precision list",
}

#: AidData sector names → atlas sectors (None: no atlas sector; still shown, only unfiltered)
AIDDATA_SECTORS = {
    "energy": "energy",
    "transport and storage": "transport",
    "communications": "digital",
    "agriculture, forestry, fishing": "agriculture",
    "industry, mining, construction": "sez",
    "water supply and sanitation": "social",
    "health": "social",
    "education": "social",
    "other social infrastructure and services": "social",
    "emergency response": "social",
    "government and civil society": "social",
    "population policies/programmes and reproductive health": "social",
    "trade policies and regulations": "port",
}
AIDDATA_STATUS = {
    "completion": "operational",
    "implementation": "under_construction",
    "pipeline: commitment": "planned",
    "pipeline: pledge": "proposed",
    "suspended": "suspended",
    "cancelled": "suspended",
}


def is_aiddata(columns) -> bool:
    keys = {_key(c) for c in columns}
    return (
        keys >= AIDDATA_KEYS and bool(AIDDATA_MARKERS & keys) and any(k.startswith("amount constant usd") for k in keys)
    )


def _year(value) -> int | None:
    """2016, 2016.0, '2016', '2016-04-01', '2016-04-01 00:00:00', '04/01/2016' → 2016."""
    value = _clean_value(value)
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return int(value) if 1900 < value < 2100 else None
    match = re.search(r"(19|20)\d{2}", str(value))
    return int(match.group(0)) if match else None


def _number(value) -> float | None:
    value = _clean_value(value)
    if value is None:
        return None
    try:
        number = float(str(value).replace(",", ""))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _aiddata(frame: gpd.GeoDataFrame, report: ImportReport) -> gpd.GeoDataFrame:
    keys: dict[str, list[str]] = {}
    for original in frame.columns:
        keys.setdefault(_key(original), []).append(original)

    def column(*names):
        """The first non-empty value per row among the columns of either generation."""
        originals = [o for n in names for o in keys.get(n, [])]
        originals += [o for k, os in keys.items() for o in os if any(k.startswith(n) for n in names)]
        values = pd.Series([None] * len(frame), index=frame.index, dtype=object)
        for original in dict.fromkeys(originals):
            cleaned = frame[original].map(_clean_value)
            values = values.where(values.notna(), cleaned)
        return values

    amount_keys = sorted(k for k in keys if k.startswith("amount constant usd"))
    amounts = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    basis = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    for key in amount_keys:
        values = column(key).map(_number)
        fill = amounts.isna() & values.notna()
        amounts[fill] = values[fill]
        basis[fill] = key.replace("amount constant usd", "constant USD")
    sector_names = column("aiddata sector name", "sector name").map(lambda v: (_clean_value(v) or "").strip())
    status = column("status").map(lambda v: AIDDATA_STATUS.get(str(_clean_value(v) or "").strip().lower()))
    ids = column("aiddata tuff project id", "id")
    start = column("implementation start year").map(_year)
    start = start.where(start.notna(), column("actual implementation start date").map(_year))
    end = column("completion year").map(_year)
    end = end.where(end.notna(), column("actual completion date").map(_year))
    out = gpd.GeoDataFrame(
        {
            "source_id": ids.map(lambda v: None if v is None else str(int(v)) if isinstance(v, float) else str(v)),
            "name": column("title").map(lambda v: _clean_value(v) or "Untitled AidData project"),
            "source_sector": sector_names,
            "sector": sector_names.map(lambda s: AIDDATA_SECTORS.get(s.lower())),
            "status": status,
            "commitment_year": column("commitment year").map(_year),
            "start_year": start,
            "completion_year": end,
            "cost_usd_m": amounts.map(lambda v: None if v is None else round(v / 1e6, 3)),
            "cost_basis": basis,
            "funding": column("funding agencies").map(_clean_value),
            "implementing": column("implementing agencies").map(_clean_value),
            "source_url": ids.map(
                lambda v: (
                    None
                    if v is None
                    else f"https://china.aiddata.org/projects/{int(float(v))}"
                    if str(v).replace(".0", "").isdigit()
                    else None
                )
            ),
        },
        geometry=frame.geometry,
        crs=frame.crs,
    )
    report.schema = "aiddata-geogcdf"
    report.sector_column = "source_sector"
    report.sector_mapping = {s: AIDDATA_SECTORS.get(s.lower()) for s in sorted(set(sector_names)) if s}
    report.attribution = AIDDATA_ATTRIBUTION
    shared = out.geometry.to_wkb().duplicated(keep=False).sum()
    if shared:
        report.warnings.append(f"{shared} projects share a geometry with another project (kept as separate features)")
    return out


ATLAS_MARKERS = {"sector", "status", "precision", "sources"}


def is_atlas(columns) -> bool:
    """A file the atlas exported (any format): its schema fields are there."""
    lower = {str(c).lower() for c in columns}
    return lower >= ATLAS_MARKERS and bool({"id", "id2"} & lower)


def _urls(value) -> tuple[str, ...]:
    if isinstance(value, (list, tuple, np.ndarray)):
        items = [str(v) for v in value]
    else:
        text = "" if value is None or (isinstance(value, float) and not math.isfinite(value)) else str(value)
        items = json.loads(text) if text.startswith("[") else text.split()
    return tuple(u for u in items if re.match(r"(?i)https?://\S+$", u))


def _atlas(frame: gpd.GeoDataFrame, report: ImportReport) -> gpd.GeoDataFrame:
    """The atlas' own schema read back (from any export format): every field kept as it was."""
    lower = {str(c).lower(): c for c in frame.columns}
    # KML reserves "id" and "name": GDAL writes the atlas id back as id2 and the name as Name
    id_column = lower["id2"] if "id2" in lower else lower["id"]

    def column(name: str) -> pd.Series:
        return frame[lower[name]] if name in lower else pd.Series([None] * len(frame), index=frame.index)

    def vocabulary(name: str, allowed) -> pd.Series:
        return column(name).map(lambda v: v if isinstance(v, str) and v in allowed else None)

    out = gpd.GeoDataFrame(
        {
            "source_id": frame[id_column].map(_clean_value).map(lambda v: None if v is None else str(v)),
            "name": column("name").map(lambda v: _clean_value(v) or "Unnamed"),
            "sector": vocabulary("sector", vocab.SECTOR_IDS),
            "status": vocabulary("status", vocab.STATUS_IDS),
            "precision": vocabulary("precision", vocab.PRECISION_IDS),
            "subsector": column("subsector").map(_clean_value),
            "province": column("province").map(_clean_value),
            "start_year": column("start_year").map(_year),
            "completion_year": column("completion_year").map(_year),
            **{n: column(n).map(_number) for n in ("capacity_mw", "length_km", "area_acres", "cost_usd_m")},
            "operator": column("operator").map(_clean_value),
            "description": column("description").map(_clean_value),
            "sources": column("sources").map(_urls),
        },
        geometry=frame.geometry,
        crs=frame.crs,
    )
    out["source_url"] = out["sources"].map(lambda t: t[0] if t else None)
    report.schema = "cpec-atlas"
    report.attribution = ATLAS_ATTRIBUTION
    return out


_SECTOR_WORDS = {
    "energy": ("energy", "power", "coal", "hydro", "wind", "solar", "electric", "transmission", "mw"),
    "transport": ("transport", "road", "rail", "highway", "motorway", "metro", "bridge", "tunnel"),
    "port": ("port", "harbour", "harbor", "airport", "aviation", "free zone"),
    "sez": ("sez", "economic zone", "industrial", "industry", "mining", "construction"),
    "border": ("border", "crossing", "customs"),
    "digital": ("digital", "fibre", "fiber", "telecom", "communication", "cable"),
    "agriculture": ("agri", "farm", "fish", "forest", "livestock"),
    "social": ("health", "hospital", "school", "education", "water", "social", "training", "livelihood"),
}


def suggest_sector(value: object) -> str | None:
    """An atlas sector for a free-text category, by keyword (None when nothing fits)."""
    text = str(value or "").lower()
    if text in vocab.SECTOR_IDS:
        return text
    for sector, words in _SECTOR_WORDS.items():
        if any(word in text for word in words):
            return sector
    return None


def map_sectors(
    layer: ImportedLayer, column: str | None, mapping: dict[str, str | None] | None = None
) -> ImportedLayer:
    """Use ``column`` of the file as its sector; ``mapping`` overrides the keyword suggestions.

    The new layer shares every other column with ``layer`` (a shallow copy: with pandas'
    copy-on-write only the sector column is new), so mapping a 50 MB file does not copy it.
    """
    frame = layer.features.copy(deep=False)
    report = layer.report
    if column is None or column not in frame.columns:
        frame["sector"] = None
        report.sector_column, report.sector_mapping = None, {}
        return ImportedLayer(layer.name, frame, report)
    values = frame[column].map(lambda v: "" if v is None else str(v))
    suggested = {v: suggest_sector(v) for v in sorted(set(values))}
    if mapping:
        suggested.update({k: (v if v in vocab.SECTOR_IDS else None) for k, v in mapping.items() if k in suggested})
    frame["sector"] = values.map(suggested)
    report.sector_column, report.sector_mapping = column, suggested
    return ImportedLayer(layer.name, frame, report)


_NAME_COLUMNS = ("name", "title", "project", "project_name", "label", "description")


def _generic(frame: gpd.GeoDataFrame, report: ImportReport) -> gpd.GeoDataFrame:
    lower = {str(c).lower(): c for c in frame.columns if c != "geometry"}
    name_column = next((lower[c] for c in _NAME_COLUMNS if c in lower), None)
    out = gpd.GeoDataFrame(geometry=frame.geometry, crs=frame.crs)
    out["name"] = (
        frame[name_column].map(lambda v: _clean_value(v) or "Unnamed")
        if name_column
        else [f"Feature {i + 1}" for i in range(len(frame))]
    )
    out["source_id"] = frame[lower["id"]].map(_clean_value) if "id" in lower else None
    for original in frame.columns:
        if original in ("geometry", "_feature_index", "_feature_id") or str(original).lower() in ("id", "name"):
            continue
        out[f"p_{str(original)[:60]}"] = frame[original].map(_clean_value)
    if out["source_id"].notna().any() and out["source_id"].duplicated().any():
        report.warnings.append("ids repeat in the file; the atlas numbers the features itself")
    out["sector"] = None
    out["status"] = None
    for column in ("start_year", "completion_year"):
        out[column] = frame[lower[column]].map(_year) if column in lower else None
    out["cost_usd_m"] = None
    return out


def _finish(frame: gpd.GeoDataFrame, name: str) -> gpd.GeoDataFrame:
    frame = frame.reset_index(drop=True)
    for column in ("commitment_year", "start_year", "completion_year"):
        if column in frame:
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
    frame["cost_usd_m"] = pd.to_numeric(frame["cost_usd_m"], errors="coerce").astype(float)
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:30] or "import"
    frame.insert(0, "id", [f"import-{slug}-{i + 1}" for i in range(len(frame))])
    return frame


_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[\\/][\w.~-]+){2,}[\\/]?")


def _no_paths(message: str) -> str:
    """Server paths (temporary folders, site-packages) never reach a visitor."""
    return _PATH.sub("…", message)


def read(name: str, data: bytes, max_bytes: int = MAX_BYTES) -> ImportedLayer:
    """Read, check and normalize one uploaded file. Raises :class:`ImportRefused` and nothing else.

    Whatever goes wrong inside (a parser's recursion limit, an exception no reader expected)
    ends as a refusal with a short message; the detail goes to the server log.
    """
    try:
        return _read(name, data, max_bytes)
    except ImportRefused:
        raise
    except RecursionError:
        raise ImportRefused("the file is nested too deeply to read") from None
    except MemoryError:
        raise ImportRefused("the file needs more memory to read than the server allows") from None
    except Exception as exc:  # the promise: a clear message, never a traceback
        _log.exception("import of %r failed unexpectedly", str(name)[:120])
        raise ImportRefused(f"the file could not be read ({exc.__class__.__name__})") from None


def _read(name: str, data: bytes, max_bytes: int) -> ImportedLayer:
    name = Path(str(name)).name[:120] or "upload"
    if len(data) > max_bytes:
        raise ImportRefused(f"the file is {len(data) / 1e6:,.1f} MB; the limit is {max_bytes / 1e6:,.0f} MB")
    if not data.strip():
        raise ImportRefused("the file is empty")
    fmt = detect_format(name, data)
    report = ImportReport(file=name, format=fmt)
    frame = READERS[fmt](data, report)
    if len(frame) > MAX_FEATURES:
        raise ImportRefused(f"{len(frame):,} features; the limit is {MAX_FEATURES:,}")
    if frame.empty:
        raise ImportRefused("the file has no features")
    frame = _clean_geometries(frame, report)
    if frame.empty:
        raise ImportRefused("no feature has a usable geometry")
    frame = _check_crs(frame, report)
    if is_aiddata(frame.columns):
        frame = _aiddata(frame, report)
    elif is_atlas(frame.columns):
        frame = _atlas(frame, report)
    else:
        frame = _generic(frame, report)
    frame = _finish(frame, Path(name).stem)
    report.feature_count = len(frame)
    report.geometry_types = {str(k): int(v) for k, v in frame.geometry.geom_type.value_counts().items()}
    _release_memory()
    return ImportedLayer(Path(name).stem, frame, report)


def _release_memory() -> None:
    """Hand the parser's temporary memory back to the system after a big file.

    Reading 50 MB of GeoJSON briefly takes several hundred MB of Python objects; freed, glibc
    keeps most of it in the process unless asked to trim, so the server would keep it per upload.
    """
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)
