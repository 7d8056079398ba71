"""New users' links and images (docs/rules.md, "Writing"): below
REMOVE_NEW_USER_RESTRICTIONS a post or comment holds at most NEW_USER_LINKS_MAX links and
NEW_USER_IMAGES_MAX images, counted in what the Markdown renders, at every entry point."""

import uuid

import pytest
from django.core.exceptions import ValidationError

from accounts.privileges import Privilege
from core.conf import qasite_setting
from tests.dumps import mini_rows, post, run_import, write_dump
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.pages import text_of
from tests.threads import moderator, user_with
from threads import services
from threads.models import Comment, Post, SuggestedEdit, Tag

pytestmark = pytest.mark.django_db

TITLE = "How do I read a CSV file with pandas"
PROSE = "I tried pandas.read_csv on a semicolon separated file and got a single column. "
# Three links, written three ways: inline, autolink and reference.
THREE_LINKS = (
    PROSE + "See [the docs](https://pandas.pydata.org/docs/), <https://example.org/csv> "
    "and [the issue][1].\n\n[1]: https://github.com/pandas-dev/pandas/issues/1"
)
TWO_LINKS = PROSE + "See [the docs](https://pandas.pydata.org/docs/) and <https://example.org/>."
AN_IMAGE = PROSE + "![the error](https://i.example/error.png)"
COMMENT_THREE_LINKS = "See [a](https://a.example), <https://b.example> and [c](https://c.example)"
COMMENT_TWO_LINKS = "See [a](https://a.example) and also <https://b.example> please"
LINK_MESSAGE = (
    "Until you have 10 reputation, a post of yours may hold at most 2 links; this one has 3. "
    "Remove 1 link."
)


def below():
    user = UserFactory(reputation=Privilege.REMOVE_NEW_USER_RESTRICTIONS.reputation - 1)
    assert user.reputation == 9  # the default threshold, the number the messages name
    return user


def at_threshold():
    return user_with(Privilege.REMOVE_NEW_USER_RESTRICTIONS)


def ask(author, body):
    Tag.objects.get_or_create(name="python", slug="python")
    return services.question_create(
        author=author, title=TITLE, body=body, tags=["python"], rate_limited=False
    )


def body_errors(invalid: pytest.ExceptionInfo) -> list[str]:
    return invalid.value.message_dict["body"]


def test_the_defaults():
    assert qasite_setting("NEW_USER_LINKS_MAX") == 2
    assert qasite_setting("NEW_USER_IMAGES_MAX") == 0
    assert Privilege.REMOVE_NEW_USER_RESTRICTIONS.reputation == 10


# --- asking ------------------------------------------------------------------------------


def test_a_new_user_cannot_ask_with_more_links_than_the_limit():
    with pytest.raises(ValidationError) as invalid:
        ask(below(), THREE_LINKS)
    assert body_errors(invalid) == [LINK_MESSAGE]
    assert not Post.objects.exists()


def test_a_new_user_may_ask_with_links_up_to_the_limit():
    assert ask(below(), TWO_LINKS).body == TWO_LINKS


@pytest.mark.parametrize("author", [at_threshold, moderator], ids=["at-threshold", "moderator"])
def test_the_limit_lifts_at_the_threshold(author):
    question = ask(author(), THREE_LINKS + "\n\n" + AN_IMAGE)
    assert question.body_html.count("<a ") == 3 and "<img" in question.body_html


def test_a_new_user_cannot_post_an_image():
    with pytest.raises(ValidationError) as invalid:
        ask(below(), AN_IMAGE)
    assert body_errors(invalid) == [
        "Until you have 10 reputation, a post of yours may hold no images; this one has 1. "
        "Remove 1 image (a link to the image can stay)."
    ]


def test_it_counts_what_the_markdown_renders():
    """Bare URLs are links (linkified) and count, a fragment is not a link off the page,
    raw HTML links count once sanitised, and links and URLs in code are text."""
    body = (
        PROSE + "https://bare.example and `[code](https://code.example)` and [top](#top) "
        'and <a href="https://raw.example">raw</a> and <a href="javascript:alert(1)">js</a>\n\n'
        "    [indented](https://code.example/block) https://code.example/bare\n"
    )
    assert ask(below(), body).pk
    with pytest.raises(ValidationError):
        ask(below(), "[three](https://three.example) " + body)


def test_the_limits_come_from_settings(settings):
    settings.QASITE = {**settings.QASITE, "NEW_USER_LINKS_MAX": 3, "NEW_USER_IMAGES_MAX": 1}
    assert ask(below(), THREE_LINKS + "\n\n" + AN_IMAGE).pk
    settings.QASITE = {
        **settings.QASITE,
        "PRIVILEGES": {**settings.QASITE["PRIVILEGES"], "REMOVE_NEW_USER_RESTRICTIONS": 20},
        "NEW_USER_LINKS_MAX": 1,
    }
    with pytest.raises(ValidationError) as invalid:
        ask(UserFactory(reputation=19), TWO_LINKS)
    assert body_errors(invalid) == [
        "Until you have 20 reputation, a post of yours may hold at most 1 link; this one has 2. "
        "Remove 1 link."
    ]


def test_the_ask_page_names_the_limit_and_keeps_the_text(client):
    Tag.objects.create(name="python", slug="python")
    client.force_login(below())
    data = {"title": TITLE, "body": THREE_LINKS, "tags": "python", "token": str(uuid.uuid4())}
    response = client.post("/questions/ask/", data)
    assert response.status_code in (200, 400)
    assert LINK_MESSAGE in text_of(response.content.decode())
    assert "pandas-dev/pandas/issues/1" in response.content.decode()
    assert not Post.objects.exists()


# --- answering ---------------------------------------------------------------------------


def test_a_new_user_cannot_answer_with_more_links_than_the_limit():
    question = QuestionFactory()
    with pytest.raises(ValidationError) as invalid:
        services.answer_create(author=below(), question=question, body=THREE_LINKS)
    assert body_errors(invalid) == [LINK_MESSAGE]
    assert services.answer_create(author=below(), question=question, body=TWO_LINKS).pk
    assert services.answer_create(author=at_threshold(), question=question, body=THREE_LINKS).pk


def test_the_answer_form_shows_the_refusal(client):
    question = QuestionFactory()
    client.force_login(below())
    response = client.post(
        f"/questions/{question.pk}/answer/", {"body": THREE_LINKS, "token": str(uuid.uuid4())}
    )
    assert response.status_code == 400
    assert LINK_MESSAGE in text_of(response.content.decode())
    assert not Post.objects.answers().exists()


# --- editing -----------------------------------------------------------------------------


def test_a_new_user_cannot_edit_links_over_the_limit_into_their_post():
    author = below()
    question = ask(author, TWO_LINKS)
    with pytest.raises(ValidationError) as invalid:
        services.post_edit(editor=author, post=question, title=TITLE, body=THREE_LINKS)
    assert body_errors(invalid) == [LINK_MESSAGE]
    question.refresh_from_db()
    assert question.body == TWO_LINKS


def test_an_edit_that_adds_no_links_passes_even_over_the_limit():
    """A post written before (imported, or when the author had more reputation) keeps its
    links through its author's edits; only links added over the limit are refused."""
    author = below()
    question = ask(author, TWO_LINKS)
    Post.objects.filter(pk=question.pk).update(body=THREE_LINKS)
    question.refresh_from_db()
    edited = THREE_LINKS.replace("I tried", "I really tried")
    assert services.post_edit(editor=author, post=question, title=TITLE, body=edited)
    with pytest.raises(ValidationError) as invalid:
        services.post_edit(
            editor=author, post=question, title=TITLE, body="[4](https://4.example) " + edited
        )
    assert body_errors(invalid) == [
        "Until you have 10 reputation, a post of yours may hold at most 2 links; this one has 4. "
        "Remove 1 link."
    ]


def test_the_edit_page_names_the_limit(client):
    author = below()
    question = ask(author, TWO_LINKS)
    client.force_login(author)
    response = client.post(
        f"/posts/{question.pk}/edit/", {"title": TITLE, "body": THREE_LINKS, "tags": "python"}
    )
    assert response.status_code in (200, 400)
    assert LINK_MESSAGE in text_of(response.content.decode())


def test_the_limit_is_the_editors_not_the_authors():
    question = ask(at_threshold(), THREE_LINKS)
    editor = user_with(Privilege.EDIT_ANY_POST)
    body = "[4](https://4.example) " + THREE_LINKS
    assert services.post_edit(editor=editor, post=question, title=TITLE, body=body)


# --- suggested edits ---------------------------------------------------------------------


def test_a_new_users_suggested_edit_is_held_to_the_limit():
    question = ask(at_threshold(), PROSE)
    with pytest.raises(ValidationError) as invalid:
        services.suggested_edit_create(author=below(), post=question, title=TITLE, body=THREE_LINKS)
    assert body_errors(invalid) == [LINK_MESSAGE]
    assert not SuggestedEdit.objects.exists()
    assert services.suggested_edit_create(
        author=at_threshold(), post=question, title=TITLE, body=THREE_LINKS
    ).pk


# --- comments ----------------------------------------------------------------------------


def test_a_new_user_cannot_comment_with_more_links_than_the_limit():
    author = below()
    question = ask(author, PROSE)
    with pytest.raises(ValidationError) as invalid:
        services.comment_create(
            author=author, post=question, body=COMMENT_THREE_LINKS, rate_limited=False
        )
    assert body_errors(invalid) == [
        "Until you have 10 reputation, a comment of yours may hold at most 2 links; "
        "this one has 3. Remove 1 link."
    ]
    assert services.comment_create(
        author=author, post=question, body=COMMENT_TWO_LINKS, rate_limited=False
    ).pk


def test_a_comments_image_syntax_is_a_link_and_counts():
    author = below()
    question = ask(author, PROSE)
    with pytest.raises(ValidationError):
        services.comment_create(
            author=author,
            post=question,
            body=COMMENT_TWO_LINKS + " ![x](https://i.example/x.png)",
            rate_limited=False,
        )


def test_the_limit_lifts_for_comments_at_the_threshold():
    author = at_threshold()
    question = ask(author, PROSE)
    comment = services.comment_create(
        author=author, post=question, body=COMMENT_THREE_LINKS, rate_limited=False
    )
    assert comment.body_html.count("<a ") == 3


def test_the_comment_page_names_the_limit(client):
    author = below()
    question = ask(author, PROSE)
    client.force_login(author)
    response = client.post(
        f"/posts/{question.pk}/comments/",
        {"body": COMMENT_THREE_LINKS, "token": str(uuid.uuid4())},
    )
    assert "a comment of yours may hold at most 2 links" in text_of(response.content.decode())
    assert not Comment.objects.exists()


# --- imports -----------------------------------------------------------------------------


def test_imported_posts_are_not_checked(tmp_path):
    rows = mini_rows()
    links = " ".join(f'<a href="https://{n}.example">{n}</a>' for n in range(5))
    for user in rows["Users.xml"]:
        user["Reputation"] = 1
    rows["Posts.xml"][0]["Body"] = f"<p>{links}</p><img src='https://i.example/x.png'>"
    run_import(write_dump(tmp_path / "mini", rows))
    imported = post("mini", 10)
    assert imported.author.reputation < 10
    assert imported.body_html.count("<a ") == 5 and "<img" in imported.body_html


def test_the_answer_factory_default_author_is_held_to_the_limit():
    """The test factories go through the services too."""
    with pytest.raises(ValidationError):
        AnswerFactory(body=THREE_LINKS)
