"""The few Streamlit widgets the pages share (filters sidebar, map view, layer problems).

This is the only part of ``components`` that imports Streamlit.
"""
