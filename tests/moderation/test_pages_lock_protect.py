"""Locks, protection, deletion and undeletion through HTTP: who may act, what each action
changes, what a locked or protected page shows and refuses."""

import html
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.privileges import Privilege
from core.conf import qasite_setting
from moderation.models import EventKind, ModerationEvent
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from tests.moderation import assert_answered, fresh, moderator, user_at
from tests.pages import is_login_redirect, text_of
from threads import services as threads_services
from threads.models import PERMANENT_LOCK_UNTIL, LockKind

pytestmark = pytest.mark.django_db

LEVELS = [
    "anonymous",
    "rep1",
    "author",
    "rep250",
    "rep3000",
    "rep10k",
    "rep15k",
    "moderator",
]
DURATIONS = {
    "1h": timedelta(hours=1),
    "1d": timedelta(days=1),
    "7d": timedelta(days=7),
    "permanent": None,
}
ANSWER_BODY = "Use a rolling window of seven days and take the mean of each window."
COMMENT_BODY = "Could you show the code you tried so far, please?"


def setup(client, level: str, **question_fields):
    user = user_at(level)
    if level == "author":
        question_fields["author"] = user
    question = QuestionFactory(**question_fields)
    if user is not None:
        client.force_login(user)
    return user, question


def events(question, kind):
    return ModerationEvent.objects.filter(question_id=question.pk, kind=kind)


def lock(post, kind=LockKind.CONTENT_DISPUTE, until=PERMANENT_LOCK_UNTIL):
    threads_services.post_lock(post=post, kind=kind, until=until)
    return fresh(post)


def answer_post(client, question):
    return client.post(
        f"/questions/{question.pk}/answer/", {"body": ANSWER_BODY, "token": str(uuid.uuid4())}
    )


def comment_post(client, post):
    return client.post(
        f"/posts/{post.pk}/comments/", {"body": COMMENT_BODY, "token": str(uuid.uuid4())}
    )


def vote_post(client, post):
    return client.post(f"/posts/{post.pk}/vote/", {"vote": "up"})


# Lock -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("level", LEVELS)
def test_it_shows_the_lock_form_only_to_moderators(client, level):
    _, question = setup(client, level)

    response = client.get(f"/posts/{question.pk}/lock/")

    if level == "anonymous":
        assert is_login_redirect(response)
    elif level == "moderator":
        assert response.status_code == 200
        content = response.content.decode()
        for kind in LockKind.values:
            assert f'value="{kind}"' in content
        for duration in DURATIONS:
            assert f'value="{duration}"' in content
    else:
        assert response.status_code == 403
        assert "Only moderators can lock and unlock posts." in text_of(response.content)


@pytest.mark.parametrize("level", LEVELS)
def test_it_takes_a_lock_only_from_moderators(client, level):
    _, question = setup(client, level)

    response = client.post(
        f"/posts/{question.pk}/lock/", {"kind": LockKind.HISTORICAL, "duration": "1d"}
    )

    if level == "anonymous":
        assert is_login_redirect(response)
    elif level == "moderator":
        assert response.status_code == 302
    else:
        assert response.status_code == 403
    assert fresh(question).is_locked is (level == "moderator")


@pytest.mark.parametrize("kind", LockKind.values)
@pytest.mark.parametrize("duration", list(DURATIONS))
def test_it_locks_with_each_kind_and_duration(client, kind, duration):
    question = QuestionFactory()
    mod = moderator(display_name="Mona Moderator")
    client.force_login(mod)
    start = timezone.now()

    response = client.post(
        f"/posts/{question.pk}/lock/", {"kind": kind, "duration": duration}, follow=True
    )

    assert response.status_code == 200
    assert "The post is locked." in text_of(response.content)
    question = fresh(question)
    assert question.lock_kind == kind
    length = DURATIONS[duration]
    if length is None:
        assert question.locked_until == PERMANENT_LOCK_UNTIL
    else:
        assert start + length <= question.locked_until <= timezone.now() + length
    event = events(question, EventKind.LOCKED).get()
    assert event.actor == mod
    assert event.details["kind"] == kind
    assert event.details["duration"] == duration
    assert event.reason == LockKind(kind).label


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "forever", "duration": "1d"},
        {"kind": LockKind.HISTORICAL, "duration": "2y"},
        {"kind": LockKind.HISTORICAL},
        {"duration": "1d"},
        {"kind": "", "duration": ""},
        {},
    ],
    ids=["bad kind", "bad duration", "no duration", "no kind", "blank", "empty post"],
)
def test_it_rerenders_an_invalid_lock_with_400(client, data):
    question = QuestionFactory()
    client.force_login(moderator())

    response = client.post(f"/posts/{question.pk}/lock/", data)

    assert response.status_code == 400
    content = response.content.decode()
    assert 'role="alert"' in content
    seen = text_of(content)
    assert "Select a valid choice" in seen or "This field is required." in seen
    assert not fresh(question).is_locked
    assert not events(question, EventKind.LOCKED).exists()


def test_it_locks_and_unlocks_an_answer(client):
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    client.force_login(moderator())

    locked = client.post(f"/posts/{answer.pk}/lock/", {"kind": "content_dispute", "duration": "7d"})
    assert locked.status_code == 302
    assert locked.url == f"{question.get_absolute_url()}#answer-{answer.pk}"
    assert fresh(answer).is_locked
    assert not fresh(question).is_locked

    unlocked = client.post(f"/posts/{answer.pk}/unlock/")
    assert unlocked.status_code == 302
    assert not fresh(answer).is_locked


@pytest.mark.parametrize("level", LEVELS)
def test_it_unlocks_only_for_moderators(client, level):
    _, question = setup(client, level)
    lock(question)

    response = client.post(f"/posts/{question.pk}/unlock/", follow=level == "moderator")

    if level == "anonymous":
        assert is_login_redirect(response)
    elif level == "moderator":
        assert response.status_code == 200
        assert "The post is unlocked." in text_of(response.content)
        assert events(question, EventKind.UNLOCKED).get().actor is not None
    else:
        assert response.status_code == 403
    assert fresh(question).is_locked is (level != "moderator")


def test_it_unlocks_only_by_post(client):
    question = lock(QuestionFactory())
    client.force_login(moderator())
    assert client.get(f"/posts/{question.pk}/unlock/").status_code == 405
    assert fresh(question).is_locked


def test_it_shows_the_lock_notice(client):
    question = lock(QuestionFactory(), kind=LockKind.HISTORICAL)

    seen = text_of(client.get(question.get_absolute_url()).content)

    assert (
        "This question is locked (historical significance): it accepts no votes, edits, "
        "answers, comments, close or reopen votes or flags." in seen
    )


def test_it_shows_when_a_timed_lock_ends(client):
    question = QuestionFactory()
    client.force_login(moderator())
    client.post(f"/posts/{question.pk}/lock/", {"kind": "content_dispute", "duration": "1d"})

    seen = text_of(client.get(question.get_absolute_url()).content)

    assert "This question is locked (content dispute) until" in seen


def test_it_shows_the_unlock_button_to_moderators_only(client):
    question = lock(QuestionFactory())
    unlock = f'action="/posts/{question.pk}/unlock/"'

    assert unlock not in client.get(question.get_absolute_url()).content.decode()
    client.force_login(UserFactory(reputation=Privilege.PROTECT_QUESTIONS.reputation))
    assert unlock not in client.get(question.get_absolute_url()).content.decode()
    client.force_login(moderator())
    assert unlock in client.get(question.get_absolute_url()).content.decode()


@pytest.fixture
def locked_thread():
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    return lock(question), fresh(answer)


def test_it_refuses_answers_to_a_locked_question_and_keeps_the_draft(client, locked_thread):
    question, _ = locked_thread
    client.force_login(UserFactory(reputation=Privilege.CAST_CLOSE_VOTES.reputation))

    page = client.get(question.get_absolute_url()).content.decode()
    response = answer_post(client, question)

    assert 'class="answer-form"' not in page
    assert (
        "This question is locked: it accepts no votes, edits, answers, comments, close or "
        "reopen votes or flags." in text_of(page)
    )
    assert response.status_code == 403
    assert ANSWER_BODY in html.unescape(response.content.decode())
    assert fresh(question).answer_count == 1


@pytest.mark.parametrize("target", ["question", "answer"])
@pytest.mark.parametrize("action", ["vote", "comment", "edit"])
def test_it_refuses_changes_to_a_locked_thread(client, locked_thread, target, action):
    question, answer = locked_thread
    post = question if target == "question" else answer
    user = UserFactory(reputation=Privilege.CAST_CLOSE_VOTES.reputation)
    client.force_login(user)
    score, comments = post.score, post.comment_count

    if action == "vote":
        response = vote_post(client, post)
    elif action == "comment":
        response = comment_post(client, post)
    else:
        response = client.get(f"/posts/{post.pk}/edit/")

    assert response.status_code == 403
    assert "locked" in text_of(response.content)
    post = fresh(post)
    assert (post.score, post.comment_count) == (score, comments)


def test_it_refuses_changes_to_a_locked_answer_but_not_its_question(client):
    question = QuestionFactory()
    answer = lock(AnswerFactory(question=question))
    client.force_login(UserFactory(reputation=Privilege.CAST_CLOSE_VOTES.reputation))

    assert vote_post(client, answer).status_code == 403
    assert comment_post(client, answer).status_code == 403
    assert vote_post(client, question).status_code == 302
    assert comment_post(client, question).status_code == 302
    assert answer_post(client, question).status_code == 302
    seen = text_of(client.get(question.get_absolute_url()).content)
    assert (
        "This answer is locked (content dispute): it accepts no votes, edits, comments or "
        "flags." in seen
    )


def test_it_accepts_changes_again_after_a_timed_lock_ends(client):
    question = QuestionFactory()
    lock(question, until=timezone.now() + timedelta(hours=1))

    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        client.force_login(UserFactory(reputation=Privilege.CAST_CLOSE_VOTES.reputation))
        assert "is locked" not in text_of(client.get(question.get_absolute_url()).content)
        assert vote_post(client, question).status_code == 302


def test_it_offers_no_comment_or_edit_on_a_locked_post(client, locked_thread):
    question, answer = locked_thread
    client.force_login(UserFactory(reputation=Privilege.EDIT_ANY_POST.reputation))

    content = client.get(question.get_absolute_url()).content.decode()

    for post in (question, answer):
        assert f'action="/posts/{post.pk}/comments/"' not in content
        assert f'href="/posts/{post.pk}/edit/"' not in content


# Protect --------------------------------------------------------------------------------------


@pytest.mark.parametrize("level", LEVELS)
def test_it_protects_only_from_15k(client, level):
    _, question = setup(client, level)

    response = client.post(f"/questions/{question.pk}/protect/", follow=True)

    allowed = level in ("rep15k", "moderator")
    if level == "anonymous":
        assert response.redirect_chain[0][0].startswith(reverse("account_login"))
    elif allowed:
        assert response.status_code == 200
        assert "Protected." in text_of(response.content)
        assert events(question, EventKind.PROTECTED).count() == 1
    else:
        assert response.status_code == 403
        assert (
            f"You need {Privilege.PROTECT_QUESTIONS.reputation} reputation to protect questions."
            in text_of(response.content)
        )
    assert fresh(question).is_protected is allowed


def test_it_unprotects_with_protect_no(client):
    question = QuestionFactory()
    client.force_login(UserFactory(reputation=Privilege.PROTECT_QUESTIONS.reputation))
    client.post(f"/questions/{question.pk}/protect/")
    page = client.get(question.get_absolute_url()).content.decode()
    assert 'name="protect" value="no"' in page

    response = client.post(f"/questions/{question.pk}/protect/", {"protect": "no"}, follow=True)

    assert "Protection removed." in text_of(response.content)
    assert not fresh(question).is_protected
    assert events(question, EventKind.UNPROTECTED).count() == 1


def test_it_protects_only_by_post_and_only_questions(client):
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    client.force_login(moderator())

    assert client.get(f"/questions/{question.pk}/protect/").status_code == 405
    assert client.post(f"/questions/{answer.pk}/protect/").status_code == 404
    assert not fresh(question).is_protected


def test_it_shows_the_protected_notice(client):
    question = QuestionFactory()
    threads_services.question_protect(question=question)

    seen = text_of(client.get(question.get_absolute_url()).content)

    assert "Protected question." in seen


def test_it_refuses_a_new_users_answer_to_a_protected_question(client):
    question = QuestionFactory()
    threads_services.question_protect(question=question)
    client.force_login(UserFactory(reputation=1))
    message = (
        "This question is protected: answering it needs "
        f"{qasite_setting('PROTECTED_ANSWER_EARNED_REPUTATION')} reputation earned on this site."
    )

    page = client.get(question.get_absolute_url()).content.decode()
    response = answer_post(client, question)

    assert message in text_of(page)
    assert 'class="answer-form"' not in page
    assert response.status_code == 403
    assert message in text_of(response.content)
    assert ANSWER_BODY in html.unescape(response.content.decode())
    assert fresh(question).answer_count == 0


def test_it_takes_answers_to_a_protected_question_from_users_who_earned_reputation(client):
    question = QuestionFactory()
    threads_services.question_protect(question=question)
    earned = qasite_setting("PROTECTED_ANSWER_EARNED_REPUTATION")
    client.force_login(UserFactory(reputation=earned + 1))

    assert answer_post(client, question).status_code == 302
    assert fresh(question).answer_count == 1


# Delete and undelete --------------------------------------------------------------------------


def test_it_lets_a_moderator_delete_then_undelete_a_question(client):
    question = QuestionFactory()
    AnswerFactory(question=question)
    CommentFactory(post=question)
    mod = moderator(display_name="Mona Moderator")
    client.force_login(mod)

    deleted = client.post(f"/posts/{question.pk}/delete/", follow=True)

    assert deleted.status_code == 200
    assert "The post was deleted." in text_of(deleted.content)
    assert "This question was deleted" in text_of(deleted.content)
    assert f'action="/posts/{question.pk}/undelete/"' in deleted.content.decode()
    assert fresh(question).is_deleted
    assert events(question, EventKind.DELETED).get().actor == mod
    assert client.get(f"/questions/{question.pk}/timeline/").status_code == 200

    anonymous = client.__class__()
    assert anonymous.get(question.get_absolute_url()).status_code == 404
    assert anonymous.get(f"/questions/{question.pk}/timeline/").status_code == 404

    undeleted = client.post(f"/posts/{question.pk}/undelete/", follow=True)

    assert undeleted.status_code == 200
    assert "The post is undeleted." in text_of(undeleted.content)
    assert not fresh(question).is_deleted
    assert events(question, EventKind.UNDELETED).get().actor == mod
    assert anonymous.get(question.get_absolute_url()).status_code == 200


def test_it_lets_a_moderator_delete_then_undelete_an_answer(client):
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    client.force_login(moderator())

    assert client.post(f"/posts/{answer.pk}/delete/").status_code == 302
    assert fresh(question).answer_count == 0
    assert client.post(f"/posts/{answer.pk}/undelete/").status_code == 302
    assert fresh(question).answer_count == 1
    assert not fresh(answer).is_deleted


UNDELETE = {
    "anonymous": "login",
    "rep1": 404,  # can't see the deleted post at all
    "author": 403,  # sees it, may not undelete
    "rep250": 404,
    "rep3000": 404,
    "rep10k": 403,  # 10k users see deleted posts
    "rep15k": 403,
    "moderator": 302,
}


@pytest.mark.parametrize("level", LEVELS)
def test_it_undeletes_only_for_moderators(client, level):
    _, question = setup(client, level)
    threads_services.post_delete(actor=moderator(), post=question)

    response = client.post(f"/posts/{question.pk}/undelete/")

    assert_answered(response, UNDELETE[level], "Only moderators can undelete posts.")
    assert fresh(question).is_deleted is (level != "moderator")


def test_it_refuses_to_undelete_a_live_post(client):
    question = QuestionFactory()
    client.force_login(moderator())

    response = client.post(f"/posts/{question.pk}/undelete/")

    assert response.status_code == 403
    assert "This post is not deleted." in text_of(response.content)
    assert not events(question, EventKind.UNDELETED).exists()
