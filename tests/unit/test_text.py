"""components.text: untrusted text shows as itself in Markdown contexts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from components import text

CORPUS = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "injection.json").read_text("utf-8"))


def shown(markdown: str) -> str:
    """What a CommonMark renderer displays for ``markdown`` made of escapes and plain text."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace(text.WORD_JOINER, "")


@pytest.mark.parametrize("payload", CORPUS["payloads"])
def test_md_displays_exactly_the_cleaned_text(payload):
    escaped = text.md(payload)
    assert shown(escaped) == " ".join(text.clean(payload).split())
    # every ASCII punctuation character is escaped, so nothing is markup
    assert not re.search(r"(?<!\\)[\[\]()!*_`$<>:~#|]", escaped.replace("\\\\", ""))


@pytest.mark.parametrize(
    ("raw", "pattern"),
    [
        ("http://elsewhere.invalid/x", r"http:"),
        ("see www.elsewhere.invalid", r"www\."),
        ("someone@elsewhere.invalid", r"@e"),
        ("HTTPS://ELSEWHERE.INVALID", r"HTTPS:"),
    ],
)
def test_bare_addresses_cannot_autolink(raw, pattern):
    """GitHub-flavoured Markdown links bare addresses after escapes are resolved."""
    escaped = text.md(raw)
    assert not re.search(pattern, escaped.replace("\\", ""))
    assert shown(escaped) == raw


def test_clean_removes_bidi_overrides_zero_width_and_controls_but_keeps_urdu_joiners():
    assert text.clean("a\u202eb\u2066c\u2069d\u200be\ufefff\x00g\x1bh") == "abcdefgh"
    urdu = "پاکستان\u200cچین"
    assert text.clean(urdu) == urdu
    assert text.clean(None) == ""


def test_limits_end_in_an_ellipsis():
    assert text.clean("x" * 50, 10) == "x" * 9 + "…"
    assert len(text.md("y" * 1000, 40)) <= 40
    assert text.quoted("[a](b)") == "“\\[a\\]\\(b\\)”"


def test_link_keeps_http_urls_and_encodes_what_could_break_out():
    assert text.link("GEM", "https://gem.wiki/Sahiwal_power_station") == "[GEM](https://gem.wiki/Sahiwal_power_station)"
    hostile = text.link("x", "https://ok.example/a)![i](http://elsewhere.invalid/p.png")
    assert hostile.count("](") == 1 and ")!" not in hostile and "%29" in hostile
    assert text.link("x", "javascript:alert(1)") == "x"
    assert text.link("[label]", "ftp://x") == "\\[label\\]"
