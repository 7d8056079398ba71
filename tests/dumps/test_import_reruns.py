"""Each imported row is remembered per site (``SourceRow``): a second run adds nothing, an
interrupted run completes when run again, and a site with its own content keeps it."""

import shutil

import pytest
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import connection

from dumps.importer import history
from dumps.models import SourceKind, SourceRow
from moderation.models import ModerationEvent
from tests.dumps import run_import
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from threads.models import Comment, Post, PostLink, Revision, Tag, TaggedPost

pytestmark = pytest.mark.django_db
User = get_user_model()


def counts() -> dict[str, int]:
    models = (User, Post, Comment, Revision, ModerationEvent, PostLink, Tag, TaggedPost, SourceRow)
    return {model.__name__: model.objects.count() for model in models}


def digest(site: str) -> dict:
    """Everything an import decides, keyed by source ids (local ids differ between runs)."""
    rows = SourceRow.objects.filter(site=site, kind=SourceKind.POST)
    result = {}
    for source_id, target_id in rows.values_list("source_id", "target_id"):
        post = Post.objects.get(pk=target_id)
        notice = post.close_notice or {}
        result[source_id] = {
            "title": post.title,
            "body": post.body,
            "body_html": post.body_html,
            "score": post.score,
            "answers": post.answer_count,
            "comments": post.comment_count,
            "accepted": post.accepted_answer is not None,
            "accepted_at": post.accepted_at,
            "closed_at": post.closed_at,
            "reason": (notice.get("reason") or {}).get("name"),
            "voters": [voter["name"] for voter in notice.get("voters", [])],
            "locked_until": post.locked_until,
            "protected_at": post.protected_at,
            "tags": sorted(post.tags.names()),
            "revisions": list(
                post.revisions.order_by("number").values_list("number", "kind", "title", "body")
            ),
            "events": list(
                ModerationEvent.objects.filter(post=post)
                .order_by("created_at", "pk")
                .values_list("kind", "reason", "created_at")
            ),
            "links": sorted(post.links.values_list("kind", flat=True)),
            "comment_texts": sorted(post.comments.values_list("body", flat=True)),
        }
    return result


def test_it_changes_nothing_when_the_same_dump_is_imported_again(mini):
    run_import(mini)
    before_counts, before = counts(), digest("mini")
    versions = dict(Post.objects.values_list("pk", "version"))

    output = run_import(mini)

    assert counts() == before_counts
    assert digest("mini") == before
    assert dict(Post.objects.values_list("pk", "version")) == versions
    assert "already imported" in output
    total = next(line for line in output.splitlines() if line.startswith("Total"))
    assert total.split()[2] == "0"  # imported


def rows_written() -> int:
    """Rows inserted, updated or deleted so far (by statements and their triggers): the
    connection's ``total_changes`` on SQLite, this transaction's table statistics on
    PostgreSQL (the test runs in one transaction)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.total_changes
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) "
            "FROM pg_stat_xact_user_tables"
        )
        return cursor.fetchone()[0]


def search_index_state():
    """What changes whenever the search index is written: the FTS5 table's blocks on
    SQLite, the posts' row versions (``xmin``; the vectors are columns) on PostgreSQL."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*), sum(length(block)) FROM threads_post_fts_data")
        else:
            cursor.execute("SELECT array_agg(xmin::text ORDER BY id) FROM threads_post")
        return cursor.fetchone()


def test_an_unchanged_rerun_writes_no_row_and_leaves_the_search_index_alone(mini):
    run_import(mini)
    written, index = rows_written(), search_index_state()
    assert written > 0

    run_import(mini)

    assert rows_written() == written
    assert search_index_state() == index


def test_a_rerun_of_a_changed_dump_adds_nothing_to_what_was_imported(mini):
    run_import(mini)
    before_counts, before = counts(), digest("mini")
    posts_file = mini / "Posts.xml"
    posts_file.write_text(
        posts_file.read_text(encoding="utf-8").replace("&lt;p&gt;", "&lt;p&gt;Changed ", 1),
        encoding="utf-8",
    )

    run_import(mini)

    assert counts() == before_counts
    assert digest("mini") == before


def test_it_completes_an_interrupted_import_when_run_again(mini, tmp_path, monkeypatch):
    clean = tmp_path / "clean"
    shutil.copytree(mini, clean)
    run_import(clean, batch_size=2)
    expected, expected_counts = digest("clean"), counts()

    real = history.import_history
    calls = []

    def interrupted(context, batch, report):
        calls.append(len(batch))
        if len(calls) == 2:
            raise KeyboardInterrupt("the power went out")
        return real(context, batch, report)

    monkeypatch.setattr(history, "import_history", interrupted)
    with pytest.raises(CommandError) as stop:
        run_import(mini, batch_size=2)
    assert stop.value.returncode == 130
    half = SourceRow.objects.filter(site="mini", kind=SourceKind.REVISION).count()
    assert 0 < half < SourceRow.objects.filter(site="clean", kind=SourceKind.REVISION).count()
    assert not SourceRow.objects.filter(site="mini", kind=SourceKind.LINK).exists()

    monkeypatch.setattr(history, "import_history", real)
    output = run_import(mini, batch_size=2)

    assert "Import complete." in output
    assert "already imported" in output
    assert digest("mini") == expected
    # Every kind of row is there exactly once (the tag's texts were the clean import's).
    for kind in SourceKind.values:
        if kind not in (SourceKind.TAG_TEXT, SourceKind.TAG_TEXT_KEPT, SourceKind.TAG_REVISION):
            mine = SourceRow.objects.filter(site="mini", kind=kind).count()
            assert mine == SourceRow.objects.filter(site="clean", kind=kind).count(), kind
    assert counts()["Post"] == 2 * expected_counts["Post"]


def test_it_never_collides_with_a_site_that_already_has_content(mini):
    asker = UserFactory(username="local-asker", display_name="Local Asker")
    local = QuestionFactory(
        author=asker, title="A local question about French verbs", tags=["french"]
    )
    AnswerFactory(question=local)
    CommentFactory(post=local)
    existing_posts = set(Post.objects.values_list("pk", flat=True))
    existing_users = set(User.objects.values_list("pk", flat=True))
    snapshot = Post.objects.filter(pk__in=existing_posts).order_by("pk")
    before = list(snapshot.values("pk", "title", "body", "score", "answer_count", "author_id"))

    run_import(mini)

    assert list(snapshot.values("pk", "title", "body", "score", "answer_count", "author_id")) == (
        before
    )
    imported_posts = set(
        SourceRow.objects.filter(kind=SourceKind.POST).values_list("target_id", flat=True)
    )
    imported_users = set(
        SourceRow.objects.filter(kind=SourceKind.USER)
        .exclude(source_id="-1")
        .values_list("target_id", flat=True)
    )
    assert len(imported_posts) == 8
    assert not imported_posts & existing_posts
    assert not imported_users & existing_users
    assert Post.objects.count() == len(existing_posts) + 8
    # Tags are shared by name: the local question counts in "french" too.
    assert Tag.objects.get(name="french").usage_count == 7
    assert Post.objects.get(pk=local.pk).tags.get().name == "french"


def test_rows_made_on_the_site_after_an_import_get_ids_of_their_own(mini):
    run_import(mini)
    imported_ids = set(Post.objects.values_list("pk", flat=True))
    imported_users = set(User.objects.values_list("pk", flat=True))

    question = QuestionFactory(title="A local question after the import")
    answer = AnswerFactory(question=question)
    comment = CommentFactory(post=question)

    assert question.pk not in imported_ids
    assert answer.pk not in imported_ids
    assert question.author_id not in imported_users
    assert Comment.objects.filter(pk=comment.pk).get().post_id == question.pk
