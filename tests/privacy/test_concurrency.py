"""Raced requests (PostgreSQL row locks; SQLite serialises writers): parallel export
requests prepare one export and queue one job; parallel deletion requests make one; a
spam account destroyed twice at once is destroyed once."""

from unittest import mock

import pytest

from desk.spam import spam_account_destroy
from moderation.models import EventKind, ModerationEvent
from privacy import services
from privacy.models import DataExport, DeletionRequest
from tests.concurrency import postgresql_only, run_in_parallel
from tests.factories import QuestionFactory, UserFactory
from tests.privacy import ask_deletion

pytestmark = [pytest.mark.django_db(transaction=True), postgresql_only]


def test_parallel_export_requests_queue_one_job():
    member = UserFactory()
    with mock.patch("privacy.services.enqueue") as enqueue:
        errors = run_in_parallel(4, lambda i: services.export_request(user=member))
    assert errors == []
    assert DataExport.objects.filter(user=member).count() == 1
    assert enqueue.call_count == 1


def test_parallel_deletion_requests_make_one():
    member = UserFactory()
    errors = run_in_parallel(3, lambda i: ask_deletion(member))
    assert len(errors) == 2
    assert DeletionRequest.objects.filter(user=member).count() == 1


def test_a_spam_account_destroyed_twice_at_once_is_destroyed_once():
    spammer = UserFactory(reputation=50)
    QuestionFactory(author=spammer)
    moderators = [UserFactory(is_moderator=True) for _ in range(2)]
    errors = run_in_parallel(
        2,
        lambda i: spam_account_destroy(moderator=moderators[i], member=spammer, reason="Spam"),
    )
    assert errors == []
    assert ModerationEvent.objects.filter(kind=EventKind.ACCOUNT_DESTROYED).count() == 1
    assert ModerationEvent.objects.filter(kind=EventKind.DELETED).count() == 1
