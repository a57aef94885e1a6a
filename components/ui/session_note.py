"""Say so when a view's imported layers did not come with it.

Filters live in the page address, so a view survives anything that starts a new session:
a reconnect to another replica behind the load balancer, a server restart, a shared link.
Imported layers live in the session only. The address therefore also carries how many there
were (``?imports=2``); a new session that finds a count but holds no layers shows a note
instead of silently drawing less than before.

A new session also has to be told to run at all. After a reconnect, Streamlit's client asks
for a run only if something is pending (or a fragment reruns on a timer), because the server
it left normally resumes the old session. A different replica has no such session and would
stay silent, leaving the old page on screen. A fragment with a long timer makes the client ask
for a run after every reconnect, so the new replica draws the view from the address.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from components import i18n
from components.ui import language

PARAM = "imports"
RECONNECT_TIMER = "10m"  # the timer's own reruns are empty and rare; only its existence matters
MAX = 99  # a count, never more than two digits from the address
_STORE = "imported_layers"  # where components/ui/imports.py keeps this session's layers
_CHECKED, _LOST = "_imports_url_checked", "_imports_lost"


def parse_count(raw: str | None) -> int:
    """The layer count from the address; anything but a small whole number counts as none."""
    raw = (raw or "").strip()
    return min(int(raw), MAX) if raw.isdigit() and len(raw) <= 3 else 0


def message(lost: int, lang: str = i18n.DEFAULT) -> str:
    layers = i18n.t("session.one_layer" if lost == 1 else "session.layers", lang, n=lost)
    return i18n.t("session.lost", lang, layers=layers)


def _count() -> int:
    return len(st.session_state.get(_STORE, {}))


def _sync() -> None:
    count = _count()
    if count:
        if st.query_params.get(PARAM) != str(count):
            st.query_params[PARAM] = str(count)
    elif PARAM in st.query_params:
        del st.query_params[PARAM]


def _check() -> None:
    """On a session's first run: layers named in the address but absent from the session."""
    if st.session_state.get(_CHECKED):
        return
    st.session_state[_CHECKED] = True
    expected = parse_count(st.query_params.get(PARAM))
    if expected > _count():
        st.session_state[_LOST] = expected - _count()


@st.fragment(run_every=RECONNECT_TIMER)
def _rerun_after_reconnect() -> None:
    """Renders nothing; registers a timed fragment so the client reruns after a reconnect."""


@contextmanager
def survive_reconnects() -> Iterator[None]:
    """Wrap the page run in app.py: note lost layers first, record the count at the end."""
    with st.sidebar:
        _rerun_after_reconnect()
    _check()
    lost = st.session_state.get(_LOST, 0)
    if lost and not _count():
        st.warning(message(lost, language.current()), icon=":material/layers_clear:")
    elif lost:
        st.session_state.pop(_LOST)  # imported again: the note has done its job
    _sync()
    try:
        yield
    finally:
        _sync()
