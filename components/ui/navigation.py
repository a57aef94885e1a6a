"""The app's pages, defined once: app.py navigates with them and pages link to each other."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from components.ui.language import tr

ROOT = Path(__file__).resolve().parents[2]  # absolute page paths: reruns resolve them the same way

_PAGES = (  # titles: the keys nav.<id> of data/i18n/*.toml
    ("overview", ":material/map:"),
    ("projects", ":material/table_view:"),
    ("sectors", ":material/bar_chart:"),
    ("gwadar", ":material/anchor:"),
    ("kkh", ":material/landscape:"),
    ("sez", ":material/factory:"),
    ("routes", ":material/route:"),
    ("imports", ":material/upload_file:"),
    ("sources", ":material/menu_book:"),
)
_URLS: dict[str, str] = {}  # url paths equal the file stems, as Streamlit's first-request routing expects


def pages() -> dict[str, st.Page]:
    """Page id (the file's stem) → page, titled in the session's language; the overview is the default."""
    out = {}
    for stem, icon in _PAGES:
        title = tr(f"nav.{stem}")
        if stem == "overview":
            out[stem] = st.Page(ROOT / "pages" / f"{stem}.py", title=title, icon=icon, default=True)
        else:
            out[stem] = st.Page(ROOT / "pages" / f"{stem}.py", title=title, icon=icon, url_path=_URLS.get(stem, stem))
    return out
