"""A new session whose address names imported layers says they were lost (components/ui/session_note.py)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from components import importer
from components.ui import session_note

APP = str(Path(__file__).resolve().parent / "entry.py")
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "imports" / "ok-points.geojson"


def run(query: dict[str, str], layers: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    if layers is not None:
        at.session_state["imported_layers"] = layers
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def lost_notes(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if "could not be restored" in w.value]


def test_new_session_with_a_layer_count_in_the_address_shows_the_note_and_keeps_the_view():
    at = run({"sector": "energy", "asof": "2020", session_note.PARAM: "2"})
    (note,) = lost_notes(at)
    assert note.startswith("This view had 2 imported layers")
    assert session_note.PARAM not in at.query_params  # the session holds none now
    assert at.query_params["sector"] == "energy" and at.query_params["asof"] == "2020"
    at.run()  # still there on the next rerun of the same session
    assert len(lost_notes(at)) == 1


def test_session_with_its_layers_writes_the_count_and_shows_no_note():
    layer = importer.read(FIXTURE.name, FIXTURE.read_bytes())
    at = run({session_note.PARAM: "1"}, layers={layer.name: layer})
    assert not lost_notes(at)
    assert at.query_params[session_note.PARAM] == "1"


def test_address_without_a_usable_count_shows_nothing():
    for raw in ("0", "abc", "-3", "1e9", "9" * 40):
        at = run({session_note.PARAM: raw})
        assert not lost_notes(at), raw
        assert session_note.PARAM not in at.query_params


def test_parse_count_and_message():
    assert session_note.parse_count("3") == 3
    assert session_note.parse_count(" 2 ") == 2
    assert session_note.parse_count("500") == session_note.MAX
    assert session_note.parse_count(None) == session_note.parse_count("x") == session_note.parse_count("") == 0
    assert session_note.message(1).startswith("This view had 1 imported layer,")
    assert "2 imported layers" in session_note.message(2)
