"""CPEC Atlas: entry point. Sets up the page, the shared filters and the navigation."""

import streamlit as st

from components.ui import state

st.set_page_config(page_title="CPEC Atlas", page_icon=":material/map:", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/map:", default=True),
    st.Page("pages/projects.py", title="Projects", icon=":material/table_view:", url_path="projects"),
    st.Page("pages/sectors.py", title="Sectors", icon=":material/bar_chart:", url_path="sectors"),
    st.Page("pages/gwadar.py", title="Gwadar", icon=":material/anchor:", url_path="gwadar"),
    st.Page("pages/kkh.py", title="Karakoram Highway & Khunjerab", icon=":material/landscape:", url_path="kkh"),
    st.Page("pages/sez.py", title="Special Economic Zones", icon=":material/factory:", url_path="sez"),
    st.Page("pages/sources.py", title="Data & sources", icon=":material/menu_book:", url_path="sources"),
]

navigation = st.navigation(PAGES)
atlas = state.atlas()
state.show_problems(atlas)
state.filter_sidebar()
navigation.run()
