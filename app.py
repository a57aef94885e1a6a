"""CPEC Atlas: entry point. Sets up the page, the shared filters and the navigation."""

import streamlit as st

from components import assets
from components.ui import errors, language, navigation, session_note, shell, state

# "auto": the sidebar is open on a wide screen and folded on a phone (Streamlit's own breakpoint).
st.set_page_config(page_title="CPEC Atlas", page_icon=":material/map:", layout="wide", initial_sidebar_state="auto")
st.html(assets.OWN_DIR / "app.css")  # phone layout of the map and the headline figures
language.ensure()  # the page titles in the navigation are in the address' language from the first run

nav = st.navigation(list(navigation.pages().values()))
atlas = state.atlas()
state.show_problems(atlas)
state.filter_sidebar(atlas)
# A session that reconnects to another replica reruns from its address and notes lost imported layers.
with shell.running(), session_note.survive_reconnects(), errors.page_guard():
    nav.run()
