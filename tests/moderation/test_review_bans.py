"""Review bans (docs/rules.md, "Review bans"): each automatic ban after failed audits is
longer than the last within ``AUDIT_BAN_LOOKBACK_DAYS``; only failures after the previous
ban ended count; moderators lift a ban early from the dashboard."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from moderation import rules
from moderation.models import ReviewQueue, ReviewSuspension
from moderation.queues import QUEUES
from moderation.review_bans import review_ban_lift
from moderation.services import ModerationError
from notifications.models import Kind, Notification
from tests.factories import QuestionFactory
from tests.moderation import NON_MODERATORS, closer, moderator, review_setting
from tests.moderation.test_dashboard import MAX_QUERIES as MAX_DASHBOARD_QUERIES
from tests.moderation.test_review_audits import every_review, fail_close_audit  # noqa: F401
from tests.queries import measure, report

pytestmark = pytest.mark.django_db

CLOSE = QUEUES[ReviewQueue.CLOSE]
T0 = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)
DASHBOARD = "/moderation/"


def days(n: float) -> timedelta:
    return timedelta(days=n)


def fail_audits(person, count: int | None = None) -> None:
    for _ in range(count or review_setting("AUDIT_FAILURES_TO_SUSPEND")):
        fail_close_audit(person)


@pytest.fixture
def person(every_review):  # noqa: F811
    QuestionFactory(score=review_setting("AUDIT_GOOD_SCORE"))
    return closer()


@pytest.fixture
def banned(person):
    """``person`` banned at ``T0`` (the clock stays there)."""
    with time_machine.travel(T0, tick=False):
        fail_audits(person)
        yield person, ReviewSuspension.objects.get(user=person)


def bans_of(person) -> list[ReviewSuspension]:
    return list(ReviewSuspension.objects.filter(user=person).order_by("starts_at"))


# Escalation ----------------------------------------------------------------------------------


def test_each_ban_is_longer_than_the_last(person):
    lengths = review_setting("AUDIT_BAN_DAYS")
    assert lengths == sorted(lengths)
    with time_machine.travel(T0, tick=False) as traveller:
        for number in range(3):
            fail_audits(person)
            ban = bans_of(person)[-1]
            assert ban.ends_at - ban.starts_at == days(lengths[number])
            traveller.move_to(ban.ends_at + timedelta(seconds=1))

    assert len(bans_of(person)) == 3
    # Each ban is told to the reviewer, with its end (docs/rules.md, "Notifications").
    told = Notification.objects.filter(recipient=person, kind=Kind.REVIEW_SUSPENDED)
    assert sorted(n.details["ends_at"] for n in told) == [
        ban.ends_at.isoformat() for ban in bans_of(person)
    ]


def test_bans_beyond_the_list_keep_its_last_length(person, settings):
    settings.QASITE = {
        **settings.QASITE,
        "REVIEW": {**settings.QASITE["REVIEW"], "AUDIT_BAN_DAYS": [1, 3]},
    }
    with time_machine.travel(T0, tick=False) as traveller:
        for _ in range(3):
            fail_audits(person)
            traveller.move_to(bans_of(person)[-1].ends_at + timedelta(seconds=1))

    assert [ban.ends_at - ban.starts_at for ban in bans_of(person)] == [days(1), days(3), days(3)]


def test_bans_older_than_the_lookback_do_not_lengthen_the_next(person):
    first = review_setting("AUDIT_BAN_DAYS")[0]
    with time_machine.travel(T0, tick=False) as traveller:
        fail_audits(person)
        traveller.move_to(T0 + days(review_setting("AUDIT_BAN_LOOKBACK_DAYS") + 1))
        fail_audits(person)

    assert [ban.ends_at - ban.starts_at for ban in bans_of(person)] == [days(first)] * 2


def test_failures_before_a_ban_do_not_count_after_it(banned):
    person, ban = banned
    needed = review_setting("AUDIT_FAILURES_TO_SUSPEND")
    with time_machine.travel(ban.ends_at + timedelta(seconds=1), tick=False):
        # Still within the failure window of the failures that caused the ban.
        assert ban.ends_at + timedelta(seconds=1) - T0 < days(
            review_setting("AUDIT_FAILURE_WINDOW_DAYS")
        )
        fail_audits(person, needed - 1)
        assert bans_of(person) == [ban]
        assert rules.active_review_suspension(person) is None

        fail_audits(person, 1)

    assert len(bans_of(person)) == 2


# Lifting -------------------------------------------------------------------------------------


def test_a_moderator_lifts_a_ban_early(banned):
    person, ban = banned
    mod = moderator()

    lifted = review_ban_lift(actor=mod, ban=ban)

    ban.refresh_from_db()
    assert (ban.lifted_at, ban.lifted_by) == (T0, mod)
    assert lifted == ban
    assert ban.ends_at > T0  # the planned end stays on the row
    assert rules.active_review_suspension(person) is None
    rules.check_review_queue_permission(person, CLOSE)


def test_a_ban_is_lifted_once(banned):
    _, ban = banned
    review_ban_lift(actor=moderator(), ban=ban)

    with pytest.raises(ModerationError, match="already lifted"):
        review_ban_lift(actor=moderator(), ban=ban)


def test_an_ended_ban_is_not_lifted(person):
    with time_machine.travel(T0, tick=False) as traveller:
        fail_audits(person)
        (ban,) = bans_of(person)
        traveller.move_to(ban.ends_at)

        with pytest.raises(ModerationError, match="already ended"):
            review_ban_lift(actor=moderator(), ban=ban)
    ban.refresh_from_db()
    assert ban.lifted_at is None


@pytest.mark.parametrize("make_user", NON_MODERATORS)
def test_only_moderators_lift_bans(banned, make_user):
    _, ban = banned
    with pytest.raises(PermissionDenied):
        review_ban_lift(actor=make_user(), ban=ban)
    ban.refresh_from_db()
    assert ban.lifted_at is None


def test_failures_after_a_lift_start_a_new_count_and_a_longer_ban(banned):
    person, ban = banned
    review_ban_lift(actor=moderator(), ban=ban)
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        fail_audits(person, review_setting("AUDIT_FAILURES_TO_SUSPEND") - 1)
        assert bans_of(person) == [ban]
        fail_audits(person, 1)

    second = bans_of(person)[-1]
    assert second.ends_at - second.starts_at == days(review_setting("AUDIT_BAN_DAYS")[1])


# The dashboard -------------------------------------------------------------------------------


def test_the_dashboard_lists_a_ban_in_force_with_a_lift_button(banned, client):
    person, ban = banned
    client.force_login(moderator())

    page = client.get(DASHBOARD).content.decode()

    assert ban.reason in page
    assert person.name in page
    assert reverse("review-ban-lift", args=[ban.pk]) in page
    assert reverse("reviewer-list") in page


def test_a_moderator_lifts_a_ban_from_the_dashboard(banned, client):
    person, ban = banned
    mod = moderator()
    client.force_login(mod)

    response = client.post(reverse("review-ban-lift", args=[ban.pk]), follow=True)

    assert response.redirect_chain[-1][0] == DASHBOARD
    page = response.content.decode()
    assert "review ban is lifted" in page
    assert reverse("review-ban-lift", args=[ban.pk]) not in page
    assert f"by {mod.name}" in page  # the lift is listed with who lifted it
    ban.refresh_from_db()
    assert ban.lifted_by == mod
    assert rules.active_review_suspension(person) is None


def test_lifting_twice_over_http_says_so(banned, client):
    _, ban = banned
    client.force_login(moderator())
    client.post(reverse("review-ban-lift", args=[ban.pk]))

    response = client.post(reverse("review-ban-lift", args=[ban.pk]), follow=True)

    assert "already lifted" in response.content.decode()


@pytest.mark.parametrize("make_user", NON_MODERATORS)
def test_the_lift_does_not_exist_for_non_moderators(banned, client, make_user):
    _, ban = banned
    user = make_user()
    if user.is_authenticated:
        client.force_login(user)

    assert client.post(reverse("review-ban-lift", args=[ban.pk])).status_code == 404
    ban.refresh_from_db()
    assert ban.lifted_at is None


def test_the_lift_needs_a_post_and_an_existing_ban(banned, client):
    _, ban = banned
    client.force_login(moderator())

    assert client.get(reverse("review-ban-lift", args=[ban.pk])).status_code == 405
    assert client.post(reverse("review-ban-lift", args=[ban.pk + 1000])).status_code == 404


def test_the_dashboard_lists_bans_in_a_constant_number_of_queries(
    every_review,  # noqa: F811
    client,
    django_assert_max_num_queries,
):
    QuestionFactory(score=review_setting("AUDIT_GOOD_SCORE"))
    client.force_login(moderator())
    fail_audits(closer())
    client.get(DASHBOARD)
    with django_assert_max_num_queries(MAX_DASHBOARD_QUERIES):
        few, small = measure(client, DASHBOARD)

    for _ in range(3):
        person = closer()
        fail_audits(person)
        review_ban_lift(actor=moderator(), ban=bans_of(person)[0])
        fail_audits(closer())
    with django_assert_max_num_queries(MAX_DASHBOARD_QUERIES):
        many, large = measure(client, DASHBOARD)
    assert many == few, report(small, large)
