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


_TYPE_OF_ID = {0: "Point", 1: "LineString", 2: "LineString", 3: "Polygon", 4: "MultiPoint", 5: "MultiLineString"}
_TYPE_OF_ID[6] = "MultiPolygon"


def _runs(geoms: np.ndarray, type_ids: np.ndarray):
    """The coordinate runs of every geometry, in the order ``shapely.get_coordinates`` walks
    them: (run sizes, whether each run is a closed polygon ring, the structure stream).

    The structure stream holds per feature: nothing for a Point; the vertex count for a
    LineString or MultiPoint; the part count then each part's size for a MultiLineString;
    the ring count then each ring's size for a Polygon; the part count then, per part, its
    ring count and ring sizes for a MultiPolygon. Ring sizes leave out the closing vertex.
    """
    parts, part_of = shapely.get_parts(geoms, return_index=True)
    part_types = shapely.get_type_id(parts)
    polygon_part = part_types == 3
    part_size = shapely.get_num_coordinates(parts).astype(np.int64)
    rings, ring_of = shapely.get_rings(parts[polygon_part], return_index=True)
    ring_size = shapely.get_num_coordinates(rings).astype(np.int64)
    polygon_parts = np.flatnonzero(polygon_part)
    rings_per_part = np.zeros(len(parts), dtype=np.int64)
    rings_per_part[polygon_parts] = np.bincount(ring_of, minlength=len(polygon_parts))
    # one run per ring of a polygon part, one per other part, in part order
    runs_per_part = np.where(polygon_part, rings_per_part, 1)
    run_part = np.repeat(np.arange(len(parts)), runs_per_part)
    run_size = np.empty(len(run_part), dtype=np.int64)
    run_closed = np.repeat(polygon_part, runs_per_part)
    run_size[~run_closed] = part_size[~polygon_part]
    run_size[run_closed] = ring_size
    parts_per_geom = np.bincount(part_of, minlength=len(geoms))
    stream: list[int] = []
    if not (type_ids == 0).all():
        stored = (run_size - run_closed).tolist()
        part_start = np.concatenate([[0], np.cumsum(parts_per_geom)]).tolist()
        run_start = np.concatenate([[0], np.cumsum(runs_per_part)]).tolist()
        rings_n = rings_per_part.tolist()
        for g, kind in enumerate(type_ids.tolist()):
            if kind == 0:
                continue
            first = part_start[g]
            if kind in (1, 2):
                stream.append(stored[run_start[first]])
            elif kind == 4:
                stream.append(int(parts_per_geom[g]))
            elif kind in (3, 5):
                lo, hi = run_start[first], run_start[part_start[g + 1]]
                stream.append(hi - lo)
                stream.extend(stored[lo:hi])
            elif kind == 6:
                stream.append(int(parts_per_geom[g]))
                for part in range(first, part_start[g + 1]):
                    stream.append(rings_n[part])
                    stream.extend(stored[run_start[part] : run_start[part + 1]])
            else:
                raise ValueError(f"unsupported geometry type id {kind}")
    return run_size, run_closed, stream


def _pack2(levels: np.ndarray) -> bytes:
    """Values 0–3, four to a byte."""
    padded = np.zeros(-(-len(levels) // 4) * 4, dtype=np.uint8)
    padded[: len(levels)] = levels
    q = padded.reshape(-1, 4)
    return (q[:, 0] | (q[:, 1] << 2) | (q[:, 2] << 4) | (q[:, 3] << 6)).astype(np.uint8).tobytes()


def _unpack2(text: str, n: int) -> list[int]:
    raw = np.frombuffer(base64.b64decode(text), dtype=np.uint8)
    out = np.stack([(raw >> s) & 3 for s in (0, 2, 4, 6)], axis=1).reshape(-1)
    return out[:n].tolist()


def _levels(quantized: np.ndarray, run_size: np.ndarray, zooms: Sequence[int]) -> np.ndarray:
    """For each vertex, the coarsest zoom band that keeps it (len(zooms) = full detail only).

    Every ring and line is simplified as a plain line (Douglas–Peucker, tolerance one pixel at
    the band's highest zoom). DP keeps a subset of the vertices and a larger tolerance a subset
    of that, so each band is the vertices of level ≤ its index; the browser filters them as it
    zooms. Vertices are matched by (run, quantized position) packed into one integer.
    """
    level = np.full(len(quantized), len(zooms), dtype=np.uint8)
    run_of = np.repeat(np.arange(len(run_size)), run_size)
    multi = run_size[run_of] >= 3  # points and two-vertex segments cannot be simplified
    if not multi.any():
        level[:] = 0
        return level
    level[~multi] = 0
    line_id = np.unique(run_of[multi], return_inverse=True)[1]
    low = quantized.min(axis=0)
    bx, by = (int(v).bit_length() for v in quantized.max(axis=0) - low + 1)
    if bx + by + int(line_id.max()).bit_length() > 62:  # a world-wide layer: no bands
        return level

    def keys(owner: np.ndarray, q: np.ndarray) -> np.ndarray:
        q = q - low
        return (owner.astype(np.int64) << (bx + by)) | (q[:, 0] << by) | q[:, 1]

    positions = np.flatnonzero(multi)
    reference = keys(line_id, quantized[multi])
    order = np.argsort(reference, kind="stable")
    ordered = reference[order]
    simple = shapely.linestrings(quantized[multi] / SCALE, indices=line_id)
    for band in range(len(zooms) - 1, -1, -1):
        # each band simplifies the finer one: still a subset of the vertices, and quicker
        simple = shapely.simplify(simple, pixel_degrees(zooms[band]), preserve_topology=False)
        coords, owner = shapely.get_coordinates(simple, return_index=True)
        wanted = keys(owner, np.rint(coords * SCALE).astype(np.int64))
        found = np.minimum(np.searchsorted(ordered, wanted), len(order) - 1)
        exact = ordered[found] == wanted
        level[positions[order[found[exact]]]] = band
    return level


def _keep_shapes(levels: np.ndarray, sizes: np.ndarray, closed: np.ndarray, zooms: Sequence[int]) -> np.ndarray:
    """Make every band keep at least a triangle of each ring and two ends of each line, so a
    small footprint stays a small shape at low zoom instead of vanishing."""
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    need = np.where(closed, 3, 2)
    for band in range(len(zooms)):
        counts = np.add.reduceat((levels <= band).astype(np.int64), starts)
        short = np.flatnonzero((counts < need) & (sizes >= need))
        if short.size:  # first, middle and last vertex (or both ends of a line)
            last = starts[short] + sizes[short] - 1
            middle = starts[short] + (sizes[short] - 1) // 2
            picks = np.concatenate([starts[short], last, middle[need[short] == 3]])
            levels[picks] = np.minimum(levels[picks], band)
    return levels


def encode_geometry(geoms: Sequence, zooms: Sequence[int] = BAND_ZOOMS) -> dict:
    """Quantized, delta-encoded coordinates (``c``), part sizes (``s``), geometry types (``t``)
    and, for lines and polygons, each vertex's zoom band (``lv``, with the bands' zooms in ``z``).

    Polygon rings travel without their closing vertex (the decoder repeats the first).
    """
    geoms = np.asarray(geoms, dtype=object)
    if len(geoms) and shapely.is_empty(geoms).any():
        raise ValueError("empty geometries cannot be mapped")
    type_ids = shapely.get_type_id(geoms)
    quantized = np.rint(shapely.get_coordinates(geoms) * SCALE).astype(np.int64)
    run_size, run_closed, stream = _runs(geoms, type_ids)
    keep = np.ones(len(quantized), dtype=bool)
    if run_closed.any():
        ends = np.cumsum(run_size) - 1
        keep[ends[run_closed]] = False
    out = {}
    lines = ~np.isin(type_ids, (0, 4))
    if lines.any() and zooms:
        levels = _keep_shapes(_levels(quantized, run_size, zooms)[keep], run_size - run_closed, run_closed, zooms)
        if (levels == 0).sum() <= 0.7 * len(levels):  # the coarsest band saves enough to be worth it
            out["z"] = list(zooms)
            out["lv"] = _b64(_pack2(levels))
    kept = quantized[keep]
    steps = np.diff(kept, axis=0, prepend=np.zeros((1, 2), dtype=np.int64)).reshape(-1)
    out["c"] = _b64(_varint_bytes(_zigzag(steps)))
    kinds = sorted({_TYPE_OF_ID[int(k)] for k in set(type_ids.tolist())}, key=TYPES.index)
    if kinds == ["Point"]:
        out["t"] = "Point"
        return out
    out["s"] = _b64(_varint_bytes(np.asarray(stream, dtype=np.uint64)))
    if len(kinds) == 1:
        out["t"] = kinds[0]
    else:
        code = {name: TYPES.index(name) for name in kinds}
        out["t"] = [code[_TYPE_OF_ID[int(k)]] for k in type_ids]
    return out


def band_for(geometry: dict, zoom: float) -> int:
    """The band a zoom level draws (its index; the last one is full detail)."""
    zooms = geometry.get("z") or []
    return next((i for i, z in enumerate(zooms) if zoom <= z), len(zooms))


def decode_geometry(geometry: dict, count: int, band: int | None = None) -> list[dict]:
    """GeoJSON geometries back from :func:`encode_geometry` (the browser does the same); with
    ``band``, only the vertices that band keeps (rings that would collapse keep them all)."""
    steps = [_unzigzag(v) for v in _read_varints(geometry["c"])]
    xs, ys, x, y = [], [], 0, 0
    for i in range(0, len(steps), 2):
        x += steps[i]
        y += steps[i + 1]
        xs.append(x / SCALE)
        ys.append(y / SCALE)
    levels = _unpack2(geometry["lv"], len(xs)) if band is not None and "lv" in geometry else None
    structure = _read_varints(geometry.get("s", ""))
    kinds = geometry["t"] if isinstance(geometry["t"], list) else [geometry["t"]] * count
    at, pos, out = 0, 0, []

    def take(n: int, closed: bool = False) -> list[list[float]]:
        nonlocal at
        span = range(at, at + n)
        at += n
        if levels is not None:
            chosen = [k for k in span if levels[k] <= band]
            if len(chosen) >= (3 if closed else 2):
                span = chosen
        pts = [[xs[k], ys[k]] for k in span]
        return [*pts, pts[0]] if closed else pts

    for kind in kinds:
        kind = TYPES[kind] if isinstance(kind, int) else kind
        if kind == "Point":
            coords = [xs[at], ys[at]]
            at += 1
        elif kind == "MultiPoint":
            n = structure[pos]
            coords, at, pos = [[xs[k], ys[k]] for k in range(at, at + n)], at + n, pos + 1
        elif kind == "LineString":
            coords, pos = take(structure[pos]), pos + 1
        elif kind in ("MultiLineString", "Polygon"):
            n = structure[pos]
            sizes, pos = structure[pos + 1 : pos + 1 + n], pos + 1 + n
            coords = [take(k, kind == "Polygon") for k in sizes]
        else:  # MultiPolygon
            parts, pos = structure[pos], pos + 1
            coords = []
            for _ in range(parts):
                n = structure[pos]
                sizes, pos = structure[pos + 1 : pos + 1 + n], pos + 1 + n
                coords.append([take(k, True) for k in sizes])
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


def plain(value):
    """A JSON-ready value (numpy scalars unwrapped, whole floats as ints), or None."""
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
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


def _common_prefix(texts: list[str]) -> str:
    """The longest start every text shares (that of the first and last in sorted order)."""
    first, last = min(texts), max(texts)
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    return first[:n]


SMALL = 2000  # columns up to this length are encoded in plain Python (pandas costs more than it saves)


def _finish_values(values: list, keys: list) -> dict:
    """Dictionary-encode repeated values, factor out a shared start of texts."""
    distinct = list(dict.fromkeys(k for k in keys if k is not None))
    if len(values) > 2 and len(distinct) * 2 <= len(values):
        index = {k: i for i, k in enumerate(distinct)}
        first = {}
        for k, v in zip(keys, values, strict=True):
            if k is not None:
                first.setdefault(k, v)
        return {"d": [first[k] for k in distinct], "i": [-1 if k is None else index[k] for k in keys]}
    texts = [v for v in values if v is not None]
    if len(texts) > 2 and all(isinstance(v, str) for v in texts):
        prefix = _common_prefix(texts)
        if len(prefix) >= 4:
            cut = len(prefix)
            return {"p": prefix, "v": [None if v is None else v[cut:] for v in values]}
    return {"v": values}


def _encode_small(values: list) -> dict | None:
    values = [plain(v) for v in values]
    known = [v for v in values if v is not None]
    if not known:
        return None
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in known):
        return {"v": values}
    if len(known) == len(values) and isinstance(known[0], str) and (prefix := _sequence_prefix(values)) is not None:
        return {"seq": prefix}
    if all(isinstance(v, list) and len(v) <= 1 and all(isinstance(x, str) for x in v) for v in known):
        inner = _encode_small([v[0] if v else None for v in values])
        return {"l": 1, **(inner or {"v": [None] * len(values)})}
    keys = [
        None if v is None else json.dumps(v, sort_keys=True) if isinstance(v, (list, dict)) else (type(v).__name__, v)
        for v in values
    ]
    return _finish_values(values, keys)


def encode_column(values: Sequence) -> dict | None:
    """One property for every feature: ``{"v": [...]}``, ``{"d": [...], "i": [...]}`` (a
    dictionary for repeated values, -1 = unknown) or ``{"seq": prefix}``; None when all unknown."""
    if isinstance(values, Listed):
        inner = encode_column(list(values))
        return {"l": 1, **(inner or {"v": [None] * len(values)})}
    if not isinstance(values, pd.Series) and len(values) <= SMALL:
        return _encode_small(list(values))
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
        decoded = [u if type(u) is str else plain(u) for u in uniques.tolist()]
    if len(series) > 2 and len(decoded) * 2 <= len(series):
        return {"d": decoded, "i": codes.tolist()}
    if not missing.any() and len(decoded) == len(series):
        values = decoded  # all distinct: factorize kept their order
    else:
        values = [None if c < 0 else decoded[c] for c in codes.tolist()]
    texts = [v for v in decoded if isinstance(v, str)]
    if len(texts) == len(decoded) and len(texts) > 2:
        prefix = _common_prefix(texts)
        if len(prefix) >= 4:  # e.g. the same website before every link
            cut = len(prefix)
            return {"p": prefix, "v": [None if v is None else v[cut:] for v in values]}
    return {"v": values}


def decode_column(column: dict, count: int) -> list:
    if "seq" in column:
        return [f"{column['seq']}{i + 1}" for i in range(count)]
    values = [None if i < 0 else column["d"][i] for i in column["i"]] if "d" in column else list(column["v"])
    if "p" in column:
        values = [None if v is None else column["p"] + v for v in values]
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
    out = {"compact": 1, "n": count, "cols": cols, "const": {k: plain(v) for k, v in (consts or {}).items()}}
    out["g"] = encode_geometry(geoms, BAND_ZOOMS if bands else ()) if count else None
    return out


def from_features(features: Sequence[dict], consts: dict | None = None) -> dict:
    """A compact layer from GeoJSON-like features (``properties`` with the short keys)."""
    geoms = shapely.from_geojson([json.dumps(f["geometry"]) for f in features]) if features else []
    keys = list(dict.fromkeys(k for f in features for k in f["properties"]))
    columns = {k: [f["properties"].get(k) for f in features] for k in keys}
    return encode(geoms, columns, consts)


def decode(payload: dict, band: int | None = None) -> list[dict]:
    """GeoJSON features back from a compact layer (full detail unless ``band`` says otherwise)."""
    count = payload["n"]
    if not count:
        return []
    geometries = decode_geometry(payload["g"], count, band)
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
