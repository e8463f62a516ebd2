"""Dates: resolving expressions against the publication date, and finding them (plotwatch.resolve.dates)."""

from __future__ import annotations

import pytest

from plotwatch.resolve import find_date_expressions, resolve_date
from plotwatch.resolve.date_ranges import find_date_ranges, resolve_range
from plotwatch.resolve.dates import is_anaphoric, parse_anchor

SATURDAY = "2018-06-30"
MONDAY = "2018-07-02"
THURSDAY = "2019-01-10"


@pytest.mark.parametrize(
    ("expression", "published", "expected"),
    [
        ("Saturday", SATURDAY, "2018-06-30"),  # the publication day itself
        ("on Saturday", MONDAY, "2018-06-30"),
        ("Sunday", MONDAY, "2018-07-01"),
        ("Monday", MONDAY, "2018-07-02"),
        ("Tuesday", MONDAY, "2018-06-26"),
        ("on Tuesday", THURSDAY, "2019-01-08"),
        ("last Tuesday", THURSDAY, "2019-01-08"),
        ("last Saturday", SATURDAY, "2018-06-23"),  # "last" is strictly before
        ("this Saturday", SATURDAY, "2018-06-30"),
        ("next Tuesday", MONDAY, "2018-07-03"),
        ("Tuesday night", THURSDAY, "2019-01-08"),
        ("On Friday", "2020-11-27", "2020-11-27"),
    ],
)
def test_weekdays_are_anchored_on_the_publication_date(expression: str, published: str, expected: str) -> None:
    assert resolve_date(expression, published) == expected


@pytest.mark.parametrize(
    ("expression", "published", "expected"),
    [
        ("yesterday", "2018-07-03", "2018-07-02"),
        ("today", "2018-07-03", "2018-07-03"),
        ("yesterday", "2018-01-01", "2017-12-31"),
        ("this week", "2020-06-27", "2020-06"),
        ("earlier this week", "2018-03-30", "2018-03"),
        ("last week", "2018-03-27", "2018-03"),
        ("last week", "2018-04-03", "2018-03"),
        ("last month", "2018-01-09", "2017-12"),
        ("earlier this month", "2018-03-27", "2018-03"),
        ("earlier in the month", "2018-03-30", "2018-03"),
        ("this year", "2018-12-20", "2018"),
        ("last year", "2019-01-09", "2018"),
        ("Only last year", "2019-01-09", None),  # not a date expression as a whole
        ("three days ago", "2018-07-03", "2018-06-30"),
        ("two weeks ago", "2018-11-30", "2018-11"),
        ("several months ago", "2018-10-05", "2018"),
        ("this summer", "2018-03-14", "2018"),
        ("last summer", "2019-01-10", "2018"),
    ],
)
def test_relative_words(expression: str, published: str, expected: str | None) -> None:
    assert resolve_date(expression, published) == expected


@pytest.mark.parametrize(
    ("expression", "published", "expected"),
    [
        ("in June", "2018-07-06", "2018-06"),
        ("in June", "2018-06-10", "2018-06"),  # the month of publication is not after it
        ("in June", "2018-05-06", "2017-06"),
        ("last June", "2019-01-09", "2018-06"),
        ("last June", "2018-07-06", "2018-06"),
        ("last June", "2018-06-20", "2017-06"),  # strictly before the publication month
        ("last June", "2018-03-01", "2017-06"),
        ("June last year", "2019-01-10", "2018-06"),
        ("in June of last year", "2019-01-10", "2018-06"),
        ("late September", "2019-01-10", "2018-09"),
        ("In late September", "2018-10-31", "2018-09"),
        ("mid-June", "2018-07-06", "2018-06"),
        ("in May", "2018-07-01", "2018-05"),
        ("30 June", "2018-07-02", "2018-06-30"),
        ("on 4 March", "2018-03-27", "2018-03-04"),
        ("December 20", "2019-01-05", "2018-12-20"),
        ("Friday 6 July", "2018-07-08", "2018-07-06"),
    ],
)
def test_months_and_days_without_a_year(expression: str, published: str, expected: str) -> None:
    assert resolve_date(expression, published) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("June 2018", "2018-06"),
        ("30 June 2018", "2018-06-30"),
        ("June 30, 2018", "2018-06-30"),
        ("on 30 June 2018", "2018-06-30"),
        ("the 30th of June, 2018", "2018-06-30"),
        ("Saturday, 30 June 2018", "2018-06-30"),
        ("Sept. 30, 2018", "2018-09-30"),
        ("in 2015", "2015"),
        ("mid-2018", "2018"),
        ("early 2019", "2019"),
        ("the end of 2018", "2018"),
        ("the summer of 2018", "2018"),
        ("late September 2018", "2018-09"),
        ("2018-06-30", "2018-06-30"),
        ("2018-06", "2018-06"),
    ],
)
def test_absolute_dates_need_no_anchor(expression: str, expected: str) -> None:
    assert resolve_date(expression, None) == expected
    assert resolve_date(expression, "2024-01-01") == expected


def test_expressions_that_count_from_another_event_use_that_date() -> None:
    # Pass the date of the event the expression refers back to (dev set: d007, d005).
    assert resolve_date("The following day", "2018-06-30") == "2018-07-01"
    assert resolve_date("three days after", "2018-03-11") == "2018-03-14"
    assert resolve_date("a day later", "2018-06") == "2018-06"  # never more precise than the anchor
    assert resolve_date("that month", "2018-10-30") == "2018-10"
    assert resolve_date("hours earlier", "2018-11-15") == "2018-11-15"
    assert is_anaphoric("the following day")
    assert is_anaphoric("three days later")
    assert is_anaphoric("That same month")
    assert not is_anaphoric("yesterday")
    assert not is_anaphoric("three days ago")
    assert not is_anaphoric("earlier this week")


def test_coarse_anchors_limit_precision() -> None:
    assert resolve_date("yesterday", "2018-06") == "2018-06"
    assert resolve_date("Tuesday", "2018") == "2018"
    assert resolve_date("last month", "2018-06") == "2018-05"
    assert resolve_date("30 June", "2018") == "2018-06-30"


def test_dateparser_fallback_for_other_formats() -> None:
    assert resolve_date("the 6th of July", "2018-07-10") == "2018-07-06"
    assert resolve_date("July the 6th", "2018-07-10") == "2018-07-06"
    assert resolve_date("6/7/2018", None) in {"2018-06-07", "2018-07-06"}


@pytest.mark.parametrize(
    ("expression", "published"),
    [
        ("the 1990s", "2019-01-01"),
        ("hello world", "2019-01-01"),
        ("", "2019-01-01"),
        ("Iran", "2019-01-01"),
        ("yesterday", None),  # relative, and nothing to anchor it on
        ("in June", None),
        ("on Saturday", "not a date"),
    ],
)
def test_nothing_date_like(expression: str, published: str | None) -> None:
    assert resolve_date(expression, published) is None


def test_parse_anchor() -> None:
    anchor = parse_anchor("2018-07-02T10:00:00Z")
    assert anchor is not None and anchor.day.isoformat() == "2018-07-02"
    assert parse_anchor("2018-02-30") is None
    assert parse_anchor(None) is None


def _texts(sentence: str) -> list[str]:
    return [text for _, _, text in find_date_expressions(sentence)]


def test_find_returns_offsets_into_the_sentence() -> None:
    sentence = "Belgian police on Saturday arrested a couple, and on Sunday 1 July 2018 a diplomat was held."
    found = find_date_expressions(sentence)
    assert [text for _, _, text in found] == ["Saturday", "Sunday 1 July 2018"]
    for start, end, text in found:
        assert sentence[start:end] == text


def test_find_prefers_the_longest_expression() -> None:
    assert _texts("The trial opened on Friday, 27 November 2020 in Antwerp.") == ["Friday, 27 November 2020"]
    assert _texts("It was thwarted in late September 2018.") == ["late September 2018"]
    assert _texts("The envoy was expelled in June last year.") == ["June last year"]


def test_find_relative_expressions() -> None:
    sentence = (
        "Last week, EU leaders agreed that Russia poisoned Skripal on 4 March, recalled the envoy "
        "earlier this month, and three days later more than two weeks later it happened again "
        "the following day."
    )
    assert _texts(sentence) == [
        "Last week", "4 March", "earlier this month", "three days later", "more than two weeks later",
        "the following day",
    ]  # fmt: skip


def test_find_years_but_not_counts_or_decades() -> None:
    assert _texts("In 2015 he fled; 2,000 people marched; the 1990s were different; in mid-2018 he moved.") == [
        "2015",
        "mid-2018",
    ]


def test_find_may_only_where_it_is_the_month() -> None:
    sentence = "Theresa May said in May that she may act."
    found = find_date_expressions(sentence)
    assert [(sentence[s:e], s) for s, e, _ in found] == [("May", sentence.index("in May") + 3)]
    assert _texts("Theresa May spoke on 4 May 2018.") == ["4 May 2018"]


def test_find_month_and_weekday_names_only_when_capitalised() -> None:
    assert _texts("Soldiers march in step; a sunday school.") == []
    assert _texts("In March, and again on Tuesday morning.") == ["March", "Tuesday morning"]


def test_find_nothing() -> None:
    assert find_date_expressions("Police arrested two men in Antwerp.") == []


def test_every_found_expression_resolves() -> None:
    sentence = (
        "On Saturday 30 June 2018 police arrested them; in late September, last June, earlier this week, "
        "yesterday, three days ago, June 2018, mid-2018 and Tuesday night."
    )
    for _, _, text in find_date_expressions(sentence):
        assert resolve_date(text, "2019-01-10") is not None, text


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("watched the house between 25 and 27 September 2018", None, ("2018-09-25", "2018-09-27")),
        ("followed him from March to June 2019", None, ("2019-03", "2019-06")),
        ("were held from 2 to 5 May", "2020-06-01", ("2020-05-02", "2020-05-05")),
        ("detained 25-27 September 2018", None, ("2018-09-25", "2018-09-27")),
        ("spied on exiles between 2015 and 2017", None, ("2015", "2017")),
        ("from November to February 2020", None, ("2019-11", "2020-02")),  # the start's year is the one before
    ],
)
def test_date_ranges(text: str, published: str | None, expected: tuple[str, str]) -> None:
    found = find_date_ranges(text)
    assert len(found) == 1
    assert resolve_range(found[0], published) == expected


def test_no_range_in_lists_of_dates() -> None:
    assert find_date_ranges("the killings in Almere in 2015 and in The Hague in 2017") == []
    assert find_date_ranges("he was born in 1975 and moved in 2001") == []
