"""The ask form: validation messages keep what was typed; tags; replays create one question."""

import html
import re
import uuid

import pytest

from core.conf import qasite_setting
from tests.factories import UserFactory
from tests.pages import text_of
from threads.models import Post, Revision, Tag

pytestmark = pytest.mark.django_db

TITLE = "How do I read a CSV file with pandas"
BODY = "I tried pandas.read_csv on a semicolon separated file and got a single column."


@pytest.fixture
def asker(client):
    for name in ["python", "pandas", "csv", "numpy", "scipy", "io"]:
        Tag.objects.create(name=name, slug=name)
    user = UserFactory(reputation=1)
    client.force_login(user)
    return user


def ask(client, **fields):
    data = {"title": TITLE, "body": BODY, "tags": "python pandas", "token": str(uuid.uuid4())}
    data.update(fields)
    return client.post("/questions/ask/", data)


def assert_refused(response, message: str, *, keeps: list[str]):
    assert response.status_code in (200, 400)
    content = html.unescape(response.content.decode())
    assert message in text_of(response.content.decode()), text_of(response.content.decode())
    for typed in keeps:
        assert typed in content, typed
    assert 'class="field-errors"' in content or 'class="form-errors"' in content


def test_it_shows_the_ask_form(client, asker):
    response = client.get("/questions/ask/")
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="title"' in content and 'name="body"' in content and 'name="tags"' in content
    assert re.search(r'name="token" value="[0-9a-f-]{36}"', content)


def test_it_sends_visitors_to_log_in(client):
    response = client.get("/questions/ask/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/questions/ask/")


def test_it_creates_a_question(client, asker):
    response = ask(client)
    question = Post.objects.questions().get(author=asker)
    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url()
    assert question.title == TITLE
    assert question.author == asker
    assert sorted(question.tags.names()) == ["pandas", "python"]
    assert Revision.objects.filter(post=question).count() == 1
    page = client.get(response["Location"])
    assert TITLE in text_of(page.content.decode())


def test_it_refuses_a_short_title(client, asker):
    short = "x" * (qasite_setting("QUESTION_TITLE_MIN") - 1)
    response = ask(client, title=short)
    assert_refused(response, "at least 15 characters", keeps=[short, BODY, "python pandas"])
    assert not Post.objects.filter(author=asker).exists()


def test_it_refuses_a_long_title(client, asker):
    long = "y" * (qasite_setting("QUESTION_TITLE_MAX") + 1)
    response = ask(client, title=long)
    assert_refused(response, "limited to 150 characters", keeps=[long, BODY])
    assert not Post.objects.filter(author=asker).exists()


@pytest.mark.parametrize("length", ["QUESTION_TITLE_MIN", "QUESTION_TITLE_MAX"])
def test_it_accepts_titles_at_the_limits(client, asker, length):
    assert ask(client, title="t" * qasite_setting(length)).status_code == 302


def test_it_refuses_a_short_body(client, asker):
    body = "b" * (qasite_setting("QUESTION_BODY_MIN") - 1)
    response = ask(client, body=body)
    assert_refused(response, "at least 30 characters", keeps=[TITLE, body])
    assert not Post.objects.filter(author=asker).exists()


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        ("", "Add at least one tag."),
        ("   ", "Add at least one tag."),
        ("python pandas csv numpy scipy io", "Use between 1 and 5 tags."),
        ("C++!", "Invalid tag name: c++!"),
        ("bad_tag", "Invalid tag name: bad_tag"),
        ("python " + "z" * 36, "Invalid tag name: " + "z" * 36),
        ("snake🐍", "Invalid tag name: snake🐍"),
    ],
)
def test_it_refuses_bad_tags(client, asker, tags, message):
    response = ask(client, tags=tags)
    assert_refused(response, message, keeps=[TITLE, BODY])
    if tags.strip():
        assert f'value="{tags}"' in html.unescape(response.content.decode())
    assert not Post.objects.filter(author=asker).exists()


def test_it_splits_tags_on_spaces_and_commas(client, asker):
    assert ask(client, tags="python, pandas  csv").status_code == 302
    assert sorted(Post.objects.get(author=asker).tags.names()) == ["csv", "pandas", "python"]


def test_it_lowercases_and_deduplicates_tags(client, asker):
    assert ask(client, tags="Python python PANDAS").status_code == 302
    assert sorted(Post.objects.get(author=asker).tags.names()) == ["pandas", "python"]


def test_it_refuses_new_tags_below_the_create_tags_reputation(client, asker):
    assert asker.reputation < qasite_setting("PRIVILEGES.CREATE_TAGS")
    response = ask(client, tags="python brand-new-tag")
    assert_refused(
        response,
        f"You need {qasite_setting('PRIVILEGES.CREATE_TAGS')} reputation to create new tags: "
        "brand-new-tag",
        keeps=[TITLE, BODY, "python brand-new-tag"],
    )
    assert not Tag.objects.filter(name="brand-new-tag").exists()


def test_it_reads_a_space_as_a_tag_separator(client, asker):
    response = ask(client, tags="a b")
    assert_refused(
        response,
        f"You need {qasite_setting('PRIVILEGES.CREATE_TAGS')} reputation to create new tags: a, b",
        keeps=[TITLE, BODY, 'value="a b"'],
    )


def test_it_lets_established_users_create_tags(client, asker):
    asker.reputation = qasite_setting("PRIVILEGES.CREATE_TAGS")
    asker.save(update_fields=["reputation"])
    response = ask(client, tags="python brand-new-tag")
    assert response.status_code == 302
    tag = Tag.objects.get(name="brand-new-tag")
    assert tag.usage_count == 1
    assert client.get("/questions/tagged/brand-new-tag/").status_code == 200


def test_it_takes_tag_names_in_lowercase_letters_of_any_script(client, asker):
    asker.reputation = qasite_setting("PRIVILEGES.CREATE_TAGS")
    asker.save(update_fields=["reputation"])
    assert ask(client, tags="python Ünïcode").status_code == 302
    assert sorted(Post.objects.get(author=asker).tags.names()) == ["python", "ünïcode"]


def test_it_creates_one_question_for_a_replayed_post(client, asker):
    token = str(uuid.uuid4())
    first = ask(client, token=token)
    second = ask(client, token=token)
    question = Post.objects.questions().get(author=asker)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == question.get_absolute_url()
    assert Tag.objects.get(name="python").usage_count == 1


def test_it_refuses_a_missing_token(client, asker):
    response = ask(client, token="")
    assert response.status_code in (200, 400)
    assert not Post.objects.filter(author=asker).exists()
    assert TITLE in html.unescape(response.content.decode())
