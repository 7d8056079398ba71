"""A verified address before the first post (docs/rules.md, "Accounts"): who counts as
verified, the one rule and every action it covers, confirming, and mail only to verified
addresses."""

import uuid

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from accounts.verification import check_email_verified, email_verified_sync
from notifications.mail import address_of
from notifications.models import EmailMode, EmailPreference, Kind
from tests.accounts.helpers import accounts_settings, link_in, mail_to, signup
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.pages import text_of
from threads import services
from threads.models import Post, Tag
from threads.tag_rules import check_edit_tag_wiki_permission

pytestmark = pytest.mark.django_db

TITLE = "How do I merge two dictionaries in Python?"
BODY = "I have two dicts and want a new one with the keys of both, the second winning."


def signed_up(client):
    assert signup(client).status_code == 302
    return get_user_model().objects.get(username="lovelace")


def confirm(client, address="ada@example.com"):
    link = link_in(mail_to(address)[-1], "/accounts/confirm-email/")
    return client.post(link)


def test_a_sign_up_is_unverified_and_gets_a_confirmation_mail(client, mailoutbox):
    user = signed_up(client)
    assert user.email_verified is False
    assert EmailAddress.objects.get(user=user).verified is False
    assert len(mail_to("ada@example.com")) == 1


def test_users_made_any_other_way_count_as_verified():
    user = get_user_model().objects.create_user("grace", "grace@example.com", "x")
    assert user.email_verified is True
    check_email_verified(user)  # does not raise


def test_the_factory_gives_users_a_verified_primary_address():
    user = UserFactory(email="Grace@Example.com")
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.primary, address.verified) == ("grace@example.com", True, True)


def test_the_ask_page_tells_an_unverified_member_why_and_where_to_resend(client, mailoutbox):
    signed_up(client)
    response = client.get("/questions/ask/")
    assert response.status_code == 403
    assert "Confirm your email address before you post" in text_of(response)
    assert 'href="/accounts/email/"' in response.content.decode()


def test_asking_is_refused_until_the_address_is_confirmed(client, mailoutbox):
    user = signed_up(client)
    QuestionFactory(tags=["python"])
    data = {"title": TITLE, "body": BODY, "tags": "python", "token": str(uuid.uuid4())}
    assert client.post("/questions/ask/", data).status_code == 403
    assert not Post.objects.filter(author=user).exists()

    response = confirm(client)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email_verified is True
    assert EmailAddress.objects.get(user=user).verified is True

    response = client.post("/questions/ask/", data)
    assert response.status_code == 302
    assert TITLE in text_of(client.get(response["Location"]))


@pytest.mark.parametrize("act", ["ask", "answer", "comment", "edit", "suggest", "tag wiki"])
def test_the_rule_covers_every_way_of_posting(act):
    question = QuestionFactory(tags=["python"])
    mine = QuestionFactory(tags=["python"])
    user = mine.author  # asked while verified; the address changed since
    get_user_model().objects.filter(pk=user.pk).update(email_verified=False, reputation=2000)
    user.refresh_from_db()
    with pytest.raises(PermissionDenied, match="Confirm your email address"):
        if act == "ask":
            services.question_create(author=user, title=TITLE, body=BODY, tags=["python"])
        elif act == "answer":
            services.answer_create(author=user, question=question, body=BODY)
        elif act == "comment":
            services.comment_create(author=user, post=mine, body="A comment long enough.")
        elif act == "edit":
            services.post_edit(editor=user, post=mine, title=TITLE, body=BODY)
        elif act == "suggest":
            get_user_model().objects.filter(pk=user.pk).update(reputation=1)
            user.refresh_from_db()
            services.suggested_edit_create(author=user, post=question, title=TITLE, body=BODY)
        else:
            check_edit_tag_wiki_permission(user, Tag.objects.get(name="python"))


def test_an_unverified_member_still_votes():
    question = QuestionFactory(tags=["python"])
    voter = UserFactory(email_verified=False, reputation=15)
    services.vote_cast(user=voter, post=question, value=1)
    question.refresh_from_db()
    assert question.score == 1


def test_the_rule_is_off_when_the_setting_says_so(client, settings, mailoutbox):
    accounts_settings(settings, VERIFIED_EMAIL_TO_POST=False)
    user = signed_up(client)
    QuestionFactory(tags=["python"])
    assert user.email_verified is False
    response = client.post(
        "/questions/ask/",
        {"title": TITLE, "body": BODY, "tags": "python", "token": str(uuid.uuid4())},
    )
    assert response.status_code == 302


def test_the_question_page_shows_the_notice_instead_of_the_answer_form(client, mailoutbox):
    question = QuestionFactory(tags=["python"])
    signed_up(client)
    page = client.get(question.get_absolute_url())
    assert "Confirm your email address before you post" in text_of(page)
    assert 'name="body"' not in page.content.decode()


def test_a_social_or_other_sync_follows_the_rows():
    user = UserFactory(email="ada@example.com")
    EmailAddress.objects.filter(user=user).update(verified=False)
    assert email_verified_sync(user) is False
    EmailAddress.objects.filter(user=user).update(verified=True)
    assert email_verified_sync(user) is True
    user.refresh_from_db()
    assert user.email_verified is True


def test_mail_goes_only_to_verified_addresses():
    verified = UserFactory(email="grace@example.com")
    unverified = UserFactory(email="ada@example.com", email_verified=False)
    assert address_of(verified) == "grace@example.com"
    assert address_of(unverified) is None


@pytest.mark.parametrize("verified", [True, False])
def test_notices_are_emailed_only_to_a_verified_address(
    verified, mailoutbox, django_capture_on_commit_callbacks
):
    question = QuestionFactory(tags=["python"])
    asker = question.author
    EmailPreference.objects.create(user=asker, kind=Kind.ANSWER, mode=EmailMode.IMMEDIATE)
    get_user_model().objects.filter(pk=asker.pk).update(email_verified=verified)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        AnswerFactory(question=question)  # the asker follows their question
    assert len(mail_to(asker.email)) == (1 if verified else 0)


def test_a_script_is_told_in_plain_text(client):
    question = QuestionFactory(tags=["python"])
    member = UserFactory(email_verified=False, reputation=100)
    client.force_login(member)
    response = client.post(
        f"/posts/{question.pk}/comments/",
        {"body": "A comment long enough to post.", "token": str(uuid.uuid4())},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.status_code == 403
    error = response.json()["error"]
    assert error.startswith("Confirm your email address before you post")
    assert "<a" not in error
