"""The Export panel beside a map: images, interactive HTML and data of the current view."""

from __future__ import annotations

import re
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import streamlit as st

from components import export, imported, layers, map_builder, snapshot, text
from components.filters import Filters
from components.ui.language import current, tr


@dataclass(frozen=True)
class Choice:
    id: str  # its label is export.choice_<id> in data/i18n
    kind: str  # image | html | data
    fmt: str
    size: dict | None = None

    @property
    def label(self) -> str:
        return tr(f"export.choice_{self.id}")


CHOICES = (
    Choice("png_screen", "image", "png", {"width_px": 1200, "height_px": 800, "dpi": 100}),
    Choice("png_print", "image", "png", snapshot.PRINT),
    Choice("svg", "image", "svg", {"width_px": 1200, "height_px": 800, "dpi": 100}),
    Choice("pdf", "image", "pdf", {"width_px": 1169, "height_px": 827, "dpi": 100}),
    Choice("html", "html", "html"),
    Choice("geojson", "data", "geojson"),
    Choice("csv", "data", "csv"),
    Choice("gpkg", "data", "gpkg"),
    Choice("kml", "data", "kml"),
)
MIME = {**snapshot.MIME, "html": "text/html"} | {k: v[0] for k, v in export.DATA_FORMATS.items()}


def follow_key(key: str) -> str:
    return f"{key}-export-follow"


def follows_map(key: str) -> bool:
    """Whether the map should report its view (only while the panel asks for it)."""
    return bool(st.session_state.get(follow_key(key), False))


def _bbox_from(state: dict | None) -> tuple[float, float, float, float] | None:
    bounds = (state or {}).get("bounds") or {}
    try:
        sw, ne = bounds["_southWest"], bounds["_northEast"]
        box = (float(sw["lng"]), float(sw["lat"]), float(ne["lng"]), float(ne["lat"]))
    except (KeyError, TypeError, ValueError):
        return None
    minx, miny, maxx, maxy = box
    if not (-180 <= minx < maxx <= 180 and -85 <= miny < maxy <= 85):
        return None
    return box


def _file_name(title: str, fmt: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "cpec-atlas"
    return f"{slug}.{fmt}"


def _make(choice: Choice, features, atlas, filters: Filters, bbox, title: str, extra=()) -> bytes:
    if choice.kind == "data":
        rows = [features, *(imported.as_atlas_rows(layer, frame) for _, _, layer, frame in extra)]
        merged = gpd.GeoDataFrame(pd.concat(rows, ignore_index=True), geometry="geometry", crs="EPSG:4326")
        return export.data_bytes(merged, choice.fmt)
    if choice.kind == "html":
        weights = {s.id: s.weight for s in atlas.layers}
        groups = [map_builder.build_import_group(frame, layer.name, i) for i, (_, _, layer, frame) in enumerate(extra)]
        return export.html_bytes(
            features, view=map_builder.View.fit(bbox), title=title, weights=weights, extra_groups=groups, lang=current()
        )
    lang = current()
    subtitle = snapshot.subtitle(filters.describe(lang), len(features), layers.data_date(), lang)
    spec = snapshot.SnapshotSpec(bbox=bbox, title=title, subtitle=subtitle, lang=lang, **choice.size)
    layers_drawn = [(label, colour, frame) for label, colour, _, frame in extra]
    return snapshot.render_bytes(features, spec, choice.fmt, layers_drawn)


def export_panel(
    features: gpd.GeoDataFrame,
    atlas: layers.Atlas,
    filters: Filters,
    map_state: dict | None,
    default_bbox: tuple[float, float, float, float],
    key: str,
    title: str,
    extra: list = (),
) -> None:
    # An expander, not a popover: its controls follow it in the page's Tab order (a popover's
    # body is drawn at the end of the page, past every stop of the map).
    with st.expander(tr("export.title"), icon=":material/download:"):
        st.toggle(tr("export.follow"), key=follow_key(key), help=tr("export.follow_help"))
        bbox = _bbox_from(map_state) if follows_map(key) else None
        if follows_map(key) and bbox is None:
            st.caption(tr("export.pan_first"))
        # without the map's view, an export fits the filtered features (as the CLI's --fit)
        bbox = bbox or (snapshot.fit_bbox(features) if not features.empty else default_bbox)
        name = st.text_input(tr("export.name"), value=title, key=f"{key}-export-title", max_chars=120)
        labels = {c.id: c.label for c in CHOICES}  # in this run's language (see language._keep_selections)
        choice = st.selectbox(
            tr("export.format"), CHOICES, format_func=lambda c: labels[c.id], key=f"{key}-export-format"
        )
        signature = (choice, name, filters, tuple(round(v, 4) for v in bbox), len(features), len(extra))
        ready = st.session_state.get(f"{key}-export-file")
        if st.button(tr("export.prepare"), key=f"{key}-export-make", type="primary", use_container_width=True):
            with st.status(tr("export.preparing", what=choice.label), expanded=False) as status:
                try:
                    data = _make(choice, features, atlas, filters, bbox, name or tr("overview.title"), extra)
                except (export.ExportError, ValueError, OSError) as exc:
                    status.update(label=tr("export.failed"), state="error")
                    st.error(tr("export.failed_because", problem=text.md(exc)))
                    ready = None
                else:
                    status.update(label=tr("export.ready", kb=f"{len(data) / 1024:,.0f}"), state="complete")
                    ready = (signature, _file_name(name or "cpec-atlas", choice.fmt), data, MIME[choice.fmt])
                st.session_state[f"{key}-export-file"] = ready
        if ready and ready[0] == signature:
            _, file_name, data, mime = ready
            st.download_button(
                tr("export.download", file=file_name),
                data,
                file_name=file_name,
                mime=mime,
                key=f"{key}-export-download",
                use_container_width=True,
            )
        corners = dict(zip(("west", "south", "east", "north"), (f"{v:.2f}" for v in bbox), strict=True))
        st.caption(tr("export.view", n=len(features), **corners))
