"""Email of notifications (in process, as without Redis; the worker's retries are in
test_mail_worker.py): immediate messages with both parts, exact absolute links and a
one-click unsubscribe; the daily digest; the resend sweep; a mail server that fails."""

import uuid
from datetime import timedelta
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core import mail, signing
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.privileges import Privilege
from notifications import mail as mailer
from notifications import mail_queue, unsubscribe
from notifications.models import EmailMode, EmailPreference, Kind, Notification
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from threads.models import Comment

pytestmark = pytest.mark.django_db

BROKEN = "tests.notifications.mail_backends.BrokenBackend"
SITE = "https://qa.example"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def prefer(user, kind: Kind, mode: EmailMode) -> None:
    EmailPreference.objects.create(user=user, kind=kind, mode=mode)


def comment_link(comment) -> str:
    question_id = comment.post.parent_id or comment.post_id
    return f"{SITE}{reverse('question-short', kwargs={'pk': question_id})}#comment-{comment.pk}"


def settled() -> None:
    """Mark what is there emailed, so a test counts only the mail it causes."""
    Notification.objects.filter(emailed_at=None).update(emailed_at=timezone.now())


def sent_to(user) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


@pytest.fixture
def commented(django_capture_on_commit_callbacks):
    """An answer whose author wants comments by email at once, and a comment on it."""
    answer = AnswerFactory()
    prefer(answer.author, Kind.COMMENT, EmailMode.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        comment = CommentFactory(post=answer)
    return answer.author, comment


def test_an_immediate_notification_is_mailed_with_both_parts_and_exact_links(commented):
    owner, comment = commented
    (message,) = mail.outbox
    assert message.to == [owner.email]
    assert message.subject == f"Comment on your post: {comment.post.parent.title}"
    link = comment_link(comment)
    assert f"Open it: {link}" in message.body
    assert " ".join(comment.body.split())[:40] in message.body
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert f'href="{link}"' in html
    assert f'href="{SITE}/inbox/settings/"' in html
    assert Notification.objects.get(recipient=owner).emailed_at is not None


def test_an_answer_links_to_the_answer(django_capture_on_commit_callbacks):
    question = QuestionFactory()
    prefer(question.author, Kind.ANSWER, EmailMode.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        answer = AnswerFactory(question=question)
    (message,) = sent_to(question.author)
    assert f"{SITE}{reverse('answer-short', kwargs={'pk': answer.pk})}" in message.body


def test_every_message_carries_the_one_click_unsubscribe_headers(commented):
    (message,) = mail.outbox
    headers = message.message()
    url = headers["List-Unsubscribe"].strip("<>")
    assert url.startswith(f"{SITE}/inbox/unsubscribe/")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in message.body
    assert f'href="{url}"' in message.alternatives[0][0]


def test_the_unsubscribe_link_asks_then_unsubscribes_in_one_click(
    commented, django_capture_on_commit_callbacks
):
    owner, comment = commented
    path = urlsplit(mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")).path
    client = Client(enforce_csrf_checks=True)  # the mail client has no session nor token

    page = client.get(path)
    assert page.status_code == 200
    assert b'<form method="post">' in page.content
    assert not EmailPreference.objects.filter(user=owner, mode=EmailMode.OFF).exists()

    done = client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert done.status_code == 200
    assert EmailPreference.objects.get(user=owner, kind=Kind.COMMENT).mode == EmailMode.OFF

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        CommentFactory(post=comment.post)
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=owner).latest("pk").email_mode == EmailMode.OFF


def test_unsubscribing_from_all_also_stops_what_waits_for_the_digest():
    question = QuestionFactory()
    AnswerFactory(question=question)
    CommentFactory(post=question)
    asker = question.author
    assert Notification.objects.filter(recipient=asker, email_mode=EmailMode.DAILY).count() == 2

    path = reverse("email-unsubscribe", kwargs={"token": unsubscribe.token(asker, "all")})
    assert Client().post(path).status_code == 200

    mailer.send_digests()
    assert sent_to(asker) == []
    modes = set(EmailPreference.objects.filter(user=asker).values_list("mode", flat=True))
    assert modes == {EmailMode.OFF}


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_or_altered_unsubscribe_token_is_refused(client, method):
    user = UserFactory()
    good = unsubscribe.token(user, Kind.COMMENT)
    forged = [
        ("B" if good[0] != "B" else "C") + good[1:],  # the payload changed
        good[:-3] + "abc",  # the signature changed
        signing.dumps([user.pk, Kind.COMMENT], salt="another purpose"),
        signing.dumps([user.pk, "no-such-kind"], salt=unsubscribe.SALT),
        signing.dumps([2**40, "all"], salt=unsubscribe.SALT),  # nobody
        signing.dumps({"user": user.pk}, salt=unsubscribe.SALT),
        "junk",
    ]
    for token in forged:
        url = reverse("email-unsubscribe", kwargs={"token": token})
        assert getattr(client, method)(url).status_code == 404, token
    assert not EmailPreference.objects.exists()


def test_email_off_sends_nothing(django_capture_on_commit_callbacks):
    answer = AnswerFactory()
    settled()
    prefer(answer.author, Kind.COMMENT, EmailMode.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        CommentFactory(post=answer)
    later = timezone.now() + timedelta(hours=1)
    assert mailer.resend_unsent(now=later) == 0
    assert mailer.send_digests(now=later) == 0
    assert sent_to(answer.author) == []


def test_daily_notifications_go_only_in_the_digest(django_capture_on_commit_callbacks):
    answer = AnswerFactory()  # comments are daily by default
    settled()
    with django_capture_on_commit_callbacks(execute=True):
        comment = CommentFactory(post=answer)
    assert mail.outbox == []
    assert mailer.resend_unsent(now=timezone.now() + timedelta(hours=1)) == 0

    assert mailer.send_digests() == 1
    (message,) = mail.outbox
    assert message.subject == "Your daily digest: 1 notification"
    assert comment_link(comment) in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mailer.send_digests() == 0


def test_the_digest_groups_by_kind_newest_first_with_counts(settings):
    settings.QASITE = {
        **settings.QASITE,
        "NOTIFICATIONS": {**settings.QASITE["NOTIFICATIONS"], "EMAIL_DIGEST_ITEMS_PER_KIND": 2},
    }
    question = QuestionFactory()
    first = AnswerFactory(question=question)
    CommentFactory(post=question)
    second = AnswerFactory(question=question)
    third = AnswerFactory(question=question)

    mailer.send_digests()
    (message,) = sent_to(question.author)
    assert message.subject == "Your daily digest: 4 notifications"
    body = message.body
    answers, comments = (
        body.index("== New answer (3) =="),
        body.index("== Comment on your post (1)"),
    )
    assert answers < comments  # the group with the newest item first

    def link(answer):
        return f"{SITE}{reverse('answer-short', kwargs={'pk': answer.pk})}"

    assert body.index(link(third)) < body.index(link(second)) < comments
    assert link(first) not in body
    assert "...and 1 more in your inbox" in body
    html = message.alternatives[0][0]
    assert "New answer (3)" in html and f'href="{link(third)}"' in html
    assert not Notification.objects.filter(recipient=question.author, emailed_at=None).exists()


def test_the_resend_sweep_sends_what_was_lost_once():
    answer = AnswerFactory()
    prefer(answer.author, Kind.COMMENT, EmailMode.IMMEDIATE)
    CommentFactory(post=answer)  # committed, but its task never ran
    now = timezone.now()

    assert mailer.resend_unsent(now=now) == 0  # its task may still be on the way
    assert mailer.resend_unsent(now=now + timedelta(minutes=16)) == 1
    assert mailer.resend_unsent(now=now + timedelta(minutes=16)) == 0
    assert len(sent_to(answer.author)) == 1

    CommentFactory(post=answer)
    assert mailer.resend_unsent(now=now + timedelta(days=3)) == 0  # no longer news


def test_a_failing_send_gives_the_row_back_for_the_retry(settings, caplog):
    answer = AnswerFactory()
    prefer(answer.author, Kind.COMMENT, EmailMode.IMMEDIATE)
    comment = CommentFactory(post=answer)
    source = f"comment:{comment.pk}"
    settings.EMAIL_BACKEND = BROKEN

    with pytest.raises(mailer.MailNotSent):
        mailer.send_immediate(source)
    assert Notification.objects.get(source=source).emailed_at is None

    mail_queue.enqueue(mailer.send_immediate, source)  # in process: logged, not raised
    assert "Background task send_immediate failed" in caplog.text

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert mailer.send_immediate(source) == 1


def test_a_comment_still_posts_when_the_mail_server_is_down(
    client, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = BROKEN
    answer = AnswerFactory()
    prefer(answer.author, Kind.COMMENT, EmailMode.IMMEDIATE)
    client.force_login(UserFactory(reputation=Privilege.COMMENT_EVERYWHERE.reputation))
    body = "A comment long enough to be posted here."

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("comment-create", kwargs={"pk": answer.pk}),
            {"body": body, "token": str(uuid.uuid4())},
        )

    assert response.status_code == 302
    assert Comment.objects.filter(post=answer, body=body).exists()
    row = Notification.objects.get(recipient=answer.author, kind=Kind.COMMENT)
    assert row.emailed_at is None  # the sweep sends it once the server is back
    assert "send_immediate failed" in caplog.text


def test_mail_goes_only_to_an_address_the_user_has():
    assert mailer.address_of(UserFactory(email="")) is None
    assert mailer.address_of(UserFactory(email="someone@example.com")) == "someone@example.com"
    assert mailer.address_of(UserFactory(email="gone@example.com", is_active=False)) is None


def test_the_command_runs_the_sweep_and_the_digest(settings):
    answer = AnswerFactory()
    settled()
    CommentFactory(post=answer)  # daily
    out = StringIO()
    call_command("send_notification_mail", "--digest", stdout=out)
    assert "Sent 1 digest." in out.getvalue()

    prefer(answer.author, Kind.COMMENT, EmailMode.IMMEDIATE)
    CommentFactory(post=answer)
    Notification.objects.filter(emailed_at=None).update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    settings.EMAIL_BACKEND = BROKEN
    with pytest.raises(CommandError, match="retried next run"):
        call_command("send_notification_mail", stdout=out)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_notification_mail", stdout=out)
    assert "Sent 1 email." in out.getvalue()
