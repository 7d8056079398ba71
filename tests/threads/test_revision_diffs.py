"""Revision diffs (``threads/diff.py`` and ``/posts/<id>/revisions/``): inline and side by
side, of the Markdown source and of the rendered text, toggled by links, accessible (words
for screen readers, not colour alone), in a constant number of queries."""

import pytest

from core.conf import qasite_setting
from tests.factories import QuestionFactory, UserFactory
from tests.pages import text_of
from tests.queries import assert_constant_queries
from threads import services
from threads.diff import html_diff, rendered_text, side_by_side

pytestmark = pytest.mark.django_db

TITLE = "How do I merge two dictionaries in Python"
BODY = "I have two dicts, x and y.\n\nI want **one** dict.\n\n- first item\n- second item"
NEW_BODY = "I have two dictionaries, x and y.\n\nI want **one** dict.\n\n" + (
    "- first item\n- third item\n- more"
)


# The diff functions ----------------------------------------------------------------------


def test_inline_diffs_say_what_changed_in_words():
    diff = html_diff("a red fox", "a blue fox")

    assert '<span class="visually-hidden">removed: </span><del>red</del>' in diff
    assert '<span class="visually-hidden">added: </span><ins>blue</ins>' in diff
    assert html_diff("<b>x</b>", "<b>y</b>").startswith("&lt;b&gt;")  # escaped


def test_side_by_side_pairs_lines_and_marks_words_within_them():
    rows = side_by_side("same\nold line here\ngone", "same\nnew line here")

    assert [row.change for row in rows] == ["same", "changed", "removed"]
    assert rows[0].old == rows[0].new == "same"
    assert "<del>old</del>" in rows[1].old and "<ins>" not in rows[1].old
    assert "<ins>new</ins>" in rows[1].new and "<del>" not in rows[1].new
    assert "<del>gone</del>" in rows[2].old and rows[2].new is None
    assert [row.change for row in side_by_side("a", "a\n<b>")] == ["same", "added"]
    assert "&lt;b&gt;" in side_by_side("a", "a\n<b>")[1].new


def test_rendered_text_is_what_a_reader_sees():
    text = rendered_text(
        "# Title\n\nSome **bold** and `code`.\n\n- one\n- two\n\n<script>x()</script>"
    )

    assert text.splitlines()[:4] == ["Title", "Some bold and code.", "one", "two"]
    assert "script" not in text and "**" not in text


# The page ------------------------------------------------------------------------------------


@pytest.fixture
def edited():
    question = QuestionFactory(title=TITLE, body=BODY, tags=["python"])
    editor = UserFactory(reputation=qasite_setting("PRIVILEGES.EDIT_ANY_POST"), display_name="Eve")
    services.post_edit(editor=editor, post=question, title=TITLE, body=NEW_BODY, tags=["python"])
    return question


def url(question, **params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/posts/{question.pk}/revisions/" + (f"?{query}" if query else "")


def test_it_offers_each_view_as_a_link_keeping_the_other_choice(client, edited):
    content = client.get(url(edited, view="side", of="rendered")).content.decode()

    assert 'href="?view=inline&amp;of=rendered"' in content
    assert 'href="?view=side&amp;of=source"' in content
    assert 'aria-current="true" class="active">side by side' in content
    assert 'aria-current="true" class="active">rendered text' in content


def test_inline_source_is_the_default(client, edited):
    content = client.get(url(edited)).content.decode()

    assert '<pre class="diff">' in content
    assert "<del>dicts</del>" in content and "<ins>dictionaries</ins>" in content
    assert "**one**" in content  # the Markdown source


def test_side_by_side_source(client, edited):
    content = client.get(url(edited, view="side")).content.decode()

    assert '<table class="diff-side">' in content
    assert '<tr class="changed">' in content
    assert "<del>second</del>" in content and "<ins>third</ins>" in content
    assert '<tr class="added">' in content
    assert '<th scope="col">Revision 2</th>' in content


@pytest.mark.parametrize("view", ["inline", "side"])
def test_rendered_text_diffs(client, edited, view):
    content = client.get(url(edited, view=view, of="rendered")).content.decode()

    assert "**one**" not in content  # the text, not its Markdown
    assert "I want one dict." in text_of(content)
    assert "<del>second</del>" in content and "<ins>third</ins>" in content


def test_bad_choices_fall_back_to_the_defaults(client, edited):
    response = client.get(url(edited, view="<x>", of="9"))

    assert response.status_code == 200
    assert (response.context["view"], response.context["of"]) == ("inline", "source")


@pytest.mark.parametrize(("view", "of"), [("inline", "source"), ("side", "rendered")])
def test_many_revisions_cost_no_more_queries(client, view, of):
    question = QuestionFactory(title=TITLE, body=BODY, tags=["python"])
    editors = iter(
        UserFactory.create_batch(8, reputation=qasite_setting("PRIVILEGES.EDIT_ANY_POST"))
    )

    def add_rows():
        editor = next(editors)  # a new editor each time: no folding into one revision
        body = question.body + f"\n\nMore from {editor.pk}."
        services.post_edit(editor=editor, post=question, title=TITLE, body=body, tags=["python"])
        question.refresh_from_db()

    assert_constant_queries(client, url(question, view=view, of=of), add_rows)
