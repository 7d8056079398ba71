"""The comment form, with and without the script (XHR): validation, replays, permissions."""

import html
import re
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from core.conf import qasite_setting
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from tests.pages import text_of
from threads.models import Comment, Post

pytestmark = pytest.mark.django_db

XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
TEXT = "Could you show the first three lines of the file?"


def textarea(response) -> str:
    match = re.search(
        r'<textarea name="body"[^>]*>(.*?)</textarea>', response.content.decode(), re.S
    )
    assert match, "no body textarea"
    return html.unescape(match.group(1)).strip()


@pytest.fixture
def question():
    return QuestionFactory(title="Why does read_csv give me a single column")


@pytest.fixture
def commenter(client):
    user = UserFactory(reputation=qasite_setting("PRIVILEGES.COMMENT_EVERYWHERE"))
    client.force_login(user)
    return user


def comment(client, post, body=TEXT, token=None, **extra):
    return client.post(
        f"/posts/{post.pk}/comments/", {"body": body, "token": token or str(uuid.uuid4())}, **extra
    )


def test_it_adds_a_comment(client, question, commenter):
    response = comment(client, question)
    created = Comment.objects.get(post=question)
    assert response.status_code == 302
    assert response["Location"] == f"{question.get_absolute_url()}#comment-{created.pk}"
    assert created.author == commenter
    page = text_of(client.get(question.get_absolute_url()).content.decode())
    assert TEXT in page
    assert "Commented" in page


def test_it_adds_a_comment_by_xhr(client, question, commenter):
    response = comment(client, question, **XHR)
    assert response.status_code == 200
    data = response.json()
    created = Comment.objects.get(post=question)
    assert data["id"] == created.pk
    assert TEXT in text_of(data["html"])
    assert f'id="comment-{created.pk}"' in data["html"]
    uuid.UUID(data["next_token"])


def test_it_shows_the_comment_page(client, question, commenter):
    response = client.get(f"/posts/{question.pk}/comments/")
    assert response.status_code == 200
    assert 'name="body"' in response.content.decode()


@pytest.mark.parametrize(
    ("length", "message"),
    [
        (qasite_setting("COMMENT_MIN") - 1, "at least 15 characters"),
        (qasite_setting("COMMENT_MAX") + 1, "limited to 600 characters"),
    ],
)
def test_it_shows_errors_on_the_comment_page_and_keeps_the_text(
    client, question, commenter, length, message
):
    body = ("word " * length)[:length]
    response = comment(client, question, body=body)
    assert response.status_code in (200, 400)
    assert message in text_of(response.content.decode())
    assert textarea(response) == body.strip()
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "length", [qasite_setting("COMMENT_MIN") - 1, qasite_setting("COMMENT_MAX") + 1]
)
def test_it_answers_xhr_errors_as_json(client, question, commenter, length):
    response = comment(client, question, body="c" * length, **XHR)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "characters" in response.json()["error"]
    assert not Comment.objects.exists()


def test_it_creates_one_comment_for_a_replayed_post(client, question, commenter):
    token = str(uuid.uuid4())
    first = comment(client, question, token=token)
    second = comment(client, question, token=token)
    created = Comment.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert first["Location"].endswith(f"#comment-{created.pk}")
    assert Post.objects.get(pk=question.pk).comment_count == 1


def test_it_creates_one_comment_for_a_replayed_xhr(client, question, commenter):
    token = str(uuid.uuid4())
    first = comment(client, question, token=token, **XHR).json()
    second = comment(client, question, token=token, **XHR).json()
    assert first["id"] == second["id"]
    assert Comment.objects.count() == 1


def test_it_refuses_new_users_on_others_posts(client, question):
    client.force_login(UserFactory(reputation=1))
    response = comment(client, question)
    assert response.status_code == 403
    assert "You need 50 reputation to comment on others' posts." in text_of(
        response.content.decode()
    )
    xhr = comment(client, question, **XHR)
    assert xhr.status_code == 403
    assert xhr.json()["error"] == "You need 50 reputation to comment on others' posts."
    assert not Comment.objects.exists()


def test_it_lets_new_users_comment_on_their_own_posts(client):
    user = UserFactory(reputation=1)
    client.force_login(user)
    own = QuestionFactory(author=user)
    answer_to_own = AnswerFactory(question=own)
    own_answer = AnswerFactory(author=user)
    seconds = qasite_setting("RATE_LIMITS")["COMMENT_SECONDS"]
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for post in (own, answer_to_own, own_answer):
            assert comment(client, post).status_code == 302
            traveller.shift(timedelta(seconds=seconds))
    assert Comment.objects.filter(author=user).count() == 3


def test_it_sends_visitors_to_log_in(client, question):
    response = comment(client, question)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_upvotes_a_comment_once(client, question, commenter):
    target = CommentFactory(post=question, author=question.author, body="Which pandas version?")
    url = f"/comments/{target.pk}/vote/"
    assert client.post(url, {"vote": "up"}).status_code == 302
    assert client.post(url, {"vote": "up"}).status_code == 302
    target.refresh_from_db()
    assert target.score == 1
    xhr = client.post(url, {"vote": "none"}, **XHR)
    assert xhr.json() == {"score": 0, "vote": "none"}


def test_it_refuses_comment_upvotes_from_new_users(client, question):
    target = CommentFactory(post=question, author=question.author, body="Which pandas version?")
    client.force_login(UserFactory(reputation=qasite_setting("PRIVILEGES.UPVOTE") - 1))
    response = client.post(f"/comments/{target.pk}/vote/", {"vote": "up"}, **XHR)
    assert response.status_code == 403
    assert "reputation" in response.json()["error"]
    assert client.post(f"/comments/{target.pk}/vote/", {"vote": "up"}).status_code == 403
    target.refresh_from_db()
    assert target.score == 0


def test_it_refuses_upvoting_ones_own_comment(client, question, commenter):
    own = CommentFactory(post=question, author=commenter, body="My own comment on it.")
    response = client.post(f"/comments/{own.pk}/vote/", {"vote": "up"}, **XHR)
    assert response.status_code == 403
    assert response.json()["error"] == "You can't vote for your own comment."


def test_it_deletes_only_ones_own_comments(client, question, commenter):
    own = CommentFactory(post=question, author=commenter, body="Never mind, I found it.")
    other = CommentFactory(post=question, author=question.author, body="The asker speaking.")
    assert client.post(f"/comments/{other.pk}/delete/").status_code == 403
    response = client.post(f"/comments/{own.pk}/delete/")
    assert response.status_code == 302
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.deleted_at is not None and other.deleted_at is None
    assert client.post(f"/comments/{own.pk}/delete/").status_code == 404
