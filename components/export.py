"""Exports of the current view: data files (GeoJSON, CSV, GeoPackage, KML) and a
self-contained interactive HTML map.

Every data export carries the features' sources and a licence/attribution note; every
export reads back to the same ids, properties and geometries (see the round-trip tests).
"""

from __future__ import annotations

import base64
import mimetypes
import re
import tempfile
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import pyogrio

from components import assets, importer, map_builder, tabular
from components.layers import ALL_FIELDS, OPTIONAL_LISTS

DATA_FORMATS = {
    "geojson": ("application/geo+json", "geojson"),
    "csv": ("text/csv", "csv"),
    "gpkg": ("application/geopackage+sqlite3", "gpkg"),
    "kml": ("application/vnd.google-earth.kml+xml", "kml"),
}
ATTRIBUTION = tabular.ATTRIBUTION


class ExportError(RuntimeError):
    """An export that cannot be made; the message says why."""


def flat(features: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Schema fields with lists as text (sources space-separated, provinces comma-separated)."""
    columns = [c for c in ALL_FIELDS if c in features]
    frame = gpd.GeoDataFrame(features[[*columns, "geometry"]].copy(), geometry="geometry", crs="EPSG:4326")
    frame["sources"] = frame["sources"].map(" ".join)
    frame["province"] = frame["province"].map(", ".join)
    for column in OPTIONAL_LISTS:
        if column in frame:
            frame[column] = frame[column].map(lambda t: " ".join(map(str, t)) if t else None)
    frame["attribution"] = ATTRIBUTION
    return frame.reset_index(drop=True)


def csv_bytes(features: gpd.GeoDataFrame) -> bytes:
    """CSV: every field, the geometry as WKT, and lon/lat of a representative point."""
    frame = pd.DataFrame(flat(features).drop(columns="geometry"))
    text = frame.select_dtypes(include="object").columns
    frame[text] = frame[text].map(_spreadsheet_safe)
    point = features.geometry.representative_point()
    frame["lon"] = point.x.round(6).to_numpy()
    frame["lat"] = point.y.round(6).to_numpy()
    frame["wkt"] = features.geometry.to_wkt(rounding_precision=7).to_numpy()
    return frame.to_csv(index=False).encode("utf-8")


def _spreadsheet_safe(value):
    """Text a spreadsheet would run as a formula gets a leading "'" (the importer removes it)."""
    return f"'{value}" if isinstance(value, str) and value.startswith(importer.FORMULA_START) else value


def _via_file(features: gpd.GeoDataFrame, driver: str, suffix: str, **options) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"cpec-atlas.{suffix}"
        pyogrio.write_dataframe(flat(features), path, driver=driver, **options)
        return path.read_bytes()


def data_bytes(features: gpd.GeoDataFrame, fmt: str) -> bytes:
    """The features in ``fmt`` (geojson, csv, gpkg, kml)."""
    if features.empty:
        raise ExportError("no features match the current filters: nothing to export")
    if fmt == "geojson":
        return tabular.to_geojson_bytes(features)
    if fmt == "csv":
        return csv_bytes(features)
    if fmt == "gpkg":
        return _via_file(
            features,
            "GPKG",
            "gpkg",
            layer="cpec_atlas",
            layer_metadata={"DESCRIPTION": ATTRIBUTION},
        )
    if fmt == "kml":
        return _via_file(
            features,
            "KML",
            "kml",
            layer="cpec_atlas",
            dataset_options={"NameField": "name", "DescriptionField": "description"},
        )
    raise ExportError(f"unknown data format {fmt!r}; use one of {', '.join(DATA_FORMATS)}")


# --- self-contained HTML -------------------------------------------------------------

_CSS_URL = re.compile(r"url\((['\"]?)(?!data:|https?:|#)([^'\")]+)\1\)")


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"


def _inline_css(path: Path) -> str:
    """A stylesheet with its relative images embedded, so it works without its folder."""

    def embed(match: re.Match) -> str:
        target = (path.parent / match.group(2)).resolve()
        return f"url({_data_uri(target)})" if target.is_file() else match.group(0)

    return _CSS_URL.sub(embed, path.read_text(encoding="utf-8"))


def _local_file(url: str, vendor_dir: Path) -> Path | None:
    """The file behind a script/stylesheet URL the map lists (CDN or the app's own static URL)."""
    path = assets.local_path(url, vendor_dir)
    if path is not None:
        return path
    marker = "/app/static/vendor/"
    if marker in url:
        candidate = vendor_dir / url.split(marker, 1)[1]
        return candidate if candidate.is_file() else None
    marker = "/app/static/atlas/"
    if marker in url:
        candidate = assets.OWN_DIR / url.split(marker, 1)[1]
        return candidate if candidate.is_file() else None
    return None


def html_bytes(
    features: gpd.GeoDataFrame,
    view: map_builder.View = map_builder.DEFAULT_VIEW,
    title: str = "CPEC Atlas",
    weights: dict[str, int] | None = None,
    vendor_dir: Path = assets.VENDOR_DIR,
    extra_groups=(),
    lang: str = "en",
) -> bytes:
    """One .html file with the map, its layers and popups (their words in ``lang``), and every
    script and stylesheet inlined.

    Needs the map libraries installed locally (``make assets``); basemap tiles still come
    from their providers when online, and the vector layers draw without them.
    """
    m = map_builder.build_map(features, view=view, weights=weights, vendor_dir=vendor_dir, lang=lang)
    for group in extra_groups:  # imported layers, after the atlas' own
        group.add_to(m)
    # the layer control names every overlay, so its script must come after theirs
    for name, child in list(m._children.items()):
        if isinstance(child, folium.LayerControl):
            del m._children[name]
            m.add_child(child, name=name)
    html = m.get_root().render()
    missing = []
    for url in assets.asset_urls(m):
        path = _local_file(url, vendor_dir)
        if path is None:
            missing.append(url)
            continue
        if url.endswith(".css"):
            pattern = re.compile(r'<link rel="stylesheet" href="' + re.escape(url) + r'"\s*/>')
            html = pattern.sub(lambda _m, p=path: f"<style>{_inline_css(p)}</style>", html)
        else:
            text = path.read_text(encoding="utf-8").replace("</script", "<\\/script")
            pattern = re.compile(r'<script src="' + re.escape(url) + r'"></script>')
            html = pattern.sub(lambda _m, t=text: f"<script>{t}</script>", html)
    if missing:
        raise ExportError(
            "the map libraries are not installed locally, so the HTML cannot be self-contained "
            f"(missing {len(missing)} files; run `make assets`)"
        )
    safe_title = re.sub(r"[<>&]", "", title)[:200]
    html = html.replace("<head>", f"<head>\n<title>{safe_title}</title>", 1)
    # the features at full precision, readable by the atlas' importer ("<" escaped: nothing can end the element)
    data = tabular.to_geojson_bytes(features).decode("utf-8").replace("<", "\\u003c")
    island = f'<script type="application/geo+json" id="{importer.HTML_DATA_ID}">{data}</script>'
    html = html.replace("</body>", island + "\n</body>", 1)
    return html.encode("utf-8")
