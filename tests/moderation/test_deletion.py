"""Deleting and undeleting: who may, who still sees a deleted post, and the record."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from accounts.privileges import Privilege
from moderation import services
from moderation.models import EventKind
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.moderation import NON_MODERATORS, close, closer, events, fresh, moderator
from threads import rules
from threads import services as threads_services

pytestmark = pytest.mark.django_db


def may_delete(user, post) -> bool:
    return rules.allowed(rules.check_delete_post_permission, user, fresh(post))


def upvote(post) -> None:
    threads_services.vote_cast(
        user=UserFactory(reputation=Privilege.UPVOTE.reputation), post=post, value=1
    )


# Who may delete ---------------------------------------------------------------------------


def test_it_lets_moderators_delete_any_post():
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    upvote(answer)

    assert may_delete(moderator(), question)
    assert may_delete(moderator(), answer)


def test_it_lets_the_asker_delete_a_question_without_upvoted_answers():
    question = QuestionFactory()
    assert may_delete(question.author, question)

    AnswerFactory(question=question)
    assert may_delete(question.author, question)


def test_it_lets_the_asker_delete_a_closed_question():
    question = close(QuestionFactory())

    assert may_delete(question.author, question)


def test_it_refuses_the_asker_once_an_answer_is_upvoted():
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    upvote(answer)

    with pytest.raises(PermissionDenied, match="upvoted answers"):
        rules.check_delete_post_permission(question.author, fresh(question))


def test_it_ignores_upvoted_answers_that_are_deleted():
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    upvote(answer)
    threads_services.post_delete(actor=moderator(), post=answer)

    assert may_delete(question.author, question)


def test_it_lets_authors_delete_their_answers_even_upvoted():
    answer = AnswerFactory()
    upvote(answer)

    assert may_delete(answer.author, answer)


@pytest.mark.parametrize("make_user", NON_MODERATORS)
def test_it_refuses_others(make_user):
    question = QuestionFactory()
    answer = AnswerFactory(question=question)

    assert not may_delete(make_user(), question)
    assert not may_delete(make_user(), answer)


def test_it_refuses_to_delete_twice():
    question = QuestionFactory()
    services.post_delete(actor=moderator(), post=question)

    with pytest.raises(PermissionDenied, match="already been deleted"):
        rules.check_delete_post_permission(moderator(), fresh(question))


# Who sees deleted posts ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("anonymous", False),
        ("new user", False),
        ("closer", False),
        ("below 10k", False),
        ("10k", True),
        ("15k", True),
        ("moderator", True),
        ("author", True),
    ],
)
@pytest.mark.parametrize("kind", ["question", "answer"])
def test_it_shows_deleted_posts_to_authors_10k_users_and_moderators(who, sees, kind):
    post = QuestionFactory() if kind == "question" else AnswerFactory()
    users = {
        "anonymous": lambda: AnonymousUser(),
        "new user": lambda: UserFactory(),
        "closer": closer,
        "below 10k": lambda: UserFactory(reputation=Privilege.MODERATOR_TOOLS.reputation - 1),
        "10k": lambda: UserFactory(reputation=Privilege.MODERATOR_TOOLS.reputation),
        "15k": lambda: UserFactory(reputation=Privilege.PROTECT_QUESTIONS.reputation),
        "moderator": moderator,
        "author": lambda: post.author,
    }
    user = users[who]()
    assert rules.can_view_post(user, fresh(post))

    services.post_delete(actor=moderator(), post=post)

    assert rules.can_view_post(user, fresh(post)) is sees


# The record -------------------------------------------------------------------------------


def test_it_records_deleting_and_undeleting_a_question():
    question = QuestionFactory()
    deleter, restorer = question.author, moderator()

    assert services.post_delete(actor=deleter, post=question) is True
    assert services.post_delete(actor=deleter, post=question) is False
    assert fresh(question).is_deleted
    assert services.post_undelete(actor=restorer, post=question) is True
    assert services.post_undelete(actor=restorer, post=question) is False
    assert not fresh(question).is_deleted

    deleted = events(question, EventKind.DELETED).get()
    assert (deleted.actor, deleted.actor_name) == (deleter, deleter.name)
    assert deleted.post_id == question.pk
    undeleted = events(question, EventKind.UNDELETED).get()
    assert (undeleted.actor, undeleted.actor_name) == (restorer, restorer.name)


def test_it_records_deleting_an_answer_on_its_question():
    answer = AnswerFactory()
    mod = moderator()

    services.post_delete(actor=mod, post=answer)

    event = events(answer, EventKind.DELETED).get()
    assert event.post_id == answer.pk
    assert event.question_id == answer.parent_id
    assert event.actor == mod


def test_it_records_deletion_done_by_threads_directly():
    """The event comes from the signal, so deletions outside moderation are recorded too."""
    question = QuestionFactory()

    threads_services.post_delete(actor=question.author, post=question)

    assert events(question, EventKind.DELETED).get().actor == question.author
