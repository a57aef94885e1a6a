"""Shared state: the cached atlas and the filter sidebar, mirrored in the URL query string."""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import streamlit as st

from components import filters as flt
from components import layers, links, proximity, text, vocab
from components.ui import year_control

_KEYS = {"sectors": "f_sectors", "statuses": "f_statuses", "provinces": "f_provinces", "years": "f_years", "q": "f_q"}


def _data_stamp(data_dir: Path) -> float:
    """Latest modification time of the data, so editing a layer refreshes the cache."""
    files = [data_dir / layers.REGISTRY_FILE, *data_dir.glob("layers/*.geojson")]
    return max((f.stat().st_mtime for f in files if f.exists()), default=0.0)


@st.cache_data(show_spinner="Loading the atlas layers…")
def _load(data_dir: str, stamp: float) -> layers.Atlas:
    return layers.load_atlas(Path(data_dir))


def atlas() -> layers.Atlas:
    """All layers (cached). ``CPEC_ATLAS_DATA`` points at another data folder (tests use it)."""
    data_dir = Path(os.environ.get("CPEC_ATLAS_DATA") or layers.DATA_DIR)
    try:
        return _load(str(data_dir), _data_stamp(Path(data_dir)))
    except layers.LayerError as exc:
        st.error(f"The atlas data could not be read: {text.md(exc)}")
        st.stop()


def show_problems(result: layers.Atlas) -> None:
    for problem in result.problems:
        st.error(
            f"Layer file **{text.md(problem.file)}** was not loaded: {text.md(problem.problem)}. "
            "The other layers are shown.",
            icon=":material/warning:",
        )


def _clean_url(near: proximity.Query | None, link: links.Link) -> None:
    """Leave only what was understood in the address bar (the sidebar rewrites the filters)."""
    understood = links.to_query(link)
    dropped = (set() if near else {"near", "km"}) | (set(links.PARAMS) - set(understood))
    keep = {*flt.PARAMS, *flt.EXTRA_PARAMS} - dropped
    for key in list(st.query_params):
        if key not in keep:
            del st.query_params[key]
    if near is not None:
        st.query_params["near"], st.query_params["km"] = near.center, f"{near.km:g}"
    for key, value in understood.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value


def _init_from_url(result: layers.Atlas) -> None:
    if st.session_state.get("_filters_from_url"):
        return
    params = {k: st.query_params.get_all(k) for k in list(st.query_params)[:200]}
    parsed = flt.parse_query(params)
    bounded = flt.bound(params, {"near", "km"}, flt.Notes())
    near, near_notes = proximity.parse_near(bounded.get("near"), bounded.get("km"), set(result.features["id"]))
    st.session_state["near_id"] = near.center if near else None
    st.session_state["near_km"] = near.km if near else proximity.DEFAULT_KM
    f = parsed.filters
    shown = set(flt.apply_filters(result.features, f)["id"])
    link, link_notes = links.read(params, result.features, result.unlocated, shown, f.describe())
    _clean_url(near, link)
    st.session_state[_KEYS["sectors"]] = list(f.sectors)
    st.session_state[_KEYS["statuses"]] = list(f.statuses)
    st.session_state[_KEYS["provinces"]] = list(f.provinces)
    st.session_state[_KEYS["years"]] = f.years or (vocab.YEAR_MIN, vocab.YEAR_MAX)
    st.session_state[_KEYS["q"]] = f.q
    year_control.init(f.asof)
    st.session_state["url_notes"] = (parsed.notes + near_notes + link_notes)[: flt.MAX_NOTES]
    st.session_state["_filters_from_url"] = True


def _reset() -> None:
    st.session_state[_KEYS["sectors"]] = []
    st.session_state[_KEYS["statuses"]] = []
    st.session_state[_KEYS["provinces"]] = []
    st.session_state[_KEYS["years"]] = (vocab.YEAR_MIN, vocab.YEAR_MAX)
    st.session_state[_KEYS["q"]] = ""
    year_control.init(None)
    st.session_state["url_notes"] = []


def current_filters() -> flt.Filters:
    """The filter state the sidebar holds (defaults before the sidebar has run)."""
    years = tuple(st.session_state.get(_KEYS["years"], (vocab.YEAR_MIN, vocab.YEAR_MAX)))
    return flt.Filters(
        sectors=tuple(s for s in vocab.SECTOR_IDS if s in st.session_state.get(_KEYS["sectors"], [])),
        statuses=tuple(s for s in vocab.STATUS_IDS if s in st.session_state.get(_KEYS["statuses"], [])),
        provinces=tuple(p for p in vocab.PROVINCE_IDS if p in st.session_state.get(_KEYS["provinces"], [])),
        years=None if years == (vocab.YEAR_MIN, vocab.YEAR_MAX) else (int(years[0]), int(years[1])),
        q=" ".join(str(st.session_state.get(_KEYS["q"], "")).split())[: flt.MAX_QUERY_LENGTH],
        asof=year_control.current(),
    )


def _sync_url(f: flt.Filters) -> None:
    wanted = flt.to_query(f)
    for key in flt.PARAMS:
        if key in wanted:
            if st.query_params.get(key) != wanted[key]:
                st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]


_MULTISELECTS = (
    ("Sector", "sectors", {s.id: s.label for s in vocab.SECTORS}, "All sectors"),
    ("Status", "statuses", {s.id: s.label for s in vocab.STATUSES}, "Any status"),
    ("Province / territory", "provinces", {p.id: p.label for p in vocab.PROVINCES}, "Everywhere"),
)


def filter_sidebar(result: layers.Atlas) -> flt.Filters:
    """The filter widgets, shared by every page; returns the active filters."""
    _init_from_url(result)
    with st.sidebar:
        st.header("Filters")
        for label, key, labels, placeholder in _MULTISELECTS:
            st.multiselect(label, list(labels), key=_KEYS[key], format_func=labels.__getitem__, placeholder=placeholder)
        st.slider(
            "Years (construction to completion)",
            min_value=vocab.YEAR_MIN,
            max_value=vocab.YEAR_MAX,
            key=_KEYS["years"],
            help="Keeps features whose construction period overlaps these years. "
            "At the full range, features with unknown years are kept too.",
        )
        st.text_input("Search names and descriptions", key=_KEYS["q"], placeholder="e.g. coal, Thar, tunnel")
        st.button("Reset filters", on_click=_reset, width="stretch", key="f_reset")
        for note in st.session_state.get("url_notes", []):
            st.warning(text.md(note), icon=":material/link_off:")
        f = current_filters()
        _sync_url(f)
        st.caption(f"Showing **{text.md(f.describe())}**. The page address holds this view: copy it to share.")
    return f


def filtered(result: layers.Atlas, f: flt.Filters) -> gpd.GeoDataFrame:
    return flt.apply_filters(result.features, f)


def page_data() -> tuple[layers.Atlas, flt.Filters, gpd.GeoDataFrame]:
    """What every page starts from: the atlas, the active filters and the matching features."""
    result = atlas()
    f = current_filters()
    return result, f, filtered(result, f)
