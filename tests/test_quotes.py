"""A quote pasted from a browser: white space of any kind is one, the source's form is stored, and
a quote that still fails says where it first departs from the source."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from commitments import messages, rules, services
from commitments.models import Evidence
from tests.support.factories import CommitmentFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db

# As the first seed article has it: no-break spaces after short words.
SEED_TEXT = (
    "The meeting of\xa0the Intergovernmental Council of\xa0Kyrgyzstan and Kazakhstan in\xa0an\xa0"
    "expanded format has ended in\xa0Bishkek.\n\nThe parties agreed to\xa0double trade."
)
# What Chromium puts on the clipboard when the officer copies that sentence from a page.
PASTED = "Council of Kyrgyzstan and Kazakhstan in an expanded format has ended in Bishkek."


def add(quote: str, text: str = SEED_TEXT) -> Evidence:
    officer = UserFactory(countries=["KZ"])
    return services.evidence_add(
        commitment=CommitmentFactory(), actor=officer, source=SourceFactory(text=text), quote=quote
    )


def test_a_quote_copied_from_a_browser_matches_no_break_spaces_and_keeps_the_sources_form(kz):
    evidence = add(PASTED)

    assert evidence.quote == SEED_TEXT[SEED_TEXT.index("Council") : SEED_TEXT.index("\n")]
    assert "\xa0" in evidence.quote


@pytest.mark.parametrize(
    "quote",
    [
        "Bishkek.\r\n\r\nThe parties",  # line breaks as a text area sends them
        "Bishkek. The parties",  # the paragraph break pasted as one space
        "agreed to\u202fdouble",  # a narrow no-break space
        "agreed  to double",  # two spaces for one
    ],
)
def test_every_kind_and_run_of_white_space_is_one(kz, quote):
    assert add(quote).quote in SEED_TEXT


@pytest.mark.parametrize(
    ("quote", "position", "before", "after"),
    [
        ("The parties agreed to triple trade.", 23, "The parties agreed to", "triple trade."),
        ("Parties agreed", 1, "", "Parties agreed"),  # letter case still counts
    ],
)
def test_a_quote_that_still_fails_says_where_it_first_differs(kz, quote, position, before, after):
    assert rules.quote_mismatch(quote, SEED_TEXT) == (position, before, after)
    with pytest.raises(ValidationError) as caught:
        add(quote)
    assert caught.value.message_dict["quote"][0] == str(messages.QUOTE_NOT_IN_SOURCE)
    assert after in caught.value.message_dict["quote"][1]
    assert not Evidence.objects.exists()


def test_the_place_it_differs_is_said_in_the_officers_language_with_long_quotes_cut(kz):
    quote = (
        "The meeting of the Intergovernmental Council of Kyrgyzstan and Kazakhstan in a wide format"
    )
    with pytest.raises(ValidationError) as caught:
        add(quote)
    with translation.override("ru"):
        where = [str(m) for m in caught.value.messages][1]
    assert where == (
        "Цитата совпадает с источником до «…yrgyzstan and Kazakhstan in a» и расходится с ним "
        "с символа 80: «wide format»."
    )
