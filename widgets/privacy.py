"""Spot text that seems to identify a person, so a learner can anonymise a reflection.

A gentle, imperfect check: it looks for what most often slips into writing about real practice
(a full name, a postcode, a phone number, an e-mail address, a date of birth or an exact date,
a house address) and says what it found, never the text itself. False alarms are acceptable;
the learner decides.
"""

from __future__ import annotations

import re

CHECKS: list[tuple[str, re.Pattern]] = [
    ("a postcode", re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.I)),
    ("a phone number", re.compile(r"(?<!\d)(?:\+44\s?|0)\d{2,4}[\s-]?\d{3}[\s-]?\d{3,4}(?!\d)")),
    ("an e-mail address", re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")),
    (
        "a date",
        re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\bborn (?:on|in)\b|\bd\.?o\.?b\b", re.I),
    ),
    (
        "a house address",
        re.compile(
            r"\b\d{1,4}[a-z]?\s+[A-Z][a-z]+\s+(?:Road|Rd|Street|St|Avenue|Ave|Lane|Close|Drive|Way|Crescent|Gardens|Court|Place)\b"
        ),
    ),
    ("a title and surname", re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+[A-Z][a-z]+")),
]
# Two capitalised words mid-sentence look like a full name, unless they are words this course
# uses as names of things (services, laws, models).
_PAIR = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]+)\s+([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b", re.M)
NOT_NAMES = {
    "Act",
    "Abuse",
    "Advice",
    "Agency",
    "Board",
    "Care",
    "Child",
    "Children",
    "Conference",
    "Council",
    "Court",
    "Domestic",
    "England",
    "Family",
    "Helpline",
    "Home",
    "Idva",
    "Line",
    "Marac",
    "Model",
    "Office",
    "Planet",
    "Police",
    "Protection",
    "Safe",
    "Service",
    "Services",
    "Social",
    "Together",
    "Wales",
    "Women",
    "Work",
    "Worker",
    "Aid",
    "National",
    "Team",
    "Health",
    "Mental",
    "Scotland",
    "Three",
    "Refuge",
    "Respect",
    "Practice",
    "Direction",
    "Working",
    "What",
    "So",
    "Now",
}


def identifying_details(text: str) -> list[str]:
    """What kinds of identifying detail ``text`` seems to hold, e.g. ["a full name", "a postcode"]."""
    found = [label for label, rx in CHECKS if rx.search(text)]
    if any(a not in NOT_NAMES and b not in NOT_NAMES for a, b in _PAIR.findall(text)):
        found.insert(0, "a full name")
    return found
