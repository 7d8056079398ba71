"""The search index follows the posts by itself (database triggers, docs/architecture.md,
Decisions: "Search indexes are kept by the database"): inserts, edits, deletes, ``bulk_create``,
raw updates, tag changes and tag renames — no signals."""

import pytest
from django.core.management import call_command
from django.db import connection

from core.markdown import render_post
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from threads import search, services
from threads.models import Post, PostKind, Tag, TaggedPost
from threads.search import schema

pytestmark = pytest.mark.django_db

EDITOR_REPUTATION = 2000


def found(text: str) -> list[int]:
    return list(search.engine.results(search.parse(text)).values_list("pk", flat=True))


def test_it_has_every_index_trigger_after_all_migrations():
    # On SQLite, a migration that remakes threads_post (how Django adds most fields there)
    # drops its triggers; post_migrate puts them back (schema.reinstall_if_dropped).
    assert schema.missing_triggers(connection) == set()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN indexes: PostgreSQL only")
def test_its_gin_indexes_keep_no_pending_list_that_each_search_would_read():
    QuestionFactory(title="A question written after the migrations")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.reloptions FROM pg_class c JOIN pg_am am ON am.oid = c.relam "
            "WHERE am.amname = 'gin' AND c.relname LIKE 'threads_post_search%%'"
        )
        options = dict(cursor.fetchall())
    assert set(options) == {"threads_post_search_idx", "threads_post_search_title_idx"}
    assert all(found == ["fastupdate=off"] for found in options.values())


def test_it_indexes_new_questions_and_answers():
    question = QuestionFactory(title="A fresh zorblax question")
    answer = AnswerFactory(
        question=question, body="And a fresh quuxly answer, with enough words to be posted."
    )

    assert found("zorblax") == [question.pk]
    assert found("quuxly") == [answer.pk]


def test_it_follows_edits():
    editor = UserFactory(reputation=EDITOR_REPUTATION)
    question = QuestionFactory(
        title="Before the zorblax edit",
        body="Original quuxly body, with enough words to be posted.",
    )
    answer = AnswerFactory(
        question=question, body="Original plimbrel answer text, with enough words to be posted."
    )

    services.post_edit(
        editor=editor,
        post=question,
        title="After the frobnitz edit",
        body="New wimble body, with enough words to be posted.",
    )
    services.post_edit(
        editor=editor,
        post=answer,
        title="",
        body="Changed grommet answer, with enough words to be posted.",
    )

    assert found("zorblax") == [] and found("quuxly") == [] and found("plimbrel") == []
    assert found("frobnitz") == [question.pk] and found("wimble") == [question.pk]
    assert found("grommet") == [answer.pk]


def test_it_follows_rollbacks():
    editor = UserFactory(reputation=EDITOR_REPUTATION)
    question = QuestionFactory(
        title="Rollback zorblax question", body="First quuxly body, with enough words to be posted."
    )
    services.post_edit(
        editor=editor,
        post=question,
        title=question.title,
        body="Second body, with enough words to be posted.",
    )
    first = question.revisions.get(number=1)

    services.post_rollback(editor=editor, post=question, revision=first)

    assert found("quuxly") == [question.pk]


def test_it_forgets_hard_deleted_posts():
    question = QuestionFactory(title="Doomed zorblax question")
    AnswerFactory(question=question, body="Doomed quuxly answer, with enough words to be posted.")

    Post.objects.filter(pk=question.pk).delete()

    assert found("zorblax") == [] and found("quuxly") == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM threads_post_fts")
            assert cursor.fetchone()[0] == Post.objects.count()


def test_it_indexes_bulk_created_posts():
    author = UserFactory()
    question, answer_parent = Post.objects.bulk_create(
        [
            Post(
                kind=PostKind.QUESTION,
                title="Bulk zorblax question",
                body="Imported body text.",
                body_html=render_post("Imported body text."),
                author=author,
            ),
            Post(
                kind=PostKind.QUESTION,
                title="Bulk parent",
                body="Parent body.",
                body_html="<p>Parent body.</p>",
            ),
        ]
    )
    (answer,) = Post.objects.bulk_create(
        [
            Post(
                kind=PostKind.ANSWER,
                parent_id=answer_parent.pk,
                body="An imported quuxly answer.",
                body_html="<p>An imported quuxly answer.</p>",
            )
        ]
    )

    assert found("zorblax") == [question.pk]
    assert found("quuxly") == [answer.pk]


def test_it_follows_raw_updates():
    question = QuestionFactory(title="Raw zorblax question")

    Post.objects.filter(pk=question.pk).update(title="Raw frobnitz question", body="wimble")

    assert found("zorblax") == []
    assert found("frobnitz wimble") == [question.pk]


def test_it_ignores_updates_of_other_fields():
    question = QuestionFactory(title="Counted zorblax question")

    Post.objects.filter(pk=question.pk).update(score=7, view_count=100)
    services.vote_cast(user=UserFactory(reputation=100), post=question, value=1)

    assert found("zorblax") == [question.pk]


def test_it_follows_tag_changes():
    editor = UserFactory(reputation=EDITOR_REPUTATION)
    question = QuestionFactory(title="Tagged question", tags=["zorblax"])

    assert found("zorblax") == [question.pk]

    services.post_edit(
        editor=editor, post=question, title=question.title, body=question.body, tags=["quuxly"]
    )

    assert found("zorblax") == []
    assert found("quuxly") == [question.pk]
    assert found("[quuxly]") == [question.pk] and found("[zorblax]") == []


def test_it_follows_tagging_rows_written_directly():
    question = QuestionFactory(title="Directly tagged question", tags=["python"])
    tag = Tag.objects.create(name="zorblax", slug="zorblax")

    TaggedPost.objects.bulk_create([TaggedPost(content_object=question, tag=tag)])
    assert found("zorblax") == [question.pk]

    TaggedPost.objects.filter(tag=tag).delete()
    assert found("zorblax") == []


def test_it_follows_tag_renames():
    question = QuestionFactory(title="Renamed tag question", tags=["zorblax"])
    other = QuestionFactory(title="Untouched question", tags=["python"])

    Tag.objects.filter(name="zorblax").update(name="quuxly", slug="quuxly")
    Tag.objects.filter(name="python").update(usage_count=99)  # no rename: nothing to do

    assert found("zorblax") == []
    assert found("quuxly") == [question.pk]
    assert found("python") == [other.pk]


@pytest.mark.django_db(transaction=True)  # a schema editor runs outside a transaction
def test_it_can_be_reinstalled_over_existing_data():
    question = QuestionFactory(title="Reinstalled zorblax question", tags=["quuxly"])

    with connection.schema_editor() as editor:
        schema.install(editor)

    assert found("zorblax quuxly") == [question.pk]
    assert schema.missing_triggers(connection) == set()


@pytest.mark.django_db(transaction=True)
def test_it_puts_dropped_triggers_back_after_migrate():
    # What a migration remaking threads_post does on SQLite: the table's triggers go.
    question = QuestionFactory(title="Before the zorblax rename")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER threads_post_fts_update")
        else:
            cursor.execute("DROP TRIGGER threads_post_search ON threads_post")
    Post.objects.filter(pk=question.pk).update(title="After quuxly")
    assert schema.missing_triggers(connection)

    call_command("migrate", verbosity=0)

    assert schema.missing_triggers(connection) == set()
    assert found("quuxly") == [question.pk] and found("zorblax") == []
    assert schema.reinstall_if_dropped() is False  # nothing to do any more
