"""Entry point for AppTest: runs the real app.py.

AppTest re-detects a ``pages/`` folder beside the main script on every run and then
executes pages directly (Streamlit's old multipage mode), skipping app.py and its
shared sidebar. The real server does not do that once ``st.navigation`` has run.
Starting from this folder, which has no ``pages/`` beside it, AppTest runs app.py
exactly as the server does.
"""

import runpy
from pathlib import Path

runpy.run_path(str(Path(__file__).resolve().parents[2] / "app.py"), run_name="__main__")
