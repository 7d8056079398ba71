"""Tag names in a dump are checked with the site's one tag rule: lowercase letters of any
script (so Russian, Japanese, Spanish and Portuguese sites keep their tags), digits and
``+ # . -``, 1 to 35 characters. Other names are left off, with a note in the report."""

from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.test import Client

from dumps.models import SourceKind, SourceRow
from tests.dumps import at, post, run_import, write_dump
from tests.pages import text_of
from threads.models import Tag

pytestmark = pytest.mark.django_db

KEPT = ["ассемблер", "日本語", "acentuación", "ortografia-ção", "c#"]
LEFT_OFF = ["Python", "ÀCCENT", "a/b", "x<y", "with space", "under_score", "z" * 36]


def tag_rows() -> dict[str, list[dict]]:
    """A user, a Tags.xml row per name, and two questions tagged with all of them (one in
    each of the dumps' two tag formats)."""
    names = KEPT + LEFT_OFF
    question = {
        "PostTypeId": 1,
        "CreationDate": at(2),
        "Score": 1,
        "ViewCount": 3,
        "OwnerUserId": 1,
        "LastActivityDate": at(2),
    }
    return {
        "Users.xml": [{"Id": 1, "Reputation": 10, "CreationDate": at(1), "DisplayName": "Ира"}],
        "Tags.xml": [
            {"Id": index, "TagName": name, "Count": 2} for index, name in enumerate(names, 1)
        ],
        "Posts.xml": [
            {
                **question,
                "Id": 1,
                "Title": "Как писать на ассемблере?",
                "Body": "<p>Коротко.</p>",  # shorter than the site's minimums: kept
                "Tags": "".join(f"<{name}>" for name in names if "<" not in name),
            },
            {
                **question,
                "Id": 2,
                "Title": "Вопрос",
                "Body": "<p>Про ассемблер, <script>alert(1)</script>без тега.</p>",
                "Tags": "|" + "|".join(names) + "|",
            },
        ],
        "PostHistory.xml": [
            {
                "Id": 1,
                "PostHistoryTypeId": 1,
                "PostId": 1,
                "RevisionGUID": "g-1",
                "CreationDate": at(2),
                "UserId": 1,
                "Text": "Как писать на ассемблере?",
            },
            {
                "Id": 2,
                "PostHistoryTypeId": 2,
                "PostId": 1,
                "RevisionGUID": "g-1",
                "CreationDate": at(2),
                "UserId": 1,
                "Text": "Коротко.",
            },
            {
                "Id": 3,
                "PostHistoryTypeId": 3,
                "PostId": 1,
                "RevisionGUID": "g-1",
                "CreationDate": at(2),
                "UserId": 1,
                "Text": "<ассемблер><Python><a/b><c#>",
            },
        ],  # fmt: skip
    }


@pytest.fixture
def tagged(tmp_path):
    return write_dump(tmp_path / "tagged", tag_rows())


def test_it_keeps_lowercase_tags_of_any_script_and_leaves_off_the_others(tagged):
    output = run_import(tagged)

    assert sorted(Tag.objects.values_list("name", flat=True)) == sorted(KEPT)
    assert sorted(post("tagged", 1).tags.names()) == sorted(KEPT)
    assert sorted(post("tagged", 2).tags.names()) == sorted(KEPT)
    assert SourceRow.objects.filter(site="tagged", kind=SourceKind.TAG).count() == len(KEPT)
    assert "tag name not allowed here" in output
    assert "lowercase letters, digits and + # . -" in output
    # The revision holds only names the question could carry, so a rollback can't bring
    # the others back.
    assert post("tagged", 1).revisions.get().tags == "ассемблер c#"


def test_it_keeps_short_posts_and_sanitises_their_html(tagged):
    run_import(tagged)

    first, second = post("tagged", 1), post("tagged", 2)
    assert (first.title, first.body_html) == ("Как писать на ассемблере?", "<p>Коротко.</p>")
    assert second.title == "Вопрос"
    assert "<script>" not in second.body_html
    assert "без тега" in second.body_html


def test_pages_show_the_unicode_tags(tagged):
    run_import(tagged)
    question = post("tagged", 1)

    def page(url: str) -> str:
        cache.clear()
        response = Client().get(url)
        assert response.status_code == 200, url
        return response.content.decode()

    question_page = page(question.get_absolute_url())
    for name in KEPT:
        assert Tag.objects.get(name=name).get_absolute_url() in question_page
    assert f"/questions/tagged/{quote('ассемблер')}/" in question_page
    assert "Как писать на ассемблере?" in text_of(page("/questions/tagged/ассемблер/"))
    assert "ассемблер" in text_of(page("/tags/"))
    assert "Как писать на ассемблере?" in text_of(page(f"/search/?q={quote('[ассемблер]')}"))
