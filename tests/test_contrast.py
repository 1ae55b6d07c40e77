"""Text in the practice-lab template reaches WCAG AA contrast (4.5:1) against its background."""

from __future__ import annotations

import re

from tests.conftest import ROOT

CSS = (
    ROOT
    / "practice_lab"
    / "share"
    / "jupyter"
    / "voila"
    / "templates"
    / "practice-lab"
    / "static"
    / "practice-lab.css"
)
RULE = re.compile(r"([^{}]+)\{([^}]*)\}")
HEX = r"#([0-9a-fA-F]{6})\b"


def luminance(hex6: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex6[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def colour_pairs() -> list[tuple[str, str, str]]:
    css = re.sub(r"/\*.*?\*/", "", CSS.read_text(), flags=re.S)
    pairs = []
    for selector, body in RULE.findall(css):
        fg = re.search(r"(?<![-\w])color:\s*" + HEX, body)
        bg = re.search(r"background(?:-color)?:\s*" + HEX, body)
        if fg:
            pairs.append((selector.strip(), fg.group(1), bg.group(1) if bg else "ffffff"))
    return pairs


def test_every_text_colour_has_enough_contrast():
    pairs = colour_pairs()
    assert len(pairs) >= 5, "the stylesheet's colours were not found"
    weak = [
        (sel, fg, bg, round(contrast(fg, bg), 2)) for sel, fg, bg in pairs if contrast(fg, bg) < 4.5
    ]
    assert not weak, weak


def test_the_contrast_formula():
    assert round(contrast("000000", "ffffff"), 1) == 21.0
    assert contrast("777777", "ffffff") < 4.5 < contrast("767676", "ffffff")
