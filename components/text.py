"""Untrusted text (from a URL, an uploaded file or the data) made safe to show.

Streamlit renders Markdown in captions, notes, warnings, headers, metrics and widget labels:
links, images, ``:red[...]`` colour directives, ``$...$`` LaTeX and GitHub's bare-URL autolinks.
Text that did not come from the atlas' own code goes through :func:`md` before it reaches one of
those, so it shows as the characters it is and nothing else. :func:`clean` is the part every
context needs (plain-text widgets, popups, snapshot titles, exports): it removes control
characters, bidirectional overrides and zero-width characters that could disguise a text, and
caps its length.
"""

from __future__ import annotations

import re
from urllib.parse import quote

#: C0/C1 controls (but tab and newline), bidi embeddings/overrides/isolates, zero-width and
#: invisible operators, BOM. ZWNJ/ZWJ and the LRM/RLM marks stay: Urdu and emoji need them.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
#: Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping all of
#: them disarms emphasis, links, images, code, HTML, tables, directives and math at once.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
#: GitHub-flavoured Markdown turns bare ``http://``, ``www.`` and e-mail addresses into links
#: after escapes are resolved; a word joiner (invisible) inside the pattern stops that.
_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto|www)(?=[:.])|(@)")
WORD_JOINER = "\u2060"
ELLIPSIS = "…"


def clean(value: object, limit: int | None = None) -> str:
    """``value`` as a plain string without invisible or direction-changing characters.

    ``None`` becomes ``""``. With ``limit`` the text is cut to at most that many characters,
    ending in an ellipsis.
    """
    text = "" if value is None else str(value)
    text = _INVISIBLE.sub("", text)
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)] + ELLIPSIS
    return text


def md(value: object, limit: int | None = None) -> str:
    """``value`` escaped for any Streamlit element that renders Markdown.

    The result displays exactly the cleaned text: no formatting, link, image, colour or
    formula, on one line (line breaks become spaces).
    """
    text = " ".join(clean(value, limit).split())
    text = _AUTOLINK.sub(lambda m: (m.group(1) or m.group(2)) + WORD_JOINER, text)
    return _PUNCTUATION.sub(r"\\\1", text)


def quoted(value: object, limit: int = 40) -> str:
    """A short, escaped quotation of an untrusted value for notes: “value”."""
    return f"“{md(value, limit)}”"


def link(label: object, url: object) -> str:
    """A Markdown link to an http(s) ``url`` from the data; anything else shows as plain text.

    The address is percent-encoded, so no character in it can end the link early.
    """
    target = str(url or "")
    if not re.match(r"(?i)https?://[^\s]+$", target):
        return md(label)
    return f"[{md(label)}]({quote(clean(target), safe=_URL_SAFE)})"


_URL_SAFE = "/:?#@!$&'*+,;=%-._~"  # RFC 3986 reserved and unreserved characters but the brackets
