"""One validator for titles, bodies, comments and tags (``threads.validation``), used by every
entry point: limits apply to what a write changes, so a post imported shorter than the
site's minimums can still be edited; tags follow Stack Exchange's alphabet in any script."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.privileges import Privilege
from tests.factories import QuestionFactory, UserFactory
from tests.pages import text_of
from threads import services
from threads.models import Post, Tag

pytestmark = pytest.mark.django_db


def short_imported_question() -> Post:
    """A real post from a dump: shorter title and body than this site asks of new posts."""
    question = QuestionFactory(tags=["python"])
    Post.objects.filter(pk=question.pk).update(title="Short title", body="Tiny body.")
    question.refresh_from_db()
    return question


def edit(client, post: Post, **changes):
    client.force_login(post.author)
    page = client.get(reverse("post-edit", args=[post.pk]))
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["tags"] = " ".join(data["tags"]) if isinstance(data["tags"], list) else data["tags"]
    data.update(changes)
    return client.post(reverse("post-edit", args=[post.pk]), data, follow=True)


def test_it_saves_a_short_imported_post_unchanged(client):
    question = short_imported_question()
    response = edit(client, question)
    assert response.status_code == 200
    assert "Nothing changed" in text_of(response.content)


def test_it_lets_a_short_imported_post_change_its_tags_only(client):
    question = short_imported_question()
    Tag.objects.create(name="regex", slug="regex")
    response = edit(client, question, tags="python regex")
    assert response.status_code == 200
    assert sorted(Post.objects.get(pk=question.pk).tags.names()) == ["python", "regex"]


def test_it_checks_the_text_an_edit_changes(client):
    question = short_imported_question()
    response = edit(client, question, body="Still too short.")
    assert response.status_code == 400
    assert "Body must be at least 30 characters" in text_of(response.content)


@pytest.mark.parametrize("name", ["ассемблер", "c++", "c#", ".net", "日本語", "python-3.x"])
def test_it_accepts_tags_in_any_scripts_lowercase_letters(name):
    author = UserFactory(reputation=Privilege.CREATE_TAGS.reputation)
    question = services.question_create(
        author=author,
        title="A question whose tag is in another script",
        body="The body of the question is long enough for the site's minimum.",
        tags=[name],
        rate_limited=False,
    )
    assert question.tags.names()[0] == name


@pytest.mark.parametrize("name", ["a/b", "<b>x</b>", "bad_tag", "x" * 36, "tab\there"])
def test_the_service_refuses_tags_outside_the_alphabet(name):
    author = UserFactory(reputation=Privilege.CREATE_TAGS.reputation)
    with pytest.raises(ValidationError) as refused:
        services.question_create(
            author=author,
            title="A question with a forbidden tag name",
            body="The body of the question is long enough for the site's minimum.",
            tags=["python", name],
            rate_limited=False,
        )
    assert "tags" in refused.value.message_dict
    assert not Tag.objects.filter(name=name.lower()).exists()
