"""Reviewer calibration (docs/rules.md, "Reviewer calibration"): each reviewer's agreement
with the outcome of the tasks they reviewed and their audit results, per queue and per
month, on moderators' pages."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from moderation import services
from moderation.calibration import Calibration, reviewer_history, reviewer_page, reviewer_rows
from moderation.models import Decision, ReviewQueue, ReviewTask
from moderation.queues import QUEUES
from moderation.reviews import next_task
from tests.factories import QuestionFactory
from tests.moderation import (
    NON_MODERATORS,
    close,
    closer,
    closers,
    flagged_low_quality,
    moderator,
    opinion,
    review_setting,
    vote_to_close,
)
from tests.moderation.test_review_audits import decide, fail_close_audit, set_audit_every
from tests.moderation.test_review_completion import suggested
from tests.queries import measure, report

pytestmark = pytest.mark.django_db

JAN = datetime(2025, 1, 15, 12, 0, tzinfo=UTC)
FEB = datetime(2025, 2, 10, 12, 0, tzinfo=UTC)
MAX_QUERIES = 6  # the session and the user, then four


def close_task() -> ReviewTask:
    question = QuestionFactory()
    vote_to_close(question, [closer()])
    return ReviewTask.objects.get(queue=ReviewQueue.CLOSE, post=question)


def outcome(task: ReviewTask) -> str:
    task.refresh_from_db()
    return task.outcome


def audits(settings, person, results: list[bool]) -> None:
    """Audits in the Close queue that ``person`` passes or fails, in order."""
    set_audit_every(settings, 1)
    for passes in results:
        if passes:
            audit = next_task(spec=QUEUES[ReviewQueue.CLOSE], reviewer=person)
            assert decide(person, audit, Decision.LEAVE_OPEN).audit_passed is True
        else:
            fail_close_audit(person)
    set_audit_every(settings, 15)


@pytest.fixture
def history(settings):
    """A reviewer with known reviews: in January 3 reviews (1 of 2 decided agreeing, one
    pending, one skip) and 1 failed audit; in February 3 reviews in three queues (2 of 3
    agreeing) and 2 audits (1 passed)."""
    QuestionFactory(score=review_setting("AUDIT_GOOD_SCORE"))
    person, first, second, third = closers(4)
    with time_machine.travel(JAN, tick=False):
        overruled = close_task()
        decide(person, overruled, Decision.LEAVE_OPEN)
        decide(first, overruled, Decision.CLOSE, reason=opinion())
        decide(second, overruled, Decision.CLOSE, reason=opinion())
        assert outcome(overruled) == "closed"
        agreed = close_task()
        for reviewer in (person, first, second):
            decide(reviewer, agreed, Decision.LEAVE_OPEN)
        assert outcome(agreed) == "leave open"
        decide(person, close_task(), Decision.CLOSE, reason=opinion())  # still pending
        decide(person, close_task(), Decision.SKIP)
        audits(settings, person, [False])
    with time_machine.travel(FEB, tick=False):
        question = close(QuestionFactory())
        services.reopen_vote_cast(voter=closer(), question=question)
        reopen = ReviewTask.objects.get(queue=ReviewQueue.REOPEN, post=question)
        decide(person, reopen, Decision.REOPEN)
        decide(first, reopen, Decision.REOPEN)
        assert outcome(reopen) == "reopened"
        _, low_quality = flagged_low_quality()
        decide(person, low_quality, Decision.LOOKS_OK)
        decide(second, low_quality, Decision.RECOMMEND_DELETION)
        decide(third, low_quality, Decision.RECOMMEND_DELETION)
        assert outcome(low_quality) == "deleted"
        _, edit = suggested()
        decide(person, edit, Decision.APPROVE)
        decide(first, edit, Decision.APPROVE)
        assert outcome(edit) == "approved"
        audits(settings, person, [True, False])
    return person


# The numbers ---------------------------------------------------------------------------------


def test_it_counts_agreement_and_audits_per_month(history):
    months = reviewer_history(reviewer=history)["months"]

    assert [(month.date().isoformat(), calibration) for month, calibration in months] == [
        ("2025-02-01", Calibration(reviews=3, decided=3, agreed=2, audits=2, audits_passed=1)),
        ("2025-01-01", Calibration(reviews=3, decided=2, agreed=1, audits=1, audits_passed=0)),
    ]
    february, january = (calibration for _, calibration in months)
    assert (february.agreement, february.audit_pass_rate) == (67, 50)
    assert (january.agreement, january.audit_pass_rate) == (50, 0)


def test_it_counts_agreement_and_audits_per_queue_and_in_all(history):
    calibration = reviewer_history(reviewer=history)

    assert dict(calibration["queues"]) == {
        "Close votes": Calibration(3, 2, 1, 3, 1),
        "Reopen votes": Calibration(1, 1, 1, 0, 0),
        "Low quality posts": Calibration(1, 1, 0, 0, 0),
        "Suggested edits": Calibration(1, 1, 1, 0, 0),
    }
    total = calibration["total"]
    assert total == Calibration(6, 5, 3, 3, 1)
    assert (total.agreement, total.audit_pass_rate) == (60, 33)


def test_it_has_no_rates_without_decided_reviews():
    assert (Calibration().agreement, Calibration().audit_pass_rate) == (None, None)


def test_the_list_has_a_row_per_reviewer_with_queues_and_ban(history):
    rows = {row.id: row for row in reviewer_page(reviewer_rows())}

    mine = rows[history.pk]
    assert mine.calibration == Calibration(6, 5, 3, 3, 1)
    assert mine.queues == [
        ("Close votes", 3),
        ("Low quality posts", 1),
        ("Reopen votes", 1),
        ("Suggested edits", 1),
    ]
    assert mine.ban is None
    assert list(rows) == sorted(rows, key=lambda pk: -rows[pk].calibration.reviews)


# The pages -----------------------------------------------------------------------------------


def test_a_moderator_sees_the_reviewers_list(history, client):
    client.force_login(moderator())

    page = client.get(reverse("reviewer-list")).content.decode()

    assert reverse("reviewer-detail", args=[history.pk]) in page
    assert "60%" in page
    assert "(3 of 5)" in page


def test_a_moderator_sees_a_reviewers_history_over_time(history, client):
    client.force_login(moderator())

    page = client.get(reverse("reviewer-detail", args=[history.pk])).content.decode()

    assert "February 2025" in page
    assert "January 2025" in page
    assert "67%" in page
    assert "(2 of 3)" in page
    assert "(1 of 2)" in page


def test_the_dashboard_links_the_calibration(client):
    client.force_login(moderator())

    assert reverse("reviewer-list") in client.get("/moderation/").content.decode()


@pytest.mark.parametrize("make_user", NON_MODERATORS)
def test_the_pages_do_not_exist_for_non_moderators(client, make_user):
    user = make_user()
    if user.is_authenticated:
        client.force_login(user)
    reviewer = closer()

    assert client.get(reverse("reviewer-list")).status_code == 404
    assert client.get(reverse("reviewer-detail", args=[reviewer.pk])).status_code == 404


def test_an_unknown_reviewer_is_not_found(client):
    client.force_login(moderator())

    assert client.get(reverse("reviewer-detail", args=[10**6])).status_code == 404


def test_a_page_beyond_the_last_shows_the_last(client):
    client.force_login(moderator())

    assert client.get(reverse("reviewer-list"), {"page": "nope"}).status_code == 200


# Queries -------------------------------------------------------------------------------------


def add_reviews(reviewers: int) -> None:
    """``reviewers`` new reviewers, each with a review in two queues."""
    for person in closers(reviewers):
        decide(person, close_task(), Decision.LEAVE_OPEN)
        _, edit = suggested()
        decide(person, edit, Decision.APPROVE)


def test_the_list_takes_a_constant_number_of_queries(client, django_assert_max_num_queries):
    client.force_login(moderator())
    add_reviews(2)
    url = reverse("reviewer-list")
    client.get(url)
    with django_assert_max_num_queries(MAX_QUERIES):
        few, small = measure(client, url)

    add_reviews(12)
    with django_assert_max_num_queries(MAX_QUERIES):
        many, large = measure(client, url)
    assert many == few, report(small, large)


def test_the_history_takes_a_constant_number_of_queries(
    history, client, django_assert_max_num_queries
):
    client.force_login(moderator())
    url = reverse("reviewer-detail", args=[history.pk])
    client.get(url)
    with django_assert_max_num_queries(MAX_QUERIES):
        few, small = measure(client, url)

    with time_machine.travel(datetime(2025, 4, 2, tzinfo=UTC), tick=False):
        decide(history, close_task(), Decision.LEAVE_OPEN)
    with django_assert_max_num_queries(MAX_QUERIES):
        many, large = measure(client, url)
    assert many == few, report(small, large)
