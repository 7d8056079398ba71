"""The editor's live preview endpoint (docs/rules.md, "The editor and images in posts"):
exactly the stored pipeline, for writers only, CSRF-protected, size- and rate-limited."""

import pytest
from django.test import Client

from core.markdown import render_post
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/editor/preview/"
HOSTILE = (
    "# Title\n\n**bold** $x^2$\n\n<script>alert(1)</script>"
    '<img src=x onerror="alert(2)"> [a](javascript:alert(3)) <iframe src="//evil"></iframe>'
)


@pytest.fixture
def writer(client):
    user = UserFactory(reputation=1)
    client.force_login(user)
    return user


def test_it_renders_exactly_what_a_stored_post_shows(client, writer):
    response = client.post(URL, {"text": HOSTILE})
    assert response.status_code == 200
    html = response.json()["html"]
    assert html == render_post(HOSTILE)
    assert "<strong>bold</strong>" in html and "<math" in html
    assert "<script" not in html and "onerror" not in html and 'href="javascript' not in html
    assert "<iframe" not in html


def test_it_is_the_html_a_saved_question_stores(client, writer):
    question = QuestionFactory(author=UserFactory(reputation=100), body=HOSTILE)
    assert client.post(URL, {"text": HOSTILE}).json()["html"] == question.body_html


def test_visitors_get_403(client):
    response = client.post(URL, {"text": "hello"})
    assert response.status_code == 403
    assert "error" in response.json()


def test_it_refuses_get(client, writer):
    assert client.get(URL).status_code == 405


def test_it_needs_the_csrf_token(writer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(writer)
    assert client.post(URL, {"text": "hello"}).status_code == 403


def test_it_refuses_a_text_longer_than_a_post(client, writer, settings):
    settings.QASITE = {**settings.QASITE, "POST_BODY_MAX": 50}
    response = client.post(URL, {"text": "x" * 51})
    assert response.status_code == 400
    assert "at most 50 characters" in response.json()["error"]


def test_it_is_rate_limited(client, writer, settings):
    limits = {**settings.QASITE["RATE_LIMITS"], "PREVIEWS_PER_MINUTE": 3}
    settings.QASITE = {**settings.QASITE, "RATE_LIMITS": limits}
    for _ in range(3):
        assert client.post(URL, {"text": "hello"}).status_code == 200
    response = client.post(URL, {"text": "hello"})
    assert response.status_code == 429
    assert "At most 3 previews a minute" in response.json()["error"]
    other = Client()
    other.force_login(UserFactory(reputation=1))
    assert other.post(URL, {"text": "hello"}).status_code == 200  # per member
