"""Moderator messages: templates, sending (with its form errors), the blocking notice until
acknowledged, the member's appeal and the moderator's answer through the inbox, append-only
rows, and 404 for everyone else (docs/rules.md, "Suspensions and moderator messages")."""

import pytest
from django.urls import reverse

from desk.message_templates import BY_KEY, TEMPLATES
from desk.models import Message
from notifications.models import Kind, Notification
from tests.desk import acknowledge, message, moderator
from tests.factories import QuestionFactory, UserFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def send_form(client, member, **data):
    values = {
        "template": "low_quality",
        "subject": "Your posts need improvement",
        "body": "Please **improve** your posts. <script>alert(1)</script>",
        "suspend": "",
        "suspend_until": "",
    } | data
    return client.post(reverse("desk-message", args=[member.pk]), values)


def test_each_template_fills_the_form(client):
    client.force_login(moderator())
    member = UserFactory()
    for template in TEMPLATES:
        page = client.get(reverse("desk-message", args=[member.pk]), {"template": template.key})
        assert page.status_code == 200
        assert template.body.splitlines()[0] in page.content.decode()
    assert set(BY_KEY) == {
        "low_quality",
        "rude_comments",
        "voting_irregularities",
        "plagiarism",
        "self_promotion",
        "custom",
    }


def test_a_moderator_sends_an_edited_message_with_a_suspension(client):
    mod = moderator()
    member = UserFactory(reputation=700)
    client.force_login(mod)
    response = send_form(client, member, suspend="7")
    thread = member.moderator_messages.get()
    assert response.status_code == 302
    assert response.url == reverse("desk-messages", args=[member.pk]) + f"#thread-{thread.pk}"
    (sent,) = thread.messages.all()
    assert sent.from_moderator and sent.author == mod
    assert "<strong>improve</strong>" in sent.body_html and "<script" not in sent.body_html
    member.refresh_from_db()
    assert member.is_suspended
    notice = Notification.objects.get(recipient=member)
    assert notice.kind == Kind.MODERATOR_MESSAGE and notice.title == thread.subject
    inbox = client.get(reverse("inbox"))  # the moderator's: nothing
    assert thread.subject not in text_of(inbox)


@pytest.mark.parametrize(
    ("target", "data", "error"),
    [
        ("member", {"suspend": "custom", "suspend_until": "2001-01-01T10:00"}, "in the future"),
        ("member", {"suspend": "custom"}, "Give the date and time"),
        ("member", {"suspend": "4"}, "Select a valid choice"),
        ("member", {"body": "short"}, "at least 20 characters"),
        ("member", {"template": "nope"}, "Select a valid choice"),
        ("moderator", {"suspend": "1"}, "Moderators can't be suspended"),
        ("deleted", {}, "account is deleted"),
    ],
)
def test_bad_input_is_a_form_error(client, target, data, error):
    member = {
        "member": UserFactory,
        "moderator": moderator,
        "deleted": lambda: UserFactory(is_active=False),
    }[target]()
    client.force_login(moderator())
    response = send_form(client, member, **data)
    assert response.status_code == 400
    assert error in text_of(response)
    assert not Message.objects.exists()


def test_the_notice_blocks_every_page_until_acknowledged(client, django_assert_max_num_queries):
    member = UserFactory()
    question = QuestionFactory()
    thread = message(member)
    client.force_login(member)
    messages_url = reverse("desk-messages", args=[member.pk])
    for url in ("/", question.get_absolute_url(), member.get_absolute_url(), reverse("inbox")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == f"{messages_url}#thread-{thread.pk}"
    page = client.get(messages_url)
    assert page.status_code == 200
    assert "I have read this message" in text_of(page)
    # scripts' requests and form posts are not pages
    assert (
        client.get(reverse("inbox-latest"), HTTP_X_REQUESTED_WITH="XMLHttpRequest").status_code
        == 200
    )
    response = client.post(reverse("desk-message-acknowledge", args=[member.pk, thread.pk]))
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    page = text_of(client.get(messages_url))
    assert "I have read this message" not in page and thread.subject in page
    # kept in the inbox
    assert thread.subject in text_of(client.get(reverse("inbox")))


def test_the_notice_costs_one_cache_read_not_a_query(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    member = UserFactory()
    client.force_login(member)
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        client.get("/")
    assert not [q for q in captured.captured_queries if "desk_message" in q["sql"]]
    message(member)  # clears the entry: the next page reads the rows once and is sent away
    assert client.get("/").status_code == 302
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 302
    assert not [q for q in captured.captured_queries if "desk_message" in q["sql"]]


def test_an_appeal_reaches_the_moderators_and_their_answer_the_member(client):
    mod, other_mod = moderator(), moderator()
    member = UserFactory()
    thread = message(member, by=mod, days=3)
    acknowledge(member)
    client.force_login(member)
    reply_url = reverse("desk-message-reply", args=[member.pk, thread.pk])
    response = client.post(reply_url, {"body": "I am sorry, it will not happen again."})
    assert response.status_code == 302
    for each in (mod, other_mod):
        assert Notification.objects.get(recipient=each).kind == Kind.MESSAGE_REPLY
    assert not Notification.objects.filter(recipient=member, kind=Kind.MESSAGE_REPLY).exists()
    client.force_login(other_mod)
    page = text_of(client.get(reverse("desk-messages", args=[member.pk])))
    assert "I am sorry, it will not happen again." in page
    response = client.post(reply_url, {"body": "Thanks: the suspension stays, though."})
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=member, kind=Kind.MODERATOR_MESSAGE).count() == 2
    # the answer blocks the member's pages like the first message
    client.force_login(member)
    assert client.get("/").status_code == 302
    assert [m.from_moderator for m in thread.messages.all()] == [True, False, True]


def test_a_reply_too_short_is_a_form_error(client):
    member = UserFactory()
    thread = message(member)
    client.force_login(member)
    response = client.post(
        reverse("desk-message-reply", args=[member.pk, thread.pk]), {"body": "no"}
    )
    assert response.status_code == 400
    assert "at least 20 characters" in text_of(response)


def test_messages_are_append_only():
    thread = message(UserFactory())
    sent = thread.messages.get()
    sent.body = "changed"
    with pytest.raises(PermissionError):
        sent.save()
    with pytest.raises(PermissionError):
        sent.delete()
    with pytest.raises(PermissionError):
        Message.objects.filter(pk=sent.pk).update(body="changed")
    with pytest.raises(PermissionError):
        Message.objects.all().delete()


@pytest.mark.parametrize("who", ["anonymous", "another member", "10k user"])
def test_everyone_else_gets_404(client, who):
    member = UserFactory()
    thread = message(member)
    if who == "another member":
        client.force_login(UserFactory())
    elif who == "10k user":
        client.force_login(UserFactory(reputation=10000))
    pages = [
        reverse("desk-message", args=[member.pk]),
        reverse("desk-messages", args=[member.pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 404
    posts = [
        reverse("desk-message", args=[member.pk]),
        reverse("desk-message-reply", args=[member.pk, thread.pk]),
        reverse("desk-message-acknowledge", args=[member.pk, thread.pk]),
        reverse("desk-suspension-lift", args=[member.pk]),
    ]
    for url in posts:
        assert (
            client.post(url, {"body": "x" * 40, "subject": "s", "template": "custom"}).status_code
            == 404
        )
    assert Message.objects.count() == 1


def test_the_member_cannot_open_the_moderators_form_nor_acknowledge_for_someone(client):
    member = UserFactory()
    message(member)
    acknowledge(member)
    client.force_login(member)
    assert client.get(reverse("desk-message", args=[member.pk])).status_code == 404
    client.force_login(moderator())
    thread = member.moderator_messages.get()
    response = client.post(reverse("desk-message-acknowledge", args=[member.pk, thread.pk]))
    assert response.status_code == 404


def test_pages_cost_a_constant_number_of_queries(client, django_assert_max_num_queries):
    member = UserFactory()
    mod = moderator()
    for _ in range(3):
        thread = message(member, by=mod)
    client.force_login(member)
    for _ in range(3):
        client.post(
            reverse("desk-message-reply", args=[member.pk, thread.pk]),
            {"body": "A reply long enough to count."},
        )
    client.force_login(mod)
    # session, user, member, threads, messages, suspensions; the unread count on a miss
    with django_assert_max_num_queries(7):
        assert client.get(reverse("desk-messages", args=[member.pk])).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(reverse("desk-message", args=[member.pk])).status_code == 200
