"""What a member's data export holds, and how it is written (docs/rules.md, "Your data").

Each section is one JSON file of the zip, read with one query (``.values()`` over an
iterator, in chunks) and written row by row, so a member with a hundred thousand votes
costs no more memory than one with ten. Only the member's own data: their posts (deleted
ones too) and every revision of them, their comments, votes, flags, reputation changes,
close and reopen votes, reviews, suggested edits, notices, follows, watched tags, email
choices, their conversations with the moderators and suspensions, and the log of their
account. Other people appear by id only (a revision's editor is ``by_you`` or not)."""

import json
import zipfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Case, Q, Value, When

from accounts.models import AccountEvent
from desk.models import Message, Suspension
from moderation.models import CloseVote, Flag, ReopenVote, Review
from notifications.models import EmailPreference, Follow, Notification, WatchedTag
from threads.models import (
    Comment,
    CommentVote,
    Post,
    ReputationChange,
    Revision,
    SuggestedEdit,
    Vote,
)

CHUNK = 1000

PROFILE_FIELDS = (
    "id",
    "username",
    "display_name",
    "email",
    "first_name",
    "last_name",
    "about",
    "location",
    "website",
    "avatar",
    "date_joined",
    "last_login",
    "last_seen",
    "reputation",
    "is_moderator",
    "email_verified",
    "suspended_until",
)


def _rows(queryset, fields: Iterable[str]) -> Iterator[dict]:
    return queryset.values(*fields).iterator(chunk_size=CHUNK)


def _allauth_emails(user) -> Iterator[dict]:
    """The addresses of django-allauth's ``EmailAddress``, when it is installed."""
    if not apps.is_installed("allauth.account"):
        return iter(())
    model = apps.get_model("account", "EmailAddress")
    return _rows(model.objects.filter(user=user).order_by("pk"), ("email", "verified", "primary"))


def _revisions(user) -> Iterator[dict]:
    mine = Q(editor_id=user.pk)
    queryset = (
        Revision.objects.filter(Q(post__author_id=user.pk) | mine)
        .annotate(by_you=Case(When(mine, then=Value(True)), default=Value(False)))
        .order_by("post_id", "number")
    )
    fields = ("post_id", "number", "kind", "title", "body", "tags", "summary", "created_at")
    return _rows(queryset, (*fields, "by_you"))


def sections(user) -> list[tuple[str, Callable[[], Iterable[dict]]]]:
    """(file name, rows) of every section; each ``rows()`` runs one query."""
    uid = user.pk

    def mine(model, owner: str, fields: tuple[str, ...], order=("pk",)):
        """The rows of ``model`` whose ``owner`` is the member."""
        return lambda: _rows(model.objects.filter(**{owner: uid}).order_by(*order), fields)

    return [
        ("emails.json", lambda: _allauth_emails(user)),
        (
            "posts.json",
            mine(
                Post,
                "author_id",
                (
                    "id",
                    "kind",
                    "parent_id",
                    "title",
                    "body",
                    "score",
                    "created_at",
                    "last_edited_at",
                    "closed_at",
                    "deleted_at",
                    "content_license",
                ),
            ),
        ),
        ("revisions.json", lambda: _revisions(user)),
        (
            "comments.json",
            mine(
                Comment, "author_id", ("id", "post_id", "body", "score", "created_at", "deleted_at")
            ),
        ),
        ("votes.json", mine(Vote, "user_id", ("post_id", "value", "cast_at"))),
        ("comment_votes.json", mine(CommentVote, "user_id", ("comment_id", "cast_at"))),
        (
            "flags.json",
            mine(
                Flag,
                "flagger_id",
                ("post_id", "comment_id", "kind", "text", "state", "decline_reason", "created_at"),
            ),
        ),
        (
            "reputation.json",
            mine(
                ReputationChange,
                "user_id",
                ("amount", "cause", "post_id", "day", "created_at"),
                order=("created_at", "pk"),
            ),
        ),
        (
            "close_votes.json",
            mine(
                CloseVote,
                "voter_id",
                (
                    "question_id",
                    "reason__name",
                    "duplicate_of_id",
                    "comment",
                    "state",
                    "created_at",
                ),
            ),
        ),
        ("reopen_votes.json", mine(ReopenVote, "voter_id", ("question_id", "state", "created_at"))),
        (
            "reviews.json",
            mine(
                Review,
                "reviewer_id",
                ("task__queue", "task__post_id", "decision", "comment", "created_at"),
            ),
        ),
        (
            "suggested_edits.json",
            mine(
                SuggestedEdit,
                "author_id",
                ("post_id", "title", "body", "tags", "summary", "state", "created_at"),
            ),
        ),
        (
            "notifications.json",
            mine(
                Notification,
                "recipient_id",
                ("kind", "post_id", "title", "created_at", "read_at", "email_mode"),
            ),
        ),
        ("follows.json", mine(Follow, "user_id", ("question_id", "active", "created_at"))),
        ("watched_tags.json", mine(WatchedTag, "user_id", ("tag__name", "created_at"))),
        ("email_preferences.json", mine(EmailPreference, "user_id", ("kind", "mode"))),
        (
            "moderator_messages.json",
            mine(
                Message,
                "thread__user_id",
                ("thread_id", "thread__subject", "from_moderator", "body", "created_at"),
                order=("thread_id", "pk"),
            ),
        ),
        (
            "suspensions.json",
            mine(Suspension, "user_id", ("reason", "starts_at", "ends_at", "lifted_at")),
        ),
        ("account_log.json", mine(AccountEvent, "user_id", ("kind", "created_at"))),
    ]


def _write_array(out: IO[str], rows: Iterable[dict]) -> int:
    out.write("[")
    count = 0
    for row in rows:
        out.write(",\n " if count else "\n ")
        out.write(json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def write_zip(user, target: IO[bytes]) -> dict[str, int]:
    """Write ``user``'s export to the binary file ``target``; returns rows per section."""
    import io

    counts = {}
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        profile = next(_rows(type(user).objects.filter(pk=user.pk), PROFILE_FIELDS))
        archive.writestr(
            "profile.json",
            json.dumps(profile, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1) + "\n",
        )
        for name, rows in sections(user):
            with (
                archive.open(name, "w") as raw,
                io.TextIOWrapper(raw, encoding="utf-8") as out,
            ):
                counts[name] = _write_array(out, rows())
        archive.writestr("README.txt", README)
    return counts


README = """\
Your data from qasite, one JSON file per kind of thing (UTF-8, times in UTC):

profile.json             your account and profile
emails.json              your email addresses (when the site keeps several)
posts.json               your questions and answers, deleted ones included
revisions.json           every revision of your posts, and your edits of others' posts
comments.json            your comments, deleted ones included
votes.json               your votes on posts; comment_votes.json on comments
flags.json               the flags you raised
reputation.json          your reputation changes
close_votes.json         your close votes; reopen_votes.json your reopen votes
reviews.json             your reviews; suggested_edits.json your suggested edits
notifications.json       your notices; email_preferences.json your email choices
follows.json             the questions you follow; watched_tags.json the tags you watch
moderator_messages.json  your conversations with the moderators
suspensions.json         your suspensions
account_log.json         what happened to your account's data (exports, deletion requests)
"""
