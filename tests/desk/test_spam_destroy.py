"""Moderators destroy spam accounts (docs/rules.md, "Spam accounts"): the account is
deactivated, its posts and comments deleted through threads' services, the action logged;
only moderators, never on a moderator or staff; a replayed POST does nothing twice."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import AccountEvent, AccountEventKind
from desk.spam import spam_account_destroy
from moderation.models import EventKind, ModerationEvent
from tests.desk import moderator
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from threads.models import Comment, Post
from threads.services import vote_cast

pytestmark = pytest.mark.django_db


def _spammer():
    spammer = UserFactory(username="spammer", reputation=50)
    question = QuestionFactory(author=spammer, title="Buy cheap watches here right now please")
    answer = AnswerFactory(author=spammer, body="Great watches at example.com, buy them now!")
    comment = CommentFactory(
        author=spammer, post=answer.parent, body="Visit example.com for watches"
    )
    voter = UserFactory(reputation=100)
    vote_cast(user=voter, post=question, value=1, rate_limited=False)
    return spammer, question, answer, comment


def test_destroying_deactivates_deletes_and_logs():
    spammer, question, answer, comment = _spammer()
    spammer.refresh_from_db()
    before = spammer.reputation
    mod = moderator()
    assert spam_account_destroy(moderator=mod, member=spammer, reason="Watch spam")
    spammer.refresh_from_db()
    assert not spammer.is_active and not spammer.has_usable_password()
    assert spammer.reputation == before - 10, "the upvote's reputation follows the deletion"
    assert Post.objects.get(pk=question.pk).deleted_at is not None
    assert Post.objects.get(pk=answer.pk).deleted_at is not None
    assert Post.objects.get(pk=answer.parent_id).answer_count == 0
    assert Comment.objects.get(pk=comment.pk).deleted_at is not None
    (event,) = ModerationEvent.objects.filter(kind=EventKind.ACCOUNT_DESTROYED)
    assert event.user == spammer and event.actor == mod and event.reason == "Watch spam"
    assert sorted(event.details["posts"]) == sorted([question.pk, answer.pk])
    assert event.details["comments"] == [comment.pk]
    assert AccountEvent.objects.filter(
        user=spammer, kind=AccountEventKind.DESTROYED_AS_SPAM
    ).exists()


def test_a_replay_does_nothing_twice(client):
    spammer, *_ = _spammer()
    mod = moderator()
    client.force_login(mod)
    url = reverse("desk-spam-destroy", kwargs={"pk": spammer.pk})
    first = client.post(url, {"reason": "Spam"}, follow=True)
    assert "destroyed as spam" in first.content.decode()
    again = client.post(url, {"reason": "Spam"}, follow=True)
    assert "already deactivated" in again.content.decode()
    assert ModerationEvent.objects.filter(kind=EventKind.ACCOUNT_DESTROYED).count() == 1
    assert ModerationEvent.objects.filter(kind=EventKind.DELETED).count() == 2


def test_only_moderators_and_never_on_a_moderator_or_staff(client):
    spammer, question, *_ = _spammer()
    url = reverse("desk-spam-destroy", kwargs={"pk": spammer.pk})
    client.force_login(UserFactory(reputation=100000))
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "Spam"}).status_code == 404
    mod = moderator()
    for protected in (moderator(), UserFactory(is_staff=True), mod):
        with pytest.raises(PermissionDenied):
            spam_account_destroy(moderator=mod, member=protected, reason="Spam")
        assert protected.__class__.objects.get(pk=protected.pk).is_active
    with pytest.raises(ValidationError):
        spam_account_destroy(moderator=mod, member=spammer, reason="  ")
    assert Post.objects.get(pk=question.pk).deleted_at is None


def test_the_profile_links_moderators_to_the_confirmation_page(client):
    spammer, *_ = _spammer()
    url = reverse("desk-spam-destroy", kwargs={"pk": spammer.pk})
    client.force_login(moderator())
    assert url in client.get(spammer.get_absolute_url()).content.decode()
    page = client.get(url)
    assert page.status_code == 200
    assert "2 visible posts and 1 comment" in page.content.decode()
    other_moderator = moderator()
    assert (
        reverse("desk-spam-destroy", kwargs={"pk": other_moderator.pk})
        not in client.get(other_moderator.get_absolute_url()).content.decode()
    )


def test_the_moderation_log_and_record_show_the_destruction(client):
    spammer, *_ = _spammer()
    mod = moderator()
    spam_account_destroy(moderator=mod, member=spammer, reason="Watch spam")
    client.force_login(mod)
    log = client.get(reverse("moderation-log"))
    assert log.status_code == 200
    assert "Spam account destroyed" in log.content.decode()
    record = client.get(reverse("desk-record", kwargs={"pk": spammer.pk}))
    assert record.status_code == 200
