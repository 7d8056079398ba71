"""Rate limits under real concurrency (docs/architecture.md, Decisions: "Counted under a row lock":
counted from rows under the user's row lock, so parallel requests and several workers cannot exceed
them). PostgreSQL only: SQLite serialises writers anyway."""

import uuid

import pytest

from accounts.privileges import Privilege
from core.conf import qasite_setting
from core.exceptions import RateLimited
from tests.concurrency import postgresql_only, run_in_parallel
from tests.factories import QuestionFactory, UserFactory
from threads import services
from threads.models import Comment, Post, Tag, Vote

pytestmark = [
    pytest.mark.django_db(transaction=True),
    postgresql_only,
]

TITLE = "How do I read a CSV file with pandas"
BODY = "I tried pandas.read_csv on a semicolon separated file and got a single column."
COMMENT = "Could you show the first three lines of the file?"


def new_user():
    Tag.objects.get_or_create(name="python", defaults={"slug": "python"})  # not a new tag
    return UserFactory(reputation=qasite_setting("RATE_LIMITS")["NEW_USER_REPUTATION"] - 1)


def test_it_creates_one_comment_for_parallel_comments_by_one_user():
    user = UserFactory(reputation=Privilege.COMMENT_EVERYWHERE.reputation)
    post = QuestionFactory()
    tokens = [uuid.uuid4() for _ in range(10)]

    errors = run_in_parallel(
        10,
        lambda i: services.comment_create(author=user, post=post, body=COMMENT, token=tokens[i]),
    )

    assert Comment.objects.filter(author=user).count() == 1
    assert len(errors) == 9
    assert all(isinstance(error, RateLimited) for error in errors), errors
    post.refresh_from_db()
    assert post.comment_count == 1


def test_it_creates_one_question_for_parallel_questions_by_a_new_user():
    user = new_user()
    tokens = [uuid.uuid4() for _ in range(10)]

    errors = run_in_parallel(
        10,
        lambda i: services.question_create(
            author=user, title=f"{TITLE} {i}", body=BODY, tags=["python"], token=tokens[i]
        ),
    )

    assert Post.objects.questions().filter(author=user).count() == 1
    assert len(errors) == 9
    assert all(isinstance(error, RateLimited) for error in errors), errors


def test_it_returns_one_question_for_parallel_replays_of_one_token():
    """A double-clicked ask form: every request gets the same question, none is refused."""
    user = new_user()
    token = uuid.uuid4()
    created: list[int] = []

    def ask(_index: int) -> None:
        question = services.question_create(
            author=user, title=TITLE, body=BODY, tags=["python"], token=token
        )
        created.append(question.pk)

    errors = run_in_parallel(5, ask)

    assert errors == []
    assert len(set(created)) == 1
    assert Post.objects.questions().filter(author=user).count() == 1


def test_it_keeps_one_voter_within_the_daily_limit_in_parallel(settings):
    allowed = 3
    settings.QASITE = {
        **settings.QASITE,
        "RATE_LIMITS": {**settings.QASITE["RATE_LIMITS"], "VOTES_PER_DAY": allowed},
    }
    authors = [UserFactory() for _ in range(10)]
    posts = [QuestionFactory(author=author) for author in authors]
    voter = UserFactory(reputation=Privilege.UPVOTE.reputation)

    errors = run_in_parallel(10, lambda i: services.vote_cast(user=voter, post=posts[i], value=1))

    assert len(errors) == 10 - allowed
    assert all(isinstance(error, RateLimited) for error in errors), errors
    assert Vote.objects.filter(user=voter).count() == allowed
    scores = sorted(
        Post.objects.filter(pk__in=[p.pk for p in posts]).values_list("score", flat=True)
    )
    assert scores == [0] * (10 - allowed) + [1] * allowed
