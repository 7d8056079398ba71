"""The moderation record is append-only; an asker's edit soon after a closure is recorded
for the Reopen queue."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import transaction
from django.db.models import ProtectedError

from core.conf import qasite_setting
from moderation.models import EventKind, ModerationEvent
from moderation.services import event_record, policy_in_force
from tests.factories import QuestionFactory
from tests.moderation import close, events, fresh, moderator
from threads import services as threads_services
from threads.models import Post

pytestmark = pytest.mark.django_db

T0 = datetime(2025, 4, 7, 8, 0, tzinfo=UTC)


# Append-only ------------------------------------------------------------------------------


@pytest.fixture
def event():
    question = QuestionFactory()
    return event_record(kind=EventKind.LOCKED, post=question, actor=moderator(), reason="Test")


def test_it_records_who_what_and_the_policy(event):
    assert event.pk is not None
    assert event.actor_name == event.actor.name
    assert event.policy == policy_in_force()
    assert event.policy["close_votes_to_close"] == qasite_setting("CLOSE_VOTES_TO_CLOSE")


def test_the_policy_holds_every_threshold_that_can_decide_an_outcome(settings):
    review = {**settings.QASITE["REVIEW"], "REOPEN_LEAVE_CLOSED_TO_COMPLETE": 7}
    settings.QASITE = {**settings.QASITE, "REVIEW": review, "REVOTE_AFTER_AGING_DAYS": 9}

    policy = policy_in_force()

    assert policy["reopen_leave_closed_to_complete"] == 7
    assert policy["revote_after_aging_days"] == 9
    expected = {
        "close_votes_to_close": "CLOSE_VOTES_TO_CLOSE",
        "reopen_votes_to_reopen": "REOPEN_VOTES_TO_REOPEN",
        "close_vote_aging_days": "CLOSE_VOTE_AGING_DAYS",
        "revote_after_aging_days": "REVOTE_AFTER_AGING_DAYS",
        "reopen_review_edit_days": "REOPEN_REVIEW_EDIT_DAYS",
        "answer_grace_after_close_hours": "ANSWER_GRACE_AFTER_CLOSE_HOURS",
        "cast_close_votes": "PRIVILEGES.CAST_CLOSE_VOTES",
        "close_own_question": "PRIVILEGES.CLOSE_OWN_QUESTION",
        "close_votes_per_day": "RATE_LIMITS.CLOSE_VOTES_PER_DAY",
        "spam_or_rude_to_delete": "FLAGS.SPAM_OR_RUDE_TO_DELETE",
        **{name.lower(): f"REVIEW.{name}" for name in review},
    }
    assert policy == {key: qasite_setting(name) for key, name in expected.items()}


def test_it_records_community_actions_without_an_actor():
    question = QuestionFactory()

    row = event_record(kind=EventKind.CLOSED, post=question)

    assert row.actor is None
    assert row.actor_name == "Community"


def test_it_refuses_to_change_a_saved_event(event):
    event.reason = "Rewritten"
    with pytest.raises(PermissionError):
        event.save()
    assert ModerationEvent.objects.get(pk=event.pk).reason == "Test"


def test_it_refuses_to_delete_an_event(event):
    with pytest.raises(PermissionError):
        event.delete()
    assert ModerationEvent.objects.filter(pk=event.pk).exists()


def test_it_refuses_queryset_updates_and_deletes(event):
    with pytest.raises(PermissionError):
        ModerationEvent.objects.filter(pk=event.pk).update(reason="Rewritten")
    with pytest.raises(PermissionError):
        ModerationEvent.objects.all().update(reason="Rewritten")
    with pytest.raises(PermissionError):
        ModerationEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(PermissionError):
        ModerationEvent.objects.all().delete()
    with pytest.raises(PermissionError), transaction.atomic():
        ModerationEvent.objects.bulk_update([event], ["reason"])
    assert ModerationEvent.objects.get(pk=event.pk).reason == "Test"


def test_it_keeps_events_when_the_post_would_be_removed(event):
    with pytest.raises(ProtectedError):
        Post.objects.get(pk=event.post_id).delete()
    assert ModerationEvent.objects.filter(pk=event.pk).exists()


def test_it_keeps_the_actor_name_when_the_actor_is_removed(event):
    name = event.actor_name
    event.actor.delete()

    row = ModerationEvent.objects.get(pk=event.pk)
    assert row.actor is None
    assert row.actor_name == name


# Edits while closed -----------------------------------------------------------------------


def review_days() -> timedelta:
    return timedelta(days=qasite_setting("REOPEN_REVIEW_EDIT_DAYS"))


def edit(question, editor, text: str):
    return threads_services.post_edit(
        editor=editor,
        post=fresh(question),
        title=question.title,
        body=f"{question.body}\n\n{text}",
        tags=list(question.tags.names()),
        summary="clarified",
    )


@pytest.fixture
def closed_question():
    with time_machine.travel(T0, tick=False) as traveller:
        question = close(QuestionFactory())
        traveller.shift(timedelta(hours=1))
        yield question, traveller


def test_it_records_an_askers_edit_soon_after_closure(closed_question):
    question, traveller = closed_question
    traveller.shift(review_days() - timedelta(hours=2))

    revision = edit(question, question.author, "Edited to explain what I tried.")

    assert revision is not None
    event = events(question, EventKind.EDITED_WHILE_CLOSED).get()
    assert event.actor == question.author
    assert event.details == {"revision": revision.number}


def test_it_does_not_record_an_askers_edit_after_the_review_window(closed_question):
    question, traveller = closed_question
    traveller.shift(review_days())

    assert edit(question, question.author, "Edited much later.") is not None

    assert not events(question, EventKind.EDITED_WHILE_CLOSED).exists()


def test_it_does_not_record_someone_elses_edit(closed_question):
    question, _ = closed_question

    assert edit(question, moderator(), "Edited by a moderator.") is not None

    assert not events(question, EventKind.EDITED_WHILE_CLOSED).exists()


def test_it_does_not_record_an_edit_of_an_open_question():
    question = QuestionFactory()

    assert edit(question, question.author, "Edited while open.") is not None

    assert not events(question, EventKind.EDITED_WHILE_CLOSED).exists()


# The handler itself, with the signal threads is meant to send -----------------------------


def announce_edit(question, editor):
    """Edit through the service, which sends ``post_edited``."""
    return edit(question, editor, f"Edited by {editor.name}.")


def test_the_handler_records_an_askers_edit_within_the_window(closed_question):
    question, traveller = closed_question
    traveller.shift(review_days() - timedelta(hours=2))

    revision = announce_edit(question, question.author)

    event = events(question, EventKind.EDITED_WHILE_CLOSED).get()
    assert event.actor == question.author
    assert event.details == {"revision": revision.number}


def test_the_handler_ignores_an_askers_edit_after_the_window(closed_question):
    question, traveller = closed_question
    traveller.shift(review_days())

    announce_edit(question, question.author)

    assert not events(question, EventKind.EDITED_WHILE_CLOSED).exists()


def test_the_handler_ignores_other_editors_and_open_questions(closed_question):
    question, _ = closed_question
    announce_edit(question, moderator())
    open_question = QuestionFactory()
    announce_edit(open_question, open_question.author)

    assert not events(question, EventKind.EDITED_WHILE_CLOSED).exists()
    assert not events(open_question, EventKind.EDITED_WHILE_CLOSED).exists()
