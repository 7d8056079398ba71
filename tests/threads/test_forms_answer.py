"""The answer form: validation keeps the draft, replays create one answer, closed and deleted
questions refuse answers without losing the draft."""

import html
import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from core.conf import qasite_setting
from tests.factories import QuestionFactory, UserFactory
from tests.pages import text_of
from threads import services
from threads.models import Post

pytestmark = pytest.mark.django_db

DRAFT = "Pass sep=';' to read_csv so the semicolons split the columns properly."


def textarea(response, name: str = "body") -> str:
    content = response.content.decode()
    match = re.search(rf'<textarea name="{name}"[^>]*>(.*?)</textarea>', content, re.S)
    assert match, f"no {name} textarea"
    return html.unescape(match.group(1)).strip()


@pytest.fixture
def question():
    return QuestionFactory(title="How do I read a semicolon separated CSV file")


@pytest.fixture
def answerer(client):
    user = UserFactory(reputation=1)
    client.force_login(user)
    return user


def post_answer(client, question, body=DRAFT, token=None):
    return client.post(
        f"/questions/{question.pk}/answer/", {"body": body, "token": token or str(uuid.uuid4())}
    )


def answers_of(question):
    return Post.objects.answers().filter(parent=question)


def test_it_posts_an_answer(client, question, answerer):
    response = post_answer(client, question)
    answer = answers_of(question).get()
    assert response.status_code == 302
    assert response["Location"] == f"{question.get_absolute_url()}#answer-{answer.pk}"
    assert answer.author == answerer
    question.refresh_from_db()
    assert question.answer_count == 1
    assert "read_csv" in client.get(question.get_absolute_url()).content.decode()


def test_it_keeps_a_short_draft_with_the_error(client, question, answerer):
    short = "Use sep=';' maybe?"
    assert len(short) < qasite_setting("ANSWER_BODY_MIN")
    response = post_answer(client, question, body=short)
    assert response.status_code == 400
    assert textarea(response) == short
    seen = text_of(response.content.decode())
    assert "at least 30 characters" in seen
    assert "How do I read a semicolon separated CSV file" in seen
    assert not answers_of(question).exists()


def test_it_refuses_an_empty_answer(client, question, answerer):
    response = post_answer(client, question, body="")
    assert response.status_code == 400
    assert "This field is required." in text_of(response.content.decode())


def test_it_creates_one_answer_for_a_replayed_post(client, question, answerer):
    token = str(uuid.uuid4())
    first = post_answer(client, question, token=token)
    second = post_answer(client, question, token=token)
    answer = answers_of(question).get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert first["Location"].endswith(f"#answer-{answer.pk}")
    question.refresh_from_db()
    assert question.answer_count == 1


def test_it_keeps_the_draft_when_the_question_is_closed(client, question, answerer):
    Post.objects.filter(pk=question.pk).update(closed_at=timezone.now() - timedelta(days=1))
    response = post_answer(client, question)
    assert response.status_code == 403
    assert textarea(response) == DRAFT
    assert "This question is closed: it accepts no new answers." in text_of(
        response.content.decode()
    )
    assert not answers_of(question).exists()


def test_it_keeps_the_draft_when_the_question_is_locked(client, question, answerer):
    Post.objects.filter(pk=question.pk).update(locked_until=timezone.now() + timedelta(days=1))
    response = post_answer(client, question)
    assert response.status_code == 403
    assert textarea(response) == DRAFT
    assert "This question is locked until" in text_of(response.content.decode())


def test_it_404s_answers_to_a_deleted_question_for_others(client, question, answerer):
    services.post_delete(actor=UserFactory(is_moderator=True), post=question)
    response = post_answer(client, question)
    assert response.status_code == 404
    assert "semicolon separated CSV" not in response.content.decode()


def test_it_404s_answers_to_an_unknown_question(client, answerer):
    assert client.post("/questions/999999/answer/", {"body": DRAFT}).status_code == 404


def test_it_sends_visitors_to_log_in(client, question):
    response = post_answer(client, question)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not answers_of(question).exists()


def test_it_refuses_get_on_the_answer_url(client, question, answerer):
    assert client.get(f"/questions/{question.pk}/answer/").status_code == 405


def test_it_moves_last_activity_on_a_new_answer(client, question, answerer):
    Post.objects.filter(pk=question.pk).update(last_activity_at=timezone.now() - timedelta(days=3))
    before = timezone.now()
    post_answer(client, question)
    question.refresh_from_db()
    assert question.last_activity_at >= before
