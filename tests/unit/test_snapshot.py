"""Pixel tests of the static renderer: colours land where the sites project, and only there."""

from __future__ import annotations

import io
import warnings

import numpy as np
import pytest
from PIL import Image

from components import layers, snapshot, vocab
from components.filters import Filters, apply_filters

ATLAS = layers.load_atlas()
SOUTH_SINDH = (66.5, 24.2, 71.0, 26.4)


def _rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)])


def _image(features, spec) -> tuple[np.ndarray, snapshot.Snapshot]:
    snap = snapshot.render(features, spec)
    data = snap.to_bytes("png")
    image = np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)
    return image, snap


def _near(image, x, y, colour, radius=4, tolerance=40) -> bool:
    h, w, _ = image.shape
    x0, x1 = max(int(x) - radius, 0), min(int(x) + radius + 1, w)
    y0, y1 = max(int(y) - radius, 0), min(int(y) + radius + 1, h)
    patch = image[y0:y1, x0:x1]
    return bool((np.abs(patch - _rgb(colour)).sum(axis=2) < tolerance).any())


def _count(image, colour, tolerance=40) -> int:
    return int((np.abs(image - _rgb(colour)).sum(axis=2) < tolerance).sum())


def _energy_sites(features, bbox, precision="exact"):
    minx, miny, maxx, maxy = bbox
    points = features[(features.geometry.geom_type == "Point") & (features["precision"] == precision)]
    return [(g.x, g.y) for g in points.geometry if minx < g.x < maxx and miny < g.y < maxy]


def _blend(colour: str, alpha: float, under: str) -> str:
    mixed = alpha * _rgb(colour) + (1 - alpha) * _rgb(under)
    return "#" + "".join(f"{round(v):02X}" for v in mixed)


@pytest.fixture(scope="module")
def energy():
    return apply_filters(ATLAS.features, Filters(sectors=("energy",)))


def test_energy_colour_at_every_energy_site_and_no_port_colour(energy):
    spec = snapshot.SnapshotSpec(bbox=SOUTH_SINDH)
    image, snap = _image(energy, spec)
    sites = _energy_sites(energy, SOUTH_SINDH)
    assert len(sites) >= 4
    for lon, lat in sites:
        x, y = snap.pixel(lon, lat)
        assert _near(image, x, y, vocab.SECTOR_BY_ID["energy"].colour), (lon, lat, x, y)
    # approximate positions are drawn faded: the energy colour blended over the land
    faded = _blend(vocab.SECTOR_BY_ID["energy"].colour, 0.6, snapshot.LAND)
    approximate = _energy_sites(energy, SOUTH_SINDH, "approximate")
    assert approximate
    for lon, lat in approximate:
        assert _near(image, *snap.pixel(lon, lat), faded, tolerance=30), (lon, lat)
    assert _count(image, vocab.SECTOR_BY_ID["port"].colour) == 0
    snap.close()


def test_changing_the_bbox_moves_the_sites(energy):
    lon, lat = _energy_sites(energy, SOUTH_SINDH)[0]
    _first, snap_a = _image(energy, snapshot.SnapshotSpec(bbox=SOUTH_SINDH))
    moved_box = (SOUTH_SINDH[0] - 1.5, SOUTH_SINDH[1] - 0.5, SOUTH_SINDH[2] - 1.5, SOUTH_SINDH[3] - 0.5)
    second, snap_b = _image(energy, snapshot.SnapshotSpec(bbox=moved_box))
    xa, ya = snap_a.pixel(lon, lat)
    xb, yb = snap_b.pixel(lon, lat)
    assert xb - xa > 100 and yb - ya < -20  # the view moved west and south, so the site moves right and up
    assert _near(second, xb, yb, vocab.SECTOR_BY_ID["energy"].colour)
    snap_a.close()
    snap_b.close()


def test_pixel_transform_matches_the_frame(energy):
    spec = snapshot.SnapshotSpec(bbox=SOUTH_SINDH, width_px=1000, height_px=700)
    snap = snapshot.render(energy, spec)
    x0, y0 = snap.pixel(SOUTH_SINDH[0], SOUTH_SINDH[3])
    x1, y1 = snap.pixel(SOUTH_SINDH[2], SOUTH_SINDH[1])
    # the requested box is inside the image and keeps its orientation
    assert 0 <= x0 < x1 <= 1000 and 0 <= y0 < y1 <= 700
    snap.close()


def test_legend_lists_exactly_the_sectors_drawn():
    features = apply_filters(ATLAS.features, Filters(sectors=("energy", "sez")))
    snap = snapshot.render(features, snapshot.SnapshotSpec(bbox=(60.8, 23.6, 77.9, 37.1)))
    assert snap.legend_labels == ["Energy", "Special Economic Zone"]
    snap.close()
    snap = snapshot.render(features.iloc[0:0], snapshot.SnapshotSpec(bbox=(60.8, 23.6, 77.9, 37.1)))
    assert snap.legend_labels == []
    snap.close()


@pytest.mark.parametrize(("fmt", "magic"), [("png", b"\x89PNG"), ("svg", b"<?xml"), ("pdf", b"%PDF")])
def test_formats(energy, fmt, magic):
    data = snapshot.render_bytes(energy, snapshot.SnapshotSpec(bbox=SOUTH_SINDH, title="Energy"), fmt)
    assert data.startswith(magic)
    if fmt == "svg":
        text = data.decode()
        assert "Energy" in text and "not authoritative" in text and "Natural Earth" in text


def test_print_size_is_300_dpi(energy):
    data = snapshot.render_bytes(energy, snapshot.SnapshotSpec(bbox=SOUTH_SINDH, **snapshot.PRINT), "png")
    image = Image.open(io.BytesIO(data))
    assert image.size == (3508, 2480)
    assert round(image.info["dpi"][0]) == 300


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"bbox": (70, 25, 60, 30)}, "bbox"),
        ({"bbox": (60, 25, 70, 95)}, "bbox"),
        ({"bbox": (60, 25, 70, 30), "width_px": 10}, "between 200 and 12000"),
        ({"bbox": (60, 25, 70, 30), "dpi": 5000}, "dpi"),
    ],
)
def test_bad_specs_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        snapshot.SnapshotSpec(**kwargs)


def test_fit_bbox_contains_the_features(energy):
    minx, miny, maxx, maxy = snapshot.fit_bbox(energy)
    b = energy.total_bounds
    assert minx < b[0] and miny < b[1] and maxx > b[2] and maxy > b[3]
    with pytest.raises(ValueError):
        snapshot.fit_bbox(energy.iloc[0:0])


def test_scale_bar_lengths():
    assert snapshot._nice_length(137) == 100
    assert snapshot._nice_length(47) == 20
    assert snapshot._nice_length(5.2) == 5


def test_subtitle_keeps_the_filter_labels():
    from datetime import date

    text = snapshot.subtitle("sectors: Energy; status: Operational", 12, date(2026, 11, 28))
    assert text == "Sectors: Energy; status: Operational · 12 features · data as of 2026-11-28"


def _footprints():
    import geopandas as gpd
    from shapely.geometry import box

    rows = [
        {
            "id": "built",
            "sector": "port",
            "status": "operational",
            "precision": "exact",
            "geometry": box(62.33, 25.10, 62.36, 25.13),
        },
        {
            "id": "planned",
            "sector": "sez",
            "status": "planned",
            "precision": "exact",
            "geometry": box(62.40, 25.10, 62.43, 25.13),
        },
    ]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def test_footprints_are_filled_in_their_sector_colour():
    frame = _footprints()
    spec = snapshot.SnapshotSpec(bbox=(62.30, 25.05, 62.46, 25.18))
    image, snap = _image(frame, spec)
    port, sez = vocab.SECTOR_BY_ID["port"].colour, vocab.SECTOR_BY_ID["sez"].colour
    x, y = snap.pixel(62.345, 25.115)
    assert _near(image, x, y, _blend(port, 0.3, snapshot.SEA), radius=2, tolerance=30)
    x, y = snap.pixel(62.415, 25.115)
    assert _near(image, x, y, _blend(sez, 0.3, snapshot.SEA), radius=2, tolerance=30)
    assert not _near(image, *snap.pixel(62.38, 25.115), port, radius=3)  # nothing between them
    snap.close()


def test_planned_footprint_has_a_dashed_outline():
    frame = _footprints()
    spec = snapshot.SnapshotSpec(bbox=(62.30, 25.05, 62.46, 25.18))
    image, snap = _image(frame, spec)

    def outline_hits(lon0, lon1, lat, colour):
        xa, y = snap.pixel(lon0, lat)
        xb, _ = snap.pixel(lon1, lat)
        row = image[round(y), int(xa) : int(xb)]
        return (np.abs(row - _rgb(colour)).sum(axis=1) < 120).mean()

    # along the top edge: the operational outline is continuous, the planned one has gaps
    solid = outline_hits(62.332, 62.358, 25.13, vocab.SECTOR_BY_ID["port"].colour)
    dashed = outline_hits(62.402, 62.428, 25.13, vocab.SECTOR_BY_ID["sez"].colour)
    assert solid > 0.9 and 0.2 < dashed < 0.85, (solid, dashed)
    snap.close()


def test_small_footprint_gets_its_symbol_at_overview_scale():
    frame = _footprints().iloc[:1]
    spec = snapshot.SnapshotSpec(bbox=(60.8, 23.6, 77.9, 37.1))
    image, snap = _image(frame, spec)
    x, y = snap.pixel(62.345, 25.115)
    assert _near(image, x, y, vocab.SECTOR_BY_ID["port"].colour, radius=4)
    snap.close()


def test_titles_and_filter_text_are_drawn_as_typed_not_as_formulas(energy):
    """A shared link's search text reaches the subtitle; ``$…$`` must not become mathtext."""
    spec = snapshot.SnapshotSpec(bbox=SOUTH_SINDH, title="$x^2$ report", subtitle="text “$\\int$ ZQX”")
    snap = snapshot.render(energy, spec)
    try:
        texts = {t.get_text(): t for t in snap.figure.texts}
        assert "$x^2$ report" in texts and not texts["$x^2$ report"].get_parse_math()
        assert not texts["text “$\\int$ ZQX”"].get_parse_math()
        snap.to_bytes("png")  # renders: an unbalanced or unknown formula would raise here
    finally:
        snap.close()


def test_multipoint_feature_gets_a_symbol_at_each_point():
    import geopandas as gpd
    from shapely.geometry import MultiPoint

    towns = [(73.47, 34.37), (73.77, 33.98), (73.76, 33.86)]
    frame = gpd.GeoDataFrame(
        [
            {
                "id": "towns",
                "sector": "social",
                "status": "operational",
                "precision": "exact",
                "geometry": MultiPoint(towns),
            }
        ],
        geometry="geometry",
        crs="EPSG:4326",
    )
    image, snap = _image(frame, snapshot.SnapshotSpec(bbox=(73.2, 33.7, 74.0, 34.5)))
    colour = vocab.SECTOR_BY_ID["social"].colour
    for lon, lat in towns:
        assert _near(image, *snap.pixel(lon, lat), colour, radius=5), (lon, lat)
    assert not _near(image, *snap.pixel(73.30, 34.10), colour, radius=5)
    snap.close()


# --- basemap, labels, layouts, tiles ------------------------------------------------------

GWADAR = (62.2, 25.0, 62.5, 25.25)
CORRIDOR = (60.8, 23.6, 77.9, 37.1)


def _colour_at(image, x, y, radius=2) -> np.ndarray:
    h, w, _ = image.shape
    patch = image[
        max(int(y) - radius, 0) : min(int(y) + radius + 1, h), max(int(x) - radius, 0) : min(int(x) + radius + 1, w)
    ]
    return np.median(patch.reshape(-1, 3), axis=0)


def _close(colour, hex_colour, tolerance=24) -> bool:
    return bool(np.abs(colour - _rgb(hex_colour)).sum() < tolerance)


@pytest.fixture(scope="module")
def gwadar():
    features = apply_filters(ATLAS.features, Filters())
    image, snap = _image(features, snapshot.SnapshotSpec(bbox=GWADAR, labels="places"))
    yield image, snap, features
    snap.close()


def test_gwadar_has_land_and_sea_where_they_are(gwadar):
    image, snap, _ = gwadar
    for lon, lat in ((62.25, 25.04), (62.45, 25.05), (62.21, 25.15)):  # open sea south, east bay, west bay
        assert _close(_colour_at(image, *snap.pixel(lon, lat)), snapshot.SEA), (lon, lat)
    for lon, lat in ((62.33, 25.22), (62.31, 25.105)):  # mainland north of town, the hammerhead
        assert _close(_colour_at(image, *snap.pixel(lon, lat)), snapshot.LAND), (lon, lat)


def test_gwadar_port_is_drawn_on_the_shore(gwadar):
    image, snap, features = gwadar
    port = features.loc[features["id"] == "gwadar-port"].geometry.iloc[0].representative_point()
    x, y = snap.pixel(port.x, port.y)
    # the terminal is drawn in the port colour (a filled footprint, or the symbol of a point)
    fill = _blend(vocab.SECTOR_BY_ID["port"].colour, 0.3, snapshot.LAND)
    assert _near(image, x, y, vocab.SECTOR_BY_ID["port"].colour, radius=6) or _near(
        image, x, y, fill, radius=6, tolerance=40
    )
    # within ~1 km of the port there is both land and sea: it sits on the coast
    metres = abs(snap.pixel(port.x + 0.01, port.y)[0] - x)  # ~1 km in pixels
    around = [_colour_at(image, x + dx * metres, y + dy * metres, 1) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
    assert any(_close(c, snapshot.SEA) for c in around) and any(_close(c, snapshot.LAND) for c in around)


def test_gwadar_sheet_has_the_town_label_an_inset_and_no_overlaps(gwadar):
    _, snap, _ = gwadar
    texts = [t for t, *_ in snap.labels]
    assert "Gwadar" in texts
    assert snap.inset is not None
    _assert_no_overlap(snap)


def _assert_no_overlap(snap):
    boxes = [b for _, _, b in snap.label_extents()]
    assert boxes
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (a, b)


def test_the_locator_keeps_off_the_features_on_a_portrait_kkh_sheet():
    # the KKH's north end (Sost, Khunjerab) lies in the upper right of a portrait sheet: the
    # locator goes to the upper left instead of hiding it
    spec = snapshot.SnapshotSpec(bbox=(72.5, 33.5, 75.8, 37.2), width_px=700, height_px=990)
    snap = snapshot.render(ATLAS.features, spec)
    assert snap.inset is not None
    frame = snap.inset.get_window_extent(snap.figure.canvas.get_renderer())
    for fid in ("khunjerab-pass-border-crossing", "sost-dry-port"):
        point = ATLAS.features.loc[ATLAS.features["id"] == fid].geometry.iloc[0].representative_point()
        x, y = snap.pixel(point.x, point.y)
        assert not frame.contains(x, spec.height_px - y), fid
    snap.close()


def test_corridor_labels_key_places_without_overlap_and_needs_no_inset():
    snap = snapshot.render(ATLAS.features, snapshot.SnapshotSpec(bbox=CORRIDOR))
    texts = {t for t, *_ in snap.labels}
    assert {"Karachi", "Lahore", "Islamabad", "Quetta"} <= texts
    assert any("(disputed)" in t for t in texts)
    assert snap.inset is None
    _assert_no_overlap(snap)
    snap.close()


def test_feature_labels_are_optional_and_do_not_overlap():
    sindh = apply_filters(ATLAS.features, Filters(sectors=("energy",)))
    snap = snapshot.render(sindh, snapshot.SnapshotSpec(bbox=SOUTH_SINDH, labels="features"))
    kinds = {k for _, k, *_ in snap.labels}
    assert "feature" in kinds and "place" in kinds
    _assert_no_overlap(snap)
    snap.close()
    snap = snapshot.render(sindh, snapshot.SnapshotSpec(bbox=SOUTH_SINDH, labels="none"))
    assert {k for _, k, *_ in snap.labels} <= {"disputed", "region", "country"}
    snap.close()


def test_sheet_texts_name_projection_sources_and_disclaimer(energy):
    text = snapshot.render_bytes(energy, snapshot.SnapshotSpec(bbox=SOUTH_SINDH), "svg").decode()
    for needle in ("Web Mercator", "OpenStreetMap", "GeoNames", "Natural Earth", "not authoritative", "made "):
        assert needle in text, needle


@pytest.mark.parametrize(("layout", "size"), [("a4-portrait", (2480, 3508)), ("screen", (1200, 800))])
def test_layouts(energy, layout, size):
    spec = snapshot.SnapshotSpec.layout(layout, bbox=SOUTH_SINDH, title="Energy")
    image = Image.open(io.BytesIO(snapshot.render_bytes(energy, spec, "png")))
    assert image.size == size


class _TileServer:
    """A local XYZ server on 127.0.0.1: every tile is one flat, recognisable colour."""

    COLOUR = (255, 0, 255)

    def __init__(self):
        import http.server
        import threading

        png = io.BytesIO()
        Image.new("RGB", (256, 256), self.COLOUR).save(png, "PNG")
        body, hits = png.getvalue(), []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.hits = hits
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/{{z}}/{{x}}/{{y}}.png"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_tiles_snapshot_composes_local_tiles_prints_attribution_and_caches(energy, tmp_path, monkeypatch):
    monkeypatch.setenv("CPEC_ATLAS_TILE_CACHE", str(tmp_path))
    server = _TileServer()
    try:
        spec = snapshot.SnapshotSpec(bbox=GWADAR, basemap="tiles", tiles=server.url, labels="none")
        image, snap = _image(energy, spec)
        assert snap.basemap_used == "tiles" and snap.notes == []
        assert _close(_colour_at(image, *snap.pixel(62.25, 25.04)), "#FF00FF", tolerance=12)
        svg = snapshot.render_bytes(energy, spec, "svg").decode()
        assert "Tiles: 127.0.0.1" in svg
        first = len(server.hits)
        assert first > 0
        snapshot.render_bytes(energy, spec, "png")
        assert len(server.hits) == first  # served from the disk cache
    finally:
        server.close()
        snap.close()


def test_unreachable_tiles_fall_back_to_the_outline_with_a_note(energy, tmp_path, monkeypatch):
    import socket

    monkeypatch.setenv("CPEC_ATLAS_TILE_CACHE", str(tmp_path))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once the socket is closed
    spec = snapshot.SnapshotSpec(bbox=GWADAR, basemap="tiles", tiles=f"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png")
    image, snap = _image(energy, spec)
    assert snap.basemap_used == "outline"
    assert snap.notes and "outline basemap instead" in snap.notes[0]
    assert _close(_colour_at(image, *snap.pixel(62.25, 25.04)), snapshot.SEA)
    svg = snapshot.render_bytes(energy, spec, "svg").decode()
    assert "outline basemap instead" in svg
    snap.close()


def test_near_overlay_rings_the_features_found():
    near = snapshot.near_overlay(ATLAS.features, "khunjerab-pass-border-crossing", 100)
    radius, points, caption = near
    assert radius.contains(shapely_point(75.42778, 36.85)) and points and "within 100 km" in caption
    snap = snapshot.render(ATLAS.features, snapshot.SnapshotSpec(bbox=(73.5, 35.5, 77.0, 37.8), near=near))
    snap.close()


def shapely_point(lon, lat):
    from shapely.geometry import Point

    return Point(lon, lat)


# --- Urdu and Chinese sheets -------------------------------------------------------------


def _ink(text: str, lang: str | None = None, style: dict | None = None) -> np.ndarray:
    """Where a line of text, drawn as the sheets draw it in ``lang``, puts ink (True = dark)."""
    import matplotlib.pyplot as plt

    with plt.rc_context(style or snapshot.text_style(lang)), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "Glyph … missing from font": the tofu case
        fig = plt.figure(figsize=(4, 1), dpi=100)
        fig.text(0.5, 0.5, text, fontsize=28, ha="center", va="center")
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        plt.close(fig)
    return np.asarray(Image.open(buffer).convert("L")) < 128


def _width(mask: np.ndarray) -> int:
    columns = np.where(mask.any(axis=0))[0]
    return int(columns.max() - columns.min())


@pytest.mark.parametrize("lang", ["ur", "zh"])
def test_the_sheet_font_has_every_character_of_the_sheet(lang):
    """The font the sheets use for the language resolves each character of their words (no tofu)."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    from components import i18n

    family = snapshot.fonts(lang)[0]
    assert family == snapshot.FONTS[lang][0], f"{family}: the {lang} font is not installed (see the Makefile)"
    path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    font = FT2Font(path)
    words = [i18n.t(k, lang) for k in i18n.catalogue("en") if k.startswith(("snapshot.", "sector.", "common."))]
    words.append(i18n.t("overview.title", lang))
    missing = {c for w in words for c in w if not c.isspace() and font.get_char_index(ord(c)) == 0}
    assert not missing, sorted(missing)


def test_chinese_is_drawn_with_real_glyphs_not_boxes():
    chars = "瓜达尔港"
    tofu = [_ink(c, style={"font.family": ["DejaVu Sans"]}) for c in chars]  # a font without CJK
    drawn = [_ink(c, "zh") for c in chars]
    # the check can fail: without a CJK font every character is the same missing-glyph box
    assert all((tofu[0] == t).all() for t in tofu)
    assert all(d.any() for d in drawn)
    assert all(not (drawn[i] == drawn[j]).all() for i in range(4) for j in range(i + 1, 4))
    assert not (drawn[0] == tofu[0]).all()


def test_urdu_letters_join_and_read_from_the_right():
    word = "بندرگاہ"
    joined = _ink(word, "ur")
    apart = _ink("\u200c".join(word), "ur")  # zero-width non-joiners: the isolated letters
    from scipy import ndimage

    # joined forms: the word is much narrower and has fewer separate strokes than its letters apart
    assert _width(joined) < 0.7 * _width(apart)
    assert ndimage.label(joined)[1] < ndimage.label(apart)[1]
    # bidi order: in "ا ب" the alef (a tall thin stroke) comes first, so it is drawn on the right
    labels, _ = ndimage.label(_ink("ا ب", "ur"))
    shapes = sorted(ndimage.find_objects(labels), key=lambda s: s[1].start)
    tall = [s for s in shapes if (s[0].stop - s[0].start) > 2 * (s[1].stop - s[1].start)]
    assert tall and tall[-1] is shapes[-1]


def test_an_urdu_sheet_uses_its_font_its_words_and_reads_from_the_right():
    from components import i18n

    rows = apply_filters(ATLAS.features, Filters(sectors=("energy",)))
    spec = snapshot.SnapshotSpec(bbox=SOUTH_SINDH, title=i18n.t("overview.title", "ur"), lang="ur")
    snap = snapshot.render(rows, spec)
    try:
        title = snap.figure.texts[0]
        assert title.get_text() == "سی پیک اٹلس"
        assert title.get_fontname() == "Amiri"
        assert title.get_horizontalalignment() == "right"
        assert snap.legend_labels == [i18n.sector("energy", "ur")]
        footer = [t.get_text() for t in snap.figure.texts]
        assert i18n.t("common.disclaimer", "ur") in footer
        assert not any("Projection" in t for t in footer)
    finally:
        snap.close()


def test_a_chinese_sheet_names_its_scale_in_chinese():
    from components import i18n

    spec = snapshot.SnapshotSpec(bbox=SOUTH_SINDH, lang="zh")
    snap = snapshot.render(ATLAS.features.iloc[:0], spec)
    try:
        texts = [t.get_text() for t in snap.ax.texts]
        assert any(t.endswith(" 公里") for t in texts), texts
        assert snap.figure.texts[-1].get_fontname() == "WenQuanYi Micro Hei"
        assert i18n.t("common.disclaimer", "zh") == snap.figure.texts[-1].get_text()
    finally:
        snap.close()


def test_an_unknown_sheet_language_is_refused():
    with pytest.raises(ValueError, match="lang must be one of"):
        snapshot.SnapshotSpec(bbox=SOUTH_SINDH, lang="xx")


@pytest.mark.parametrize("fid", ["karot-hydropower-project", "gwadar-port"])
def test_highlight_halos_the_linked_feature_and_only_it(fid):
    geometry = ATLAS.features.set_index("id").loc[fid, "geometry"]
    minx, miny, maxx, maxy = geometry.bounds
    bbox = (minx - 0.3, miny - 0.3, maxx + 0.3, maxy + 0.3)
    plain, _ = _image(ATLAS.features, snapshot.SnapshotSpec(bbox=bbox))
    lit, snap = _image(ATLAS.features, snapshot.SnapshotSpec(bbox=bbox, highlight=geometry))
    centre = geometry.representative_point()
    x, y = snap.pixel(centre.x, centre.y)
    snap.close()
    assert _count(lit, snapshot.HIGHLIGHT) > _count(plain, snapshot.HIGHLIGHT) + 200
    changed = np.argwhere(np.abs(lit - plain).sum(axis=2) > 60)
    # every changed pixel lies around the feature (a ring of about 12 px, the footprint's outline)
    assert len(changed) and np.abs(changed[:, 1] - x).max() < 60 and np.abs(changed[:, 0] - y).max() < 60
