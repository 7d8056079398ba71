"""Delete my account: the request (password and phrase), the grace period, cancelling, and
what the job erases, redacts and logs (docs/rules.md, "Your data")."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountEvent, AccountEventKind
from desk import services as desk_services
from desk.models import Message
from moderation.models import EventKind, ModerationEvent
from notifications.follows import follow_set
from notifications.models import Follow, Notification
from privacy import services
from privacy.erasure import erase_due
from privacy.models import DeletionRequest
from privacy.sweep import sweep
from tests.desk import message
from tests.factories import DEMO_PASSWORD, CommentFactory, QuestionFactory, UserFactory
from tests.moderation import career, closer, closers, vote_to_close
from tests.privacy import ask_deletion
from threads.models import Comment, Post, Revision

pytestmark = pytest.mark.django_db

GRACE = timedelta(days=7)


def _log(user) -> list[str]:
    return list(
        AccountEvent.objects.filter(user=user).order_by("pk").values_list("kind", flat=True)
    )


def test_a_wrong_password_or_phrase_asks_nothing():
    member = UserFactory()
    with pytest.raises(ValidationError) as refused:
        ask_deletion(member, password="not it")
    assert "password" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        ask_deletion(member, phrase="delete my acount")
    assert "phrase" in refused.value.error_dict
    assert not DeletionRequest.objects.exists()
    assert _log(member) == []


def test_the_form_refuses_a_wrong_password_with_a_clear_message(client):
    member = UserFactory()
    client.force_login(member)
    url = reverse("privacy-delete", kwargs={"pk": member.pk})
    response = client.post(url, {"password": "wrong", "phrase": "delete my account"})
    assert response.status_code == 400
    assert "That is not your password." in response.content.decode()
    response = client.post(url, {"password": DEMO_PASSWORD, "phrase": "yes"})
    assert response.status_code == 400
    assert "to confirm" in response.content.decode()
    assert not DeletionRequest.objects.exists()


def test_a_request_waits_for_the_grace_period_and_a_second_is_refused(client):
    member = UserFactory()
    client.force_login(member)
    url = reverse("privacy-delete", kwargs={"pk": member.pk})
    form = {"password": DEMO_PASSWORD, "phrase": "  Delete my  account "}
    response = client.post(url, form, follow=True)
    assert "will be deleted on" in response.content.decode()
    (request,) = DeletionRequest.objects.filter(user=member)
    assert request.due_at - request.requested_at == GRACE
    # A replayed POST: refused with a message, still one request.
    response = client.post(url, form, follow=True)
    assert "already to be deleted" in response.content.decode()
    assert DeletionRequest.objects.count() == 1
    with time_machine.travel(timezone.now() + GRACE - timedelta(minutes=1)):
        assert erase_due() == 0
    member.refresh_from_db()
    assert member.is_active and member.username != f"user{member.pk}"
    assert _log(member) == [AccountEventKind.DELETION_REQUESTED]


def test_the_member_is_reminded_at_login_and_can_cancel():
    member = UserFactory()
    ask_deletion(member)
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": member.username, "password": DEMO_PASSWORD}, follow=True
    )
    assert "Your account will be deleted on" in response.content.decode()
    page = client.get(reverse("privacy-data", kwargs={"pk": member.pk})).content.decode()
    assert "Cancel the deletion" in page
    response = client.post(reverse("privacy-delete-cancel", kwargs={"pk": member.pk}), follow=True)
    assert "The deletion of your account is cancelled." in response.content.decode()
    with time_machine.travel(timezone.now() + GRACE + timedelta(days=1)):
        assert erase_due() == 0
    member.refresh_from_db()
    assert member.is_active
    assert _log(member) == [
        AccountEventKind.DELETION_REQUESTED,
        AccountEventKind.DELETION_CANCELLED,
    ]
    # Cancelling again: nothing to cancel.
    with pytest.raises(PermissionDenied, match="no deletion"):
        services.deletion_cancel(user=member)
    # And a new request may be made.
    ask_deletion(member)


def test_others_cannot_use_the_members_pages(client):
    member, other = UserFactory(), UserFactory(is_moderator=True)
    client.force_login(other)
    form = {"password": DEMO_PASSWORD, "phrase": "delete my account"}
    assert client.post(reverse("privacy-delete", kwargs={"pk": member.pk}), form).status_code == 404
    cancel = reverse("privacy-delete-cancel", kwargs={"pk": member.pk})
    assert client.post(cancel).status_code == 404
    assert not DeletionRequest.objects.exists()


def _member_with_history():
    """A member with posts, a comment, a close vote, a message to the moderators, a
    follow, notices, an avatar and a session."""
    member = UserFactory(
        username="gracehopper",
        display_name="Grace Hopper",
        email="grace@example.com",
        first_name="Grace",
        last_name="Hopper",
        about="I wrote the first compiler.",
        location="Arlington",
        website="https://example.com/grace",
        reputation=3000,
    )
    member.avatar.save("grace.png", ContentFile(b"not really a png"), save=True)
    other = UserFactory(username="someone", display_name="Someone Else")
    question = QuestionFactory(author=member, title="How do I find the moth in the relay?")
    comment = CommentFactory(author=member, post=QuestionFactory(author=other))
    target = QuestionFactory(author=other)
    vote_to_close(target, [member, *closers(2)], career())
    thread = message(member)
    desk_services.message_reply(
        author=member, thread=thread, body="I think this was a misunderstanding, honestly."
    )
    follow_set(user=member, question=target, active=True)
    client = Client()
    client.force_login(member)
    return member, other, question, comment, target, client


def test_after_the_grace_period_the_job_erases_the_account(django_capture_on_commit_callbacks):
    member, other, question, comment, target, client = _member_with_history()
    avatar_storage, avatar = member.avatar.storage, member.avatar.name
    LogEntry.objects.log_actions(
        user_id=other.pk, queryset=[member], action_flag=CHANGE, change_message="Edited"
    )
    assert LogEntry.objects.get(object_id=str(member.pk)).object_repr == "Grace Hopper"
    assert avatar_storage.exists(avatar)
    assert Notification.objects.filter(recipient=member).exists()
    assert Notification.objects.filter(actor=member).exists()
    assert Notification.objects.filter(text__contains="Grace Hopper").exists()
    assert "Grace Hopper" in str(ModerationEvent.objects.get(kind=EventKind.CLOSED).details)
    # The factories name members user<n>; on PostgreSQL ids do not restart with each test, so
    # one of them may hold this member's pseudonym (that case has its own test).
    get_user_model().objects.filter(username=f"user{member.pk}").exclude(pk=member.pk).update(
        username=f"namesake-{member.pk}"
    )
    ask_deletion(member)
    with (
        time_machine.travel(timezone.now() + GRACE + timedelta(minutes=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert sweep()["erased"] == 1
    member = get_user_model().objects.get(pk=member.pk)
    pseudonym = f"user{member.pk}"
    # Personal data gone.
    assert member.username == pseudonym and member.name == pseudonym
    for field in ("display_name", "email", "first_name", "last_name", "about", "location"):
        assert getattr(member, field) == "", field
    assert member.website == "" and not member.avatar
    assert not member.is_active and not member.has_usable_password()
    assert not avatar_storage.exists(avatar)
    assert not Notification.objects.filter(recipient=member).exists()
    assert not Follow.objects.filter(user=member).exists()
    assert not any(
        session.get_decoded().get("_auth_user_id") == str(member.pk)
        for session in Session.objects.all()
    )
    assert client.get(reverse("privacy-data", kwargs={"pk": member.pk})).status_code == 302
    # Content stays, attributed to the pseudonym.
    question = Post.objects.get(pk=question.pk)
    assert question.deleted_at is None
    assert question.author_id == member.pk and question.author_name == pseudonym
    assert Comment.objects.get(pk=comment.pk).author_name == pseudonym
    assert set(Revision.objects.filter(editor=member).values_list("editor_name", flat=True)) == {
        pseudonym
    }
    # Records redacted: the close notice, the event log, messages, notices to others.
    notice = Post.objects.get(pk=target.pk).close_notice
    names = [voter["name"] for voter in notice["voters"]]
    assert pseudonym in names and "Grace Hopper" not in names
    events = ModerationEvent.objects.filter(actor=member)
    assert events.exists() and set(events.values_list("actor_name", flat=True)) == {pseudonym}
    closed = ModerationEvent.objects.get(kind=EventKind.CLOSED, post=target)
    assert "Grace Hopper" not in str(closed.details)
    assert set(Message.objects.filter(author=member).values_list("author_name", flat=True)) == {
        pseudonym
    }
    to_others = Notification.objects.filter(actor=member)
    assert set(to_others.values_list("actor_name", flat=True)) == {pseudonym}
    assert set(
        LogEntry.objects.filter(object_id=str(member.pk)).values_list("object_repr", flat=True)
    ) == {pseudonym}
    assert not Notification.objects.filter(text__contains="Grace Hopper").exists()
    # Every step logged.
    assert _log(member) == [
        AccountEventKind.DELETION_REQUESTED,
        AccountEventKind.NAMES_REDACTED,
        AccountEventKind.ERASED,
    ]
    request = DeletionRequest.objects.get(user=member)
    assert request.erased_at is not None
    # Done once: a second run, or cancelling after the fact, changes nothing.
    with time_machine.travel(timezone.now() + GRACE + timedelta(days=2)):
        assert erase_due() == 0
    with pytest.raises(PermissionDenied):
        services.deletion_cancel(user=member)


def test_the_old_password_no_longer_logs_in():
    member = UserFactory(username="leaving")
    ask_deletion(member)
    with time_machine.travel(timezone.now() + GRACE + timedelta(minutes=1)):
        erase_due()
    client = Client()
    assert not client.login(username="leaving", password=DEMO_PASSWORD)
    assert not client.login(username=f"user{member.pk}", password=DEMO_PASSWORD)


def test_another_members_name_is_left_alone():
    """Only the erased member's rows are attributed to the pseudonym."""
    member = UserFactory(username="sam", display_name="Sam")
    namesake = closer(username="samuel", display_name="Sam")
    question = QuestionFactory(author=namesake)
    ask_deletion(member)
    with time_machine.travel(timezone.now() + GRACE + timedelta(minutes=1)):
        erase_due()
    assert Post.objects.get(pk=question.pk).author_name == "Sam"


def test_an_administrator_cannot_delete_their_account_from_here():
    admin = UserFactory(is_superuser=True, is_staff=True)
    with pytest.raises(PermissionDenied, match="administrator"):
        ask_deletion(admin)


def test_allauth_tables_are_erased_when_installed_and_skipped_otherwise():
    """django-allauth's addresses, social accounts and authenticators are looked up by
    ``apps.is_installed``, so the erasure works with or without them."""
    from django.apps import apps

    from privacy.erasure import ALLAUTH_MODELS, _delete_allauth_rows

    member = UserFactory()
    installed = {label for app, label in ALLAUTH_MODELS if apps.is_installed(app)}
    assert set(_delete_allauth_rows(member)) == installed


def test_cached_pages_show_the_pseudonym_after_the_erasure():
    member = UserFactory(username="cachedname", display_name="Cached Name", reputation=50)
    question = QuestionFactory(author=member)
    commented = QuestionFactory()
    CommentFactory(author=member, post=commented, body="A comment signed by my own name")
    reader = Client()
    for page in (question, commented):
        assert "Cached Name" in reader.get(page.get_absolute_url()).content.decode()
    ask_deletion(member)
    with time_machine.travel(timezone.now() + GRACE + timedelta(minutes=1)):
        assert erase_due() == 1
    for page in (question, commented):
        html = reader.get(page.get_absolute_url()).content.decode()
        assert "Cached Name" not in html and f"user{member.pk}" in html


def test_a_pseudonym_another_member_already_holds_becomes_deleted_user():
    member = UserFactory()
    UserFactory(username=f"user{member.pk}")  # a namesake holds the plain pseudonym
    ask_deletion(member)
    with time_machine.travel(timezone.now() + GRACE + timedelta(minutes=1)):
        assert erase_due() == 1
    member.refresh_from_db()
    assert member.username == f"deleted-user{member.pk}"
