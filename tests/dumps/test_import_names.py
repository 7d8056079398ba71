"""Names in a dump lose the moderator mark (♦) and its lookalikes, which the site puts
after moderators' names itself; the rest of each name is kept, as the attribution of its
author's work. A name that was only marks is left empty: pages show the username."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from dumps.models import SourceKind
from tests.dumps import imported, mini_rows, post, run_import, voters, write_dump
from tests.pages import text_of
from threads.models import Comment

pytestmark = pytest.mark.django_db
User = get_user_model()


def rename(rows: list[dict], source_id: int, **fields) -> None:
    next(row for row in rows if row["Id"] == source_id).update(fields)


@pytest.fixture
def marked(tmp_path):
    """The test dump with marks and moderator titles in every kind of name."""
    rows = mini_rows()
    rename(rows["Users.xml"], 1, DisplayName="Alice ♦")
    rename(rows["Users.xml"], 2, DisplayName="◆ Moderator ◆")
    rename(rows["Users.xml"], 3, DisplayName="🔷Carol🔹")
    rename(rows["Users.xml"], 4, DisplayName="♦")
    rename(rows["Posts.xml"], 12, OwnerDisplayName="Ghost Writer ⬥")
    rename(rows["Comments.xml"], 2, UserDisplayName="⯁ Mod ⯁")
    rename(
        rows["PostHistory.xml"],
        14,
        Text=voters((3, "Carol ♦"), (4, "Dave"), (7, "Former Voter ❖")),
    )
    return write_dump(tmp_path / "mini", rows)


def user(source_id) -> User:
    return User.objects.get(pk=imported("mini", SourceKind.USER, source_id))


def page(url: str) -> str:
    cache.clear()
    response = Client().get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_it_strips_the_moderator_marks_from_imported_names(marked):
    run_import(marked)

    assert user(1).display_name == "Alice"
    assert user(3).display_name == "Carol"
    assert user(2).display_name == "Moderator"  # the source site's name, without the mark
    assert (user(4).display_name, user(4).name) == ("", "mini-4")  # nothing but a mark
    assert post("mini", 12).author_name == "Ghost Writer"
    assert Comment.objects.get(pk=imported("mini", SourceKind.COMMENT, 2)).author_name == "Mod"
    names = [voter["name"] for voter in post("mini", 20).close_notice["voters"]]
    assert names == ["Carol", "Dave", "Former Voter"]


def test_pages_show_imported_names_without_a_mark(marked):
    run_import(marked)

    closed = page(post("mini", 20).get_absolute_url())
    assert "Former Voter" in text_of(closed) and "Carol" in text_of(closed)
    assert not {"♦", "❖", "🔷", "🔹"} & set(closed)
    thread = page(post("mini", 10).get_absolute_url())
    assert "Ghost Writer" in text_of(thread) and "Alice" in text_of(thread)
    assert not {"♦", "◆", "⬥", "⯁"} & set(thread)
