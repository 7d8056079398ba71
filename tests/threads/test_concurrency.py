"""Counters under real concurrency: parallel requests change them exactly once each.

These need a database with row locks and concurrent connections, so they run in the
PostgreSQL pass of .ci/run (SQLite serialises writers anyway)."""

import uuid

import pytest

from tests.concurrency import postgresql_only, run_in_parallel
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from threads import services
from threads.models import Post, ReputationChange

pytestmark = [
    pytest.mark.django_db(transaction=True),
    postgresql_only,
]


def test_it_counts_every_parallel_vote_once():
    question = QuestionFactory()
    voters = [UserFactory(reputation=200) for _ in range(8)]

    errors = run_in_parallel(
        8, lambda i: services.vote_cast(user=voters[i], post=question, value=1)
    )

    assert errors == []
    question.refresh_from_db()
    question.author.refresh_from_db()
    assert question.score == 8
    assert question.author.reputation == 1 + sum(
        ReputationChange.objects.filter(user=question.author).values_list("amount", flat=True)
    )


def test_it_applies_a_replayed_vote_once():
    question = QuestionFactory()
    voter = UserFactory(reputation=200)

    errors = run_in_parallel(6, lambda i: services.vote_cast(user=voter, post=question, value=1))

    assert errors == []
    question.refresh_from_db()
    assert question.score == 1


def test_it_creates_one_answer_for_parallel_replays_of_one_form():
    question = QuestionFactory()
    author = UserFactory()
    token = uuid.uuid4()

    errors = run_in_parallel(
        6,
        lambda i: services.answer_create(
            author=author,
            question=question,
            body="The same answer, posted six times.",
            token=token,
        ),
    )

    assert errors == []
    question.refresh_from_db()
    assert Post.objects.filter(parent=question).count() == 1
    assert question.answer_count == 1


def test_it_keeps_the_daily_cap_under_parallel_upvotes():
    question = QuestionFactory()
    answers = [QuestionFactory(author=question.author) for _ in range(3)]
    voters = [UserFactory(reputation=200) for _ in range(10)]
    posts = [question, *answers]

    def vote(index: int) -> None:
        for post in posts:
            services.vote_cast(user=voters[index], post=post, value=1)

    errors = run_in_parallel(10, vote)

    assert errors == []
    author = question.author
    author.refresh_from_db()
    assert author.reputation == 1 + 200


def test_it_keeps_the_score_when_one_voter_casts_and_retracts_in_parallel():
    """Casts and retractions of the same vote race (a double click, the page's script):
    none may fail, and the score must be what the remaining vote says."""
    answer = AnswerFactory()
    voter = UserFactory(reputation=200)

    def toggle(index: int) -> None:
        if index % 2:
            services.vote_cast(user=voter, post=answer, value=1, rate_limited=False)
        else:
            services.vote_retract(user=voter, post=answer)

    errors = run_in_parallel(8, toggle)

    assert errors == []
    answer.refresh_from_db()
    assert answer.score == sum(answer.votes.values_list("value", flat=True))
    answer.author.refresh_from_db()
    assert answer.author.reputation == 1 + sum(
        ReputationChange.objects.filter(user=answer.author).values_list("amount", flat=True)
    )


def test_it_accepts_while_others_vote_without_deadlock():
    """Accepting changes the asker's and answerers' reputation while votes on the question
    and its answers lock the same users and posts: one lock order, no error."""
    question = QuestionFactory()
    answers = [AnswerFactory(question=question) for _ in range(2)]
    voters = [UserFactory(reputation=200) for _ in range(6)]

    def act(index: int) -> None:
        if index < 2:
            services.answer_accept(user=question.author, answer=answers[index])
        else:
            target = [question, *answers][index % 3]
            services.vote_cast(user=voters[index - 2], post=target, value=1)

    errors = run_in_parallel(8, act)

    assert errors == []
    question.refresh_from_db()
    assert question.accepted_answer_id in {answer.pk for answer in answers}
    for user in [question.author, *(answer.author for answer in answers)]:
        user.refresh_from_db()
        assert user.reputation == 1 + sum(
            ReputationChange.objects.filter(user=user).values_list("amount", flat=True)
        )


def test_parallel_downvotes_and_a_spam_penalty_stop_at_the_floor():
    """Each loss reads the reputation under the user's row lock (docs/rules.md, "Reputation")."""
    author = UserFactory(reputation=7, imported_reputation=6)
    posts = [AnswerFactory(author=author) for _ in range(6)]
    voters = [UserFactory(reputation=200) for _ in range(6)]

    errors = run_in_parallel(
        6, lambda i: services.vote_cast(user=voters[i], post=posts[i], value=-1)
    )

    assert errors == []
    author.refresh_from_db()
    amounts = ReputationChange.objects.filter(user=author).values_list("amount", flat=True)
    assert author.reputation == 1 == 1 + author.imported_reputation + sum(amounts)
    assert sorted(amounts) == [-2, -2, -2, 0, 0, 0]
