"""Search operators on the database (``-word``, ``-[tag]``, ranges, ``user:me``,
``duplicate:``, ``created:``), the parsed query shown back and the help page. Run on SQLite
(FTS5) and on PostgreSQL (tsvector) alike: ``make test`` and the PostgreSQL pass of CI."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.threads.test_search import close, found, names, world  # noqa: F401 - fixture
from threads import search

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("operators", "expected"),
    [
        ("-[beta]", {"closed_q", "in_closed", "lone"}),
        ("[alpha] -[beta]", {"closed_q", "in_closed"}),
        ("-[nosuchtag]", {"open_q", "accepted", "other", "closed_q", "in_closed", "lone"}),
        ('-"zorblax accepted"', {"open_q", "other", "closed_q", "in_closed", "lone"}),
        ('-"second answer"', {"open_q", "accepted", "closed_q", "in_closed", "lone"}),
        ('-"zorblax accepted" -"closed zorblax"', {"open_q", "other", "in_closed", "lone"}),
        ("score:..0", {"accepted", "other", "closed_q", "in_closed", "lone"}),
        ("score:-1..0", {"accepted", "other", "closed_q", "in_closed", "lone"}),
        ("score:1..5", {"open_q"}),
        ("answers:1..1", {"closed_q"}),
        ("answers:..1", {"closed_q", "lone"}),
        ("isaccepted:yes", {"open_q", "accepted"}),
        ("isaccepted:no is:answer", {"other", "in_closed"}),
        ("duplicate:no", {"open_q", "accepted", "other", "closed_q", "in_closed", "lone"}),
        ("is:question -[gamma] closed:no score:1..", {"open_q"}),
    ],
)
def test_it_applies_each_new_operator(world, operators, expected):  # noqa: F811
    assert names(world, found(f"zorblax {operators}")) == expected


def test_exclusions_alone_are_a_search():
    kept = QuestionFactory(title="A plain question about nothing much")
    QuestionFactory(title="A zorblax question about zorblax things")

    assert kept.pk in found("-zorblax")
    assert all("zorblax" not in title.lower() for title in _titles(found("-zorblax")))


def _titles(ids):
    from threads.models import Post

    return Post.objects.filter(pk__in=ids).values_list("title", flat=True)


def test_it_finds_duplicates_and_their_answers():
    original = QuestionFactory(title="Original zorblax question")
    duplicate = QuestionFactory(title="Duplicate zorblax question")
    answer = AnswerFactory(question=duplicate, body="zorblax answer in the duplicate, long enough.")
    closed = QuestionFactory(title="Closed zorblax question, not a duplicate")
    close(duplicate, duplicate_of=original)
    close(closed)

    assert set(found("zorblax duplicate:yes")) == {duplicate.pk, answer.pk}
    assert set(found("zorblax duplicate:no")) == {original.pk, closed.pk}


def test_it_filters_by_creation_dates():
    def asked(day):
        return QuestionFactory(title="Dated zorblax question", created_at=day)

    december = asked(datetime(2023, 12, 31, 23, 59, tzinfo=UTC))
    january = asked(datetime(2024, 1, 1, 0, 0, tzinfo=UTC))
    june = asked(datetime(2024, 6, 30, 23, 0, tzinfo=UTC))
    july = asked(datetime(2024, 7, 1, 0, 0, tzinfo=UTC))

    assert set(found("zorblax created:2024-01..2024-06")) == {january.pk, june.pk}
    assert set(found("zorblax created:2024")) == {january.pk, june.pk, july.pk}
    assert set(found("zorblax created:..2023")) == {december.pk}
    assert set(found("zorblax created:2024-07..")) == {july.pk}
    assert set(found("zorblax created:2024-06-30")) == {june.pk}


# The page ------------------------------------------------------------------------------------


def test_user_me_finds_the_visitors_own_posts(client):
    me, other = UserFactory(), UserFactory()
    mine = QuestionFactory(author=me, title="My zorblax question")
    QuestionFactory(author=other, title="Their zorblax question")
    client.force_login(me)

    response = client.get(reverse("search"), {"q": "zorblax user:me"})

    assert [post.pk for post in response.context["results"]] == [mine.pk]
    assert "your posts" in response.context["searching_for"]


def test_user_me_asks_an_anonymous_visitor_to_log_in(client):
    QuestionFactory(title="Some zorblax question")

    response = client.get(reverse("search"), {"q": "zorblax user:me"})

    assert response.status_code == 200
    assert list(response.context["results"]) == []
    body = response.content.decode()
    assert "means your own posts" in body
    assert reverse("account_login") in body


def test_the_page_shows_the_parsed_query_and_links_the_help(client):
    response = client.get(reverse("search"), {"q": "zorblax -quuxly [css] score:3.."})
    body = response.content.decode()

    assert response.status_code == 200
    assert response.context["searching_for"] == [
        "“zorblax”",
        "without “quuxly”",
        "in [css]",
        "score ≥ 3",
    ]
    assert '<ul class="search-chips"' in body
    assert "<li>score ≥ 3</li>" in body
    assert reverse("search-help") in body


def test_paging_keeps_the_operators(client):
    for number in range(search.RESULTS_PER_PAGE + 1):
        QuestionFactory(title=f"Paged zorblax question {number}", score=3)

    response = client.get(reverse("search"), {"q": "zorblax score:3.. -quuxly"})

    assert response.context["page"].has_next()
    assert "q=zorblax+score%3A3..+-quuxly&amp;page=2" in response.content.decode()


def test_the_help_page_lists_every_operator_with_examples(client):
    response = client.get(reverse("search-help"))
    body = response.content.decode()

    assert response.status_code == 200
    for operator in ("-[tag]", "user:me", "is:question", "closed:yes", "duplicate:yes"):
        assert operator in body
    for operator in ("isaccepted:yes", "score:3", "answers:0", "created:2024-01..2024-06"):
        assert operator in body
    assert f"{reverse('search')}?q=answers%3A0%20%5Bpython%5D" in body


@pytest.mark.parametrize(
    "text",
    [
        "zorblax -quuxly",
        "zorblax -[alpha] [beta]",
        "zorblax duplicate:yes created:2024.. score:1..5 answers:0",
        "-zorblax",
    ],
)
def test_operator_pages_cost_constant_queries(client, django_assert_max_num_queries, text):
    for number in range(6):
        question = QuestionFactory(title=f"Zorblax question {number}", tags=["alpha"])
        AnswerFactory(question=question, body=f"zorblax answer number {number} with text.")

    with django_assert_max_num_queries(8):
        response = client.get(reverse("search"), {"q": text})
    assert response.status_code == 200


# Any text of the language's own pieces gives a results page, on either backend.
PIECES = st.sampled_from(
    ['"', "[", "]", "-", ":", "..", " ", "zorblax", "[alpha]", "-[beta]", "score:", "answers:",
     "created:", "user:", "me", "is:", "closed:", "duplicate:", "isaccepted:", "yes", "no",
     "2024", "-06", "3", "-1", "question", "answer", "*", "NEAR", "OR", "^", "'", "é"]
)  # fmt: skip


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.lists(PIECES, max_size=24).map("".join))
def test_any_combination_answers_with_a_page(world, text):  # noqa: F811
    response = Client().get(reverse("search"), {"q": text})

    assert response.status_code == 200
