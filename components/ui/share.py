"""Links to a view and to a project: where a map opens, the Projects row a link selects, and
the "copy link" of the detail view.

The URL's ``view=`` and ``feature=`` were checked (and bad values noted and removed) with the
filters in :mod:`components.ui.state`; here they are read quietly. Pan and zoom never rerun the
app: the map's script writes ``view=`` (and ``feature=`` when a popup opens) itself.
"""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from components import filters as flt
from components import links, map_builder
from components.layers import Atlas
from components.ui import navigation
from components.ui.language import tr

_START = "_map_start_views"  # map key → the view it opened with (stable, so the map keeps its key)
_SEEN = "_projects_feature_seen"  # the feature= the Projects table last followed
_PICKED = "_projects_feature_picked"  # the row the reader last selected
_ROWS = "_projects_row_ids"  # the table's ids, in order, when it was last drawn


def current_link(atlas: Atlas) -> links.Link:
    params = {k: st.query_params.get_all(k) for k in links.PARAMS if k in st.query_params}
    return links.parse(flt.bound(params, set(links.PARAMS), flt.Notes()), set(atlas.features["id"]), flt.Notes())


def start_view(key: str, atlas: Atlas, shown: gpd.GeoDataFrame, default: map_builder.View) -> map_builder.View:
    """Where the map ``key`` opens: the link's view, else the linked feature (when it is shown),
    else ``default``. Decided once per map and session, so later reruns keep the map as it is."""
    starts = st.session_state.setdefault(_START, {})
    if key not in starts:
        link = current_link(atlas)
        if link.view is not None:
            starts[key] = link.view
        elif link.feature and link.feature in set(shown["id"]):
            starts[key] = links.feature_view(shown, link.feature)
        else:
            starts[key] = default
    return starts[key]


def preselect_row(features: gpd.GeoDataFrame, key: str) -> None:
    """Select the Projects row of the URL's ``feature=`` when the address brings a new one, and
    keep the reader's selection on the same feature when a filter change moves or hides its row
    (a table selection is a row position)."""
    ids = list(features["id"])
    before = st.session_state.get(_ROWS)
    st.session_state[_ROWS] = ids
    if before is not None and before != ids and key in st.session_state:
        picked = st.session_state.get(_PICKED)
        _select(key, [ids.index(picked)] if picked in ids else [])
    wanted = st.query_params.get(links.FEATURE)
    if not wanted or wanted == st.session_state.get(_SEEN):
        return
    if wanted in ids:  # a feature hidden by the filters is noted in the sidebar and selected once shown
        _select(key, [ids.index(wanted)])
        st.session_state[_SEEN] = st.session_state[_PICKED] = wanted


def _select(key: str, rows: list[int]) -> None:
    st.session_state[key] = {"selection": {"rows": rows, "columns": [], "cells": []}}


def follow_row(fid: str | None) -> None:
    """Write the selected row's id to ``feature=`` (and remove it when the reader deselects)."""
    if fid == st.session_state.get(_PICKED):
        return
    st.session_state[_SEEN] = st.session_state[_PICKED] = fid
    if fid:
        st.query_params[links.FEATURE] = fid
    elif links.FEATURE in st.query_params:
        del st.query_params[links.FEATURE]


def _app_root() -> str:
    """The app's address without a page path (``st.context.url`` keeps the page a session was
    opened on, e.g. ``…/projects``)."""
    url = (st.context.url or "").rstrip("/")
    for page in navigation.pages().values():
        if page.url_path and url.endswith(f"/{page.url_path}"):
            return url[: -len(page.url_path) - 1]
    return url


def project_url(fid: str, filters: flt.Filters, page: str = "projects") -> str:
    """The address of ``page`` showing feature ``fid``, with the current filters."""
    path = "" if page == "overview" else page
    return links.share_url(f"{_app_root()}/{path}", {**flt.to_query(filters), links.FEATURE: fid})


def copy_link(fid: str, filters: flt.Filters) -> None:
    """The detail view's link: shown as code (Streamlit gives it a copy button) and a map link."""
    st.caption(tr("links.detail_link"))
    st.code(project_url(fid, filters), language=None, wrap_lines=True)
    st.page_link(
        navigation.pages()["overview"],
        label=tr("links.on_map"),
        icon=":material/map:",
        query_params={**flt.to_query(filters), links.FEATURE: fid},
    )
