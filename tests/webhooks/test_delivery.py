"""Deliveries reach a local receiver signed, after the commit; a 500 is retried with backoff;
an endpoint failing too often is disabled and staff are told; the outbox rolls back with the
action."""

import json
import time
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from accounts.privileges import Privilege
from moderation import flags
from moderation import services as moderation_services
from moderation.models import FlagKind, ReviewQueue, ReviewTask
from moderation.queues import QUEUES
from moderation.reviews import review_decide
from tests.factories import QuestionFactory, UserFactory
from tests.moderation import close, moderator
from tests.webhooks.conftest import webhook_settings
from threads import services as threads_services
from webhooks.models import Attempt, Delivery, DeliveryState, Endpoint, Event
from webhooks.sending import send_due
from webhooks.signing import verify

pytestmark = pytest.mark.django_db


def ask(author=None, **extra):
    return threads_services.question_create(
        author=author or UserFactory(reputation=1000),
        title="How do I parse a date in Python?",
        body="I have a string like 2024-01-02 and want a date object. " * 2,
        tags=["python", "datetime"],
        **extra,
    )


def test_a_new_question_is_delivered_signed_after_the_commit(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        question = ask()
        assert receiver.requests == []  # nothing network-bound inside the transaction
    for callback in callbacks:
        callback()

    (request,) = receiver.requests
    headers = request["headers"]
    assert headers["X-Qasite-Event"] == "question.asked"
    assert verify(
        endpoint.secret,
        headers["X-Qasite-Timestamp"],
        request["body"],
        headers["X-Qasite-Signature"],
        now=int(time.time()),
        max_age=300,
    )
    assert not verify(
        "another-secret",
        headers["X-Qasite-Timestamp"],
        request["body"],
        headers["X-Qasite-Signature"],
        now=int(time.time()),
        max_age=300,
    )
    payload = json.loads(request["body"])
    assert payload["event"] == "question.asked"
    assert payload["id"] == headers["X-Qasite-Delivery"]
    assert payload["data"]["question"]["id"] == question.pk
    assert payload["data"]["question"]["tags"] == ["datetime", "python"]
    assert payload["data"]["question"]["url"].endswith(question.get_absolute_url())
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.DELIVERED
    assert delivery.log.get().status_code == 200


def test_a_stale_timestamp_fails_verification(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask()
    (request,) = receiver.requests
    headers = request["headers"]
    later = int(headers["X-Qasite-Timestamp"]) + 301
    assert not verify(
        endpoint.secret,
        headers["X-Qasite-Timestamp"],
        request["body"],
        headers["X-Qasite-Signature"],
        now=later,
        max_age=300,
    )


def test_a_500_is_retried_after_the_backoff_and_then_succeeds(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.statuses = [500]
    with django_capture_on_commit_callbacks(execute=True):
        ask()
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.PENDING
    assert delivery.last_status == 500
    assert delivery.next_attempt_at > timezone.now()

    assert send_due() == 0  # not due yet
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        assert send_due() == 1

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED
    assert [a.status_code for a in Attempt.objects.order_by("pk")] == [500, 200]
    assert len(receiver.requests) == 2
    # The same delivery id both times: receivers can drop a duplicate.
    ids = {r["headers"]["X-Qasite-Delivery"] for r in receiver.requests}
    assert ids == {str(delivery.uuid)}
    endpoint.refresh_from_db()
    assert endpoint.failures_in_row == 0


def test_a_redirect_is_not_followed_and_counts_as_a_failure(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.statuses = [302]
    with django_capture_on_commit_callbacks(execute=True):
        ask()
    delivery = Delivery.objects.get()
    assert delivery.last_status == 302
    assert delivery.state == DeliveryState.PENDING
    assert len(receiver.requests) == 1


def test_retries_stop_when_the_backoff_is_used_up(
    settings, endpoint, receiver, django_capture_on_commit_callbacks
):
    webhook_settings(settings, RETRY_SECONDS=[10])
    receiver.statuses = [500, 503]
    with django_capture_on_commit_callbacks(execute=True):
        ask()
    with time_machine.travel(timezone.now() + timedelta(seconds=11)):
        send_due()
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.FAILED
    assert delivery.attempts == 2
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert send_due() == 0


def test_an_endpoint_failing_n_times_in_a_row_is_disabled_and_staff_are_told(
    settings, endpoint, receiver, django_capture_on_commit_callbacks
):
    webhook_settings(settings, DISABLE_AFTER_FAILURES=3)
    UserFactory(is_staff=True, email="staff@example.com")
    receiver.statuses = [500] * 10
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            ask()
        ask()  # written while still active…

    endpoint.refresh_from_db()
    assert not endpoint.active
    assert endpoint.disabled_at is not None
    assert "3 failed attempts in a row" in endpoint.disabled_reason
    assert len(receiver.requests) == 3  # …but never sent: cancelled with the rest
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.CANCELLED}
    (message,) = mail.outbox
    assert message.to == ["staff@example.com"]
    assert endpoint.url in message.subject
    # Nothing more is written for a disabled endpoint.
    ask()
    assert Delivery.objects.count() == 4


def test_the_outbox_rolls_back_with_the_action(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        ask()
        assert Delivery.objects.count() == 1
        raise RuntimeError("the action fails after its rows were written")
    assert Delivery.objects.count() == 0
    assert callbacks == []
    assert receiver.requests == []


def test_only_the_events_an_endpoint_chose_are_recorded(receiver):
    Endpoint.objects.create(url=receiver.url, events=[Event.QUESTION_CLOSED])
    question = ask()
    assert Delivery.objects.count() == 0
    close(question)
    assert list(Delivery.objects.values_list("event", flat=True)) == ["question.closed"]


def body(delivery: Delivery) -> dict:
    return json.loads(delivery.body)


def test_closing_reopening_and_deleting_are_delivered_with_public_fields(endpoint):
    question = QuestionFactory()
    close(question)
    mod = moderator()
    moderation_services.reopen_vote_cast(voter=mod, question=question)
    threads_services.post_delete(actor=mod, post=question)

    closed, reopened, deleted = Delivery.objects.exclude(event=Event.QUESTION_ASKED).order_by("pk")
    assert closed.event == "question.closed"
    assert body(closed)["data"]["close"]["label"] in ("closed", "duplicate")
    assert body(closed)["data"]["close"]["reason"]
    assert reopened.event == "question.reopened"
    assert body(reopened)["data"]["question"]["title"] == question.title
    assert deleted.event == "question.deleted"
    # Nothing about deleted content beyond its id.
    assert body(deleted)["data"]["question"] == {"id": question.pk, "deleted": True}
    assert question.title not in deleted.body


def test_a_flag_is_delivered_without_its_text_or_flagger(endpoint):
    question = QuestionFactory()
    flagger = UserFactory(reputation=Privilege.FLAG.reputation, username="secretflagger")
    flags.flag_raise(
        flagger=flagger,
        post=question,
        kind=FlagKind.MODERATOR_ATTENTION,
        text="Private note: the author is my colleague",
    )
    delivery = Delivery.objects.get(event=Event.FLAG_RAISED)
    data = body(delivery)["data"]
    assert data["flag"]["kind"] == FlagKind.MODERATOR_ATTENTION
    assert data["post"]["id"] == question.pk
    assert "Private note" not in delivery.body
    assert "colleague" not in delivery.body
    assert "secretflagger" not in delivery.body
    assert set(data["flag"]) == {"id", "kind", "created_at"}


def test_a_completed_review_is_delivered_with_its_queue_and_outcome(endpoint):
    question = close(QuestionFactory())
    threads_services.post_edit(
        editor=question.author,
        post=question,
        title=question.title,
        body=question.body + " Now with the full traceback.",
    )
    task = ReviewTask.objects.get(queue=ReviewQueue.REOPEN, post=question)
    review_decide(
        reviewer=moderator(), task=task, decision="leave_closed", spec=QUEUES[ReviewQueue.REOPEN]
    )
    delivery = Delivery.objects.get(event=Event.REVIEW_COMPLETED)
    data = body(delivery)["data"]
    assert data["task"]["id"] == task.pk
    assert data["task"]["queue"] == ReviewQueue.REOPEN
    assert data["task"]["outcome"]
    assert data["post"]["question"]["id"] == question.pk
