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
    assert redaction.registered() == ["desk", "moderation", "notifications", "threads"]


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
