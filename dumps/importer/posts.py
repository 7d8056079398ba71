"""Posts.xml, in three passes: questions and tag texts (PostTypeId 1, 4/5), answers
(2, once every question exists), then accepted answers (once every answer exists).

``body_html`` is the sanitised HTML of the dump; ``body`` stays empty until ``finish``
gives it the Markdown source (``_pending_source``); score and views as given, no ``Vote``
rows. Whether a question is closed follows ``ClosedDate`` (its notice says the reason is
unknown until a close event in PostHistory names it). Posts 4/5 → the tag's excerpt and wiki."""

from __future__ import annotations

from datetime import UTC, datetime

from core.markdown import plain_text, sanitize_html
from dumps.closing import close_notice
from dumps.importer.context import (
    ALREADY,
    TAG_NOT_ALLOWED,
    Context,
    new_source_id,
    person,
)
from dumps.importer.markdown_source import html_to_markdown
from dumps.importer.parsing import allowed_tag, newlines, parse_tags, parse_time, to_int
from dumps.importer.writer import NewRow, allocate_ids, insert, update_rows
from dumps.models import SourceKind
from dumps.report import FileReport
from threads.models import Post, PostKind, Tag, TaggedPost

POST_TYPES = {
    3: "Orphaned tag wiki",
    6: "Moderator nomination",
    7: "Wiki placeholder",
    8: "Privilege wiki",
    9: "Article",
    10: "Help article",
    12: "Collection",
    13: "Moderator questionnaire response",
    14: "Announcement",
    15: "Collective discussion",
    17: "Collective collection",
}


def _post(
    context: Context, row: dict, users: dict, report: FileReport, *, kind: str, **fields
) -> NewRow:
    author_id, author_name = person(
        users, row.get("OwnerUserId"), row.get("OwnerDisplayName"), report
    )
    editor_id, editor_name = person(
        users, row.get("LastEditorUserId"), row.get("LastEditorDisplayName"), report
    )
    created = parse_time(row.get("CreationDate")) or datetime.now(UTC)
    source = sanitize_html(row.get("Body") or "")
    html = sanitize_html(row.get("Body") or "", math=True) if context.math else source
    return NewRow(
        Post,
        body=_pending_source(source, html),
        body_html=html,
        author_id=author_id,
        author_name=author_name,
        last_editor_id=editor_id,
        last_editor_name=editor_name,
        score=to_int(row.get("Score")),
        view_count=max(to_int(row.get("ViewCount")), 0),
        created_at=created,
        last_activity_at=parse_time(row.get("LastActivityDate")) or created,
        last_edited_at=parse_time(row.get("LastEditDate")),
        content_license=(row.get("ContentLicense") or "")[:40],
        source_url=context.source_url("q" if kind == PostKind.QUESTION else "a", row.get("Id")),
        source_author_url=context.source_url("users", row.get("OwnerUserId"))
        if row.get("OwnerUserId") in users
        else "",
        kind=kind,
        **fields,
    )


def _pending_source(source: str, html: str) -> str:
    """What ``body`` holds until ``finish`` writes the Markdown source: nothing, unless
    TeX was rendered (a MathJax site), where it keeps the HTML with its TeX as written,
    which a post without history is converted from (``finish.markdown_origin``). The
    search index reads ``body``: indexing the HTML here only for ``finish`` to replace it
    cost SQLite most of its time on Posts.xml (docs/architecture.md, "The importer writes
    in bulk")."""
    return "" if source == html else source


def _row_users(context: Context, batch: list[dict]) -> dict:
    return context.users_for(
        value for row in batch for value in (row.get("OwnerUserId"), row.get("LastEditorUserId"))
    )


def import_questions(context: Context, batch: list[dict], report: FileReport) -> None:
    questions, texts = [], []
    for row in batch:
        kind = to_int(row.get("PostTypeId"), -1)
        if kind == 1:
            questions.append(row)
        elif kind in (4, 5):
            texts.append(row)
        else:
            label = POST_TYPES.get(kind, "unknown")
            report.skip(f"unsupported PostTypeId {row.get('PostTypeId')} ({label})")
    if questions:
        _create_questions(context, questions, report)
    if texts:
        _tag_texts(context, texts, report)


def _create_questions(context: Context, batch: list[dict], report: FileReport) -> None:
    known = context.lookup(SourceKind.POST, (row.get("Id") for row in batch))
    users = _row_users(context, batch)
    created: list[tuple[str, NewRow, list[str]]] = []
    for row in batch:
        source_id = new_source_id(row, known, report)
        if source_id is None:
            continue
        known[source_id] = 0
        closed_at = parse_time(row.get("ClosedDate"))
        post = _post(
            context,
            row,
            users,
            report,
            kind=PostKind.QUESTION,
            title=(row.get("Title") or "")[:250],
            closed_at=closed_at,
            close_notice=close_notice(context.reasons.unknown_closure(), [], [], closed_at)
            if closed_at
            else None,
        )
        names = []
        for name in parse_tags(row.get("Tags")):
            if allowed_tag(name):
                names.append(name)
            else:
                report.note(f"{TAG_NOT_ALLOWED}: tag left off")
        created.append((source_id, post, names))
        report.take()
    # Ids first, then the tags, then the questions (foreign keys are checked at commit):
    # the search index triggers index each question once, with its tags.
    for (_, post, _), pk in zip(created, allocate_ids(Post, len(created)), strict=True):
        post.pk = pk
    tag_ids = context.tags_for(name for _, _, names in created for name in names)
    insert(
        [
            NewRow(TaggedPost, content_object_id=post.pk, tag_id=tag_ids[name])
            for _, post, names in created
            for name in names
        ]
    )
    insert([post for _, post, _ in created])
    context.remember(SourceKind.POST, ((source_id, post.pk) for source_id, post, _ in created))


def _tag_texts(context: Context, batch: list[dict], report: FileReport) -> None:
    """PostTypeId 4/5: the excerpt/wiki of the tag whose Tags.xml row names the post.
    A tag that already has its own text on this site keeps it."""
    ids = [row.get("Id") for row in batch]
    known = context.lookup(SourceKind.TAG_TEXT, ids) | context.lookup(SourceKind.TAG_TEXT_KEPT, ids)
    excerpts = context.lookup(SourceKind.TAG_EXCERPT, ids)
    wikis = context.lookup(SourceKind.TAG_WIKI, ids)
    tags = Tag.objects.in_bulk(set(excerpts.values()) | set(wikis.values()))
    changed: dict[int, Tag] = {}
    mapped, kept = [], []
    for row in batch:
        source_id = row.get("Id")
        is_excerpt = row.get("PostTypeId") == "4"
        tag = tags.get((excerpts if is_excerpt else wikis).get(source_id))
        if source_id in known:
            report.skip(ALREADY)
            continue
        if tag is None:
            report.skip("tag wiki post not named by any imported Tags.xml row")
            continue
        known[source_id] = 0
        body = row.get("Body") or ""
        report.take()
        if (tag.excerpt if is_excerpt else tag.wiki_body) and tag.pk not in changed:
            report.note(f"tag already had {'an excerpt' if is_excerpt else 'a wiki'}: kept")
            kept.append((source_id, tag.pk))
            continue
        if is_excerpt:
            tag.excerpt = plain_text(newlines(body), limit=500)
        else:
            tag.wiki_html = sanitize_html(body, math=context.math)
            tag.wiki_body = html_to_markdown(tag.wiki_html)  # PostHistory may bring its own
        changed[tag.pk] = tag
        mapped.append((source_id, tag.pk))
    Tag.objects.bulk_update(list(changed.values()), ["excerpt", "wiki_body", "wiki_html"])
    context.remember(SourceKind.TAG_TEXT, mapped)
    context.remember(SourceKind.TAG_TEXT_KEPT, kept)


def import_answers(context: Context, batch: list[dict], report: FileReport) -> None:
    known = context.lookup(SourceKind.POST, (row.get("Id") for row in batch))
    parents = context.lookup(SourceKind.POST, (row.get("ParentId") for row in batch))
    users = _row_users(context, batch)
    created: list[tuple[str, NewRow]] = []
    for row in batch:
        source_id = new_source_id(row, known, report)
        if source_id is None:
            continue
        parent_id = parents.get(row.get("ParentId") or "")
        if parent_id is None:
            report.skip("question absent (deleted on the source site)")
            continue
        known[source_id] = 0
        post = _post(context, row, users, report, kind=PostKind.ANSWER, parent_id=parent_id)
        created.append((source_id, post))
        report.take()
    insert([post for _, post in created])
    context.remember(SourceKind.POST, ((source_id, post.pk) for source_id, post in created))


def import_accepted(context: Context, batch: list[dict], report: FileReport) -> None:
    """Third pass over Posts.xml, once answers exist: AcceptedAnswerId. Its rows were
    counted by the first pass; only notes here."""
    mapped = context.lookup(
        SourceKind.POST,
        (value for row in batch for value in (row.get("Id"), row.get("AcceptedAnswerId"))),
    )
    pairs = {
        mapped[row["Id"]]: mapped[row["AcceptedAnswerId"]]
        for row in batch
        if row.get("Id") in mapped and row.get("AcceptedAnswerId") in mapped
    }
    missing = sum(1 for row in batch if row.get("Id") in mapped) - len(pairs)
    if missing:
        report.note("accepted answer absent (deleted on the source site)", missing)
    parents = dict(Post.objects.filter(pk__in=list(pairs.values())).values_list("pk", "parent_id"))
    current = {
        pk: (answer, imported)
        for pk, answer, imported in Post.objects.filter(pk__in=list(pairs)).values_list(
            "pk", "accepted_answer_id", "accept_imported"
        )
    }
    update_rows(
        Post,
        ["accepted_answer", "accept_imported"],
        [
            (question, answer, True)
            for question, answer in pairs.items()
            if parents.get(answer) == question and current.get(question) != (answer, True)
        ],
    )
