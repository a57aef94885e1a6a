"""The offline outline basemap as folium elements (pure: no Streamlit).

Two base layers for the layer control, "Atlas outline (offline)" in a light and a dark
style, drawn in the browser by ``static/atlas/outline-basemap.js`` from the compact data
``static/atlas/outline-basemap-data.js`` (both served by the app like its other static
files), and the watchers that switch the map and its mini-map to the outline when tiles fail
to load.
"""

from __future__ import annotations

import json

import folium
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from components import assets, i18n

IDS = {"outline": "light", "outline-dark": "dark"}
#: The outline's sources, shown in the map's attribution while it is the basemap.
#: The outline's sources, shown in the map's attribution while it is the basemap.
ATTRIBUTION = "Outline © OpenStreetMap contributors, Natural Earth, GeoNames, GSHHG"


class OutlineBasemap(JSCSSMixin, folium.map.Layer):
    """One style of the outline basemap, as a base layer (radio button) of the layer control."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = window.atlasOutline({{ this.options_json }});
        {% if this.show %}{{ this.get_name() }}.addTo({{ this._parent.get_name() }});{% endif %}
        {% endmacro %}
        """
    )

    def __init__(self, style: str = "light", show: bool = False, base_url: str = "/", lang: str = i18n.DEFAULT):
        super().__init__(name=i18n.t(f"map.outline_{style}", lang), overlay=False, control=True, show=show)
        self._name = "OutlineBasemap"
        self.style = style
        self.options_json = json.dumps({"style": style, "attribution": ATTRIBUTION})
        self.default_js = [
            ("atlas_outline_data", assets.own_url("outline-basemap-data.js", base_url)),
            ("atlas_outline_js", assets.own_url("outline-basemap.js", base_url)),
        ]
        self.default_css = [("atlas_outline_css", assets.own_url("outline-basemap.css", base_url))]


class OutlineFallback(MacroElement):
    """Switches to the outline (light or dark, after the failing tiles) when tiles fail."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        window.atlasOutlineFallback({{ this._parent.get_name() }}, {{ this.light.get_name() }},
            {{ this.dark.get_name() }}, {{ this.note }});
        {% endmacro %}
        """
    )

    def __init__(self, light: OutlineBasemap, dark: OutlineBasemap, lang: str = i18n.DEFAULT):
        super().__init__()
        self._name = "OutlineFallback"
        self.light, self.dark = light, dark
        self.note = json.dumps(i18n.t("map.outline_fallback", lang), ensure_ascii=False)


class OutlineMinimap(MacroElement):
    """Swaps the mini-map's tiles for the outline basemap when they cannot be loaded (add it
    after the :class:`folium.plugins.MiniMap`, whose control it watches)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        window.atlasOutlineMinimap({{ this.minimap.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, minimap: MacroElement):
        super().__init__()
        self._name = "OutlineMinimap"
        self.minimap = minimap


def add_outline(
    m: folium.Map, basemap: str = "", base_url: str = "/", lang: str = i18n.DEFAULT
) -> tuple[OutlineBasemap, OutlineBasemap]:
    """Add both outline styles to ``m`` (shown when ``basemap`` is "outline" or "outline-dark")
    and the tile-failure fallback, named in ``lang``; returns the two layers."""
    light = OutlineBasemap("light", show=IDS.get(basemap) == "light", base_url=base_url, lang=lang).add_to(m)
    dark = OutlineBasemap("dark", show=IDS.get(basemap) == "dark", base_url=base_url, lang=lang).add_to(m)
    OutlineFallback(light, dark, lang).add_to(m)
    return light, dark
