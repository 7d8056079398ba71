"""Timed suspensions: start, automatic end with no job, early lift, the event log, the
reputation shown while suspended, and the form's refusals (docs/rules.md, "Suspensions and
moderator messages")."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.privileges import Privilege, has_privilege, privilege_signature
from accounts.suspension import is_suspended
from desk import services
from desk.models import Suspension
from moderation.models import EventKind, ModerationEvent
from tests.desk import acknowledge, message, moderator, suspend
from tests.factories import QuestionFactory, UserFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def test_a_suspension_starts_with_a_message_and_is_logged():
    member = UserFactory(reputation=5000)
    mod = moderator()
    before = timezone.now()
    suspend(member, 7, by=mod)
    assert is_suspended(member)
    assert member.suspended_until - before >= timedelta(days=7)
    (row,) = Suspension.objects.filter(user=member)
    assert row.moderator == mod and row.reason == "Rude or abusive comments"
    (event,) = ModerationEvent.objects.filter(kind=EventKind.SUSPENDED)
    assert event.user == member and event.actor == mod and event.post is None


def test_a_suspended_member_holds_no_privilege_and_shows_1_reputation():
    member = UserFactory(reputation=5000)
    signature = privilege_signature(member)
    suspend(member, 3)
    assert not has_privilege(member, Privilege.ASK)
    assert not has_privilege(member, Privilege.UPVOTE)
    assert member.shown_reputation == 1
    assert member.reputation == 5000  # kept, only hidden
    assert privilege_signature(member) != signature


def test_it_ends_by_itself_at_its_end_time_with_no_job():
    member = suspend(UserFactory(reputation=5000), 7)
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        member.refresh_from_db()
        assert not is_suspended(member)
        assert member.shown_reputation == 5000
        assert has_privilege(member, Privilege.CAST_CLOSE_VOTES)
    # the same row, read before the end, is still suspended
    assert is_suspended(member)


def test_a_moderator_lifts_it_early_and_the_lift_is_logged():
    member = suspend(UserFactory(reputation=200), 30)
    mod = moderator()
    services.suspension_lift(moderator=mod, member=member)
    member.refresh_from_db()
    assert not is_suspended(member) and member.shown_reputation == 200
    row = Suspension.objects.get(user=member)
    assert row.lifted_by == mod and row.lifted_at is not None
    kinds = list(ModerationEvent.objects.filter(user=member).values_list("kind", flat=True))
    assert kinds == [EventKind.SUSPENSION_LIFTED, EventKind.SUSPENDED]
    with pytest.raises(PermissionDenied, match="is not suspended"):
        services.suspension_lift(moderator=mod, member=member)


def test_refusals_end_in_the_past_moderators_deleted_members_twice():
    mod = moderator()
    member = UserFactory()
    with pytest.raises(ValidationError):
        message(member, by=mod, days=-1)
    with pytest.raises(PermissionDenied, match="Moderators can't be suspended"):
        message(moderator(), by=mod, days=1)
    with pytest.raises(PermissionDenied, match="deleted"):
        message(UserFactory(is_active=False), by=mod)
    suspend(member, 1, by=mod)
    with pytest.raises(PermissionDenied, match="already suspended"):
        message(member, by=mod, days=3)
    assert Suspension.objects.count() == 1
    with pytest.raises(PermissionDenied):
        services.suspension_lift(moderator=UserFactory(reputation=20000), member=member)


def test_the_profile_says_suspended_until_and_shows_reputation_1(client):
    member = UserFactory(reputation=5000)
    question = QuestionFactory(author=member)
    assert "5,000" in text_of(client.get(question.get_absolute_url()))
    suspend(member, 7)
    client.logout()
    page = client.get(member.get_absolute_url())
    text = text_of(page)
    assert f"Suspended until {member.suspended_until:%b %-d, %Y %H:%M} UTC" in text
    assert "1 reputation" in text and "5,000" not in text
    assert "Lift suspension" not in text and "Message / suspend" not in text
    client.force_login(member)
    acknowledge(member)
    question_page = text_of(client.get(question.get_absolute_url()))
    assert f"{member.name} 1 " in question_page and "5,000" not in question_page
    client.logout()
    assert "5,000" not in text_of(client.get(question.get_absolute_url()))


def test_the_lift_button_on_the_profile(client):
    member = suspend(UserFactory(reputation=300), 7)
    mod = moderator()
    client.force_login(mod)
    page = text_of(client.get(member.get_absolute_url()))
    assert "Lift suspension" in page and "Message / suspend" in page
    response = client.post(reverse("desk-suspension-lift", args=[member.pk]), follow=True)
    assert "suspension is lifted" in text_of(response)
    assert "300 reputation" in text_of(response)


@pytest.mark.parametrize("who", ["anonymous", "member", "10k user"])
def test_non_moderators_get_404_for_the_lift(client, who):
    member = suspend(UserFactory(), 7)
    if who == "member":
        acknowledge(member)
        client.force_login(member)
    elif who == "10k user":
        client.force_login(UserFactory(reputation=Privilege.MODERATOR_TOOLS.reputation))
    response = client.post(reverse("desk-suspension-lift", args=[member.pk]))
    assert response.status_code == 404
    member.refresh_from_db()
    assert is_suspended(member)


def test_the_log_shows_events_about_members(client):
    member = suspend(UserFactory(), 7)
    client.force_login(moderator())
    page = text_of(client.get(reverse("moderation-log")))
    assert "Member suspended" in page and member.name in page
