"""Moderation pages cost a constant number of queries whatever their size (docs/architecture.md,
Decisions: "Pages cost a constant number of queries").

Same convention as ``tests/threads/test_query_counts.py``: the anonymous question page may use
at most 8 queries; a logged-in request adds the session and user lookups (+2: sessions are
read through the cache only when it is shared, with Redis). Each test measures a small
and a large version of the same page and asserts both the ceiling and that the two counts are
equal (no N+1)."""

import pytest
from django.test import Client

from accounts.privileges import Privilege
from moderation import services
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from tests.moderation import career, closer, moderator, opinion, vote_to_close
from tests.queries import measure, report
from threads import services as threads_services

pytestmark = pytest.mark.django_db

QUESTION_PAGE_MAX = 8
LOGGED_IN_EXTRA = 2
FOLLOW_STATE = 1  # a member's question page: whether they follow it
PAGE_MAX = 8
VIEWERS = ["anonymous", "rep3000", "voter", "moderator"]


@pytest.fixture
def people():
    return {
        "asker": UserFactory(reputation=300),
        "answerers": [UserFactory(reputation=200 + index) for index in range(5)],
        "commenters": [UserFactory(reputation=60 + index) for index in range(5)],
        "voters": [closer() for _ in range(3)],
        "rep3000": closer(),
        "moderator": moderator(),
    }


def build_thread(people, *, answers: int, comments_each: int, close_votes: int):
    """A thread with answers and comments and ``close_votes`` votes (3 close it)."""
    question = QuestionFactory(author=people["asker"], tags=["python", "pandas"])
    CommentFactory(post=question, author=people["commenters"][0])
    for index in range(answers):
        answer = AnswerFactory(question=question, author=people["answerers"][index % 5])
        for number in range(comments_each):
            CommentFactory(post=answer, author=people["commenters"][number % 5])
    vote_to_close(question, people["voters"][:close_votes], career())
    question.refresh_from_db()
    return question


def client_for(people, viewer: str) -> Client:
    client = Client()
    if viewer == "voter":
        client.force_login(people["voters"][0])
    elif viewer != "anonymous":
        client.force_login(people[viewer])
    return client


@pytest.mark.parametrize(
    ("viewer", "close_votes"),
    [
        pytest.param(
            viewer,
            votes,
            id=f"{viewer}-{name}",
        )
        for viewer in VIEWERS
        for votes, name in ((3, "closed"), (2, "two-pending"))
    ],
)
def test_it_renders_the_question_page_in_constant_queries(
    people, django_assert_max_num_queries, viewer, close_votes
):
    small = build_thread(people, answers=1, comments_each=0, close_votes=close_votes)
    large = build_thread(people, answers=20, comments_each=5, close_votes=close_votes)
    assert (large.closed_at is not None) is (close_votes == 3)
    client = client_for(people, viewer)
    client.get(QuestionFactory().get_absolute_url())  # the session is stored and cached
    ceiling = QUESTION_PAGE_MAX + (0 if viewer == "anonymous" else LOGGED_IN_EXTRA + FOLLOW_STATE)

    small_count, small_sql = measure(client, small.get_absolute_url())
    with django_assert_max_num_queries(ceiling):
        large_count, large_sql = measure(client, large.get_absolute_url())

    assert small_count == large_count, report(small_sql, large_sql)
    assert large_count <= ceiling


def grow_history(people, question, answers: list, rounds: int) -> None:
    """Edits, close and reopen rounds, locks: ``rounds`` times over."""
    editor = UserFactory(reputation=Privilege.EDIT_ANY_POST.reputation)
    mod = people["moderator"]
    for number in range(rounds):
        for answer in answers:
            threads_services.post_edit(
                editor=UserFactory(reputation=Privilege.EDIT_ANY_POST.reputation),
                post=answer,
                title="",
                body=f"{answer.body} (edit {number})",
                summary=f"edit {number}",
            )
        threads_services.post_edit(
            editor=editor,
            post=question,
            title=question.title,
            body=f"{question.body} (edit {number})",
            summary=f"edit {number}",
        )
        voters = [closer() for _ in range(3)]
        vote_to_close(question, voters, opinion())
        for voter in [closer() for _ in range(2)]:
            services.reopen_vote_cast(voter=voter, question=question)
        services.reopen_vote_cast(voter=mod, question=question)
        services.post_lock(actor=mod, post=answers[0], kind="historical", duration="1h")
        services.post_unlock(actor=mod, post=answers[0])
        question.refresh_from_db()


@pytest.mark.parametrize("viewer", ["anonymous", "moderator"])
def test_it_renders_the_timeline_in_constant_queries(people, django_assert_max_num_queries, viewer):
    small = QuestionFactory(author=people["asker"])
    small_answers = [AnswerFactory(question=small, author=people["answerers"][0])]
    grow_history(people, small, small_answers, rounds=1)
    large = QuestionFactory(author=people["asker"])
    large_answers = [
        AnswerFactory(question=large, author=people["answerers"][index % 5]) for index in range(8)
    ]
    grow_history(people, large, large_answers, rounds=4)
    client = client_for(people, viewer)
    client.get("/")
    ceiling = PAGE_MAX + (0 if viewer == "anonymous" else LOGGED_IN_EXTRA)

    small_count, small_sql = measure(client, f"/questions/{small.pk}/timeline/")
    with django_assert_max_num_queries(ceiling):
        large_count, large_sql = measure(client, f"/questions/{large.pk}/timeline/")

    assert small_count == large_count, report(small_sql, large_sql)


def test_it_renders_the_moderation_log_in_constant_queries(people, django_assert_max_num_queries):
    def grow(count: int):
        for _ in range(count):
            question = QuestionFactory(author=people["asker"])
            AnswerFactory(question=question, author=people["answerers"][0])
            vote_to_close(question, [closer() for _ in range(3)], opinion())
            services.post_lock(
                actor=people["moderator"], post=question, kind="historical", duration="1d"
            )

    grow(1)
    client = client_for(people, "moderator")
    client.get("/")
    ceiling = PAGE_MAX + LOGGED_IN_EXTRA

    small_count, small_sql = measure(client, "/moderation/log/")
    grow(10)
    with django_assert_max_num_queries(ceiling):
        large_count, large_sql = measure(client, "/moderation/log/")

    assert small_count == large_count, report(small_sql, large_sql)
