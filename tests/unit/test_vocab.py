"""The palette: every sector's symbols and lines keep 3:1 contrast (WCAG 1.4.11) on every basemap."""

from __future__ import annotations

import re
from itertools import product

import pytest
from coloraide import Color

from components import assets, basemap, map_builder, vocab

MINIMUM = 3.0  # WCAG 2.1 non-text contrast
CSS = (assets.OWN_DIR / "atlas-map.css").read_text()


def contrast(a: str, b: str) -> float:
    return Color(a).contrast(Color(b), method="wcag21")


def halo() -> tuple[str, str]:
    """The two rings drawn round every symbol and line, as the map's stylesheet sets them."""
    inner = re.search(r"--atlas-halo-inner:\s*(#[0-9a-fA-F]{6})", CSS).group(1)
    outer = re.search(r"--atlas-halo-outer:\s*(#[0-9a-fA-F]{6})", CSS).group(1)
    return inner, outer


def backgrounds() -> dict[str, str]:
    """Every basemap's background colours: the tile basemaps and both outline styles."""
    out = {f"{basemap_id} {c}": c for basemap_id, colours in map_builder.TILE_BACKGROUNDS.items() for c in colours}
    for style_id, style in basemap.STYLES.items():
        for surface in ("sea", "land", "focus", "water"):
            out[f"outline-{style_id} {surface}"] = getattr(style, surface)
    return out


def edge_contrast(colour: str, background: str) -> float:
    """How strongly a symbol or line stands out: its own colour or the halo ring that contrasts most."""
    return max(contrast(c, background) for c in (colour, *halo()))


def test_every_basemap_has_background_colours():
    assert set(map_builder.TILE_BACKGROUNDS) == set(map_builder.BASEMAPS)
    assert {"outline-light land", "outline-dark land"} <= set(backgrounds())


def test_the_halo_is_drawn_round_symbols_and_lines():
    rule = re.search(r"([^{}]+)\{\s*filter:([^}]+)\}", CSS)
    selectors, value = rule.group(1), rule.group(2)
    assert ".atlas-marker svg" in selectors and ".leaflet-overlay-pane > svg" in selectors
    assert "var(--atlas-halo-inner)" in value and "var(--atlas-halo-outer)" in value


@pytest.mark.parametrize("sector", vocab.SECTORS, ids=lambda s: s.id)
def test_sector_colour_keeps_3_to_1_on_every_basemap(sector):
    weak = {name: round(edge_contrast(sector.colour, bg), 2) for name, bg in backgrounds().items()}
    assert all(v >= MINIMUM for v in weak.values()), {k: v for k, v in weak.items() if v < MINIMUM}


@pytest.mark.parametrize("colour", map_builder.IMPORT_COLOURS + tuple(map_builder.RECONCILE_COLOURS.values()))
def test_imported_layer_colours_keep_3_to_1_on_every_basemap(colour):
    assert min(edge_contrast(colour, bg) for bg in backgrounds().values()) >= MINIMUM


def test_the_halo_keeps_3_to_1_on_any_background_at_all():
    """A basemap not listed here (a new tile style, a photograph) is covered too: one of the two
    rings contrasts 3:1 with every sRGB colour (checked on a 16-step grid)."""
    inner, outer = halo()
    levels = range(0, 256, 17)
    worst = min(
        max(contrast(inner, bg), contrast(outer, bg))
        for bg in (f"#{r:02x}{g:02x}{b:02x}" for r, g, b in product(levels, repeat=3))
    )
    assert worst >= MINIMUM


def test_contrast_matches_the_wcag_formula():
    assert contrast("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
