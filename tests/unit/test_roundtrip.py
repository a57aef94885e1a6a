"""Every export format reads back through the atlas' own importer with the same features.

For the shipped data and for an imported AidData layer: ids, names, sectors, statuses,
years and figures equal, coordinates within 1e-6°, sources kept.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from components import export, imported, importer, layers
from components.filters import Filters, apply_filters

ROOT = Path(__file__).resolve().parents[2]
ATLAS = layers.load_atlas()
FORMATS = [*export.DATA_FORMATS, "html"]
TEXT = ["name", "sector", "status"]
NUMBERS = ["start_year", "completion_year", "capacity_mw", "length_km", "area_acres", "cost_usd_m"]


def exported(features, fmt: str) -> bytes:
    return export.html_bytes(features) if fmt == "html" else export.data_bytes(features, fmt)


def assert_same(back: importer.ImportedLayer, want) -> None:
    got = back.features.set_index("source_id").sort_index()
    want = want.set_index("id").sort_index()
    assert list(got.index) == list(want.index)
    for column in TEXT:
        assert got[column].tolist() == want[column].tolist(), column
    for column in NUMBERS:
        left = pd.to_numeric(got[column], errors="coerce").astype(float)
        right = pd.to_numeric(want[column], errors="coerce").astype(float)
        assert (((left - right).abs() < 1e-9) | (left.isna() & right.isna())).all(), column
    assert [tuple(s) for s in got["sources"]] == [tuple(s) for s in want["sources"]]
    for a, b in zip(got.geometry, want.geometry, strict=True):
        assert a.geom_type == b.geom_type and a.equals_exact(b, 1e-6), (a.geom_type, b.geom_type)


@pytest.mark.parametrize("fmt", FORMATS)
def test_shipped_data_round_trips(fmt):
    sample = apply_filters(ATLAS.features, Filters(sectors=("energy", "transport", "port", "sez")))
    back = importer.read(f"cpec-atlas.{fmt}", exported(sample, fmt))
    assert back.report.schema == "cpec-atlas"
    assert_same(back, sample)


@pytest.mark.parametrize("fmt", FORMATS)
def test_imported_aiddata_layer_round_trips(fmt):
    path = ROOT / "tests" / "fixtures" / "aiddata" / "aiddata_geogcdf_pakistan_sample.geojson"
    layer = importer.read(path.name, path.read_bytes())
    rows = imported.as_atlas_rows(layer)
    back = importer.read(f"aiddata-again.{fmt}", exported(rows, fmt))
    assert_same(back, rows)
    assert all(u.startswith("https://china.aiddata.org/projects/") for s in back.features["sources"] for u in s)


def test_csv_guards_formulas_and_reads_them_back():
    sample = ATLAS.features.head(2).copy()
    sample["name"] = ['=HYPERLINK("http://elsewhere.invalid")', "+1-2"]
    data = export.data_bytes(sample, "csv")
    assert b"'=HYPERLINK" in data and b"'+1-2" in data  # a spreadsheet shows these as text
    back = importer.read("x.csv", data)
    assert sorted(back.features["name"]) == sorted(sample["name"])


def test_html_data_cannot_end_its_element():
    sample = ATLAS.features.head(1).copy()
    sample["name"] = ["</script><script>alert(1)</script>"]
    html = export.html_bytes(sample).decode("utf-8")
    island = html.split(f'id="{importer.HTML_DATA_ID}">', 1)[1]
    assert island.index("</script>") > island.index("alert(1)")  # the first end tag is the element's own
    assert importer.read("x.html", html.encode()).features["name"].tolist() == sample["name"].tolist()


def test_an_html_page_that_is_not_an_atlas_map_is_refused():
    with pytest.raises(importer.ImportRefused, match="exported by the atlas"):
        importer.read("page.html", b"<html><body>hello</body></html>")
