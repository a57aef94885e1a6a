"""Shared state: the cached atlas and the filter sidebar, mirrored in the URL query string."""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import streamlit as st

from components import filters as flt
from components import i18n, layers, links, proximity, text, vocab
from components.ui import language, year_control
from components.ui.language import tr

_KEYS = {"sectors": "f_sectors", "statuses": "f_statuses", "provinces": "f_provinces", "years": "f_years", "q": "f_q"}


def _data_stamp(data_dir: Path) -> float:
    """Latest modification time of the data, so editing a layer refreshes the cache."""
    files = [data_dir / layers.REGISTRY_FILE, *data_dir.glob("layers/*.geojson")]
    return max((f.stat().st_mtime for f in files if f.exists()), default=0.0)


@st.cache_data(show_spinner="Loading the atlas layers…")  # before the language is known
def _load(data_dir: str, stamp: float) -> layers.Atlas:
    return layers.load_atlas(Path(data_dir))


def atlas() -> layers.Atlas:
    """All layers (cached). ``CPEC_ATLAS_DATA`` points at another data folder (tests use it)."""
    data_dir = Path(os.environ.get("CPEC_ATLAS_DATA") or layers.DATA_DIR)
    try:
        return _load(str(data_dir), _data_stamp(Path(data_dir)))
    except layers.LayerError as exc:
        st.error(tr("errors.data_unreadable", problem=text.md(exc)))
        st.stop()


def show_problems(result: layers.Atlas) -> None:
    for problem in result.problems:
        st.error(
            tr("errors.layer_not_loaded", file=text.md(problem.file), problem=text.md(problem.problem)),
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
    if language.current() == i18n.DEFAULT and language.PARAM in st.query_params:
        del st.query_params[language.PARAM]  # a bad value (or lang=en, the default) leaves the address


def _init_from_url(result: layers.Atlas) -> None:
    if st.session_state.get("_filters_from_url"):
        return
    params = {k: st.query_params.get_all(k) for k in list(st.query_params)[:200]}
    language.ensure()
    lang, lang_note = language.current(), language.take_note()
    parsed = flt.parse_query(params, lang=lang)
    bounded = flt.bound(params, {"near", "km"}, flt.Notes(lang))
    ids = set(result.features["id"])
    near, near_notes = proximity.parse_near(bounded.get("near"), bounded.get("km"), ids, lang)
    st.session_state["near_id"] = near.center if near else None
    st.session_state["near_km"] = near.km if near else proximity.DEFAULT_KM
    f = parsed.filters
    shown = set(flt.apply_filters(result.features, f)["id"])
    link, link_notes = links.read(params, result.features, result.unlocated, shown, f.describe(lang), lang)
    _clean_url(near, link)
    st.session_state[_KEYS["sectors"]] = list(f.sectors)
    st.session_state[_KEYS["statuses"]] = list(f.statuses)
    st.session_state[_KEYS["provinces"]] = list(f.provinces)
    st.session_state[_KEYS["years"]] = f.years or (vocab.YEAR_MIN, vocab.YEAR_MAX)
    st.session_state[_KEYS["q"]] = f.q
    year_control.init(f.asof)
    notes = [*([lang_note] if lang_note else []), *parsed.notes, *near_notes, *link_notes]
    st.session_state["url_notes"] = notes[: flt.MAX_NOTES]
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
    ("sidebar.sector", "sectors", vocab.SECTOR_IDS, i18n.sector, "sidebar.all_sectors"),
    ("sidebar.status", "statuses", vocab.STATUS_IDS, i18n.status, "sidebar.any_status"),
    ("sidebar.province", "provinces", vocab.PROVINCE_IDS, i18n.province, "sidebar.everywhere"),
)


def filter_sidebar(result: layers.Atlas) -> flt.Filters:
    """The language switch and the filter widgets, shared by every page; returns the active filters."""
    _init_from_url(result)
    with st.sidebar:
        language.switch()
        lang = language.current()
        st.header(tr("sidebar.filters"))
        for label, key, ids, name, placeholder in _MULTISELECTS:
            st.multiselect(
                tr(label),
                list(ids),
                key=_KEYS[key],
                format_func=lambda i, n=name: n(i, lang),
                placeholder=tr(placeholder),
            )
        st.slider(
            tr("sidebar.years"),
            min_value=vocab.YEAR_MIN,
            max_value=vocab.YEAR_MAX,
            key=_KEYS["years"],
            help=tr("sidebar.years_help"),
        )
        st.text_input(tr("sidebar.search"), key=_KEYS["q"], placeholder=tr("sidebar.search_placeholder"))
        st.button(tr("sidebar.reset"), on_click=_reset, width="stretch", key="f_reset")
        for note in st.session_state.get("url_notes", []):
            st.warning(text.md(note), icon=":material/link_off:")
        f = current_filters()
        _sync_url(f)
        st.caption(tr("sidebar.showing", view=text.md(f.describe(lang))))
    return f


def filtered(result: layers.Atlas, f: flt.Filters) -> gpd.GeoDataFrame:
    return flt.apply_filters(result.features, f)


def page_data() -> tuple[layers.Atlas, flt.Filters, gpd.GeoDataFrame]:
    """What every page starts from: the atlas, the active filters and the matching features."""
    result = atlas()
    f = current_filters()
    return result, f, filtered(result, f)
