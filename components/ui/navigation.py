"""The app's pages, defined once: app.py navigates with them and pages link to each other."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parents[2]  # absolute page paths: reruns resolve them the same way

_PAGES = (
    ("overview", "Overview", ":material/map:"),
    ("projects", "Projects", ":material/table_view:"),
    ("sectors", "Sectors", ":material/bar_chart:"),
    ("gwadar", "Gwadar", ":material/anchor:"),
    ("kkh", "Karakoram Highway & Khunjerab", ":material/landscape:"),
    ("sez", "Special Economic Zones", ":material/factory:"),
    ("routes", "Routes", ":material/route:"),
    ("imports", "Import your data", ":material/upload_file:"),
    ("sources", "Data & sources", ":material/menu_book:"),
)
_URLS: dict[str, str] = {}  # url paths equal the file stems, as Streamlit's first-request routing expects


def pages() -> dict[str, st.Page]:
    """Page id (the file's stem) → page; the overview is the default."""
    out = {}
    for stem, title, icon in _PAGES:
        if stem == "overview":
            out[stem] = st.Page(ROOT / "pages" / f"{stem}.py", title=title, icon=icon, default=True)
        else:
            out[stem] = st.Page(ROOT / "pages" / f"{stem}.py", title=title, icon=icon, url_path=_URLS.get(stem, stem))
    return out
