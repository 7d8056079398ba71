"""Post votes and comment votes: ``vote_cast``, ``vote_retract``, ``comment_vote_*``."""

import random

import pytest
from django.db.models import Sum

from accounts.privileges import Privilege
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from tests.threads import user_with
from threads import services
from threads.models import Comment, CommentVote, Post, ReputationChange, Vote
from threads.reputation import reputation_recount

pytestmark = pytest.mark.django_db


def voter():
    reputation = Privilege.DOWNVOTE.reputation
    return UserFactory(reputation=reputation, imported_reputation=reputation - 1)


def fresh(post: Post) -> Post:
    return Post.objects.get(pk=post.pk)


def vote_sum(post: Post) -> int:
    return Vote.objects.filter(post=post).aggregate(total=Sum("value"))["total"] or 0


def test_it_casts_an_upvote():
    question = QuestionFactory()
    user = voter()
    version = fresh(question).version
    assert services.vote_cast(user=user, post=question, value=1)
    assert fresh(question).score == 1
    assert Vote.objects.get(user=user, post=question).value == 1
    assert fresh(question).version > version


def test_it_treats_the_same_vote_twice_as_a_no_op():
    answer = AnswerFactory()
    user = voter()
    assert services.vote_cast(user=user, post=answer, value=1)
    assert services.vote_cast(user=user, post=answer, value=1) is False
    assert fresh(answer).score == 1
    assert Vote.objects.filter(post=answer).count() == 1
    assert ReputationChange.objects.filter(user=answer.author).count() == 1


def test_it_moves_the_score_by_two_when_a_vote_changes():
    answer = AnswerFactory()
    user = voter()
    services.vote_cast(user=user, post=answer, value=1)
    assert services.vote_cast(user=user, post=answer, value=-1)
    assert fresh(answer).score == -1
    assert Vote.objects.get(user=user, post=answer).value == -1
    assert services.vote_cast(user=user, post=answer, value=1)
    assert fresh(answer).score == 1
    assert Vote.objects.filter(post=answer).count() == 1


def test_it_retracts_a_vote_once():
    question = QuestionFactory()
    user = voter()
    services.vote_cast(user=user, post=question, value=-1)
    assert services.vote_retract(user=user, post=question)
    assert fresh(question).score == 0
    assert not Vote.objects.exists()
    assert services.vote_retract(user=user, post=question) is False
    assert fresh(question).score == 0


def test_it_returns_false_when_retracting_a_vote_never_cast():
    assert services.vote_retract(user=voter(), post=QuestionFactory()) is False


def test_it_rejects_vote_values_other_than_plus_or_minus_one():
    question = QuestionFactory()
    for value in (0, 2, -2):
        with pytest.raises(ValueError):
            services.vote_cast(user=voter(), post=question, value=value)
    assert not Vote.objects.exists()


def test_it_does_not_move_last_activity_on_votes():
    question = QuestionFactory()
    before = fresh(question).last_activity_at
    services.vote_cast(user=voter(), post=question, value=1)
    assert fresh(question).last_activity_at == before


def test_it_counts_votes_from_several_users():
    question = QuestionFactory()
    for value in (1, 1, 1, -1):
        services.vote_cast(user=voter(), post=question, value=value)
    assert fresh(question).score == 2


def test_it_keeps_score_equal_to_the_sum_of_votes_after_a_random_sequence():
    rng = random.Random(20240501)
    users = [voter() for _ in range(10)]
    question = QuestionFactory()
    posts = [question, AnswerFactory(question=question), AnswerFactory(question=question)]
    authors = [post.author for post in posts]
    for _ in range(300):
        user, post = rng.choice(users), rng.choice(posts)
        action = rng.choice(["up", "down", "retract"])
        if action == "retract":
            services.vote_retract(user=user, post=post)
        else:
            services.vote_cast(user=user, post=post, value=1 if action == "up" else -1)

    for post in posts:
        assert fresh(post).score == vote_sum(post)
    assert Vote.objects.count() <= len(users) * len(posts)
    for user in [*users, *authors]:
        user.refresh_from_db()
        ledger = ReputationChange.objects.filter(user=user).aggregate(t=Sum("amount"))["t"] or 0
        assert user.reputation == 1 + user.imported_reputation + ledger
    assert reputation_recount() == []


# Comment votes ----------------------------------------------------------------------------


def fresh_comment(comment: Comment) -> Comment:
    return Comment.objects.get(pk=comment.pk)


def test_it_casts_a_comment_upvote_once():
    comment = CommentFactory(author=user_with(Privilege.COMMENT_EVERYWHERE))
    user = voter()
    assert services.comment_vote_cast(user=user, comment=comment)
    assert services.comment_vote_cast(user=user, comment=comment) is False
    assert fresh_comment(comment).score == 1
    assert CommentVote.objects.filter(comment=comment).count() == 1
    assert services.comment_vote_cast(user=voter(), comment=comment)
    assert fresh_comment(comment).score == 2


def test_it_retracts_a_comment_upvote_once():
    comment = CommentFactory(author=user_with(Privilege.COMMENT_EVERYWHERE))
    user, other = voter(), voter()
    services.comment_vote_cast(user=user, comment=comment)
    services.comment_vote_cast(user=other, comment=comment)
    assert services.comment_vote_retract(user=user, comment=comment)
    assert services.comment_vote_retract(user=user, comment=comment) is False
    assert fresh_comment(comment).score == 1
    assert list(CommentVote.objects.values_list("user", flat=True)) == [other.pk]


def test_it_gives_no_reputation_for_comment_votes():
    comment = CommentFactory(author=user_with(Privilege.COMMENT_EVERYWHERE))
    services.comment_vote_cast(user=voter(), comment=comment)
    assert not ReputationChange.objects.exists()


@pytest.mark.parametrize("kind", ["question", "answer"])
def test_each_vote_moves_the_question_version_once_and_reports_the_score(kind):
    post = QuestionFactory(score=4) if kind == "question" else AnswerFactory(score=4)
    question_id = post.question_id
    user = voter()
    steps = [(services.vote_cast, {"value": 1}, 5), (services.vote_cast, {"value": -1}, 3)]
    steps.append((services.vote_retract, {}, 4))
    for service, extra, expected in steps:
        version = fresh(Post(pk=question_id)).version
        given = Post.objects.get(pk=post.pk)
        assert service(user=user, post=given, **extra)
        assert given.score == fresh(post).score == expected
        assert fresh(Post(pk=question_id)).version == version + 1
