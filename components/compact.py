"""Compact map layers: how features travel to the browser.

A layer is sent as one small JSON object instead of a verbose GeoJSON collection:

- **coordinates** quantized to 1e-5° (about 1 m), delta-encoded along the layer (each
  vertex as the step from the previous one), zigzag varint bytes in base64;
- **structure** (parts and rings per feature) as varints as well, so any geometry type —
  points, lines, polygons and their multi-part forms — travels the same way;
- **attributes in columns**: one list per property, strings repeated across features sent
  once (a dictionary and indexes), ids of the form ``prefix-1, prefix-2…`` as a prefix only,
  values shared by every feature as constants;
- **zoom bands** for lines and polygons: the geometry simplified to about one screen pixel
  at the band's highest zoom, so low zooms draw few vertices; only bands that save vertices
  are sent.

``static/atlas/decode.js`` decodes the same format in the browser; :func:`decode` here is
its Python twin, used by tests and benchmarks to check the round trip. Text is never turned
into HTML on this side: the map's script escapes every value it shows.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import shapely

from components import assets

SCALE = 100_000  # 1e-5° ≈ 1.1 m at the equator
TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")
#: Zoom bands for lines and polygons: (highest zoom of the band, tolerance in degrees).
#: One pixel at zoom z spans 360 / (256 · 2^z) degrees of longitude; the last band is the
#: full (quantized) geometry.
BAND_ZOOMS = (6, 9, 12)
MIN_SAVING = 0.7  # a coarser band is sent only when it keeps at most 70% of the vertices
EXTRA_PREFIX = "x."  # columns shown as "every property" rows in popups


def pixel_degrees(zoom: int) -> float:
    """Degrees of longitude one screen pixel spans at ``zoom``."""
    return 360.0 / (256 * 2**zoom)


# --- varints ---------------------------------------------------------------------------


def _varint_bytes(values: np.ndarray) -> bytes:
    """Unsigned LEB128 varints of non-negative integers (vectorized)."""
    v = np.asarray(values, dtype=np.uint64)
    if v.size == 0:
        return b""
    nbytes = np.ones(v.shape, dtype=np.int64)
    for k in range(1, 10):
        nbytes += v >= np.uint64(1 << (7 * k))
    width = int(nbytes.max())
    out = np.empty((v.size, width), dtype=np.uint8)
    for k in range(width):
        byte = ((v >> np.uint64(7 * k)) & np.uint64(0x7F)).astype(np.uint8)
        out[:, k] = byte | ((nbytes > k + 1).astype(np.uint8) << 7)
    return out[np.arange(width)[None, :] < nbytes[:, None]].tobytes()


def _zigzag(values: np.ndarray) -> np.ndarray:
    v = np.asarray(values, dtype=np.int64)
    return ((v << 1) ^ (v >> 63)).astype(np.uint64)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _read_varints(text: str) -> list[int]:
    out, value, shift = [], 0, 0
    for byte in base64.b64decode(text):
        value |= (byte & 0x7F) << shift
        if byte & 0x80:
            shift += 7
        else:
            out.append(value)
            value, shift = 0, 0
    return out


def _unzigzag(n: int) -> int:
    return (n >> 1) ^ -(n & 1)


# --- geometry --------------------------------------------------------------------------


def _structure(geoms: np.ndarray, type_ids: np.ndarray) -> list[int]:
    """Part and ring sizes per feature, in the order ``shapely.get_coordinates`` walks them."""
    counts = shapely.get_num_coordinates
    out: list[int] = []
    for geom, kind in zip(geoms, type_ids, strict=True):
        if kind == 0:  # Point
            continue
        if kind in (1, 2):  # LineString, LinearRing
            out.append(int(counts(geom)))
        elif kind == 4:  # MultiPoint
            out.append(int(shapely.get_num_geometries(geom)))
        elif kind == 5:  # MultiLineString
            parts = shapely.get_parts(geom)
            out.append(len(parts))
            out.extend(int(n) for n in counts(parts))
        elif kind == 3:  # Polygon
            rings = shapely.get_rings(geom)
            out.append(len(rings))
            out.extend(int(n) for n in counts(rings))
        elif kind == 6:  # MultiPolygon
            parts = shapely.get_parts(geom)
            out.append(len(parts))
            for part in parts:
                rings = shapely.get_rings(part)
                out.append(len(rings))
                out.extend(int(n) for n in counts(rings))
        else:
            raise ValueError(f"unsupported geometry type id {kind}")
    return out


_TYPE_OF_ID = {0: "Point", 1: "LineString", 2: "LineString", 3: "Polygon", 4: "MultiPoint", 5: "MultiLineString"}
_TYPE_OF_ID[6] = "MultiPolygon"


def encode_geometry(geoms: Sequence) -> dict:
    """Quantized, delta-encoded coordinates (``c``) and part sizes (``s``) of every geometry."""
    geoms = np.asarray(geoms, dtype=object)
    if len(geoms) and shapely.is_empty(geoms).any():
        raise ValueError("empty geometries cannot be mapped")
    type_ids = shapely.get_type_id(geoms)
    coords = shapely.get_coordinates(geoms)
    quantized = np.rint(coords * SCALE).astype(np.int64).reshape(-1)
    steps = np.diff(quantized.reshape(-1, 2), axis=0, prepend=np.zeros((1, 2), dtype=np.int64)).reshape(-1)
    out = {"c": _b64(_varint_bytes(_zigzag(steps)))}
    kinds = sorted({_TYPE_OF_ID[int(k)] for k in set(type_ids.tolist())}, key=TYPES.index)
    if kinds == ["Point"]:
        out["t"] = "Point"
        return out
    out["s"] = _b64(_varint_bytes(np.asarray(_structure(geoms, type_ids), dtype=np.uint64)))
    if len(kinds) == 1:
        out["t"] = kinds[0]
    else:
        code = {name: TYPES.index(name) for name in kinds}
        out["t"] = [code[_TYPE_OF_ID[int(k)]] for k in type_ids]
    return out


def _vertex_count(geoms) -> int:
    return int(shapely.get_num_coordinates(np.asarray(geoms, dtype=object)).sum())


def encode_bands(geoms: Sequence, zooms: Sequence[int] = BAND_ZOOMS) -> list[dict]:
    """The geometry at each zoom band, coarsest first; the last band (``z`` None) is full detail.

    A band is kept only when it saves vertices over the next finer one; points are the same in
    every band, so a layer of points has a single band.
    """
    geoms = np.asarray(geoms, dtype=object)
    full = encode_geometry(geoms)
    lines = ~np.isin(shapely.get_type_id(geoms), (0, 4))
    if not lines.any():
        return [{"z": None, **full}]
    bands = [{"z": None, **full}]
    finer = _vertex_count(geoms)
    for zoom in sorted(zooms, reverse=True):
        simple = geoms.copy()
        simple[lines] = shapely.simplify(geoms[lines], pixel_degrees(zoom), preserve_topology=True)
        n = _vertex_count(simple)
        if n <= MIN_SAVING * finer:
            bands.insert(0, {"z": zoom, **encode_geometry(simple)})
            finer = n
    return bands


def _ring_counts(values: list[int], pos: int) -> tuple[list[int], int]:
    n = values[pos]
    return values[pos + 1 : pos + 1 + n], pos + 1 + n


def decode_geometry(band: dict, count: int) -> list[dict]:
    """GeoJSON geometries back from :func:`encode_geometry` (the browser does the same)."""
    steps = [_unzigzag(v) for v in _read_varints(band["c"])]
    xs, ys, x, y = [], [], 0, 0
    for i in range(0, len(steps), 2):
        x += steps[i]
        y += steps[i + 1]
        xs.append(x / SCALE)
        ys.append(y / SCALE)
    structure = _read_varints(band.get("s", ""))
    kinds = band["t"] if isinstance(band["t"], list) else [band["t"]] * count
    at, pos, out = 0, 0, []

    def take(n: int) -> list[list[float]]:
        nonlocal at
        pts = [[xs[k], ys[k]] for k in range(at, at + n)]
        at += n
        return pts

    for kind in kinds:
        kind = TYPES[kind] if isinstance(kind, int) else kind
        if kind == "Point":
            coords = take(1)[0]
        elif kind in ("LineString", "MultiPoint"):
            coords, pos = take(structure[pos]), pos + 1
        elif kind in ("MultiLineString", "Polygon"):
            sizes, pos = _ring_counts(structure, pos)
            coords = [take(n) for n in sizes]
        else:  # MultiPolygon
            parts, pos = structure[pos], pos + 1
            coords = []
            for _ in range(parts):
                sizes, pos = _ring_counts(structure, pos)
                coords.append([take(n) for n in sizes])
        out.append({"type": kind, "coordinates": coords})
    return out


# --- attributes ------------------------------------------------------------------------


def _missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return not math.isfinite(value)
    try:
        return bool(value != value)  # NaN, pandas NA
    except (TypeError, ValueError):
        return False


def _plain(value):
    """A JSON-ready value (numpy scalars unwrapped, whole floats as ints), or None."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if _missing(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _sequence_prefix(values: list) -> str | None:
    """``p`` when the values are exactly ``p1, p2, …, pN`` (the importer's ids)."""
    first = values[0]
    if not isinstance(first, str) or not first.endswith("1"):
        return None
    prefix = first[:-1]
    return prefix if values == [f"{prefix}{i + 1}" for i in range(len(values))] else None


def _numbers(series: pd.Series) -> dict | None:
    values = series.to_numpy(dtype=float, na_value=np.nan)
    known = np.isfinite(values)
    if not known.any():
        return None
    whole = bool(np.all(values[known] == np.round(values[known])) and np.abs(values[known]).max() < 2**53)
    out = np.where(known, values, 0).astype(np.int64) if whole else values
    listed = np.where(known, out.astype(object), None).tolist()
    return {"v": listed}


class Listed(list):
    """A column of single texts (or None) that each feature holds as a list of zero or one
    text, such as a source link: sent as texts, made lists again on decoding."""


def encode_column(values: Sequence) -> dict | None:
    """One property for every feature: ``{"v": [...]}``, ``{"d": [...], "i": [...]}`` (a
    dictionary for repeated values, -1 = unknown) or ``{"seq": prefix}``; None when all unknown."""
    if isinstance(values, Listed):
        inner = encode_column(list(values))
        return {"l": 1, **(inner or {"v": [None] * len(values)})}
    series = values.reset_index(drop=True) if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    if len(series) == 0:
        return None
    if series.dtype != object:
        if pd.api.types.is_bool_dtype(series.dtype):
            series = series.astype(object)
        elif pd.api.types.is_numeric_dtype(series.dtype):
            return _numbers(series)
        else:
            series = series.astype(object)
    missing = series.isna().to_numpy()
    if missing.all():
        return None
    first = series[~missing].iloc[0]
    if isinstance(first, (int, float, np.number)) and not isinstance(first, bool):
        kinds = {type(v) for v in series[~missing]}
        if all(issubclass(k, (int, float, np.number)) and k is not bool for k in kinds):
            return _numbers(series.where(~missing, np.nan).astype(float))
    if isinstance(first, (list, tuple)) and all(
        isinstance(v, (list, tuple)) and len(v) <= 1 and all(isinstance(x, str) for x in v) for v in series[~missing]
    ):
        # lists of at most one text (source links): the texts as a column, wrapped again on decoding
        inner = encode_column([v[0] if isinstance(v, (list, tuple)) and v else None for v in series.tolist()])
        return {"l": 1, **(inner or {"v": [None] * len(series)})}
    if isinstance(first, (list, tuple, dict)):
        dump = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=_json_default).encode
        keys = [None if m else dump(v) for v, m in zip(series.tolist(), missing.tolist(), strict=True)]
        codes, uniques = pd.factorize(pd.Series(keys, dtype=object))
        decoded = [json.loads(k) for k in uniques]
    else:
        if not missing.any() and isinstance(first, str) and (prefix := _sequence_prefix(series.tolist())) is not None:
            return {"seq": prefix}
        codes, uniques = pd.factorize(series)
        decoded = [u if type(u) is str else _plain(u) for u in uniques.tolist()]
    if len(series) > 2 and len(decoded) * 2 <= len(series):
        return {"d": decoded, "i": codes.tolist()}
    if not missing.any() and len(decoded) == len(series):
        return {"v": decoded}  # all distinct: factorize kept their order
    return {"v": [None if c < 0 else decoded[c] for c in codes.tolist()]}


def decode_column(column: dict, count: int) -> list:
    if "seq" in column:
        return [f"{column['seq']}{i + 1}" for i in range(count)]
    values = [None if i < 0 else column["d"][i] for i in column["i"]] if "d" in column else list(column["v"])
    if column.get("l"):
        return [[] if v is None else [v] for v in values]
    return values


# --- layers ----------------------------------------------------------------------------


def encode(
    geoms: Sequence,
    columns: dict[str, Sequence],
    consts: dict | None = None,
    bands: bool = True,
) -> dict:
    """A compact layer: geometry (zoom bands for lines/polygons), columns and constants.

    ``columns`` maps each short property key to one value per feature (None = unknown,
    left out of that feature); ``consts`` are properties every feature shares. Keys that
    start with ``x.`` are extra properties the popup lists as they are.
    """
    geoms = np.asarray(geoms, dtype=object)
    count = len(geoms)
    cols = {}
    for key, values in columns.items():
        if len(values) != count:
            raise ValueError(f"column {key!r} has {len(values)} values for {count} features")
        encoded = encode_column(values)
        if encoded is not None:
            cols[key] = encoded
    out = {"compact": 1, "n": count, "cols": cols, "const": {k: _plain(v) for k, v in (consts or {}).items()}}
    if count:
        out["b"] = encode_bands(geoms) if bands else [{"z": None, **encode_geometry(geoms)}]
    else:
        out["b"] = []
    return out


def from_features(features: Sequence[dict], consts: dict | None = None) -> dict:
    """A compact layer from GeoJSON-like features (``properties`` with the short keys)."""
    geoms = shapely.from_geojson([json.dumps(f["geometry"]) for f in features]) if features else []
    keys = list(dict.fromkeys(k for f in features for k in f["properties"]))
    columns = {k: [f["properties"].get(k) for f in features] for k in keys}
    return encode(geoms, columns, consts)


def decode(payload: dict, band: int = -1) -> list[dict]:
    """GeoJSON features back from a compact layer (full detail unless ``band`` says otherwise)."""
    count = payload["n"]
    if not count:
        return []
    geometries = decode_geometry(payload["b"][band], count)
    columns = {k: decode_column(c, count) for k, c in payload["cols"].items()}
    features = []
    for i, geometry in enumerate(geometries):
        props = dict(payload["const"])
        extra = {}
        for key, values in columns.items():
            if values[i] is None:
                continue
            if key.startswith(EXTRA_PREFIX):
                extra[key[len(EXTRA_PREFIX) :]] = values[i]
            else:
                props[key] = values[i]
        if extra:
            props["x"] = extra
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    return features


_CALL = "window.atlasCompactLayer("


def payloads(script: str) -> list[dict]:
    """The compact layers inlined in a rendered map or feature-group script (tests read them)."""
    decoder, out, start = json.JSONDecoder(), [], 0
    while (at := script.find(_CALL, start)) >= 0:
        payload, start = decoder.raw_decode(script, at + len(_CALL))
        out.append(payload)
    return out


def feature_ids(script: str) -> list[str]:
    """The ids of every feature in the compact layers of a rendered script."""
    ids: list[str] = []
    for payload in payloads(script):
        column = payload["cols"].get("id")
        ids += decode_column(column, payload["n"]) if column else [payload["const"].get("id")] * payload["n"]
    return ids


def _json_default(value):
    """numpy scalars and other stragglers as plain JSON values."""
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def to_json(payload: dict) -> str:
    """JSON for inlining in a <script>: compact, and no "</" that could close the tag."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=_json_default)
    return text.replace("</", "<\\/")


# --- the browser side ------------------------------------------------------------------


def scripts(base_url: str = "/") -> list[tuple[str, str]]:
    """Scripts that draw compact layers, in load order: supercluster (CDN URL, made local by
    :func:`components.assets.localize` when installed), the decoder, the point clouds."""
    return [
        ("supercluster", assets.SUPERCLUSTER_JS),
        ("atlas_decode_js", assets.own_url("decode.js", base_url)),
        ("atlas_cluster_js", assets.own_url("cluster.js", base_url)),
    ]


def stylesheets(base_url: str = "/") -> list[tuple[str, str]]:
    return [("atlas_cluster_css", assets.own_url("cluster.css", base_url))]
