"""Render an atlas map in Streamlit, keeping the user's view when the filters change."""

from __future__ import annotations

import os

import folium
import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from components import filters as flt
from components import imported, links, map_builder
from components.filters import Filters
from components.layers import Atlas
from components.ui import export_panel, imports, navigation, share
from components.ui.language import current, tr


def _base_url() -> str:
    path = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{path}/" if path else "/"


def show_map(
    features: gpd.GeoDataFrame,
    atlas: Atlas,
    filters: Filters,
    view: map_builder.View = map_builder.DEFAULT_VIEW,
    bbox: tuple[float, float, float, float] = map_builder.DEFAULT_BOUNDS,
    key: str = "map",
    height: int = 580,
    title: str | None = None,
    highlight: dict[str, dict[str, str]] | None = None,
    extra_groups: list | None = None,
):
    """The base map stays the same for a page (so its component key is stable and pan/zoom
    survive filter changes); the filtered features are sent as feature groups that
    streamlit-folium swaps in place. Pan and zoom do not rerun the app: the map reports
    its view only while the Export panel asks to use it. The map writes its view and the feature
    whose popup is open to the address itself (``view=``, ``feature=``); a link with them opens
    the map there (see :mod:`components.ui.share`)."""
    lang = current()
    title = title or tr("overview.title")
    panel = st.container()
    if features.empty:
        st.info(tr("common.no_match"))
    weights = {spec.id: spec.weight for spec in atlas.layers}
    start = share.start_view(key, atlas, features, view)
    base = map_builder.build_base_map(
        start,
        base_url=_base_url(),
        carto_key=os.environ.get("CARTO_API_KEY"),
        link_text=links.popup_text(lang),
        lang=lang,
    )
    groups = map_builder.build_sector_groups(features, weights, lang) + list(extra_groups or [])
    extra = []
    for index, layer in enumerate(imports.layers()):
        group = (
            imported.map_group(layer, filters, index, (highlight or {}).get(layer.name), lang)
            if layer.drawable
            else None
        )
        if group is not None:
            groups.append(group)
            rows = imported.filtered(layer, filters)  # the layer's own frame when no sector is chosen
            label = tr("map.imported", name=layer.name)  # a snapshot legend label (plain text)
            extra.append((label, map_builder.IMPORT_COLOURS[index % 4], layer, rows))
    state = st_folium(
        base,
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=["bounds"] if export_panel.follows_map(key) else [],
        feature_group_to_add=groups or None,
        layer_control=folium.LayerControl(collapsed=True),
    )
    with panel:
        _, right = st.columns([3, 1])
        with right:
            export_panel.export_panel(features, atlas, filters, state, bbox, key, title, extra)
    return state


def table_link(filters: Filters) -> None:
    """The map's text alternative: a link to the Projects table with the same filters."""
    st.page_link(
        navigation.pages()["projects"],
        label=tr("overview.table_link"),
        icon=":material/table_view:",
        query_params=flt.to_query(filters),
    )
