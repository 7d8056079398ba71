"""The search language's parser (``threads.search.parse``): a pure function turning what
people type into a ``SearchQuery`` — never raising, never an error (docs/rules.md, "Search")."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from threads.search import describe, parse
from threads.search.query import MAX_QUERY_LENGTH, MAX_TERMS, DateRange, Range


def test_it_reads_words_phrases_and_exclusions():
    query = parse('zorblax "blue widget" -quuxly -"red thing" -[python] [css]')

    assert query.words == ("zorblax",)
    assert query.phrases == (("blue", "widget"),)
    assert query.excluded == (("quuxly",), ("red", "thing"))
    assert query.tags == ("css",)
    assert query.excluded_tags == ("python",)


def test_a_hyphen_inside_a_word_is_no_exclusion():
    assert parse("well-known").words == ("well", "known")
    assert parse("well-known").excluded == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("score:3", Range(3, None)),
        ("score:3..", Range(3, None)),
        ("score:..3", Range(None, 3)),
        ("score:3..7", Range(3, 7)),
        ("score:7..3", Range(3, 7)),
        ("score:-1..1", Range(-1, 1)),
        ("score:-2", Range(-2, None)),
    ],
)
def test_it_reads_score_ranges(text, expected):
    assert parse(text).score == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("answers:0", Range(0, 0)),
        ("answers:2", Range(2, None)),
        ("answers:0..", Range(0, None)),
        ("answers:..1", Range(None, 1)),
        ("answers:1..3", Range(1, 3)),
    ],
)
def test_it_reads_answer_ranges(text, expected):
    assert parse(text).answers == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("created:2024", DateRange(date(2024, 1, 1), date(2025, 1, 1))),
        ("created:2024-02", DateRange(date(2024, 2, 1), date(2024, 3, 1))),
        ("created:2024-02-29", DateRange(date(2024, 2, 29), date(2024, 3, 1))),
        ("created:2024-01..2024-06", DateRange(date(2024, 1, 1), date(2024, 7, 1))),
        ("created:2024..", DateRange(date(2024, 1, 1), None)),
        ("created:..2023-12-31", DateRange(None, date(2024, 1, 1))),
        ("created:2024-06..2024-01", DateRange(date(2024, 1, 1), date(2024, 7, 1))),
    ],
)
def test_it_reads_dates_and_date_ranges(text, expected):
    assert parse(text).created == expected


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("is:question", "kind", "question"),
        ("is:answer", "kind", "answer"),
        ("closed:yes", "closed", True),
        ("closed:no", "closed", False),
        ("duplicate:yes", "duplicate", True),
        ("duplicate:no", "duplicate", False),
        ("isaccepted:yes", "accepted", True),
        ("isaccepted:no", "accepted", False),
        ("accepted:yes", "accepted", True),
        ("user:42", "user_id", 42),
        ("user:me", "user_me", True),
        ("USER:ME", "user_me", True),
    ],
)
def test_it_reads_each_operator(text, field, value):
    query = parse(text)
    assert getattr(query, field) == value
    assert query.words == ()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("score:lots", ("score", "lots")),
        ("score:1..2..3", ("score", "1", "2", "3")),
        ("created:2024-13", ("created", "2024", "13")),
        ("created:2023-02-29", ("created", "2023", "02", "29")),
        ("created:yesterday", ("created", "yesterday")),
        ("answers:..-1", ("answers", "1")),
        ("user:someone", ("user", "someone")),
        ("colour:blue", ("colour", "blue")),
        ("duplicate:maybe", ("duplicate", "maybe")),
    ],
)
def test_it_reads_what_it_does_not_understand_as_words(text, words):
    query = parse(text)
    assert query.words == words
    assert not query.has_filters


def test_operators_combine_freely():
    query = parse(
        "grid -flex [css] -[html] user:7 is:question closed:no duplicate:no isaccepted:yes "
        "score:2.. answers:1..5 created:2024-01..2024-06"
    )

    assert (query.words, query.excluded, query.tags, query.excluded_tags) == (
        ("grid",),
        (("flex",),),
        ("css",),
        ("html",),
    )
    assert (query.user_id, query.kind, query.closed, query.duplicate, query.accepted) == (
        7,
        "question",
        False,
        False,
        True,
    )
    assert (query.score, query.answers) == (Range(2, None), Range(1, 5))
    assert query.created == DateRange(date(2024, 1, 1), date(2024, 7, 1))


def test_user_me_is_the_visitors_posts_once_known():
    query = parse("user:me")

    assert query.needs_login
    assert query.for_user(None).needs_login
    assert query.for_user(5).user_id == 5
    assert not query.for_user(5).needs_login
    assert parse("user:3").for_user(5).user_id == 3


def test_it_describes_the_query_back():
    query = parse(
        'zorblax "a b" -c [css] -[html] score:3 answers:0 closed:no created:2024-01..2024-06'
    )

    assert describe(query) == [
        "“zorblax”",
        "“a b” (exact)",
        "without “c”",
        "in [css]",
        "not in [html]",
        "score ≥ 3",
        "no answers",
        "open",
        "created 2024-01-01 to 2024-06-30",
    ]
    assert describe(parse("user:me score:..2")) == ["your posts", "score ≤ 2"]


def test_it_keeps_a_bounded_number_of_terms():
    query = parse(" ".join(f"w{n} -x{n}" for n in range(100)))

    assert len(query.words) + len(query.excluded) + len(query.phrases) <= MAX_TERMS


# Text made of the language's own pieces, so the examples hit its corners, not just noise.
PIECES = st.sampled_from(
    ['"', "[", "]", "-", ":", "..", " ", "me", "yes", "2024", "-01", "3", "score", "answers",
     "created", "user", "is", "closed", "duplicate", "isaccepted", "question", "é", "\x00"]
)  # fmt: skip


@given(st.one_of(st.text(max_size=200), st.lists(PIECES, max_size=40).map("".join)))
def test_it_never_raises_on_any_input(text):
    query = parse(text)

    assert query.raw == text[:MAX_QUERY_LENGTH].replace("\x00", "")
    assert isinstance(describe(query), list)
    assert all(word for word in query.words)
    if query.score is not None and None not in (query.score.low, query.score.high):
        assert query.score.low <= query.score.high
    if query.created is not None and None not in (query.created.start, query.created.end):
        assert query.created.start < query.created.end
