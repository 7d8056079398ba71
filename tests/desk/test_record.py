"""A member's moderation record (moderators only): what the site recorded about them, the
rates, private append-only annotations, in a constant number of queries."""

import pytest
from django.test import Client

from accounts.privileges import Privilege
from desk import services
from desk.models import Annotation
from moderation import flags
from moderation.models import FlagKind
from tests.desk import moderator, suspend
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.moderation import closer, opinion, vote_to_close
from tests.pages import text_of
from tests.queries import measure
from threads import services as threads_services

pytestmark = pytest.mark.django_db


def url(member) -> str:
    return f"/users/{member.pk}/moderation/"


@pytest.fixture
def mod_client():
    client = Client()
    client.force_login(moderator())
    return client


def flagger():
    return UserFactory(reputation=Privilege.FLAG.reputation)


def test_only_moderators_see_the_record(client):
    member = UserFactory()
    assert client.get(url(member)).status_code == 404
    client.force_login(member)
    assert client.get(url(member)).status_code == 404
    client.force_login(UserFactory(reputation=Privilege.MODERATOR_TOOLS.reputation))
    assert client.get(url(member)).status_code == 404
    assert client.post(url(member), {"body": "x" * 40}).status_code == 404
    assert not Annotation.objects.exists()


def test_the_record_shows_flags_votes_suspensions_and_deleted_posts(mod_client):
    member = UserFactory(reputation=Privilege.CAST_CLOSE_VOTES.reputation)
    mod = moderator()
    # Two flags raised by the member: one helpful, one declined.
    for helpful in (True, False):
        flag = flags.flag_raise(
            flagger=member, post=AnswerFactory(), kind=FlagKind.MODERATOR_ATTENTION, text="Look."
        )
        flags.flag_handle(moderator=mod, flag=flag, helpful=helpful, decline_reason="No.")
    # A flag on the member's answer, upheld.
    answer = AnswerFactory(author=member)
    flag = flags.flag_raise(
        flagger=flagger(), post=answer, kind=FlagKind.MODERATOR_ATTENTION, text="Bad."
    )
    flags.flag_handle(moderator=mod, flag=flag, helpful=True)
    # A close vote that counted in a closure.
    question = QuestionFactory()
    vote_to_close(question, [member, closer(), closer()], opinion())
    threads_services.post_delete(actor=mod, post=answer)
    suspend(member, days=3, by=mod)

    text = text_of(mod_client.get(url(member)).content)

    assert "Flags raised 1 helpful · 1 declined · 0 pending 50% helpful" in text
    assert (
        "Flags on their posts and comments 1 helpful · 0 declined · 0 pending 100% upheld" in text
    )
    assert "Close votes cast 1 (1 counted in a closure" in text
    assert "100% agreed with the outcome" in text
    assert "an answer to" in text  # the deleted answer
    assert "suspended until" in text
    assert "Your comments · 1 message" in text  # the message sent with the suspension
    assert "0 reviews · 0 of 0 decided agreed with the outcome" in text


def test_a_moderator_adds_a_sanitised_annotation_that_cannot_change(mod_client):
    member = UserFactory()

    response = mod_client.post(
        url(member),
        {"body": "Warned in chat about **tone**. <script>alert(1)</script> Watch their answers."},
        follow=True,
    )

    note = Annotation.objects.get(user=member)
    assert "<strong>tone</strong>" in note.body_html
    assert "<script" not in note.body_html
    assert "Warned in chat about" in text_of(response.content)
    with pytest.raises(PermissionError):
        note.save()
    with pytest.raises(PermissionError):
        Annotation.objects.filter(pk=note.pk).update(body="changed")
    with pytest.raises(PermissionError):
        note.delete()


def test_a_too_short_annotation_is_a_form_error(mod_client):
    response = mod_client.post(url(UserFactory()), {"body": "short"})

    assert response.status_code == 400
    assert "Write at least" in text_of(response.content)
    assert not Annotation.objects.exists()


def test_the_record_takes_constant_queries(mod_client, django_assert_max_num_queries):
    member = UserFactory(reputation=Privilege.CAST_CLOSE_VOTES.reputation)
    mod = moderator()

    def add_history():
        question = QuestionFactory()
        vote_to_close(question, [member], opinion())
        threads_services.post_delete(actor=mod, post=AnswerFactory(author=member))
        services.annotation_add(moderator=mod, member=member, body="A note long enough to keep.")

    add_history()
    mod_client.get(url(member))
    few, _ = measure(mod_client, url(member))
    for _ in range(3):
        add_history()
    with django_assert_max_num_queries(few):
        many, _ = measure(mod_client, url(member))
    assert many == few
