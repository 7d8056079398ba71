"""The post forms' "Preview" button, the editor without JavaScript (docs/rules.md, "The editor
and images in posts"): the form comes back with the text rendered as it will be stored and
kept in the form, and nothing is saved."""

import html
import re
import uuid

import pytest

from core.markdown import render_post
from tests.factories import QuestionFactory, UserFactory
from threads.models import Post, Revision, SuggestedEdit

pytestmark = pytest.mark.django_db

TEXT = "Try **this**:\n\n```\nprint(1)\n```\n\n$e^x$ <script>alert(1)</script>"


def textarea(response, name: str = "body") -> str:
    match = re.search(
        rf'<textarea name="{name}"[^>]*>(.*?)</textarea>', response.content.decode(), re.S
    )
    assert match, f"no {name} textarea"
    return html.unescape(match.group(1)).strip()


def preview_of(response) -> str:
    content = response.content.decode()
    match = re.search(r"data-editor-preview-body[^>]*>(.*?)</div>\s*</section>", content, re.S)
    assert match, "no preview"
    return match.group(1)


def assert_previewed(response, text=TEXT):
    assert response.status_code == 200
    assert preview_of(response) == render_post(text)
    assert "<strong>this</strong>" in preview_of(response) and "<math" in preview_of(response)
    assert "<script>alert" not in response.content.decode()
    assert textarea(response) == text.strip()


def test_every_post_form_has_the_editor_and_its_preview_button(client):
    user = UserFactory(reputation=1)
    client.force_login(user)
    question = QuestionFactory(author=user)
    for url in ("/questions/ask/", question.get_absolute_url(), f"/posts/{question.pk}/edit/"):
        content = client.get(url).content.decode()
        assert "data-editor " in content, url
        assert 'name="preview"' in content, url
        assert "data-editor-preview hidden" in content, url  # nothing to show yet
    assert 'data-editor-preview-url="/editor/preview/"' in content
    assert 'data-editor-upload-url="/editor/uploads/"' in content


def test_the_ask_form_previews_and_keeps_everything(client):
    client.force_login(UserFactory(reputation=1))
    token = str(uuid.uuid4())
    response = client.post(
        "/questions/ask/",
        {"title": "A title long enough", "body": TEXT, "tags": "python", "token": token,
         "preview": "1"},
    )  # fmt: skip
    assert_previewed(response)
    content = response.content.decode()
    assert 'value="A title long enough"' in content and 'value="python"' in content
    assert f'value="{token}"' in content  # the same one-time token: one question on saving
    assert not Post.objects.exists()
    assert 'class="form-errors"' not in content and 'class="field-errors"' not in content


def test_the_answer_form_previews_without_posting(client):
    question = QuestionFactory()
    client.force_login(UserFactory(reputation=1))
    response = client.post(
        f"/questions/{question.pk}/answer/",
        {"body": TEXT, "token": str(uuid.uuid4()), "preview": "1"},
    )
    assert_previewed(response)
    assert not Post.objects.answers().exists()


def test_the_edit_and_suggested_edit_forms_preview_without_saving(client):
    question = QuestionFactory()
    revisions = Revision.objects.count()
    for user in (question.author, UserFactory(reputation=1)):  # an edit, a suggestion
        client.force_login(user)
        response = client.post(
            f"/posts/{question.pk}/edit/",
            {"title": question.title, "body": TEXT, "tags": "x", "summary": "s",
             "base_stamp": "whatever", "preview": "1"},
        )  # fmt: skip
        assert_previewed(response)
    assert Revision.objects.count() == revisions and not SuggestedEdit.objects.exists()
    question.refresh_from_db()
    assert question.body != TEXT


def test_the_preview_needs_the_right_to_write(client):
    question = QuestionFactory()
    response = client.post(f"/questions/{question.pk}/answer/", {"body": TEXT, "preview": "1"})
    assert response.status_code in (302, 403)
    assert "data-editor-preview-body" not in response.content.decode()
