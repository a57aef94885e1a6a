"""AppTest of links: view= and feature= open the map there, select the Projects row, survive
reruns, and bad values get a note and leave the address."""

from __future__ import annotations

import json
import re
import urllib.parse

from components import focus, links
from components.filters import Filters
from tests.app.test_pages import ATLAS, expected, run, shown

KAROT = "karot-hydropower-project"
KAROT_NAME = ATLAS.features.set_index("id").loc[KAROT, "name"]


def notes(at) -> str:
    return " ".join(shown(w.value) for w in at.warning)


def map_start(at) -> tuple[float, float, int]:
    """The centre and zoom the map component was built with."""
    [component] = at.get("component_instance")
    script = json.loads(component.proto.json_args)["script"]
    lat, lon = (float(v) for v in re.search(r"center:\s*\[([^\]]+)\]", script).group(1).split(","))
    zoom = int(re.search(r"\"zoom\": (\d+)", script).group(1))
    return lat, lon, zoom


def test_view_in_the_address_opens_the_map_there_and_stays():
    at = run({"view": "33.52,73.41,9"})
    assert not at.warning
    assert map_start(at) == (33.52, 73.41, 9)
    assert at.query_params["view"] == "33.5200,73.4100,9"
    at.multiselect(key="f_sectors").set_value(["energy"]).run()  # a rerun: the map and the address keep it
    assert map_start(at) == (33.52, 73.41, 9)
    assert at.query_params["view"] == "33.5200,73.4100,9"
    assert at.query_params["sector"] == "energy"


def test_feature_alone_centres_the_map_on_it():
    at = run({"feature": KAROT})
    lat, lon, zoom = map_start(at)
    minx, miny, maxx, maxy = ATLAS.features.set_index("id").loc[KAROT, "geometry"].bounds
    assert minx - 0.01 <= lon <= maxx + 0.01 and miny - 0.01 <= lat <= maxy + 0.01
    assert zoom == links.FEATURE_MAX_ZOOM
    assert at.query_params["feature"] == KAROT
    assert not at.warning


def test_nonsense_view_gets_a_note_and_leaves_the_address():
    at = run({"view": "95,73,9", "sector": "energy"})
    assert "Ignored map view" in notes(at)
    assert "view" not in at.query_params
    assert at.query_params["sector"] == "energy"
    assert map_start(at)[2] == 5  # the page's own view


def test_unknown_feature_gets_a_note_and_leaves_the_address():
    at = run({"feature": "no-such-dam", "view": "30,70,6"})
    assert "Ignored unknown feature “no-such-dam”" in notes(at)
    assert "feature" not in at.query_params
    assert at.query_params["view"] == "30.0000,70.0000,6"


def test_feature_hidden_by_the_filters_is_said_and_kept():
    at = run({"feature": KAROT, "sector": "port"})
    assert f"“{KAROT_NAME}” is hidden by the current filters" in notes(at)
    assert at.query_params["feature"] == KAROT  # widening the filters shows it: the link is not lost
    assert map_start(at)[2] == 5  # not centred on a feature that is not drawn


def test_projects_page_selects_the_linked_row_and_links_to_it():
    at = run({"feature": KAROT, "sector": "energy"}, page="pages/projects.py")
    shown_rows = expected(Filters(sectors=("energy",)))
    assert set(at.dataframe[0].value["id"]) == shown_rows
    assert KAROT_NAME in [shown(s.value) for s in at.subheader]  # the detail view is open
    [code] = at.code
    url = urllib.parse.urlsplit(code.value)
    assert url.path.endswith("/projects")
    assert urllib.parse.parse_qs(url.query) == {"sector": ["energy"], "feature": [KAROT]}
    assert at.query_params["feature"] == KAROT


def test_projects_page_without_a_feature_selects_nothing():
    at = run(page="pages/projects.py")
    assert not at.code
    assert "feature" not in at.query_params


def test_selecting_a_row_writes_feature_and_deselecting_removes_it():
    at = run(page="pages/projects.py")
    ids = list(at.dataframe[0].value["id"])
    at.session_state["projects-table"] = {"selection": {"rows": [ids.index(KAROT)], "columns": [], "cells": []}}
    at.run()
    assert at.query_params["feature"] == KAROT
    assert KAROT_NAME in [shown(s.value) for s in at.subheader]
    at.session_state["projects-table"] = {"selection": {"rows": [], "columns": [], "cells": []}}
    at.run()
    assert "feature" not in at.query_params
    assert not at.code


def test_a_focused_page_centres_on_the_linked_feature_it_shows():
    port = ATLAS.features.set_index("id").loc["gwadar-port", "geometry"]
    at = run({"feature": "gwadar-port"}, page="pages/gwadar.py")
    lat, lon, zoom = map_start(at)
    assert zoom == links.FEATURE_MAX_ZOOM
    assert (
        port.bounds[0] - 0.05 <= lon <= port.bounds[2] + 0.05 and port.bounds[1] - 0.05 <= lat <= port.bounds[3] + 0.05
    )
    at = run({"feature": KAROT}, page="pages/gwadar.py")  # not on this page's map: the page's own view
    assert map_start(at) == (*focus.SUBJECTS["gwadar"].view.center, focus.SUBJECTS["gwadar"].view.zoom)


def test_a_selected_row_follows_its_feature_when_the_filters_change():
    at = run(page="pages/projects.py")
    ids = list(at.dataframe[0].value["id"])
    at.session_state["projects-table"] = {"selection": {"rows": [ids.index(KAROT)], "columns": [], "cells": []}}
    at.run()
    at.multiselect(key="f_sectors").set_value(["energy"]).run()  # Karot moves to another row
    energy = list(at.dataframe[0].value["id"])
    assert energy.index(KAROT) != ids.index(KAROT)
    assert KAROT_NAME in [shown(s.value) for s in at.subheader]
    assert at.query_params["feature"] == KAROT
    at.multiselect(key="f_sectors").set_value(["port"]).run()  # Karot is filtered out: nothing else is selected
    assert not at.code
    assert "feature" not in at.query_params
