"""Export the site in the Stack Exchange data-dump format, streaming (querysets read with
``iterator()``, rows written as escaped text; no DOM is built).

Posts.xml, Users.xml, Comments.xml, Votes.xml, Tags.xml, PostHistory.xml and PostLinks.xml,
each ``<?xml version="1.0" encoding="utf-8"?>`` with the lower-case table name as root, one
``<row/>`` per record, attributes only (absent for NULL), times ``YYYY-MM-DDTHH:MM:SS.fff``
in UTC. Deleted posts are left out, as in a real dump. The Community account is user -1.

Beyond what Stack Exchange writes, a few JSON keys in PostHistory ``Text`` keep what the
site knows and a dump has no field for (importers ignore unknown keys): ``OffTopicReason``
(the off-topic sub-reason of a closure), and ``Kind``/``Until`` of a lock."""

from __future__ import annotations

import heapq
import json
import uuid
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db.models import F, Q, Window
from django.db.models.functions import Lag

from dumps.closing import export_id, off_topic_sub_reason
from moderation.models import EventKind, ModerationEvent
from moderation.notices import CloseNotice
from threads.models import (
    Comment,
    Post,
    PostKind,
    PostLink,
    Revision,
    RevisionKind,
    Tag,
    TaggedPost,
    Vote,
)

User = get_user_model()
CHUNK = 2000
GUID_NAMESPACE = uuid.UUID("6f1e3c52-7a8b-4f0e-9b53-2f8b8e0d7c11")

_ESCAPES = {
    ord("&"): "&amp;",
    ord("<"): "&lt;",
    ord(">"): "&gt;",
    ord('"'): "&quot;",
    ord("\n"): "&#xA;",
    ord("\r"): "&#xD;",
    ord("\t"): "&#x9;",
    # Characters XML 1.0 can't hold at all are dropped.
    **dict.fromkeys((*range(0, 9), 11, 12, *range(14, 32), 65534, 65535)),
}

EVENT_TYPES = {
    EventKind.CLOSED: 10,
    EventKind.REOPENED: 11,
    EventKind.DELETED: 12,
    EventKind.UNDELETED: 13,
    EventKind.LOCKED: 14,
    EventKind.UNLOCKED: 15,
    EventKind.PROTECTED: 19,
    EventKind.UNPROTECTED: 20,
}


def dump_time(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


def dump_date(moment: datetime | None) -> str | None:
    """Votes carry their day only, as in real dumps."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT00:00:00.000")


def guid(kind: str, pk: int) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, f"{kind}:{pk}"))


class RowWriter:
    """``<root>`` of ``<row .../>`` lines; attributes whose value is None are left out."""

    def __init__(self, path: Path, root: str):
        self.file = path.open("w", encoding="utf-8", newline="\n")
        self.root = root
        self.count = 0
        self.file.write(f'<?xml version="1.0" encoding="utf-8"?>\n<{root}>\n')

    def row(self, attributes: dict) -> None:
        parts = [
            f'{name}="{str(value).translate(_ESCAPES)}"'
            for name, value in attributes.items()
            if value is not None
        ]
        self.file.write(f"  <row {' '.join(parts)} />\n")
        self.count += 1

    def close(self) -> None:
        self.file.write(f"</{self.root}>\n")
        self.file.close()

    def __enter__(self) -> RowWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def exported_posts():
    """Questions and answers a dump shows: not deleted, answers of questions not deleted."""
    return Post.objects.filter(deleted_at__isnull=True).filter(
        Q(kind=PostKind.QUESTION) | Q(kind=PostKind.ANSWER, parent__deleted_at__isnull=True)
    )


class Exporter:
    def __init__(self, out_dir: Path | str):
        self.out_dir = Path(out_dir)
        self.community = (
            User.objects.filter(is_system=True).order_by("pk").values_list("pk", flat=True).first()
        )
        self.counts: dict[str, int] = {}

    def user_id(self, pk: int | None) -> int | None:
        if pk is None:
            return None
        return -1 if pk == self.community else pk

    def run(self) -> dict[str, int]:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._users()
        wiki_ids = self._posts()
        self._tags(wiki_ids)
        self._comments()
        self._votes()
        self._history(wiki_ids)
        self._links()
        return self.counts

    def _writer(self, name: str, root: str) -> RowWriter:
        return RowWriter(self.out_dir / name, root)

    def _users(self) -> None:
        with self._writer("Users.xml", "users") as out:
            for user in User.objects.order_by("pk").iterator(chunk_size=CHUNK):
                out.row(
                    {
                        "Id": self.user_id(user.pk),
                        "Reputation": user.reputation,
                        "CreationDate": dump_time(user.date_joined),
                        "DisplayName": user.name,
                        "LastAccessDate": dump_time(user.last_login),
                        "AboutMe": user.about or None,
                    }
                )
        self.counts["Users.xml"] = out.count

    def _tag_wikis(self) -> Iterator[tuple[Tag, int | None, int | None]]:
        """Tags with an excerpt or a wiki, with post ids after every question and answer."""
        next_id = (Post.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        for tag in Tag.objects.order_by("pk").iterator(chunk_size=CHUNK):
            excerpt_id = wiki_id = None
            if tag.excerpt:
                excerpt_id, next_id = next_id, next_id + 1
            if tag.wiki_body or tag.wiki_html:
                wiki_id, next_id = next_id, next_id + 1
            yield tag, excerpt_id, wiki_id

    def _with_tags(self, posts) -> Iterator[tuple[Post, list[str]]]:
        """Posts in id order, in chunks (keyset), each with its tag names in the order they
        were given."""
        last = 0
        while True:
            chunk = list(posts.filter(pk__gt=last).order_by("pk")[:CHUNK])
            if not chunk:
                return
            names = defaultdict(list)
            tagged = TaggedPost.objects.filter(content_object_id__in=[post.pk for post in chunk])
            for post_id, name in tagged.order_by("pk").values_list(
                "content_object_id", "tag__name"
            ):
                names[post_id].append(name)
            for post in chunk:
                yield post, names[post.pk]
            last = chunk[-1].pk

    def _posts(self) -> dict[int, tuple[int | None, int | None]]:
        wiki_ids: dict[int, tuple[int | None, int | None]] = {}
        posts = exported_posts().annotate(accepted_deleted=F("accepted_answer__deleted_at"))
        with self._writer("Posts.xml", "posts") as out:
            for post, tags in self._with_tags(posts):
                question = post.kind == PostKind.QUESTION
                accepted = (
                    post.accepted_answer_id
                    if question and post.accepted_answer_id and post.accepted_deleted is None
                    else None
                )
                out.row(
                    {
                        "Id": post.pk,
                        "PostTypeId": 1 if question else 2,
                        "AcceptedAnswerId": accepted,
                        "ParentId": None if question else post.parent_id,
                        "CreationDate": dump_time(post.created_at),
                        "Score": post.score,
                        "ViewCount": post.view_count if question else None,
                        "Body": post.body_html,
                        "OwnerUserId": self.user_id(post.author_id),
                        "OwnerDisplayName": (post.author_name or None)
                        if post.author_id is None
                        else None,
                        "LastEditorUserId": self.user_id(post.last_editor_id),
                        "LastEditorDisplayName": (post.last_editor_name or None)
                        if post.last_editor_id is None
                        else None,
                        "LastEditDate": dump_time(post.last_edited_at),
                        "LastActivityDate": dump_time(post.last_activity_at),
                        "Title": post.title if question else None,
                        "Tags": "".join(f"<{name}>" for name in tags) if question else None,
                        "AnswerCount": post.answer_count if question else None,
                        "CommentCount": post.comment_count,
                        "ClosedDate": dump_time(post.closed_at) if question else None,
                        "ContentLicense": post.content_license or None,
                    }
                )
            for tag, excerpt_id, wiki_id in self._tag_wikis():
                if excerpt_id is None and wiki_id is None:
                    continue
                wiki_ids[tag.pk] = (excerpt_id, wiki_id)
                for post_id, post_type, body in (
                    (excerpt_id, 4, tag.excerpt),
                    (wiki_id, 5, tag.wiki_html),
                ):
                    if post_id is not None:
                        out.row(
                            {
                                "Id": post_id,
                                "PostTypeId": post_type,
                                "CreationDate": dump_time(tag.created_at),
                                "Score": 0,
                                "Body": body,
                                "CommentCount": 0,
                            }
                        )
        self.counts["Posts.xml"] = out.count
        return wiki_ids

    def _tags(self, wiki_ids: dict) -> None:
        with self._writer("Tags.xml", "tags") as out:
            for tag in Tag.objects.order_by("pk").iterator(chunk_size=CHUNK):
                excerpt_id, wiki_id = wiki_ids.get(tag.pk, (None, None))
                out.row(
                    {
                        "Id": tag.pk,
                        "TagName": tag.name,
                        "Count": tag.usage_count,
                        "ExcerptPostId": excerpt_id,
                        "WikiPostId": wiki_id,
                    }
                )
        self.counts["Tags.xml"] = out.count

    def _comments(self) -> None:
        comments = Comment.objects.filter(
            deleted_at__isnull=True, post__in=exported_posts()
        ).order_by("pk")
        with self._writer("Comments.xml", "comments") as out:
            for comment in comments.iterator(chunk_size=CHUNK):
                out.row(
                    {
                        "Id": comment.pk,
                        "PostId": comment.post_id,
                        "Score": comment.score,
                        "Text": comment.body,
                        "CreationDate": dump_time(comment.created_at),
                        "UserDisplayName": (comment.author_name or None)
                        if comment.author_id is None
                        else None,
                        "UserId": self.user_id(comment.author_id),
                    }
                )
        self.counts["Comments.xml"] = out.count

    def _votes(self) -> None:
        """One row per local vote (2 up, 3 down; no UserId, day only, as dumps do) and one
        VoteTypeId 1 per accepted answer. Imported scores have no vote rows: Posts.xml
        ``Score`` is the authority."""
        number = 0
        with self._writer("Votes.xml", "votes") as out:
            votes = Vote.objects.filter(post__in=exported_posts()).order_by("pk")
            for post_id, value, cast_at in votes.values_list(
                "post_id", "value", "cast_at"
            ).iterator(chunk_size=CHUNK):
                number += 1
                out.row(
                    {
                        "Id": number,
                        "PostId": post_id,
                        "VoteTypeId": 2 if value > 0 else 3,
                        "CreationDate": dump_date(cast_at),
                    }
                )
            accepted = (
                exported_posts()
                .filter(kind=PostKind.QUESTION, accepted_answer__deleted_at__isnull=True)
                .exclude(accepted_answer=None)
                .order_by("pk")
                .values_list("accepted_answer_id", "accepted_at", "accepted_answer__created_at")
            )
            for answer_id, accepted_at, answered_at in accepted.iterator(chunk_size=CHUNK):
                number += 1
                out.row(
                    {
                        "Id": number,
                        "PostId": answer_id,
                        "VoteTypeId": 1,
                        "CreationDate": dump_date(accepted_at or answered_at),
                    }
                )
        self.counts["Votes.xml"] = out.count

    # PostHistory ------------------------------------------------------------------------

    def _revision_rows(self) -> Iterator[tuple[datetime, int, list[dict]]]:
        revisions = (
            Revision.objects.filter(post__in=exported_posts())
            .annotate(
                previous_title=Window(Lag("title"), partition_by=[F("post_id")], order_by="number"),
                previous_body=Window(Lag("body"), partition_by=[F("post_id")], order_by="number"),
                previous_tags=Window(Lag("tags"), partition_by=[F("post_id")], order_by="number"),
                post_kind=F("post__kind"),
            )
            .order_by("created_at", "pk")
        )
        for revision in revisions.iterator(chunk_size=CHUNK):
            question = revision.post_kind == PostKind.QUESTION
            fields = [
                ("title", revision.title, revision.previous_title, question),
                ("body", revision.body, revision.previous_body, True),
                ("tags", revision.tags, revision.previous_tags, question),
            ]
            first = revision.number == 1 or revision.kind in (
                RevisionKind.INITIAL,
                RevisionKind.IMPORT,
            )
            base = 1 if first else 7 if revision.kind == RevisionKind.ROLLBACK else 4
            rows = []
            for offset, (name, value, before, applies) in enumerate(fields):
                if not applies or (not first and value == before):
                    continue
                text = "".join(f"<{tag}>" for tag in value.split()) if name == "tags" else value
                rows.append({"type": base + offset, "text": text})
            if not rows:  # an edit that changed nothing visible: keep it as a body edit
                rows.append({"type": base + 1, "text": revision.body})
            common = {
                "PostId": revision.post_id,
                "RevisionGUID": guid("revision", revision.pk),
                "CreationDate": dump_time(revision.created_at),
                "UserId": self.user_id(revision.editor_id),
                "UserDisplayName": (revision.editor_name or None)
                if revision.editor_id is None
                else None,
                "Comment": revision.summary or None,
            }
            yield (
                revision.created_at,
                0,
                [
                    {
                        "PostHistoryTypeId": row["type"],
                        **common,
                        "Text": row["text"],
                    }
                    for row in rows
                ],
            )

    def _voter(self, voter: dict) -> dict:
        data = {"Id": self.user_id(voter.get("id")), "DisplayName": voter.get("name") or ""}
        if data["Id"] is None:
            del data["Id"]
        if voter.get("binding"):
            data["BindingReason"] = {"Moderator": ""}
        return data

    def _event_rows(self) -> Iterator[tuple[datetime, int, list[dict]]]:
        events = ModerationEvent.objects.filter(
            kind__in=list(EVENT_TYPES), post__in=exported_posts()
        ).order_by("created_at", "pk")
        for event in events.iterator(chunk_size=CHUNK):
            details = event.details or {}
            voters = details.get("voters")
            if voters is None:
                voters = [{"id": event.actor_id, "name": event.actor_name}]
            text: dict = {"Voters": [self._voter(voter) for voter in voters]}
            comment = None
            if event.kind == EventKind.CLOSED:
                notice = CloseNotice.from_json(details)
                comment = str(export_id(notice))
                duplicates = [target.id for target in notice.duplicates]
                if duplicates:
                    text["OriginalQuestionIds"] = duplicates
                sub_reason = off_topic_sub_reason(notice)
                if sub_reason:
                    text["OffTopicReason"] = sub_reason
            elif event.kind == EventKind.LOCKED:
                text["Kind"] = details.get("kind")
                text["Until"] = details.get("until")
            yield (
                event.created_at,
                1,
                [
                    {
                        "PostHistoryTypeId": EVENT_TYPES[event.kind],
                        "PostId": event.post_id,
                        "RevisionGUID": guid("event", event.pk),
                        "CreationDate": dump_time(event.created_at),
                        "UserId": self.user_id(event.actor_id),
                        "Comment": comment,
                        "Text": json.dumps(text, ensure_ascii=False),
                    }
                ],
            )

    def _tag_wiki_rows(self, wiki_ids: dict) -> Iterator[tuple[datetime, int, list[dict]]]:
        """The Markdown of each tag wiki (the excerpt is plain text in Posts.xml already)."""
        tags = Tag.objects.filter(pk__in=list(wiki_ids)).exclude(wiki_body="").order_by("pk")
        for tag in tags.iterator(chunk_size=CHUNK):
            _, wiki_id = wiki_ids[tag.pk]
            yield (
                tag.created_at,
                2,
                [
                    {
                        "PostHistoryTypeId": 2,
                        "PostId": wiki_id,
                        "RevisionGUID": guid("tag", tag.pk),
                        "CreationDate": dump_time(tag.created_at),
                        "UserId": self.user_id(self.community),
                        "Text": tag.wiki_body,
                    }
                ],
            )

    def _history(self, wiki_ids: dict) -> None:
        number = 0
        streams = heapq.merge(
            self._revision_rows(),
            self._event_rows(),
            self._tag_wiki_rows(wiki_ids),
            key=lambda item: (item[0], item[1]),
        )
        with self._writer("PostHistory.xml", "posthistory") as out:
            for _, _, rows in streams:
                for row in rows:
                    number += 1
                    out.row({"Id": number, **row})
        self.counts["PostHistory.xml"] = out.count

    def _links(self) -> None:
        exported = exported_posts()
        links = PostLink.objects.filter(post__in=exported, target__in=exported).order_by("pk")
        with self._writer("PostLinks.xml", "postlinks") as out:
            for link in links.iterator(chunk_size=CHUNK):
                out.row(
                    {
                        "Id": link.pk,
                        "CreationDate": dump_time(link.created_at),
                        "PostId": link.post_id,
                        "RelatedPostId": link.target_id,
                        "LinkTypeId": 3 if link.kind == "duplicate" else 1,
                    }
                )
        self.counts["PostLinks.xml"] = out.count
