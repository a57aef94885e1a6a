"""CPEC Atlas: entry point. Sets up the page, the shared filters and the navigation."""

from pathlib import Path

import streamlit as st

from components.ui import shell, state

st.set_page_config(page_title="CPEC Atlas", page_icon=":material/map:", layout="wide")

HERE = Path(__file__).resolve().parent  # absolute page paths: reruns resolve them the same way

PAGES = [
    st.Page(HERE / "pages/overview.py", title="Overview", icon=":material/map:", default=True),
    st.Page(HERE / "pages/projects.py", title="Projects", icon=":material/table_view:", url_path="projects"),
    st.Page(HERE / "pages/sectors.py", title="Sectors", icon=":material/bar_chart:", url_path="sectors"),
    st.Page(HERE / "pages/gwadar.py", title="Gwadar", icon=":material/anchor:", url_path="gwadar"),
    st.Page(HERE / "pages/kkh.py", title="Karakoram Highway & Khunjerab", icon=":material/landscape:", url_path="kkh"),
    st.Page(HERE / "pages/sez.py", title="Special Economic Zones", icon=":material/factory:", url_path="sez"),
    st.Page(HERE / "pages/sources.py", title="Data & sources", icon=":material/menu_book:", url_path="sources"),
]

navigation = st.navigation(PAGES)
atlas = state.atlas()
state.show_problems(atlas)
state.filter_sidebar()
with shell.running():
    navigation.run()
