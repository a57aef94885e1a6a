"""The overview's year control: the corridor as of a year, and a play button for the build-out."""

from __future__ import annotations

import time

import streamlit as st

from components import timeline
from components.ui.language import tr

ASOF = "asof"  # canonical state (a plain key, so it survives pages without the widgets)
PLAYING = "asof_playing"
STEP_SECONDS = 0.8


def init(value: int | None) -> None:
    st.session_state[ASOF] = value


def current() -> int | None:
    return st.session_state.get(ASOF)


def _toggle() -> None:
    st.session_state[ASOF] = st.session_state["asof_year"] if st.session_state["asof_on"] else None
    st.session_state[PLAYING] = False


def _slide() -> None:
    st.session_state[ASOF] = st.session_state["asof_year"]
    st.session_state[PLAYING] = False


def _play() -> None:
    playing = not st.session_state.get(PLAYING, False)
    st.session_state[PLAYING] = playing
    if playing:
        start = current()
        st.session_state[ASOF] = timeline.YEAR_MIN if start in (None, timeline.YEAR_MAX) else start


def control() -> None:
    """Toggle, year slider and play/stop; the year lands in the shared filters (and the URL)."""
    year = current()
    # follow the play loop or the URL: widget state may be set only before the widgets exist
    if year is not None and st.session_state.get("asof_year") != year:
        st.session_state["asof_year"] = year
    st.session_state.setdefault("asof_year", 2020)
    if st.session_state.get("asof_on") != (year is not None):
        st.session_state["asof_on"] = year is not None
    left, middle, right = st.columns([2, 6, 1.3], vertical_alignment="center")
    left.toggle(tr("year.toggle"), key="asof_on", on_change=_toggle)
    middle.slider(
        tr("year.year"),
        timeline.YEAR_MIN,
        timeline.YEAR_MAX,
        key="asof_year",
        on_change=_slide,
        disabled=year is None,
        label_visibility="collapsed",
        help=tr("year.help"),
    )
    playing = st.session_state.get(PLAYING, False)
    right.button(
        tr("year.stop") if playing else tr("year.play"),
        icon=":material/stop:" if playing else ":material/play_arrow:",
        on_click=_play,
        key="asof_play",
        use_container_width=True,
    )


def advance() -> None:
    """Called at the end of the page: while playing, show the next year after a pause."""
    if not st.session_state.get(PLAYING):
        return
    year = current() or timeline.YEAR_MIN
    if year >= timeline.YEAR_MAX:
        st.session_state[PLAYING] = False
        return
    time.sleep(STEP_SECONDS)
    st.session_state[ASOF] = year + 1
    st.rerun()
