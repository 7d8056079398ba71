"""The one sanctioned redaction path (accounts.redaction): append-only records accept no
change of their names outside it, every app that copies names registers a redactor, and a
redaction is logged."""

import pytest

from accounts import redaction
from accounts.models import AccountEvent, AccountEventKind
from accounts.redaction import Redaction, redact_names
from core.append_only import redaction as redacting
from desk.models import Annotation, Message
from moderation.models import ModerationEvent
from tests.desk import message
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_every_app_that_copies_names_registers_a_redactor():
    assert redaction.registered() == ["admin", "desk", "moderation", "notifications", "threads"]


def test_append_only_names_change_only_through_the_sanctioned_path():
    member = UserFactory(display_name="Jo")
    message(member)
    with pytest.raises(PermissionError):
        Message.objects.update(author_name="x")
    with pytest.raises(PermissionError):
        ModerationEvent.objects.update(actor_name="x")
    with pytest.raises(PermissionError):
        Annotation.objects.update(moderator_name="x")
    with redacting():
        with pytest.raises(PermissionError):  # not a redactable field
            Message.objects.update(body="x")
        assert Message.objects.update(author_name="x") == 1


def test_a_redaction_replaces_whole_names_and_is_logged():
    member = UserFactory(username="al", display_name="Al Smith")
    question = QuestionFactory(author=member)
    changed = redact_names(user=member, names=["al", "Al Smith"], pseudonym="user9")
    question.refresh_from_db()
    assert question.author_name == "user9"
    assert changed["threads"] >= 1
    (entry,) = AccountEvent.objects.filter(user=member, kind=AccountEventKind.NAMES_REDACTED)
    assert entry.details["pseudonym"] == "user9" and entry.details["rows"] == changed


def test_text_is_redacted_word_by_word_and_json_by_whole_value():
    job = Redaction(user_id=1, names=("Al Smith", "al"), pseudonym="user1")
    assert (
        job.text("Al Smith replied; also al, not alan.") == "user1 replied; also user1, not alan."
    )
    assert job.json({"voters": [{"id": 1, "name": "Al Smith"}, {"name": "Alan"}], "n": 2}) == {
        "voters": [{"id": 1, "name": "user1"}, {"name": "Alan"}],
        "n": 2,
    }
    # Only names, and only this member's: a namesake's id, an imported voter known by name
    # only, a value that is not a name, are kept.
    kept = {
        "voters": [{"id": 2, "name": "Al Smith"}, {"id": None, "name": "al"}],
        "reason": {"id": 7, "name": "al"},
        "kind": "al",
        "receiver_id": 3,
        "receiver_name": "al",
    }
    assert job.json(kept) == kept
    assert job.json({"voter_id": 1, "voter_name": "al", "comments": [{"voter": "al"}]}) == {
        "voter_id": 1,
        "voter_name": "user1",
        "comments": [{"voter": "user1"}],
    }


def test_the_texts_that_name_a_member_are_redacted_and_no_other():
    from moderation.models import EventKind
    from moderation.services import event_record
    from threads.models import Revision

    member = UserFactory(username="al", display_name="Al Smith")
    voter = UserFactory(username="voter1", display_name="Al Smith Junior")
    reversed_ = event_record(
        kind=EventKind.SERIAL_VOTING_REVERSED,
        user=voter,
        reason="5 upvotes on posts by Al Smith",
        details={"receiver_id": member.pk, "receiver_name": "Al Smith", "voter_id": voter.pk},
    )
    other = event_record(kind=EventKind.SUSPENDED, user=voter, reason="Al Smith said so")
    question = QuestionFactory(author=voter)
    Revision.objects.filter(post=question).update(summary="Clarify (improved by Al Smith)")
    redact_names(user=member, names=["al", "Al Smith"], pseudonym="user7")
    reversed_ = ModerationEvent.objects.get(pk=reversed_.pk)
    assert reversed_.reason == "5 upvotes on posts by user7"
    assert reversed_.details["receiver_name"] == "user7"
    assert ModerationEvent.objects.get(pk=other.pk).reason == "Al Smith said so"
    assert Revision.objects.get(post=question).summary == "Clarify (improved by user7)"
