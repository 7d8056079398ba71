"""``threads.rules``: who may vote, comment, edit, accept, answer and see deleted posts."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.privileges import Privilege
from core.conf import qasite_setting
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from threads import rules, services
from threads.models import Post, Vote

pytestmark = pytest.mark.django_db

T0 = datetime(2024, 3, 4, 10, 0, tzinfo=UTC)


def at(privilege: Privilege, delta: int = 0, **extra):
    return UserFactory(reputation=privilege.reputation + delta, **extra)


def fresh(post: Post) -> Post:
    return Post.objects.select_related("parent").get(pk=post.pk)


def set_state(post: Post, **fields) -> Post:
    Post.objects.filter(pk=post.pk).update(**fields)
    return fresh(post)


# Voting -----------------------------------------------------------------------------------


def test_it_lets_upvote_from_the_upvote_threshold():
    question = QuestionFactory()
    with pytest.raises(PermissionDenied):
        rules.check_vote_permission(at(Privilege.UPVOTE, -1), question, 1)
    rules.check_vote_permission(at(Privilege.UPVOTE), question, 1)


def test_it_lets_downvote_from_the_downvote_threshold():
    answer = AnswerFactory()
    with pytest.raises(PermissionDenied):
        rules.check_vote_permission(at(Privilege.DOWNVOTE, -1), answer, -1)
    rules.check_vote_permission(at(Privilege.DOWNVOTE), answer, -1)


def test_it_refuses_votes_from_anonymous_and_suspended_users():
    question = QuestionFactory()
    with pytest.raises(PermissionDenied):
        rules.check_vote_permission(AnonymousUser(), question, 1)
    with pytest.raises(PermissionDenied):
        rules.check_vote_permission(at(Privilege.DOWNVOTE, is_active=False), question, 1)


def test_it_refuses_votes_on_ones_own_post():
    author = at(Privilege.DOWNVOTE)
    question = QuestionFactory(author=author)
    answer = AnswerFactory(author=author)
    for post in (question, answer):
        for value in (1, -1):
            with pytest.raises(PermissionDenied):
                rules.check_vote_permission(author, post, value)


def test_it_refuses_votes_on_ones_own_post_even_for_moderators():
    moderator = UserFactory(is_moderator=True)
    question = QuestionFactory(author=moderator)
    assert not rules.allowed(rules.check_vote_permission, moderator, question, 1)


def test_it_refuses_votes_on_deleted_or_locked_posts():
    voter = at(Privilege.DOWNVOTE)
    deleted = set_state(QuestionFactory(), deleted_at=timezone.now())
    locked = set_state(QuestionFactory(), locked_until=timezone.now() + timedelta(hours=1))
    expired_lock = set_state(QuestionFactory(), locked_until=timezone.now() - timedelta(hours=1))
    assert not rules.allowed(rules.check_vote_permission, voter, deleted, 1)
    assert not rules.allowed(rules.check_vote_permission, voter, locked, 1)
    assert rules.allowed(rules.check_vote_permission, voter, expired_lock, 1)


def test_it_lets_upvote_comments_from_the_upvote_threshold():
    comment = CommentFactory(author=at(Privilege.COMMENT_EVERYWHERE))
    assert not rules.allowed(rules.check_vote_comment_permission, at(Privilege.UPVOTE, -1), comment)
    assert rules.allowed(rules.check_vote_comment_permission, at(Privilege.UPVOTE), comment)


def test_it_refuses_votes_on_ones_own_comment():
    author = at(Privilege.MODERATOR_TOOLS)
    comment = CommentFactory(author=author)
    with pytest.raises(PermissionDenied):
        rules.check_vote_comment_permission(author, comment)


# Vote lock --------------------------------------------------------------------------------


def _cast_vote():
    voter = at(Privilege.UPVOTE)
    question = QuestionFactory()
    services.vote_cast(user=voter, post=question, value=1)
    return voter, question


def _vote(voter, question) -> Vote:
    return Vote.objects.select_related("post").get(user=voter, post=question)


def test_it_lets_a_vote_change_within_the_lock_window():
    lock = timedelta(minutes=qasite_setting("VOTE_LOCK_MINUTES"))
    with time_machine.travel(T0, tick=False) as traveller:
        voter, question = _cast_vote()
        traveller.shift(lock - timedelta(seconds=1))
        rules.check_change_vote_permission(voter, _vote(voter, question))


def test_it_locks_a_vote_after_the_lock_window():
    lock = timedelta(minutes=qasite_setting("VOTE_LOCK_MINUTES"))
    with time_machine.travel(T0, tick=False) as traveller:
        voter, question = _cast_vote()
        traveller.shift(lock + timedelta(seconds=1))
        with pytest.raises(PermissionDenied):
            rules.check_change_vote_permission(voter, _vote(voter, question))


def test_it_unlocks_a_vote_when_the_post_is_edited_after_it():
    lock = timedelta(minutes=qasite_setting("VOTE_LOCK_MINUTES"))
    with time_machine.travel(T0, tick=False) as traveller:
        voter, question = _cast_vote()
        traveller.shift(lock * 2)
        assert not rules.allowed(rules.check_change_vote_permission, voter, _vote(voter, question))
        services.post_edit(
            editor=question.author,
            post=question,
            title=question.title,
            body=question.body + " An edit after the vote.",
            tags=["python"],
        )
        traveller.shift(lock * 2)
        rules.check_change_vote_permission(voter, _vote(voter, question))


def test_it_keeps_a_vote_locked_when_the_edit_came_before_the_vote():
    lock = timedelta(minutes=qasite_setting("VOTE_LOCK_MINUTES"))
    with time_machine.travel(T0, tick=False) as traveller:
        question = QuestionFactory()
        services.post_edit(
            editor=question.author,
            post=question,
            title=question.title,
            body=question.body + " An edit before the vote.",
        )
        traveller.shift(timedelta(minutes=1))
        voter = at(Privilege.UPVOTE)
        services.vote_cast(user=voter, post=question, value=1)
        traveller.shift(lock + timedelta(seconds=1))
        with pytest.raises(PermissionDenied):
            rules.check_change_vote_permission(voter, _vote(voter, question))


# Commenting -------------------------------------------------------------------------------


def test_it_lets_one_rep_comment_on_own_posts_and_on_answers_to_own_question():
    newbie = at(Privilege.ASK)
    assert newbie.reputation < Privilege.COMMENT_EVERYWHERE.reputation
    own_question = QuestionFactory(author=newbie)
    answer_to_own_question = AnswerFactory(question=own_question)
    own_answer = AnswerFactory(author=newbie)
    rules.check_comment_permission(newbie, own_question)
    rules.check_comment_permission(newbie, answer_to_own_question)
    rules.check_comment_permission(newbie, own_answer)


def test_it_needs_the_comment_privilege_on_others_posts():
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    below = at(Privilege.COMMENT_EVERYWHERE, -1)
    for post in (question, answer):
        with pytest.raises(PermissionDenied):
            rules.check_comment_permission(below, post)
        rules.check_comment_permission(at(Privilege.COMMENT_EVERYWHERE), post)


def test_it_refuses_comments_from_anonymous_visitors_and_on_locked_posts():
    question = QuestionFactory()
    assert not rules.allowed(rules.check_comment_permission, AnonymousUser(), question)
    locked = set_state(question, locked_until=timezone.now() + timedelta(days=1))
    assert not rules.allowed(rules.check_comment_permission, locked.author, locked)


# Editing ----------------------------------------------------------------------------------


def test_it_lets_authors_edit_their_own_posts_from_one_rep():
    newbie = at(Privilege.ASK)
    rules.check_edit_post_permission(newbie, QuestionFactory(author=newbie))
    rules.check_edit_post_permission(newbie, AnswerFactory(author=newbie))


def test_it_needs_the_edit_privilege_for_others_posts():
    for post in (QuestionFactory(), AnswerFactory()):
        with pytest.raises(PermissionDenied):
            rules.check_edit_post_permission(at(Privilege.EDIT_ANY_POST, -1), post)
        rules.check_edit_post_permission(at(Privilege.EDIT_ANY_POST), post)


# Tags -------------------------------------------------------------------------------------


def test_it_needs_the_create_tags_privilege_for_new_tags():
    with pytest.raises(PermissionDenied):
        rules.check_create_tags_permission(at(Privilege.CREATE_TAGS, -1), ["brand-new-tag"])
    rules.check_create_tags_permission(at(Privilege.CREATE_TAGS), ["brand-new-tag"])


def test_it_lets_anyone_use_existing_tags():
    rules.check_create_tags_permission(at(Privilege.ASK), [])


# Accepting --------------------------------------------------------------------------------


def test_it_lets_only_the_asker_accept():
    answer = AnswerFactory()
    question = answer.parent
    rules.check_accept_answer_permission(question.author, answer)
    for someone_else in (answer.author, at(Privilege.PROTECT_QUESTIONS)):
        with pytest.raises(PermissionDenied):
            rules.check_accept_answer_permission(someone_else, answer)


def test_it_lets_a_self_answer_be_accepted_only_after_the_wait():
    wait = timedelta(hours=qasite_setting("SELF_ACCEPT_AFTER_HOURS"))
    with time_machine.travel(T0, tick=False) as traveller:
        asker = UserFactory()
        answer = AnswerFactory(question=QuestionFactory(author=asker), author=asker)
        answer = fresh(answer)
        traveller.shift(wait - timedelta(minutes=1))
        with pytest.raises(PermissionDenied):
            rules.check_accept_answer_permission(asker, answer)
        traveller.shift(timedelta(minutes=2))
        rules.check_accept_answer_permission(asker, answer)


def test_it_refuses_accepting_a_deleted_answer():
    answer = AnswerFactory()
    deleted = set_state(answer, deleted_at=timezone.now())
    with pytest.raises(PermissionDenied):
        rules.check_accept_answer_permission(answer.parent.author, deleted)


# Answering --------------------------------------------------------------------------------


def test_it_lets_anyone_logged_in_answer_an_open_question():
    rules.check_answer_permission(at(Privilege.ASK), QuestionFactory())


@pytest.mark.parametrize(
    "state",
    [
        {"closed_at": "now"},
        {"deleted_at": "now"},
        {"locked_until": "in an hour"},
    ],
    ids=["closed", "deleted", "locked"],
)
def test_it_refuses_answers_to_closed_deleted_or_locked_questions(state):
    values = {"now": timezone.now(), "in an hour": timezone.now() + timedelta(hours=1)}
    question = set_state(QuestionFactory(), **{k: values[v] for k, v in state.items()})
    with pytest.raises(PermissionDenied):
        rules.check_answer_permission(at(Privilege.PROTECT_QUESTIONS), question)


def test_it_refuses_answers_from_anonymous_visitors():
    with pytest.raises(PermissionDenied):
        rules.check_answer_permission(AnonymousUser(), QuestionFactory())


# Deleted posts ----------------------------------------------------------------------------


def test_it_shows_posts_that_are_not_deleted_to_everyone():
    question = QuestionFactory()
    assert rules.can_view_post(AnonymousUser(), question)
    assert rules.can_view_post(at(Privilege.ASK), question)


def test_it_shows_deleted_posts_to_author_trusted_users_and_moderators_only():
    question = set_state(QuestionFactory(), deleted_at=timezone.now())
    assert rules.can_view_post(question.author, question)
    assert rules.can_view_post(at(Privilege.MODERATOR_TOOLS), question)
    assert rules.can_view_post(UserFactory(reputation=1, is_moderator=True), question)
    assert not rules.can_view_post(at(Privilege.MODERATOR_TOOLS, -1), question)
    assert not rules.can_view_post(AnonymousUser(), question)


def test_it_lets_authors_delete_their_own_answers_and_moderators_any_post():
    answer = AnswerFactory()
    moderator = UserFactory(is_moderator=True)
    rules.check_delete_post_permission(answer.author, answer)
    rules.check_delete_post_permission(moderator, answer.parent)
    assert not rules.allowed(rules.check_delete_post_permission, answer.parent.author, answer)
    deleted = set_state(answer, deleted_at=timezone.now())
    assert not rules.allowed(rules.check_delete_post_permission, moderator, deleted)
