"""After every file: the counters, each post's Markdown source and revision numbers,
and the tags' usage, recomputed from the imported rows (idempotent: a rerun changes
nothing, and writes nothing: only rows whose value differs are updated, so an unchanged
rerun neither rewrites posts nor grows the search index). Posts without any history (no
PostHistory.xml) get one "import" revision, their Markdown source converted from their HTML
(``markdown_source``). Each post is written once (``_update_posts``), and indexed for
search in that write; posts the import left pending (``deferred_indexing``) that it does
not rewrite are indexed at the end, in one statement."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import nullcontext

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from dumps.importer.context import BATCH_SIZE, Context
from dumps.importer.indexes import checks_done, indexes_built_after
from dumps.importer.markdown_source import html_to_markdown
from dumps.models import SourceKind, SourceRow
from moderation.models import ModerationEvent
from threads import page_state
from threads.bulk import create_first_revisions
from threads.models import (
    Comment,
    Post,
    PostKind,
    PostLink,
    Revision,
    RevisionKind,
    Tag,
    TaggedPost,
)
from threads.search.schema import PG_ROW_TRIGGER, PG_TAGS_TEXT, PG_VECTORS, index_pending

User = get_user_model()


def finish(context: Context, *, imported: bool) -> None:
    """Recomputations from the imported rows (idempotent: a rerun changes nothing)."""
    if imported:
        refresh_statistics(LOADED_MODELS)
    if "PostHistory.xml" not in context.stopped_after:  # else the rerun brings the rest
        _import_revisions(context)
    _update_posts(context, bump=imported)
    _renumber_revisions(context)
    with transaction.atomic():
        used = TaggedPost.objects.filter(
            tag_id=OuterRef("pk"),
            content_object__kind=PostKind.QUESTION,
            content_object__deleted_at__isnull=True,
        )
        counted = used.order_by().values("tag_id").annotate(count=Count("pk")).values("count")
        touched = Q(
            pk__in=TaggedPost.objects.filter(content_object_id__in=context.site_posts()).values(
                "tag_id"
            )
        ) | Q(
            pk__in=SourceRow.objects.filter(site=context.site, kind=SourceKind.TAG).values(
                "target_id"
            )
        )
        _update_different(
            Tag.objects.filter(touched),
            usage_count=Coalesce(Subquery(counted), Value(0, output_field=IntegerField())),
        )
    index_pending()
    if imported:
        refresh_statistics(FINISHED_MODELS)


def _update_posts(context: Context, *, bump: bool) -> None:
    """Each imported post's counters and Markdown source (its latest revision's body), and
    when this run imported anything each question's ``version`` and ``changed_at`` (cached
    pages, validated by both, must not outlive the run), in one ``UPDATE`` of the rows
    where a value differs: one write per post, which also indexes it (docs/architecture.md,
    "The importer writes in bulk"). Separate updates rewrote a question four times, each
    time with all of its indexes."""
    posts = Post.objects.filter(pk__in=context.site_posts())
    bulk = bump and _most(posts)
    # The answer counts look answers up by their question: that index stays.
    indexes = indexes_built_after(Post, keep=["parent_id"]) if bulk else nullcontext()
    select, params = _computed(posts)
    with transaction.atomic(), indexes, connection.cursor() as cursor:
        if bulk and connection.vendor == "postgresql":
            _update_and_index(cursor, select, params)
        else:
            cursor.execute(*_posts_update(f"({select})", params, bump=bump))
        if bump:
            page_state.changed(None)


def _computed(posts) -> tuple[str, list]:
    """A query of ``posts``' new values: ``pk`` and ``new_<field>`` for the counters and
    the Markdown source, never NULL."""
    answers = (
        Post.objects.filter(parent_id=OuterRef("pk"), kind=PostKind.ANSWER, deleted_at__isnull=True)
        .order_by()
        .values("parent_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    comments = (
        Comment.objects.filter(post_id=OuterRef("pk"), deleted_at__isnull=True)
        .order_by()
        .values("post_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    latest_body = Revision.objects.filter(post_id=OuterRef("pk")).order_by("-number")
    zero = Value(0, output_field=IntegerField())
    values = {
        "answer_count": Case(
            When(Q(kind=PostKind.QUESTION), then=Coalesce(Subquery(answers), zero)),
            default=F("answer_count"),
            output_field=IntegerField(),
        ),
        "comment_count": Coalesce(Subquery(comments), zero),
        # The Markdown source: the latest revision's body, where history exists.
        "body": Coalesce(Subquery(latest_body.values("body")[:1]), F("body")),
    }
    new = {f"new_{field}": value for field, value in values.items()}
    select, params = posts.order_by().annotate(**new).values("pk", *new).query.sql_with_params()
    return select, list(params)


#: The fields ``_computed`` gives new values of.
COMPUTED = ("answer_count", "comment_count", "body")


def _posts_update(
    source: str, params: list, *, bump: bool, also: dict[str, str] | None = None
) -> tuple[str, list]:
    """``UPDATE … FROM`` ``source`` (``_computed``'s columns, or a table of them), writing
    the rows where a value differs, each value computed once (Django's ``UPDATE``
    evaluated every subquery a second time in the ``WHERE`` that leaves unchanged rows
    unwritten); on PostgreSQL and SQLite alike. ``also``: more columns' assignments (the
    search vectors), written where ``computed.reindex``."""
    table = _quoted(Post._meta.db_table)

    def name(field: str) -> str:
        return _quoted(Post._meta.get_field(field).column)

    def column(field: str) -> str:
        return f"{table}.{name(field)}"

    sets = [f"{name(field)} = computed.new_{field}" for field in COMPUTED]
    differs = [f"{column(field)} <> computed.new_{field}" for field in COMPUTED]
    set_params, where_params = [], []
    if bump:
        question = f"{column('kind')} = %s"
        version, changed_at = column("version"), column("changed_at")
        sets.append(
            f"{name('version')} = CASE WHEN {question} THEN {version} + 1 ELSE {version} END"
        )
        sets.append(f"{name('changed_at')} = CASE WHEN {question} THEN %s ELSE {changed_at} END")
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        set_params = [PostKind.QUESTION, PostKind.QUESTION, now]
        differs.append(question)
        where_params = [PostKind.QUESTION]
    if also:
        sets.extend(f"{_quoted(target)} = {value}" for target, value in also.items())
        differs.append("computed.reindex")
    sql = (
        f"UPDATE {table} SET {', '.join(sets)} FROM {source} AS computed "  # noqa: S608 - names
        f"WHERE {table}.{_quoted(Post._meta.pk.column)} = computed.pk "
        f"AND ({' OR '.join(differs)})"
    )
    return sql, [*set_params, *params, *where_params]


#: ``_update_and_index``'s scratch tables: not temporary (parallel workers can't read a
#: temporary table) but unlogged, made and dropped inside its transaction.
_VALUES, _INDEXED = "dumps_import_post_values", "dumps_import_post_vectors"


def _update_and_index(cursor, select: str, params: list) -> None:
    """PostgreSQL, a bulk import (the post table's secondary indexes dropped, the table
    locked): ``_update_posts`` with the search vectors of the posts whose text changed or
    that are pending computed set-based — by parallel workers where the server has spare
    cores — and written in the same row write, the row trigger (which computed them one
    row at a time) disabled meanwhile (DDL, undone if the transaction is). Building the
    vectors is most of the update's time (docs/architecture.md, "The importer writes in
    bulk")."""
    post, tags = _quoted(Post._meta.db_table), PG_TAGS_TEXT.format(post="post.id")
    # Compiling these one-off statements (JIT, in each parallel worker) cost more than it saved.
    cursor.execute("SET LOCAL jit = off")
    with checks_done():
        cursor.execute(f"ALTER TABLE {post} DISABLE TRIGGER {PG_ROW_TRIGGER}")
        cursor.execute(
            f"CREATE UNLOGGED TABLE {_VALUES} AS SELECT computed.*, post.title, {tags} AS tags, "  # noqa: S608
            "computed.new_body <> post.body OR post.search_vector IS NULL AS reindex "
            f"FROM ({select}) AS computed JOIN {post} post ON post.id = computed.pk",
            params,
        )
        columns = {"title": "title", "body": "new_body", "tags": "tags"}
        vectors = ", ".join(
            f"CASE WHEN reindex THEN {expression.format(**columns)} END AS new_{target}"
            for target, expression in PG_VECTORS.items()
        )
        cursor.execute(f"CREATE UNLOGGED TABLE {_INDEXED} AS SELECT *, {vectors} FROM {_VALUES}")  # noqa: S608
        also = {
            target: f"coalesce(computed.new_{target}, {post}.{target})" for target in PG_VECTORS
        }
        cursor.execute(*_posts_update(_INDEXED, [], bump=True, also=also))
        cursor.execute(f"DROP TABLE {_VALUES}, {_INDEXED}")
        cursor.execute(f"ALTER TABLE {post} ENABLE TRIGGER {PG_ROW_TRIGGER}")


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def _most(posts) -> bool:
    """Whether ``posts`` are most of the site's posts: then ``_update_posts`` rewrites
    most of the table, faster with its indexes built again after it than kept up row by
    row, and the table's lock (until the update commits) is on a site being filled."""
    return 2 * posts.count() >= Post.objects.count()


#: The tables a bulk load grows, whose planner statistics it leaves stale.
LOADED_MODELS = (Post, Comment, Revision, TaggedPost, SourceRow, ModerationEvent)
#: The tables an import fills that ``finish`` writes to, or that were not analyzed with
#: ``LOADED_MODELS``: their statistics are refreshed once the import is done.
FINISHED_MODELS = (Post, Revision, Tag, User, PostLink)


def refresh_statistics(models) -> None:
    """PostgreSQL: ``ANALYZE`` the tables of ``models``: before the recomputations read the
    tables just loaded, and again once the import is done. Autovacuum may not have run yet
    (or be off); with the statistics of the empty tables the planner scanned the whole post
    table once per question (minutes on a million rows), and the site's first queries after
    an import planned as badly."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


def _differs(values: dict) -> Q:
    """The rows where one of ``values`` (field → an expression that is never NULL)
    differs from what is stored, so an unchanged rerun writes no row."""
    differs = Q()
    for field, value in values.items():
        differs |= ~Q(**{field: value})
    return differs


def _update_different(queryset, **values) -> None:
    """``queryset.update(**values)`` on the rows where a value differs."""
    queryset.filter(_differs(values)).update(**values)


def _keyset(queryset, size: int = BATCH_SIZE) -> Iterator[list[int]]:
    """Primary keys of ``queryset`` in chunks, safe to write between chunks."""
    last = 0
    while True:
        pks = list(queryset.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size])
        if not pks:
            return
        yield pks
        last = pks[-1]


def _import_revisions(context: Context) -> None:
    """Posts without any history (no PostHistory.xml) get one "import" revision, its body
    converted from their HTML as imported, TeX still as written (``markdown_origin``); it
    becomes their Markdown source (``body``, what an edit starts from) in
    ``_update_posts``, with their other values."""
    without = Post.objects.filter(pk__in=context.site_posts()).exclude(
        Exists(Revision.objects.filter(post_id=OuterRef("pk")))
    )
    for pks in _keyset(without):
        names = defaultdict(list)
        for post_id, name in (
            TaggedPost.objects.filter(content_object_id__in=pks)
            .order_by("pk")
            .values_list("content_object_id", "tag__name")
        ):
            names[post_id].append(name)
        posts = list(
            Post.objects.filter(pk__in=pks).only(
                "pk", "title", "body", "body_html", "author_id", "author_name", "created_at"
            )
        )
        for post in posts:
            post.body = html_to_markdown(markdown_origin(post))
        create_first_revisions(posts, names, kind=RevisionKind.IMPORT)


def markdown_origin(post: Post) -> str:
    """The HTML a post without history gets its Markdown source from: its HTML as imported,
    TeX as written (``posts._pending_source``)."""
    return post.body or post.body_html


def _renumber_revisions(context: Context) -> None:
    """Revision numbers 1..n per post in time order (the file's order is time order in
    real dumps; this repairs the rare post whose rows were not)."""
    rows = (
        Revision.objects.filter(post_id__in=context.site_posts())
        .order_by("post_id", "created_at", "pk")
        .values_list("post_id", "number")
    )
    wrong: set[int] = set()
    current, expected = None, 0
    for post_id, number in rows.iterator(chunk_size=2000):
        if post_id != current:
            current, expected = post_id, 0
        expected += 1
        if number != expected:
            wrong.add(post_id)
    for post_id in sorted(wrong):
        with transaction.atomic():
            revisions = list(Revision.objects.filter(post_id=post_id).order_by("created_at", "pk"))
            offset = len(revisions) + max(revision.number for revision in revisions)
            for revision in revisions:
                revision.number += offset
            Revision.objects.bulk_update(revisions, ["number"])
            for index, revision in enumerate(revisions, start=1):
                revision.number = index
            Revision.objects.bulk_update(revisions, ["number"])
