"""Make sure every page runs inside the app's shell (app.py: navigation, shared filters).

A ``pages/`` folder beside ``app.py`` makes Streamlit start in its older multipage mode
until ``st.navigation`` has run once in the process: a visitor whose first request is a
deep link (``/projects``) on a freshly started server would get the page alone, without
the shared sidebar. Pages call :func:`require` first; outside the shell it switches that
mode off and reruns, so the request goes through ``app.py`` like any other.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

_local = threading.local()  # each session's script runs in its own thread


@contextmanager
def running():
    """Wrap ``navigation.run()`` in app.py."""
    _local.active = True
    try:
        yield
    finally:
        _local.active = False


def require() -> None:
    """First call of every page."""
    if getattr(_local, "active", False):
        return
    PagesManager.uses_pages_directory = False
    st.rerun()
