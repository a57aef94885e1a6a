"""Routes over the atlas' road and rail lines, and the sea-versus-land comparison.

The network is built from the transport lines: every vertex is a node, consecutive vertices
are joined by their geodesic length, and lines are joined where a line's end lies within
``SNAP_KM`` of another line (a junction). Where the drawn lines leave a gap (an end that lies
on no other line), the end is joined to the nearest other line within ``GAP_KM`` and the
route reports those kilometres as "gap" (straight, not road). Route ends (a feature or a city) snap to the nearest node.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import networkx as nx
import pandas as pd
from pyproj import Geod
from shapely.geometry import LineString, Point

from components import i18n
from components.layers import DATA_DIR, LayerError

GEOD = Geod(ellps="WGS84")
SNAP_KM = 5.0
GAP_KM = 50.0
NETWORK_SUBSECTORS = ("road", "rail", "alignment")
PLACES_FILE = "places.json"


class UnknownPlace(KeyError):
    def __str__(self) -> str:
        return f"unknown place or feature id {self.args[0]!r}"


class NoRoute(ValueError):
    pass


def _km(a, b) -> float:
    return GEOD.inv(a[0], a[1], b[0], b[1])[2] / 1000


def _key(xy) -> tuple[float, float]:
    return (round(xy[0], 5), round(xy[1], 5))


def load_places(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    try:
        raw = json.loads((Path(data_dir) / PLACES_FILE).read_text(encoding="utf-8"))
        return pd.DataFrame(raw["places"], columns=["id", "name", "lon", "lat", "source"])
    except (OSError, ValueError, KeyError) as exc:
        raise LayerError(PLACES_FILE, f"cannot read the places ({exc})") from exc


def network_lines(features: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    lines = features[
        (features["sector"] == "transport")
        & features["subsector"].isin(NETWORK_SUBSECTORS)
        & features.geometry.geom_type.isin(["LineString", "MultiLineString"])
        & (features["status"] != "proposed")
    ]
    return lines


def build_graph(features: gpd.GeoDataFrame) -> nx.Graph:
    graph = nx.Graph()
    ends: list[tuple[tuple[float, float], str]] = []
    for fid, geom in zip(*(network_lines(features)[c] for c in ("id", "geometry")), strict=True):
        for part in getattr(geom, "geoms", [geom]):
            coords = [_key(c) for c in part.coords]
            for a, b in itertools.pairwise(coords):
                if a == b:
                    continue
                km = _km(a, b)
                if not graph.has_edge(a, b) or graph.edges[a, b]["km"] > km:
                    graph.add_edge(a, b, km=km, feature=fid, gap=False)
            for node in coords:
                graph.nodes[node].setdefault("features", set()).add(fid)
            ends += [(coords[0], fid), (coords[-1], fid)]
    nodes = list(graph.nodes)
    for end, fid in ends:
        # join the end to the nearest node of every other line within reach; an end that
        # already lies on another line is a junction, not a gap, and only snaps
        reach = SNAP_KM if len(graph.nodes[end]["features"]) > 1 else GAP_KM
        best: dict[str, tuple[float, tuple[float, float]]] = {}
        for node in nodes:
            others = graph.nodes[node]["features"] - {fid}
            if not others or fid in graph.nodes[node]["features"]:
                continue
            km = _km(end, node)
            if km <= reach:
                for other in others:
                    if other not in best or km < best[other][0]:
                        best[other] = (km, node)
        for km, node in best.values():
            if not graph.has_edge(end, node):
                graph.add_edge(end, node, km=km, feature=None, gap=km > SNAP_KM)
    return graph


@dataclass
class Route:
    start: str
    end: str
    km: float
    gap_km: float
    snap_km: float
    features: list[str]
    published_km: dict[str, float] = field(default_factory=dict)
    coordinates: list[tuple[float, float]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "from": self.start,
            "to": self.end,
            "km": round(self.km, 1),
            "gap_km": round(self.gap_km, 1),
            "snap_km": round(self.snap_km, 1),
            "features": self.features,
            "published_km": self.published_km,
        }

    @property
    def line(self) -> LineString:
        return LineString(self.coordinates)


def locate(features: gpd.GeoDataFrame, ident: str, data_dir: Path = DATA_DIR) -> Point:
    """A route end: a feature's representative point, or a city from data/places.json."""
    match = features[features["id"] == ident]
    if not match.empty:
        geom = match.iloc[0].geometry
        return geom if geom.geom_type == "Point" else geom.representative_point()
    places = load_places(data_dir)
    row = places[places["id"] == ident]
    if row.empty:
        raise UnknownPlace(ident)
    return Point(float(row.iloc[0]["lon"]), float(row.iloc[0]["lat"]))


def _nearest_node(graph: nx.Graph, point: Point) -> tuple[tuple[float, float], float]:
    return min(((node, _km((point.x, point.y), node)) for node in graph.nodes), key=lambda t: t[1])


@lru_cache(maxsize=4)
def _cached_graph(key: tuple) -> nx.Graph:
    frame = gpd.GeoDataFrame(
        [{"id": i, "sector": s, "subsector": ss, "status": st} for i, s, ss, st, _ in key],
        geometry=[g for *_, g in key],
        crs="EPSG:4326",
    )
    return build_graph(frame)


def graph_for(features: gpd.GeoDataFrame) -> nx.Graph:
    lines = network_lines(features)
    key = tuple(zip(lines["id"], lines["sector"], lines["subsector"], lines["status"], lines.geometry, strict=True))
    return _cached_graph(key)


def route(features: gpd.GeoDataFrame, start: str, end: str, data_dir: Path = DATA_DIR) -> Route:
    """The shortest path over the network between two features or cities."""
    graph = graph_for(features)
    a, b = locate(features, start, data_dir), locate(features, end, data_dir)
    (na, sa), (nb, sb) = _nearest_node(graph, a), _nearest_node(graph, b)
    try:
        path = nx.shortest_path(graph, na, nb, weight="km")
    except nx.NetworkXNoPath:
        raise NoRoute(f"no connected route between {start!r} and {end!r} on the atlas' lines") from None
    km = gap = 0.0
    used: list[str] = []
    for u, v in itertools.pairwise(path):
        edge = graph.edges[u, v]
        km += edge["km"]
        if edge["gap"]:
            gap += edge["km"]
        if edge["feature"] and (not used or used[-1] != edge["feature"]):
            used.append(edge["feature"])
    published = {
        fid: float(v)
        for fid, v in zip(features["id"], features["length_km"], strict=True)
        if fid in used and pd.notna(v)
    }
    return Route(start, end, km, gap, sa + sb, list(dict.fromkeys(used)), published, list(path))


# --- sea versus land -----------------------------------------------------------------


@dataclass
class Comparison:
    land: Route
    sea_km: float
    sea_line: LineString
    inland_km: float  # Chinese port → Kashgar, great circle (a lower bound for any road or rail)
    port: str

    def table(self, lang: str = i18n.DEFAULT) -> pd.DataFrame:
        """The legs compared, named in ``lang`` (the column names are ``leg`` and ``km``)."""
        legs = (
            ("land", self.land.km),
            ("sea", self.sea_km),
            ("inland", self.inland_km),
            ("sea_total", self.sea_km + self.inland_km),
        )
        return pd.DataFrame(
            [{"leg": i18n.t(f"routes.leg_{leg}", lang, port=self.port), "km": round(km)} for leg, km in legs]
        )


def sea_vs_land(features: gpd.GeoDataFrame, port: str = "shanghai", data_dir: Path = DATA_DIR) -> Comparison:
    import searoute

    land = route(features, "kashgar", "gwadar-port", data_dir)
    places = load_places(data_dir).set_index("id")
    gwadar = locate(features, "gwadar-port", data_dir)
    harbour = (float(places.loc[port, "lon"]), float(places.loc[port, "lat"]))
    sea = searoute.searoute([gwadar.x, gwadar.y], list(harbour), units="km")
    kashgar = (float(places.loc["kashgar", "lon"]), float(places.loc["kashgar", "lat"]))
    return Comparison(
        land=land,
        sea_km=float(sea.properties["length"]),
        sea_line=LineString(sea.geometry["coordinates"]),
        inland_km=_km(harbour, kashgar),
        port=str(places.loc[port, "name"]),
    )
