"""Links to a map view and to one feature: the URL's ``view=lat,lon,zoom`` and ``feature=<id>``.

Both sit beside the filters in the address (:mod:`components.filters`), so a shared link
opens the same map position and the same project for a new visitor. Parsing never raises:
a nonsense value gets a plain-text note (through the filters' :class:`~components.filters.Notes`,
so a hostile link costs no more than an ordinary one) and is dropped. The map's own script
(``static/atlas/links.js``) writes both parameters back as the user pans or picks, without
rerunning the app. Its words (notes, buttons, captions) are the ``[links]`` strings of
data/i18n, in every interface language; :data:`TEXT` holds the English ones.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd

from components import i18n
from components.filters import Notes, bound
from components.map_builder import View
from components.text import clean

VIEW, FEATURE = "view", "feature"
PARAMS = (VIEW, FEATURE)
MIN_ZOOM, MAX_ZOOM = 3, 18  # the interactive map's zoom range
MAX_VIEW_LENGTH = 40  # characters: "-85.00000,-180.00000,18" and some spaces fit
MAX_ID_LENGTH = 100
FEATURE_MAX_ZOOM = 10  # a linked point is shown with its surroundings, not at street level

#: Every English string of the link features (notes, buttons, captions): data/i18n/en.toml's ``[links]``.
TEXT = {k.removeprefix("links."): v for k, v in i18n.catalogue(i18n.DEFAULT).items() if k.startswith("links.")}


def text(key: str, lang: str = i18n.DEFAULT, /, **values: object) -> str:
    return i18n.t(f"links.{key}", lang, **values)


def popup_text(lang: str = i18n.DEFAULT) -> dict[str, str]:
    """What the map's script shows in popups (handed to it by :func:`components.map_builder.build_base_map`)."""
    return {k: text(k, lang) for k in ("copy", "copied", "copy_fallback")}


POPUP_TEXT = popup_text()

_NUMBER = r"[-+]?\d{1,3}(?:\.\d{1,12})?"
_VIEW = re.compile(rf"({_NUMBER}),({_NUMBER}),(\d{{1,2}}(?:\.\d{{1,6}})?)")


@dataclass(frozen=True)
class Link:
    """What the address links to: a map position and/or one feature (either may be absent)."""

    view: View | None = None
    feature: str | None = None


def _bounded(raw: str | None, limit: int, too_long: str, notes: Notes) -> str | None:
    """The stripped value, or ``None`` when empty or longer than ``limit`` (with a note)."""
    value = (raw or "").strip()
    if len(value) > limit:
        notes.add(text(too_long, notes.lang, limit=limit))
        return None
    return value or None


def parse_view(raw: str | None, notes: Notes) -> View | None:
    """``"lat,lon,zoom"`` as a :class:`View`; ``None`` (with a note) for anything else."""
    value = _bounded(raw, MAX_VIEW_LENGTH, "view_long", notes)
    if value is None:
        return None
    match = _VIEW.fullmatch(re.sub(r"\s+", "", value))
    if not match:
        notes.add(text("view_malformed", notes.lang, value=clean(value, 40)))
        return None
    lat, lon, zoom = (float(g) for g in match.groups())
    if not (-85 <= lat <= 85 and -180 <= lon <= 180 and MIN_ZOOM <= zoom <= MAX_ZOOM):
        notes.add(text("view_range", notes.lang, value=clean(value, 40), zmin=MIN_ZOOM, zmax=MAX_ZOOM))
        return None
    return View(center=(lat, lon), zoom=round(zoom))


def format_view(view: View) -> str:
    """The ``view=`` value of a :class:`View` (about 10 m of precision)."""
    lat, lon = view.center
    return f"{lat:.4f},{lon:.4f},{view.zoom:d}"


def parse_feature(
    raw: str | None, ids: set[str], notes: Notes, unlocated: Mapping[str, str] | None = None
) -> str | None:
    """A known feature id, or ``None`` with a note (unknown, too long, or not on the map).

    ``unlocated`` maps the ids of listed features without a position to their names.
    """
    value = _bounded(raw, MAX_ID_LENGTH, "feature_long", notes)
    if value is None:
        return None
    if value in ids:
        return value
    if unlocated and value in unlocated:
        notes.add(text("feature_unlocated", notes.lang, name=clean(unlocated[value], 80)))
        return None
    notes.unknown("feature", value)
    return None


def parse(params: Mapping[str, str], ids: set[str], notes: Notes, unlocated: Mapping[str, str] | None = None) -> Link:
    """The link parameters of bounded query parameters (see :func:`components.filters.bound`)."""
    return Link(parse_view(params.get(VIEW), notes), parse_feature(params.get(FEATURE), ids, notes, unlocated))


def read(
    params: Mapping[str, object],
    features: gpd.GeoDataFrame,
    unlocated: gpd.GeoDataFrame,
    shown: set[str],
    filters_description: str,
    lang: str = i18n.DEFAULT,
) -> tuple[Link, list[str]]:
    """The link of raw query parameters (the app's address or the CLI's ``--url``) and notes (in
    ``lang``) for what was ignored or is hidden: ``shown`` are the ids the current filters keep."""
    notes = Notes(lang)
    names = dict(zip(unlocated["id"], unlocated["name"], strict=True))
    link = parse(bound(params, set(PARAMS), Notes()), set(features["id"]), notes, names)
    if link.feature and link.feature not in shown:
        name = features.loc[features["id"] == link.feature, "name"].iloc[0]
        notes.add(hidden_note(name, filters_description, lang))
    return link, notes.lines()


def to_query(link: Link) -> dict[str, str]:
    query = {}
    if link.view is not None:
        query[VIEW] = format_view(link.view)
    if link.feature:
        query[FEATURE] = link.feature
    return query


def hidden_note(name: str, filters_description: str, lang: str = i18n.DEFAULT) -> str:
    return text("feature_hidden", lang, name=clean(name, 80), filters=filters_description)


def feature_view(features: gpd.GeoDataFrame, fid: str, width: int = 900, height: int = 520) -> View:
    """The view that frames feature ``fid``: its whole extent, at most :data:`FEATURE_MAX_ZOOM`."""
    return View.fit(feature_bbox(features, fid), width, height, max_zoom=FEATURE_MAX_ZOOM)


def feature_frame(
    features: gpd.GeoDataFrame, fid: str, width: float, height: float
) -> tuple[float, float, float, float]:
    """The lon/lat box a ``width`` x ``height`` sheet shows for feature ``fid``: the map's view of it
    (:func:`feature_view`) or, for a feature bigger than that view, the whole feature."""
    view = feature_view(features, fid, round(width), round(height))
    return view.bounds(width, height) if view.zoom >= FEATURE_MAX_ZOOM else feature_bbox(features, fid)


def feature_bbox(features: gpd.GeoDataFrame, fid: str, pad: float = 0.08) -> tuple[float, float, float, float]:
    """A lon/lat box around feature ``fid`` with a margin (a point gets ~10 km around it)."""
    minx, miny, maxx, maxy = features.loc[features["id"] == fid].total_bounds
    dx, dy = max((maxx - minx) * pad, 0.1), max((maxy - miny) * pad, 0.1)
    return (max(minx - dx, -180.0), max(miny - dy, -85.0), min(maxx + dx, 180.0), min(maxy + dy, 85.0))


def share_url(base: str, query: Mapping[str, str]) -> str:
    """``base`` (an app address without query) with ``query`` appended; commas kept readable."""
    encoded = urllib.parse.urlencode(dict(query), safe=",")
    return f"{base}?{encoded}" if encoded else base
