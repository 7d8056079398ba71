"""The tag wiki: shown on the tag's pages, edited from the tag-wiki privilege, with its
revisions kept."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.privileges import Privilege
from tests.factories import QuestionFactory, UserFactory
from tests.pages import text_of
from tests.threads import user_with
from threads import services
from threads.models import Tag, TagWikiRevision
from threads.services.tags import EARLIER_TEXT

pytestmark = pytest.mark.django_db


@pytest.fixture
def python():
    QuestionFactory(tags=["python"])
    tag = Tag.objects.get(name="python")
    tag.excerpt, tag.wiki_body = "A language.", "Imported **wiki**."
    return services.tag_save(tag=tag)


def edit(tag, editor=None, **values):
    values = {"excerpt": "A programming language.", "body": "Python is *nice*.", **values}
    editor = editor or user_with(Privilege.EDIT_TAG_WIKIS)
    return services.tag_wiki_edit(editor=editor, tag=tag, **values)


def test_an_edit_keeps_the_earlier_text_and_renders_the_wiki(python):
    editor = user_with(Privilege.EDIT_TAG_WIKIS)
    revision = edit(python, editor, summary="clearer", base_number=0)
    assert (revision.number, revision.editor, revision.summary) == (2, editor, "clearer")
    first = TagWikiRevision.objects.get(tag=python, number=1)
    assert (first.excerpt, first.body, first.editor, first.summary) == (
        "A language.",
        "Imported **wiki**.",
        None,
        EARLIER_TEXT,
    )
    python.refresh_from_db()
    assert python.excerpt == "A programming language."
    assert "<em>nice</em>" in python.wiki_html
    assert edit(python) is None  # unchanged: no revision
    assert edit(python, body="Changed.").number == 3


def test_the_wiki_is_sanitised(python):
    edit(python, body='<script>alert(1)</script><a href="javascript:x" onclick="y">link</a>')
    python.refresh_from_db()
    assert "<script" not in python.wiki_html
    assert "onclick" not in python.wiki_html and "javascript:" not in python.wiki_html


def test_an_edit_needs_the_privilege_and_a_master_tag(python):
    below = UserFactory(reputation=Privilege.EDIT_TAG_WIKIS.reputation - 1)
    with pytest.raises(PermissionDenied, match="1500 reputation to edit tag wikis"):
        edit(python, below)
    QuestionFactory(tags=["py"])
    services.tag_merge(actor=UserFactory(is_moderator=True), source_name="py", target=python)
    with pytest.raises(PermissionDenied, match="is a synonym"):
        edit(Tag.objects.get(name="py"))


def test_an_edit_begun_on_an_older_revision_is_refused(python):
    edit(python, base_number=0)
    with pytest.raises(ValidationError, match="Someone else edited"):
        edit(python, body="Mine.", base_number=0)
    with pytest.raises(ValidationError, match="Excerpt is limited to 500"):
        edit(python, excerpt="x" * 501)


def test_the_info_page_shows_the_wiki_and_the_edit_link(client, python):
    url = reverse("tag-info", args=["python"])
    response = client.get(url)
    assert response.status_code == 200
    seen = text_of(response.content.decode())
    assert "A language." in seen and "Imported wiki." in seen
    assert reverse("tag-wiki-edit", args=["python"]) not in response.content.decode()
    client.force_login(user_with(Privilege.EDIT_TAG_WIKIS))
    assert reverse("tag-wiki-edit", args=["python"]) in client.get(url).content.decode()
    tagged = client.get(reverse("tag-detail", args=["python"])).content.decode()
    assert f'href="{url}"' in tagged


def test_the_edit_page_saves_and_shows_errors(client, python):
    url = reverse("tag-wiki-edit", args=["python"])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(UserFactory())
    response = client.get(url)
    assert response.status_code == 403
    assert "1500 reputation to edit tag wikis" in text_of(response.content.decode())
    client.force_login(user_with(Privilege.EDIT_TAG_WIKIS))
    assert client.get(url).status_code == 200
    data = {"excerpt": "Snakes.", "body": "# Python\n\nA *language*.", "summary": "s", "base": 0}
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("tag-info", args=["python"])
    stale = client.post(url, {**data, "body": "Other.", "base": 0})
    assert stale.status_code == 400
    assert "Someone else edited" in text_of(stale.content.decode())
    assert client.post(url, {**data, "base": "x"}).status_code == 400


def test_the_history_page_lists_revisions_with_diffs(client, python, django_assert_max_num_queries):
    edit(python)
    edit(python, body="Python is *great*.", editor=user_with(Privilege.EDIT_TAG_WIKIS))
    url = reverse("tag-wiki-revisions", args=["python"])
    with django_assert_max_num_queries(2):  # the tag, the revisions with their editors
        response = client.get(url)
    page = response.content.decode()
    assert "<del>nice</del>" in page and "<ins>great</ins>" in page
    assert EARLIER_TEXT in text_of(page)
    for _ in range(3):
        edit(python, body=f"Text {TagWikiRevision.objects.count()}")
    with django_assert_max_num_queries(2):
        client.get(url)


def test_the_info_page_costs_constant_queries(client, python, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        assert client.get(reverse("tag-info", args=["python"])).status_code == 200
