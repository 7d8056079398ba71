"""Import a Stack Exchange data dump (DESIGN §4).

Every file is streamed; rows are written in batches (``bulk_create``), each batch in one
transaction together with its ``SourceRow`` mapping rows, so an interrupted import can be
run again and completes: rows already mapped are skipped. References (owners, parents,
voters, link targets) are resolved per batch with queries on ``SourceRow``, never with a
map of a whole file held in memory.

How the dump maps onto the site:

* Users → ``User`` (unusable password, ``imported_reputation = Reputation − 1``); user -1 →
  the site's Community account (``is_system``).
* Posts 1/2 → questions/answers (answers in a second pass); ``body_html`` is the sanitised
  HTML of the dump, ``body`` the latest Markdown of PostHistory (else that HTML); score and
  views as given, no ``Vote`` rows. Posts 4/5 → the tag's excerpt and wiki.
* PostHistory 1–9 → ``Revision`` rows (one per RevisionGUID); 10/11, 12/13, 14/15, 19/20 →
  ``ModerationEvent`` rows with the historic time, and the question's final state.
* Comments → ``Comment``; PostLinks → ``PostLink``; Votes only counted (and type 1 dates the
  accept); Badges counted and skipped.
* Names (users', deleted owners' and editors', close voters') lose the moderator mark and
  its lookalikes, which the site puts after moderators' names itself; the rest of the name
  is kept (a name that was only marks is left empty: pages show the username or
  "anonymous").
* Tag names the site's tag rule refuses (``threads.validation.is_tag_name``) are left off.

Decisions where the dump leaves a choice:

* A lock (type 14) not followed by an unlock is carried over as a permanent *historical*
  lock: locks still in force in a dump are almost always historical locks, and a
  moderator can unlock. Protection (19 not followed by 20) sets ``protected_at``.
* Deletion/undeletion rows (12/13) of posts that are in Posts.xml are recorded as events
  only: the dump holds no deleted posts, so a post present in it is not deleted.
* Whether a question is closed follows Posts.xml ``ClosedDate``; its notice comes from the
  last type-10 row (reason, voters, duplicate targets), or says the reason is unknown.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from dumps.closing import ReasonMap, ResolvedReason
from dumps.models import SourceKind, SourceRow
from dumps.report import FileReport, Progress
from dumps.source import DumpParseError, DumpSource
from moderation.models import EventKind, ModerationEvent
from qasite.names import imported_name
from threads.bulk import create_first_revisions
from threads.markdown import plain_text, render_comment, sanitize_html
from threads.models import (
    PERMANENT_LOCK_UNTIL,
    Comment,
    LockKind,
    Post,
    PostKind,
    PostLink,
    PostLinkKind,
    Revision,
    RevisionKind,
    Tag,
    TaggedPost,
)
from threads.validation import TAG_RULE_TEXT, is_tag_name

User = get_user_model()

BATCH_SIZE = 1000
#: ``__in`` lists are cut to this length (SQLite's variable limit on older builds).
IN_CHUNK = 500

USERNAME_UNSAFE = re.compile(r"[^\w.@+-]")
ABSENT_POST = "post absent (deleted on the source site)"
ALREADY = "already imported"
TAG_WIKI_POST = "post is a tag excerpt or wiki (kept on its tag, not as a post)"
TAG_NOT_ALLOWED = f"tag name not allowed here ({TAG_RULE_TEXT})"

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
HISTORY_TYPES = {
    16: "Community Owned",
    17: "Post Migrated",
    18: "Question Merged",
    21: "Post Disassociated",
    22: "Question Unmerged",
    24: "Suggested Edit Applied",
    25: "Post Tweeted",
    31: "Comment discussion moved to chat",
    33: "Post notice added",
    34: "Post notice removed",
    35: "Post migrated away",
    36: "Post migrated here",
    37: "Post merge source",
    38: "Post merge destination",
    50: "Bumped by Community User",
    52: "Became Hot Network Question",
    53: "Removed from Hot Network Questions",
    66: "Created from Ask Wizard",
}
VOTE_TYPES = {
    1: "AcceptedByOriginator",
    2: "UpMod",
    3: "DownMod",
    4: "Offensive",
    5: "Favorite",
    6: "Close",
    7: "Reopen",
    8: "BountyStart",
    9: "BountyClose",
    10: "Deletion",
    11: "Undeletion",
    12: "Spam",
    15: "ModeratorReview",
    16: "ApproveEditSuggestion",
}
REVISION_TYPES = frozenset(range(1, 10))
TITLE_TYPES = frozenset({1, 4, 7})
BODY_TYPES = frozenset({2, 5, 8})
TAG_TYPES = frozenset({3, 6, 9})
EVENT_TYPES = {
    10: EventKind.CLOSED,
    11: EventKind.REOPENED,
    12: EventKind.DELETED,
    13: EventKind.UNDELETED,
    14: EventKind.LOCKED,
    15: EventKind.UNLOCKED,
    19: EventKind.PROTECTED,
    20: EventKind.UNPROTECTED,
}


# Small parsers --------------------------------------------------------------------------


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def to_int(value: str | None, default: int = 0) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


def parse_tags(text: str | None) -> list[str]:
    """``<a><b>`` or ``|a|b|`` → names as written, order kept, no duplicates. Names are
    not lower-cased: a name the site's tag rule refuses (``is_tag_name``) is left off."""
    if not text:
        return []
    text = text.strip()
    names = text[1:-1].split("><") if text.startswith("<") else text.strip("|").split("|")
    return list(dict.fromkeys(name.strip() for name in names if name.strip()))


def parse_json(text: str | None) -> dict:
    """The JSON object in a PostHistory ``Text``; {} when there is none."""
    if not text:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def parse_voters(text: str | None) -> tuple[list[dict], list[str]]:
    """``{"Voters": [...], "OriginalQuestionIds": [...]}`` → (voters, original ids)."""
    data = parse_json(text)
    voters = [voter for voter in data.get("Voters") or [] if isinstance(voter, dict)]
    originals = [str(value) for value in data.get("OriginalQuestionIds") or []]
    return voters, originals


def newlines(text: str | None) -> str:
    """PostHistory and comment texts use CR LF; Markdown sources here use LF."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def unusable_password() -> str:
    """What ``make_password(None)`` stores, with one call to the OS random source rather
    than forty (it is a fifth of the Users.xml time otherwise)."""
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def chunked(items: list, size: int = IN_CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _guid(row: dict) -> str:
    return row.get("RevisionGUID") or f"row:{row.get('Id')}"


class ImportSettingError(ValueError):
    """An option of the import that cannot be used; nothing has been imported."""


#: Room left in ``Post.source_url`` for ``/q/<id>`` after the base.
SOURCE_ID_ROOM = len("/q/") + 12
_http_url = URLValidator(schemes=["http", "https"])


def check_source_url_base(base: str | None) -> str:
    """The base of imported questions' ``source_url`` (``BASE/q/ID``), without its trailing
    slash, or "" for none. Every imported question links to it, so only an absolute http or
    https URL without query or fragment is taken: anything else (``javascript:``,
    ``data:``, a relative path…) raises ``ImportSettingError``."""
    base = (base or "").strip().rstrip("/")
    if not base:
        return ""
    longest = Post._meta.get_field("source_url").max_length - SOURCE_ID_ROOM
    try:
        _http_url(base)
        parts = urlsplit(base)
        valid = not parts.query and not parts.fragment and len(base) <= longest
    except ValidationError:
        valid = False
    if not valid:
        raise ImportSettingError(
            f"--source-url-base must be an absolute http:// or https:// URL without query "
            f"or fragment, at most {longest} characters (e.g. "
            f"https://french.stackexchange.com); got {base[:80]!r}. Nothing was imported."
        )
    return base


class Importer:
    def __init__(
        self,
        source: DumpSource,
        *,
        site: str,
        stdout,
        batch_size: int = BATCH_SIZE,
        source_url_base: str = "",
    ):
        self.source = source
        self.site = site
        self.out = stdout
        self.tty = bool(getattr(stdout, "isatty", lambda: False)())
        self.batch_size = max(1, batch_size)
        self.source_url_base = check_source_url_base(source_url_base)
        self.reports: dict[str, FileReport] = {}
        self.errors: list[str] = []
        self.reasons = ReasonMap()
        self._community_id: int | None = None

    # The run ----------------------------------------------------------------------------

    def run(self) -> list[FileReport]:
        self._stream("Users.xml", self._users)
        self._stream("Tags.xml", self._tags)
        self._stream(
            "Posts.xml",
            self._questions,
            select=lambda row: row.get("PostTypeId") != "2",
            label="Posts.xml (questions, tag wikis)",
        )
        self._stream(
            "Posts.xml",
            self._answers,
            select=lambda row: row.get("PostTypeId") == "2",
            label="Posts.xml (answers)",
        )
        self._stream(
            "Posts.xml",
            self._accepted,
            select=lambda row: row.get("PostTypeId") == "1" and bool(row.get("AcceptedAnswerId")),
            label="Posts.xml (accepted answers)",
        )
        self._stream("Comments.xml", self._comments)
        self._stream("PostHistory.xml", self._history, group=_guid)
        self._stream("PostLinks.xml", self._links)
        self._stream("Votes.xml", self._votes)
        self._stream("Badges.xml", self._badges)
        started = time.monotonic()
        self._finish()
        self.finish_seconds = time.monotonic() - started
        return [self.reports[name] for name in self.reports]

    def _stream(
        self,
        name: str,
        handler: Callable[[list[dict], FileReport], None],
        *,
        select: Callable[[dict], bool] | None = None,
        group: Callable[[dict], str] | None = None,
        label: str | None = None,
    ) -> None:
        """Read ``name`` and hand its rows to ``handler`` in batches, each batch in one
        transaction. ``group`` keeps rows with the same key in one batch (RevisionGUID).
        Malformed XML stops this file (the pending batch is dropped, never half-written)."""
        report = self.reports.setdefault(name, FileReport(name))
        if report.error:
            return
        if not self.source.has(name):
            report.missing = True
            return
        with self.source.open(name) as dump:
            progress = Progress(
                self.out, label=label or name, size=dump.size, reader=dump.reader, tty=self.tty
            )
            batch: list[dict] = []
            try:
                for row in dump.rows():
                    progress.tick()
                    if select is not None and not select(row):
                        continue
                    if len(batch) >= self.batch_size and (
                        group is None or group(row) != group(batch[-1])
                    ):
                        self._write(handler, batch, report)
                        batch = []
                    batch.append(row)
                if batch:
                    self._write(handler, batch, report)
            except DumpParseError as error:
                report.error = str(error)
                self.errors.append(str(error))
            report.seconds += progress.done()

    def _write(self, handler, batch: list[dict], report: FileReport) -> None:
        tally = FileReport(report.name)
        with transaction.atomic():
            handler(batch, tally)
        report.merge(tally)

    # Mapping ----------------------------------------------------------------------------

    def lookup(self, kind: str, source_ids: Iterable) -> dict[str, int]:
        ids = sorted({str(value) for value in source_ids if value not in (None, "")})
        found: dict[str, int] = {}
        for chunk in chunked(ids):
            found.update(
                SourceRow.objects.filter(
                    site=self.site, kind=kind, source_id__in=chunk
                ).values_list("source_id", "target_id")
            )
        return found

    def remember(self, kind: str, pairs: Iterable[tuple]) -> None:
        SourceRow.objects.bulk_create(
            [
                SourceRow(site=self.site, kind=kind, source_id=str(source), target_id=target)
                for source, target in pairs
            ],
            batch_size=BATCH_SIZE,
        )

    def users_for(self, source_ids: Iterable) -> dict[str, tuple[int, str]]:
        """Source user id → (local id, display name) for the imported ones."""
        wanted = {str(value) for value in source_ids if value not in (None, "")}
        mapped = self.lookup(SourceKind.USER, wanted)
        if "-1" in wanted and "-1" not in mapped:  # Community, even without its Users.xml row
            mapped["-1"] = self.community_id()
        names: dict[int, str] = {}
        for chunk in chunked(sorted(set(mapped.values()))):
            for pk, display_name, username in User.objects.filter(pk__in=chunk).values_list(
                "pk", "display_name", "username"
            ):
                names[pk] = display_name or username
        return {source: (pk, names.get(pk, "")) for source, pk in mapped.items()}

    def absent_reasons(self, source_ids: Iterable) -> Callable[[str | None], str]:
        """Why a referenced post is not here: a tag excerpt/wiki post (kept on its tag, not
        as a post), or a post absent from Posts.xml (deleted on the source site)."""
        ids = [value for value in source_ids if value]
        wiki_posts = (
            set(self.lookup(SourceKind.TAG_EXCERPT, ids))
            | set(self.lookup(SourceKind.TAG_WIKI, ids))
            if ids
            else set()
        )
        return lambda source_id: TAG_WIKI_POST if source_id in wiki_posts else ABSENT_POST

    def community_id(self) -> int:
        if self._community_id is None:
            community = User.objects.filter(is_system=True).order_by("pk").first()
            if community is None:
                username = "community"
                if User.objects.filter(username=username).exists():
                    username = f"community-{self.site}"
                community = User.objects.create(
                    username=USERNAME_UNSAFE.sub("-", username)[:150],
                    display_name="Community",
                    is_system=True,
                    password=make_password(None),
                )
            self._community_id = community.pk
        return self._community_id

    def tags_for(self, names: Iterable[str]) -> dict[str, int]:
        """Tag name → id, creating the missing tags (name = slug)."""
        wanted = sorted(set(names))
        found: dict[str, int] = {}
        for chunk in chunked(wanted):
            found.update(Tag.objects.filter(name__in=chunk).values_list("name", "pk"))
        missing = [name for name in wanted if name not in found]
        if missing:
            Tag.objects.bulk_create(
                [Tag(name=name, slug=name) for name in missing], ignore_conflicts=True
            )
            for chunk in chunked(missing):
                found.update(Tag.objects.filter(name__in=chunk).values_list("name", "pk"))
        return found

    def _person(
        self, users: dict, user_id: str | None, display_name: str | None, report: FileReport
    ) -> tuple[int | None, str]:
        """(local user id, name) for a row's user; absent users keep their display name."""
        if user_id and user_id in users:
            return users[user_id]
        if user_id:
            report.note("user absent (deleted on the source site): display name kept")
        return None, imported_name(display_name)[:60]

    # Users ------------------------------------------------------------------------------

    def _users(self, batch: list[dict], report: FileReport) -> None:
        known = self.lookup(SourceKind.USER, (row.get("Id") for row in batch))
        pending: list[tuple[str, User]] = []
        mapped: list[tuple[str, int]] = []
        for row in batch:
            source_id = row.get("Id")
            if not source_id:
                report.skip("row without Id")
                continue
            if source_id in known:
                report.skip(ALREADY)
                continue
            known[source_id] = 0
            if source_id == "-1":
                mapped.append((source_id, self.community_id()))
                report.take()
                report.note("user -1 mapped to the site's Community user")
                continue
            reputation = max(to_int(row.get("Reputation"), 1), 1)
            user = User(
                username=USERNAME_UNSAFE.sub("-", f"{self.site}-{source_id}")[:150],
                display_name=imported_name(row.get("DisplayName"))[:60],
                password=unusable_password(),
                date_joined=parse_time(row.get("CreationDate")) or datetime.now(UTC),
                about=sanitize_html(row["AboutMe"]) if row.get("AboutMe") else "",
                imported_reputation=reputation - 1,
                reputation=reputation,
            )
            pending.append((source_id, user))
            report.take()
        taken = set()
        for chunk in chunked([user.username for _, user in pending]):
            taken.update(User.objects.filter(username__in=chunk).values_list("username", flat=True))
        for _, user in pending:
            if user.username in taken:  # a local account already has this name
                base = user.username[:140]
                suffix = 2
                while (
                    f"{base}-{suffix}" in taken
                    or User.objects.filter(username=f"{base}-{suffix}").exists()
                ):
                    suffix += 1
                user.username = f"{base}-{suffix}"
                taken.add(user.username)
        User.objects.bulk_create([user for _, user in pending], batch_size=BATCH_SIZE)
        mapped.extend((source_id, user.pk) for source_id, user in pending)
        self.remember(SourceKind.USER, mapped)

    # Tags -------------------------------------------------------------------------------

    def _tags(self, batch: list[dict], report: FileReport) -> None:
        known = self.lookup(SourceKind.TAG, (row.get("Id") for row in batch))
        rows = []
        for row in batch:
            name = (row.get("TagName") or "").strip()
            if row.get("Id") in known:
                report.skip(ALREADY)
            elif not row.get("Id"):
                report.skip("row without Id")
            elif not is_tag_name(name):
                report.skip(TAG_NOT_ALLOWED)
            else:
                known[row["Id"]] = 0
                rows.append((row, name))
                report.take()
        tag_ids = self.tags_for(name for _, name in rows)
        self.remember(SourceKind.TAG, ((row["Id"], tag_ids[name]) for row, name in rows))
        self.remember(
            SourceKind.TAG_EXCERPT,
            (
                (row["ExcerptPostId"], tag_ids[name])
                for row, name in rows
                if row.get("ExcerptPostId")
            ),
        )
        self.remember(
            SourceKind.TAG_WIKI,
            ((row["WikiPostId"], tag_ids[name]) for row, name in rows if row.get("WikiPostId")),
        )

    # Posts ------------------------------------------------------------------------------

    def _post(self, row: dict, users: dict, report: FileReport, **fields) -> Post:
        author_id, author_name = self._person(
            users, row.get("OwnerUserId"), row.get("OwnerDisplayName"), report
        )
        editor_id, editor_name = self._person(
            users, row.get("LastEditorUserId"), row.get("LastEditorDisplayName"), report
        )
        created = parse_time(row.get("CreationDate")) or datetime.now(UTC)
        html = sanitize_html(row.get("Body") or "")
        return Post(
            body=html,
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
            **fields,
        )

    def _row_users(self, batch: list[dict]) -> dict:
        return self.users_for(
            value
            for row in batch
            for value in (row.get("OwnerUserId"), row.get("LastEditorUserId"))
        )

    def _questions(self, batch: list[dict], report: FileReport) -> None:
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
            self._create_questions(questions, report)
        if texts:
            self._tag_texts(texts, report)

    def _create_questions(self, batch: list[dict], report: FileReport) -> None:
        known = self.lookup(SourceKind.POST, (row.get("Id") for row in batch))
        users = self._row_users(batch)
        created: list[tuple[str, Post, list[str]]] = []
        for row in batch:
            source_id = row.get("Id")
            if not source_id or source_id in known:
                report.skip(ALREADY if source_id else "row without Id")
                continue
            known[source_id] = 0
            closed_at = parse_time(row.get("ClosedDate"))
            post = self._post(
                row,
                users,
                report,
                kind=PostKind.QUESTION,
                title=(row.get("Title") or "")[:250],
                closed_at=closed_at,
                close_notice=self._notice(self.reasons.unknown_closure(), [], [], closed_at)
                if closed_at
                else None,
                source_url=f"{self.source_url_base}/q/{source_id}" if self.source_url_base else "",
            )
            names = []
            for name in parse_tags(row.get("Tags")):
                if is_tag_name(name):
                    names.append(name)
                else:
                    report.note(f"{TAG_NOT_ALLOWED}: tag left off")
            created.append((source_id, post, names))
            report.take()
        Post.objects.bulk_create([post for _, post, _ in created], batch_size=BATCH_SIZE)
        self.remember(SourceKind.POST, ((source_id, post.pk) for source_id, post, _ in created))
        tag_ids = self.tags_for(name for _, _, names in created for name in names)
        TaggedPost.objects.bulk_create(
            [
                TaggedPost(content_object_id=post.pk, tag_id=tag_ids[name])
                for _, post, names in created
                for name in names
            ],
            batch_size=BATCH_SIZE,
            ignore_conflicts=True,
        )

    def _tag_texts(self, batch: list[dict], report: FileReport) -> None:
        """PostTypeId 4/5: the excerpt/wiki of the tag whose Tags.xml row names the post.
        A tag that already has its own text on this site keeps it."""
        ids = [row.get("Id") for row in batch]
        known = self.lookup(SourceKind.TAG_TEXT, ids) | self.lookup(SourceKind.TAG_TEXT_KEPT, ids)
        excerpts = self.lookup(SourceKind.TAG_EXCERPT, ids)
        wikis = self.lookup(SourceKind.TAG_WIKI, ids)
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
                tag.wiki_html = sanitize_html(body)
                tag.wiki_body = tag.wiki_html
            changed[tag.pk] = tag
            mapped.append((source_id, tag.pk))
        Tag.objects.bulk_update(list(changed.values()), ["excerpt", "wiki_body", "wiki_html"])
        self.remember(SourceKind.TAG_TEXT, mapped)
        self.remember(SourceKind.TAG_TEXT_KEPT, kept)

    def _answers(self, batch: list[dict], report: FileReport) -> None:
        known = self.lookup(SourceKind.POST, (row.get("Id") for row in batch))
        parents = self.lookup(SourceKind.POST, (row.get("ParentId") for row in batch))
        users = self._row_users(batch)
        created: list[tuple[str, Post]] = []
        for row in batch:
            source_id = row.get("Id")
            if not source_id or source_id in known:
                report.skip(ALREADY if source_id else "row without Id")
                continue
            parent_id = parents.get(row.get("ParentId") or "")
            if parent_id is None:
                report.skip("question absent (deleted on the source site)")
                continue
            known[source_id] = 0
            post = self._post(row, users, report, kind=PostKind.ANSWER, parent_id=parent_id)
            created.append((source_id, post))
            report.take()
        Post.objects.bulk_create([post for _, post in created], batch_size=BATCH_SIZE)
        self.remember(SourceKind.POST, ((source_id, post.pk) for source_id, post in created))

    def _accepted(self, batch: list[dict], report: FileReport) -> None:
        """Third pass over Posts.xml, once answers exist: AcceptedAnswerId. Its rows were
        counted by the first pass; only notes here."""
        mapped = self.lookup(
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
        parents = dict(
            Post.objects.filter(pk__in=list(pairs.values())).values_list("pk", "parent_id")
        )
        questions = [
            Post(pk=question, accepted_answer_id=answer, accept_imported=True)
            for question, answer in pairs.items()
            if parents.get(answer) == question
        ]
        Post.objects.bulk_update(
            questions, ["accepted_answer", "accept_imported"], batch_size=BATCH_SIZE
        )

    # Comments ---------------------------------------------------------------------------

    def _comments(self, batch: list[dict], report: FileReport) -> None:
        known = self.lookup(SourceKind.COMMENT, (row.get("Id") for row in batch))
        posts = self.lookup(SourceKind.POST, (row.get("PostId") for row in batch))
        users = self.users_for(row.get("UserId") for row in batch)
        absent = self.absent_reasons(
            row.get("PostId") for row in batch if row.get("PostId") not in posts
        )
        created: list[tuple[str, Comment]] = []
        for row in batch:
            source_id = row.get("Id")
            if not source_id or source_id in known:
                report.skip(ALREADY if source_id else "row without Id")
                continue
            post_id = posts.get(row.get("PostId") or "")
            if post_id is None:
                report.skip(absent(row.get("PostId")))
                continue
            known[source_id] = 0
            author_id, author_name = self._person(
                users, row.get("UserId"), row.get("UserDisplayName"), report
            )
            text = newlines(row.get("Text")).strip()
            created.append(
                (
                    source_id,
                    Comment(
                        post_id=post_id,
                        author_id=author_id,
                        author_name=author_name,
                        body=text,
                        body_html=render_comment(text),
                        score=max(to_int(row.get("Score")), 0),
                        created_at=parse_time(row.get("CreationDate")) or datetime.now(UTC),
                    ),
                )
            )
            report.take()
        Comment.objects.bulk_create([comment for _, comment in created], batch_size=BATCH_SIZE)
        self.remember(SourceKind.COMMENT, ((source_id, c.pk) for source_id, c in created))

    # PostHistory ------------------------------------------------------------------------

    def _history(self, batch: list[dict], report: FileReport) -> None:
        """Revisions (types 1–9, one per RevisionGUID) and moderation events (10–20) in
        file order, which is time order: the last event sets the final state."""
        posts = self.lookup(SourceKind.POST, (row.get("PostId") for row in batch))
        groups: dict[str, list[dict]] = defaultdict(list)
        for row in batch:
            groups[_guid(row)].append(row)
        revision_guids = [
            guid
            for guid, rows in groups.items()
            if any(to_int(row.get("PostHistoryTypeId")) in REVISION_TYPES for row in rows)
        ]
        known_revisions = self.lookup(SourceKind.REVISION, revision_guids)
        known_tag_revisions = self.lookup(SourceKind.TAG_REVISION, revision_guids)
        event_ids = [
            row.get("Id") for row in batch if to_int(row.get("PostHistoryTypeId")) in EVENT_TYPES
        ]
        known_events = self.lookup(SourceKind.EVENT, event_ids)
        # Tag wiki posts: only their latest text is kept (on the tag).
        unmapped = [row.get("PostId") for row in batch if row.get("PostId") not in posts]
        tag_texts = self.lookup(SourceKind.TAG_TEXT, unmapped) if unmapped else {}
        excerpts = self.lookup(SourceKind.TAG_EXCERPT, tag_texts) if tag_texts else {}
        absent = self.absent_reasons(unmapped)

        voter_ids = []
        for row in batch:
            if to_int(row.get("PostHistoryTypeId")) in EVENT_TYPES:
                voters, _ = parse_voters(row.get("Text"))
                voter_ids.extend(str(voter.get("Id")) for voter in voters if "Id" in voter)
        users = self.users_for([row.get("UserId") for row in batch] + voter_ids)
        state = self._post_states(posts.values())
        latest = self._latest_revisions(posts.values())

        revisions: list[tuple[str, Revision]] = []
        tag_changes: dict[int, tuple[str, str]] = {}
        tag_revisions: list[tuple[str, int]] = []
        events: list[tuple[str, ModerationEvent]] = []
        dirty: set[int] = set()
        links: list[PostLink] = []
        for guid, rows in groups.items():
            revision_rows = []
            for row in rows:
                kind = to_int(row.get("PostHistoryTypeId"))
                post_id = posts.get(row.get("PostId") or "")
                if kind in REVISION_TYPES:
                    revision_rows.append(row)
                elif kind in EVENT_TYPES:
                    if post_id is None:
                        report.skip(absent(row.get("PostId")))
                    elif row.get("Id") in known_events:
                        report.skip(ALREADY)
                    else:
                        known_events[row["Id"]] = 0
                        event = self._event(row, kind, state[post_id], users, links, dirty, report)
                        events.append((row["Id"], event))
                        report.take()
                else:
                    label = HISTORY_TYPES.get(kind, "unknown")
                    report.skip(f"unsupported PostHistoryTypeId {kind} ({label})")
            if not revision_rows:
                continue
            source_post = revision_rows[0].get("PostId") or ""
            post_id = posts.get(source_post)
            if post_id is None:
                tag_id = tag_texts.get(source_post)
                if tag_id is None:
                    reason = absent(source_post)
                    if reason == TAG_WIKI_POST:
                        reason = "tag excerpt or wiki history: the tag kept its own text"
                    report.skip(reason, len(revision_rows))
                elif guid in known_tag_revisions:
                    report.skip(ALREADY, len(revision_rows))
                else:
                    bodies = [
                        newlines(row.get("Text"))
                        for row in revision_rows
                        if to_int(row.get("PostHistoryTypeId")) in BODY_TYPES
                    ]
                    if bodies:
                        field = "excerpt" if source_post in excerpts else "wiki_body"
                        tag_changes[tag_id] = (field, bodies[-1])
                    tag_revisions.append((guid, tag_id))
                    report.take(len(revision_rows))
                    report.note(
                        "tag wiki history: only the latest text is kept", len(revision_rows)
                    )
                continue
            if guid in known_revisions:
                report.skip(ALREADY, len(revision_rows))
                continue
            revision = self._revision(revision_rows, state[post_id], latest, users, report)
            revisions.append((guid, revision))
            report.take(len(revision_rows))

        Revision.objects.bulk_create([revision for _, revision in revisions], batch_size=BATCH_SIZE)
        self.remember(SourceKind.REVISION, ((guid, rev.pk) for guid, rev in revisions))
        ModerationEvent.objects.bulk_create([event for _, event in events], batch_size=BATCH_SIZE)
        self.remember(SourceKind.EVENT, ((source, event.pk) for source, event in events))
        if dirty:
            Post.objects.bulk_update(
                [state[pk] for pk in dirty],
                ["close_notice", "locked_until", "lock_kind", "protected_at"],
            )
        PostLink.objects.bulk_create(links, ignore_conflicts=True)
        if tag_changes:
            tags = Tag.objects.in_bulk(list(tag_changes))
            for tag_id, (field, text) in tag_changes.items():
                setattr(tags[tag_id], field, text[:500] if field == "excerpt" else text)
            Tag.objects.bulk_update(list(tags.values()), ["excerpt", "wiki_body"])
        self.remember(SourceKind.TAG_REVISION, tag_revisions)

    def _post_states(self, pks: Iterable[int]) -> dict[int, Post]:
        states: dict[int, Post] = {}
        for chunk in chunked(sorted(set(pks))):
            states.update(
                (post.pk, post)
                for post in Post.objects.filter(pk__in=chunk).only(
                    "pk",
                    "kind",
                    "parent_id",
                    "title",
                    "closed_at",
                    "close_notice",
                    "locked_until",
                    "lock_kind",
                    "protected_at",
                )
            )
        return states

    def _latest_revisions(self, pks: Iterable[int]) -> dict[int, Revision]:
        newest = (
            Revision.objects.filter(post_id=OuterRef("post_id"))
            .order_by("-number")
            .values("number")
        )
        latest: dict[int, Revision] = {}
        for chunk in chunked(sorted(set(pks))):
            latest.update(
                (revision.post_id, revision)
                for revision in Revision.objects.filter(
                    post_id__in=chunk, number=Subquery(newest[:1])
                ).only("post_id", "number", "title", "body", "tags")
            )
        return latest

    def _revision(
        self, rows: list[dict], post: Post, latest: dict, users: dict, report: FileReport
    ) -> Revision:
        """One Revision for a RevisionGUID group; fields the group doesn't change are
        carried forward from the post's previous revision."""
        previous = latest.get(post.pk)
        title = previous.title if previous else ""
        body = previous.body if previous else ""
        tags = previous.tags if previous else ""
        kinds = set()
        for row in rows:
            kind = to_int(row.get("PostHistoryTypeId"))
            kinds.add(kind)
            text = newlines(row.get("Text"))
            if kind in TITLE_TYPES:
                title = text
            elif kind in BODY_TYPES:
                body = text
            elif kind in TAG_TYPES:
                # Only names the post itself could carry, so a rollback can't bring others.
                tags = " ".join(name for name in parse_tags(text) if is_tag_name(name))
        if kinds & {1, 2, 3}:
            kind = RevisionKind.INITIAL
        elif kinds & {7, 8, 9}:
            kind = RevisionKind.ROLLBACK
        else:
            kind = RevisionKind.EDIT
        first = rows[0]
        editor_id, editor_name = self._person(
            users, first.get("UserId"), first.get("UserDisplayName"), report
        )
        summary = next((row["Comment"] for row in rows if row.get("Comment")), "")
        question = post.kind == PostKind.QUESTION
        revision = Revision(
            post_id=post.pk,
            number=(previous.number if previous else 0) + 1,
            kind=kind,
            title=title[:250] if question else "",
            body=body,
            tags=tags[:250] if question else "",
            editor_id=editor_id,
            editor_name=editor_name,
            summary=summary[:300],
            created_at=parse_time(first.get("CreationDate")) or datetime.now(UTC),
        )
        latest[post.pk] = revision
        return revision

    def _voters(self, voters: list[dict], users: dict, report: FileReport) -> list[dict]:
        result = []
        for voter in voters:
            source_id = str(voter["Id"]) if voter.get("Id") is not None else None
            local = users.get(source_id) if source_id else None
            if local is None:
                report.note("voter absent (deleted on the source site): name kept")
            result.append(
                {
                    "id": local[0] if local else None,
                    "name": imported_name(voter.get("DisplayName")) or (local[1] if local else ""),
                    "binding": "BindingReason" in voter or len(voters) == 1,
                }
            )
        return result

    def _notice(
        self, resolved: ResolvedReason, voters: list[dict], duplicates: list[dict], when
    ) -> dict:
        """The same shape as ``moderation.services._close_notice``, plus the source's label."""
        return {
            "reason": resolved.reason,
            "group": resolved.group,
            "voters": voters,
            "duplicates": duplicates,
            "comments": [],
            "closed_at": when.isoformat() if when else None,
            "source_reason": resolved.source_reason,
            "source_reason_id": resolved.source_reason_id,
        }

    def _event(
        self,
        row: dict,
        kind: int,
        post: Post,
        users: dict,
        links: list[PostLink],
        dirty: set[int],
        report: FileReport,
    ) -> ModerationEvent:
        """A moderation event for a type 10–20 row; the post's state follows it."""
        when = parse_time(row.get("CreationDate")) or datetime.now(UTC)
        voters_raw, originals = parse_voters(row.get("Text"))
        voters = self._voters(voters_raw, users, report)
        actor_id, actor_name = None, "Community"
        if len(voters) == 1:
            actor_id, actor_name = voters[0]["id"], voters[0]["name"] or "Community"
        elif not voters and row.get("UserId") in users:
            actor_id, actor_name = users[row["UserId"]]
        reason = ""
        details: dict = {"source_comment": row["Comment"]} if row.get("Comment") else {}
        extra = parse_json(row.get("Text"))
        if kind == 10:
            sub_reason = extra.get("OffTopicReason")
            resolved = self.reasons.resolve(
                row.get("Comment"), sub_reason if isinstance(sub_reason, str) else None
            )
            duplicates = self._duplicates(originals) if resolved.is_duplicate else []
            details = self._notice(resolved, voters, duplicates, when)
            reason = resolved.name
            if post.closed_at is not None:  # Posts.xml says it is closed: this notice
                post.close_notice = details
                dirty.add(post.pk)
                links.extend(
                    PostLink(
                        post_id=post.pk,
                        target_id=target["id"],
                        kind=PostLinkKind.DUPLICATE,
                        created_at=when,
                    )
                    for target in duplicates
                )
        elif kind == 11:
            details["voters"] = voters
        else:
            if voters:
                details["voters"] = voters
            if kind == 14:
                # Stack Exchange's rows say neither kind nor end: a permanent historical lock,
                # unless the row comes from our own export (its "Kind" and "Until").
                lock_kind = extra.get("Kind")
                lock_kind = lock_kind if lock_kind in LockKind.values else LockKind.HISTORICAL
                until = parse_time(str(extra.get("Until") or "")) or PERMANENT_LOCK_UNTIL
                reason = LockKind(lock_kind).label
                details.update(
                    kind=lock_kind,
                    duration="permanent" if until == PERMANENT_LOCK_UNTIL else "timed",
                    until=until.isoformat(),
                )
                post.locked_until, post.lock_kind = until, lock_kind
                dirty.add(post.pk)
            elif kind == 15:
                post.locked_until, post.lock_kind = None, ""
                dirty.add(post.pk)
            elif kind == 19:
                post.protected_at = when
                dirty.add(post.pk)
            elif kind == 20:
                post.protected_at = None
                dirty.add(post.pk)
        return ModerationEvent(
            post_id=post.pk,
            question_id=post.pk if post.kind == PostKind.QUESTION else post.parent_id,
            kind=EVENT_TYPES[kind],
            actor_id=actor_id,
            actor_name=(actor_name or "Community")[:60],
            reason=reason[:200],
            details=details,
            policy={"imported_from": self.site},
            created_at=when,
        )

    def _duplicates(self, originals: list[str]) -> list[dict]:
        mapped = self.lookup(SourceKind.POST, originals)
        titles = dict(
            Post.objects.filter(pk__in=list(mapped.values()), kind=PostKind.QUESTION).values_list(
                "pk", "title"
            )
        )
        return [
            {"id": mapped[source], "title": titles[mapped[source]]}
            for source in dict.fromkeys(originals)
            if source in mapped and mapped[source] in titles
        ]

    # PostLinks --------------------------------------------------------------------------

    def _links(self, batch: list[dict], report: FileReport) -> None:
        known = self.lookup(SourceKind.LINK, (row.get("Id") for row in batch))
        posts = self.lookup(
            SourceKind.POST,
            (value for row in batch for value in (row.get("PostId"), row.get("RelatedPostId"))),
        )
        absent = self.absent_reasons(
            value
            for row in batch
            for value in (row.get("PostId"), row.get("RelatedPostId"))
            if value not in posts
        )
        wanted: list[tuple[str, int, int, str, datetime]] = []
        for row in batch:
            source_id = row.get("Id")
            link_type = to_int(row.get("LinkTypeId"))
            post_id = posts.get(row.get("PostId") or "")
            target_id = posts.get(row.get("RelatedPostId") or "")
            if not source_id or source_id in known:
                report.skip(ALREADY if source_id else "row without Id")
            elif link_type not in (1, 3):
                report.skip(f"unsupported LinkTypeId {row.get('LinkTypeId')}")
            elif post_id is None:
                report.skip(absent(row.get("PostId")))
            elif target_id is None:
                report.skip(absent(row.get("RelatedPostId")))
            elif post_id == target_id:
                report.skip("link to itself")
            else:
                known[source_id] = 0
                kind = PostLinkKind.LINKED if link_type == 1 else PostLinkKind.DUPLICATE
                when = parse_time(row.get("CreationDate")) or datetime.now(UTC)
                wanted.append((source_id, post_id, target_id, kind, when))
                report.take()
        existing = self._existing_links(wanted)
        new: dict[tuple, PostLink] = {}
        for _, post_id, target_id, kind, when in wanted:
            key = (post_id, target_id, kind)
            if key not in existing and key not in new:
                new[key] = PostLink(
                    post_id=post_id, target_id=target_id, kind=kind, created_at=when
                )
        PostLink.objects.bulk_create(list(new.values()), batch_size=BATCH_SIZE)
        existing.update({key: link.pk for key, link in new.items()})
        self.remember(
            SourceKind.LINK,
            ((source, existing[(post, target, kind)]) for source, post, target, kind, _ in wanted),
        )
        self._add_duplicate_targets(
            [(post, target) for _, post, target, kind, _ in wanted if kind == "duplicate"]
        )

    def _existing_links(self, wanted: list[tuple]) -> dict[tuple, int]:
        posts = sorted({post_id for _, post_id, _, _, _ in wanted})
        keys = {(post_id, target_id, kind) for _, post_id, target_id, kind, _ in wanted}
        found = {}
        for chunk in chunked(posts):
            for pk, post_id, target_id, kind in PostLink.objects.filter(
                post_id__in=chunk
            ).values_list("pk", "post_id", "target_id", "kind"):
                if (post_id, target_id, kind) in keys:
                    found[(post_id, target_id, kind)] = pk
        return found

    def _add_duplicate_targets(self, pairs: list[tuple[int, int]]) -> None:
        """A duplicate link (type 3) of a question closed as a duplicate names one of its
        targets: add it to the notice when the close event did not."""
        if not pairs:
            return
        questions = Post.objects.in_bulk(sorted({post for post, _ in pairs}), field_name="pk")
        titles = dict(
            Post.objects.filter(pk__in=[target for _, target in pairs]).values_list("pk", "title")
        )
        changed = {}
        for post_id, target_id in pairs:
            question = questions.get(post_id)
            notice = question.close_notice if question and question.closed_at else None
            if not notice or (notice.get("reason") or {}).get("kind") != "duplicate":
                continue
            if any(item.get("id") == target_id for item in notice.get("duplicates", [])):
                continue
            notice.setdefault("duplicates", []).append(
                {"id": target_id, "title": titles.get(target_id, "")}
            )
            changed[post_id] = question
        Post.objects.bulk_update(list(changed.values()), ["close_notice"])

    # Votes, badges ----------------------------------------------------------------------

    def _votes(self, batch: list[dict], report: FileReport) -> None:
        """No Vote rows (DESIGN §4: the post's score is the dump's score); counted per type,
        and type 1 (AcceptedByOriginator) dates the accept."""
        posts = self.lookup(SourceKind.POST, (row.get("PostId") for row in batch))
        absent = self.absent_reasons(
            row.get("PostId") for row in batch if row.get("PostId") not in posts
        )
        accepted: dict[int, datetime] = {}
        for row in batch:
            vote_type = to_int(row.get("VoteTypeId"), -99)
            label = f"VoteTypeId {row.get('VoteTypeId')} ({VOTE_TYPES.get(vote_type, 'other')})"
            if row.get("PostId") not in posts:
                report.skip(absent(row.get("PostId")))
            elif vote_type in (2, 3):
                report.skip(f"aggregated into post scores: {label}")
            elif vote_type == 1:
                when = parse_time(row.get("CreationDate"))
                if when is not None:
                    accepted[posts[row["PostId"]]] = when
                report.skip(f"dates the accepted answer: {label}")
            else:
                report.skip(f"not kept: {label}")
        if accepted:
            questions = list(
                Post.objects.filter(accepted_answer_id__in=list(accepted)).only(
                    "pk", "accepted_answer_id", "accepted_at"
                )
            )
            for question in questions:
                question.accepted_at = accepted[question.accepted_answer_id]
            Post.objects.bulk_update(questions, ["accepted_at"])

    def _badges(self, batch: list[dict], report: FileReport) -> None:
        report.skip("badges are not imported", len(batch))

    # After all files --------------------------------------------------------------------

    def _site_posts(self):
        return SourceRow.objects.filter(site=self.site, kind=SourceKind.POST).values("target_id")

    def _finish(self) -> None:
        """Recomputations from the imported rows (idempotent: a rerun changes nothing)."""
        site_posts = self._site_posts()
        with transaction.atomic():
            answers = (
                Post.objects.filter(
                    parent_id=OuterRef("pk"), kind=PostKind.ANSWER, deleted_at__isnull=True
                )
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
            zero = Value(0, output_field=IntegerField())
            Post.objects.filter(pk__in=site_posts, kind=PostKind.QUESTION).update(
                answer_count=Coalesce(Subquery(answers), zero)
            )
            Post.objects.filter(pk__in=site_posts).update(
                comment_count=Coalesce(Subquery(comments), zero)
            )
            # The Markdown source: the latest revision's body, where history exists.
            latest_body = Revision.objects.filter(post_id=OuterRef("pk")).order_by("-number")
            Post.objects.filter(pk__in=site_posts).filter(
                Exists(Revision.objects.filter(post_id=OuterRef("pk")))
            ).update(body=Subquery(latest_body.values("body")[:1]))
        self._import_revisions()
        self._renumber_revisions()
        with transaction.atomic():
            used = TaggedPost.objects.filter(
                tag_id=OuterRef("pk"),
                content_object__kind=PostKind.QUESTION,
                content_object__deleted_at__isnull=True,
            )
            counted = used.order_by().values("tag_id").annotate(count=Count("pk")).values("count")
            touched = Q(
                pk__in=TaggedPost.objects.filter(content_object_id__in=site_posts).values("tag_id")
            ) | Q(
                pk__in=SourceRow.objects.filter(site=self.site, kind=SourceKind.TAG).values(
                    "target_id"
                )
            )
            Tag.objects.filter(touched).update(
                usage_count=Coalesce(Subquery(counted), Value(0, output_field=IntegerField()))
            )
        if any(report.imported for report in self.reports.values()):
            # Cached pages (validated by version and changed_at) must not outlive this run.
            Post.objects.filter(pk__in=site_posts, kind=PostKind.QUESTION).update(
                version=F("version") + 1, changed_at=timezone.now()
            )

    def _keyset(self, queryset, size: int = BATCH_SIZE) -> Iterator[list[int]]:
        """Primary keys of ``queryset`` in chunks, safe to write between chunks."""
        last = 0
        while True:
            pks = list(
                queryset.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size]
            )
            if not pks:
                return
            yield pks
            last = pks[-1]

    def _import_revisions(self) -> None:
        """Posts without any history (no PostHistory.xml) get one "import" revision."""
        without = Post.objects.filter(pk__in=self._site_posts()).exclude(
            Exists(Revision.objects.filter(post_id=OuterRef("pk")))
        )
        for pks in self._keyset(without):
            names = defaultdict(list)
            for post_id, name in (
                TaggedPost.objects.filter(content_object_id__in=pks)
                .order_by("pk")
                .values_list("content_object_id", "tag__name")
            ):
                names[post_id].append(name)
            with transaction.atomic():
                create_first_revisions(
                    Post.objects.filter(pk__in=pks).only(
                        "pk", "title", "body", "author_id", "author_name", "created_at"
                    ),
                    names,
                    kind=RevisionKind.IMPORT,
                )

    def _renumber_revisions(self) -> None:
        """Revision numbers 1..n per post in time order (the file's order is time order in
        real dumps; this repairs the rare post whose rows were not)."""
        rows = (
            Revision.objects.filter(post_id__in=self._site_posts())
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
                revisions = list(
                    Revision.objects.filter(post_id=post_id).order_by("created_at", "pk")
                )
                offset = len(revisions) + max(revision.number for revision in revisions)
                for revision in revisions:
                    revision.number += offset
                Revision.objects.bulk_update(revisions, ["number"])
                for index, revision in enumerate(revisions, start=1):
                    revision.number = index
                Revision.objects.bulk_update(revisions, ["number"])


__all__ = [
    "ImportSettingError",
    "Importer",
    "check_source_url_base",
    "parse_tags",
    "parse_time",
    "parse_voters",
]
