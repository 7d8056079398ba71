"""The revision history page `/posts/<id>/revisions/`: diffs, summaries, rollback buttons."""

import re

import pytest

from core.conf import qasite_setting
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.pages import text_of
from threads import services

pytestmark = pytest.mark.django_db

TITLE = "How do I merge two dictionaries in Python"
BODY = "I have two dicts, x and y, and want a new dict with the items of both."


@pytest.fixture
def edited():
    question = QuestionFactory(title=TITLE, body=BODY, tags=["python"])
    editor = UserFactory(reputation=qasite_setting("PRIVILEGES.EDIT_ANY_POST"), display_name="Eve")
    services.post_edit(
        editor=editor,
        post=question,
        title=TITLE + " 3",
        body=BODY.replace("two dicts", "two dictionaries"),
        tags=["python", "dictionary"],
        summary="spelled out dictionaries",
    )
    return question, editor


def test_it_shows_the_diffs_of_an_edit(client, edited):
    question, _ = edited
    response = client.get(f"/posts/{question.pk}/revisions/")
    assert response.status_code == 200
    content = response.content.decode()
    seen = text_of(content)
    assert "Revision 2" in seen and "Revision 1" in seen
    assert content.index('id="revision-2"') < content.index('id="revision-1"')
    assert "<del>dicts</del>" in content
    assert "<ins>dictionaries</ins>" in content
    assert re.search(r"<ins>\s*dictionary\s*</ins>", content)
    assert "<ins> 3</ins>" in content or "<ins>3</ins>" in content
    assert "spelled out dictionaries" in seen
    assert "Eve" in seen


def test_it_offers_rollback_only_to_those_who_may_edit(client, edited):
    question, editor = edited
    rollback = f"/posts/{question.pk}/revisions/1/rollback/"
    assert rollback not in client.get(f"/posts/{question.pk}/revisions/").content.decode()
    client.force_login(UserFactory(reputation=1))
    assert rollback not in client.get(f"/posts/{question.pk}/revisions/").content.decode()
    client.force_login(question.author)
    assert rollback in client.get(f"/posts/{question.pk}/revisions/").content.decode()


def test_it_lists_a_rollback_as_a_new_revision(client, edited):
    question, _ = edited
    client.force_login(question.author)
    client.post(f"/posts/{question.pk}/revisions/1/rollback/")
    seen = text_of(client.get(f"/posts/{question.pk}/revisions/").content.decode())
    assert "Revision 3 Rollback" in seen
    assert "Rolled back to Revision 1" in seen


def test_it_shows_the_history_of_an_answer(client):
    answer = AnswerFactory(body="Use the union operator, which arrived in Python 3.9.")
    response = client.get(f"/posts/{answer.pk}/revisions/")
    assert response.status_code == 200
    assert "Use the union operator" in text_of(response.content.decode())


def test_it_404s_the_history_of_unknown_and_deleted_posts(client, edited):
    question, _ = edited
    assert client.get("/posts/999999/revisions/").status_code == 404
    services.post_delete(actor=UserFactory(is_moderator=True), post=question)
    assert client.get(f"/posts/{question.pk}/revisions/").status_code == 404
    client.force_login(question.author)
    assert client.get(f"/posts/{question.pk}/revisions/").status_code == 200
