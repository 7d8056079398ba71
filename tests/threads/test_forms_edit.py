"""The edit form: validation, permissions, edit conflicts, "nothing changed", rollback."""

import html
import re

import pytest
from django.test import Client

from core.conf import qasite_setting
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.pages import text_of
from threads.models import Post, Revision, RevisionKind

pytestmark = pytest.mark.django_db

STAMP_RE = re.compile(r'name="base_stamp" value="([^"]*)"')
TITLE = "How do I merge two dictionaries in Python"
BODY = "I have two dicts, x and y, and want a new dict with the items of both of them."
EDITOR_REP = qasite_setting("PRIVILEGES.EDIT_ANY_POST")


def textarea(response, name: str = "body") -> str:
    content = response.content.decode()
    match = re.search(rf'<textarea name="{name}"[^>]*>(.*?)</textarea>', content, re.S)
    assert match, f"no {name} textarea"
    return html.unescape(match.group(1)).strip()


def stamp_of(response) -> str:
    match = STAMP_RE.search(response.content.decode())
    assert match, "no base_stamp in the form"
    return html.unescape(match.group(1))


@pytest.fixture
def question():
    return QuestionFactory(title=TITLE, body=BODY, tags=["python", "dictionary"])


def edit(client, post, stamp, **fields):
    data = {"title": TITLE, "body": BODY, "tags": "dictionary python", "summary": ""}
    if not post.is_question:
        data = {"body": post.body, "summary": ""}
    data.update(fields, base_stamp=stamp)
    return client.post(f"/posts/{post.pk}/edit/", data)


def open_form(client, post):
    response = client.get(f"/posts/{post.pk}/edit/")
    assert response.status_code == 200
    return stamp_of(response)


def test_it_shows_the_edit_form_filled_in(client, question):
    client.force_login(question.author)
    response = client.get(f"/posts/{question.pk}/edit/")
    assert response.status_code == 200
    content = html.unescape(response.content.decode())
    assert f'value="{TITLE}"' in content
    assert textarea(response) == BODY
    assert 'value="python dictionary"' in content  # the order they were typed in
    assert stamp_of(response)


def test_it_saves_an_edit(client, question):
    client.force_login(question.author)
    stamp = open_form(client, question)
    new_body = BODY + " Python 3.9 would be fine."
    response = edit(client, question, stamp, title=TITLE + " 3.9", body=new_body, tags="python")
    assert response.status_code == 302
    question.refresh_from_db()
    assert response["Location"].startswith(question.get_absolute_url())
    assert question.body == new_body
    assert question.title == TITLE + " 3.9"
    assert sorted(question.tags.names()) == ["python"]
    assert "Python 3.9 would be fine." in client.get(question.get_absolute_url()).content.decode()


def test_it_redirects_to_the_new_canonical_url_after_a_title_edit(client, question):
    client.force_login(question.author)
    stamp = open_form(client, question)
    response = edit(client, question, stamp, title="How do I merge two dicts in one expression")
    question.refresh_from_db()
    assert response["Location"] == f"{question.get_absolute_url()}#question"


def test_it_keeps_the_typed_text_of_an_invalid_edit(client, question):
    client.force_login(question.author)
    stamp = open_form(client, question)
    response = edit(client, question, stamp, title="Too short", body="Short body.", tags="a_b")
    assert response.status_code in (200, 400)
    seen = text_of(response.content.decode())
    assert "at least 15 characters" in seen
    assert "at least 30 characters" in seen
    assert "Invalid tag name: a_b" in seen
    assert 'value="Too short"' in response.content.decode()
    assert textarea(response) == "Short body."
    question.refresh_from_db()
    assert question.body == BODY


def test_it_keeps_the_typed_text_of_an_invalid_answer_edit(client):
    answer = AnswerFactory(body="Use the union operator: z = x | y works from Python 3.9.")
    client.force_login(answer.author)
    stamp = open_form(client, answer)
    response = edit(client, answer, stamp, body="Use x | y.")
    assert response.status_code in (200, 400)
    assert "at least 30 characters" in text_of(response.content.decode())
    assert textarea(response) == "Use x | y."


def test_it_says_when_nothing_changed(client, question):
    client.force_login(question.author)
    stamp = open_form(client, question)
    response = edit(client, question, stamp)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Nothing changed, so no new revision was saved." in text_of(page.content.decode())
    assert Revision.objects.filter(post=question).count() == 1


def test_it_turns_edits_of_others_posts_below_the_edit_privilege_into_suggestions(client, question):
    client.force_login(UserFactory(reputation=EDITOR_REP - 1))
    response = client.get(f"/posts/{question.pk}/edit/")
    assert response.status_code == 200
    assert "Suggest an edit" in text_of(response.content.decode())
    stamp = stamp_of(response)
    assert edit(client, question, stamp, body=BODY + " changed").status_code == 302
    question.refresh_from_db()
    assert question.body == BODY
    assert question.suggested_edit_pending
    assert question.suggested_edits.get().body == BODY + " changed"


def test_it_lets_editors_edit_others_posts(client, question):
    editor = UserFactory(reputation=EDITOR_REP, display_name="Eddie Editor")
    client.force_login(editor)
    stamp = open_form(client, question)
    response = edit(client, question, stamp, body=BODY + " Edited for clarity.", summary="clarity")
    assert response.status_code == 302
    revision = Revision.objects.filter(post=question).order_by("-number").first()
    assert revision.number == 2
    assert revision.editor == editor
    assert revision.summary == "clarity"
    page = text_of(client.get(question.get_absolute_url()).content.decode())
    assert "Eddie Editor" in page


def test_it_sends_visitors_to_log_in(client, question):
    response = client.get(f"/posts/{question.pk}/edit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert edit(client, question, "1:0").status_code == 302


def test_it_refuses_a_stale_edit_and_keeps_the_text(client, question):
    author = question.author
    editor = UserFactory(reputation=EDITOR_REP, display_name="Eddie Editor")
    first = client
    first.force_login(editor)
    second = Client()
    second.force_login(author)
    first_stamp = open_form(first, question)
    second_stamp = open_form(second, question)
    assert first_stamp == second_stamp

    assert edit(first, question, first_stamp, body=BODY + " Edited first.").status_code == 302

    mine = BODY + " My own addition, typed meanwhile."
    response = edit(second, question, second_stamp, body=mine)
    assert response.status_code == 409
    seen = text_of(response.content.decode())
    assert "Someone else edited this post while you were editing." in seen
    assert "Eddie Editor" in seen
    assert textarea(response) == mine
    assert "<ins>" in response.content.decode() or "<del>" in response.content.decode()
    question.refresh_from_db()
    assert question.body == BODY + " Edited first."

    # Saving again from the conflict page, now based on the latest revision, works.
    retry = edit(second, question, stamp_of(response), body=mine)
    assert retry.status_code == 302
    question.refresh_from_db()
    assert question.body == mine


def test_it_refuses_a_forged_stamp(client, question):
    client.force_login(question.author)
    response = edit(client, question, "99:0", body=BODY + " forged")
    assert response.status_code == 409


def test_it_rolls_back_to_an_earlier_revision(client, question):
    editor = UserFactory(reputation=EDITOR_REP)
    client.force_login(editor)
    stamp = open_form(client, question)
    edit(client, question, stamp, title=TITLE + " quickly", body="Vandalised body text " * 3)

    client.force_login(question.author)
    response = client.post(f"/posts/{question.pk}/revisions/1/rollback/")
    assert response.status_code == 302
    page = client.get(response["Location"], follow=True)
    assert "Rolled back to revision 1." in text_of(page.content.decode())
    question.refresh_from_db()
    assert question.body == BODY and question.title == TITLE
    latest = Revision.objects.filter(post=question).order_by("-number").first()
    assert latest.number == 3
    assert latest.kind == RevisionKind.ROLLBACK
    assert latest.editor == question.author


def test_it_says_when_a_rollback_changes_nothing(client, question):
    client.force_login(question.author)
    response = client.post(f"/posts/{question.pk}/revisions/1/rollback/")
    assert response.status_code == 302
    seen = text_of(client.get(response["Location"], follow=True).content.decode())
    assert "Revision 1 is already the current version." in seen
    assert Revision.objects.filter(post=question).count() == 1


def test_it_guards_rollback(client, question):
    url = f"/posts/{question.pk}/revisions/1/rollback/"
    assert client.post(url)["Location"].startswith("/accounts/login/")
    client.force_login(UserFactory(reputation=1))
    assert client.post(url).status_code == 403
    client.force_login(question.author)
    assert client.get(url).status_code == 405
    assert client.post(f"/posts/{question.pk}/revisions/9/rollback/").status_code == 404


def test_it_refuses_editing_a_deleted_answer(client):
    answer = AnswerFactory()
    Post.objects.filter(pk=answer.pk).update(deleted_at=answer.created_at)
    client.force_login(UserFactory(reputation=EDITOR_REP))
    assert client.get(f"/posts/{answer.pk}/edit/").status_code == 404
