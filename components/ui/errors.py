"""What a visitor sees when a page fails: a short message, never a traceback.

``client.showErrorDetails = "none"`` (.streamlit/config.toml) hides Streamlit's own error
details; this guard turns an unexpected exception into the atlas' own note with a
reference that matches the full traceback in the server log.
"""

from __future__ import annotations

import logging
import secrets
from contextlib import contextmanager

import streamlit as st

from components.ui.language import tr

_log = logging.getLogger("cpec_atlas")


@contextmanager
def page_guard():
    """Wrap a page's run; Streamlit's rerun/stop signals (BaseExceptions) pass through."""
    try:
        yield
    except Exception:
        reference = secrets.token_hex(4)
        _log.exception("page failed (reference %s)", reference)
        st.error(
            tr("errors.page_failed", reference=reference),
            icon=":material/error:",
        )
