"""The reflection's gentle warning about identifying details."""

from __future__ import annotations

import pytest

from widgets.privacy import identifying_details


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("I visited Maria Lopez last week.", "a full name"),
        ("The family lives near LS6 2AB.", "a postcode"),
        ("Her number was 07700 900123.", "a phone number"),
        ("He emailed from someone@example.org.", "an e-mail address"),
        ("The child was born on 3 May.", "a date"),
        ("It happened on 12/03/2024.", "a date"),
        ("They moved to 14 Elm Road.", "a house address"),
        ("I spoke to Mrs Okafor afterwards.", "a title and surname"),
    ],
)
def test_identifying_details_are_noticed(text, kind):
    assert kind in identifying_details(text)


@pytest.mark.parametrize(
    "text",
    [
        "I spoke to the mother alone. She described his rules about money.",
        "The Three Planet Model helped me see the Domestic Abuse Act in a new light.",
        "Social Work England asks for peer reflection. What? So what? Now what?",
        "Children's Social Care and the Marac shared information.",
    ],
)
def test_ordinary_reflection_text_is_not_flagged(text):
    assert identifying_details(text) == []
