"""What the handlers of every dump file share during one import: the site key and its
``SourceRow`` mapping (``lookup``/``remember``), the users, tags and Community account rows
refer to, the site's close reasons, and the wording of the report's common lines."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from accounts.names import imported_name
from dumps.closing import ReasonMap
from dumps.importer.writer import (
    IN_CHUNK,
    lookup_source_rows,
    lookup_users,
    remember_source_rows,
)
from dumps.models import SourceKind, SourceRow
from dumps.report import FileReport
from threads.models import Tag
from threads.validation import TAG_RULE_TEXT

User = get_user_model()

#: Rows per batch (one transaction each) unless the command is told otherwise: large
#: enough that a batch's lookups and commit cost little per row, small enough that memory
#: stays flat (a batch of posts is a few megabytes).
BATCH_SIZE = 5000

USERNAME_UNSAFE = re.compile(r"[^\w.@+-]")
ABSENT_POST = "post absent (deleted on the source site)"
UNREAD_POST = "post not read (after the spot where Posts.xml stopped)"
ALREADY = "already imported"
TAG_WIKI_POST = "post is a tag excerpt or wiki (kept on its tag, not as a post)"
TAG_NOT_ALLOWED = f"tag name not allowed here ({TAG_RULE_TEXT})"


def chunked(items: list, size: int = IN_CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def new_source_id(row: dict, known: dict, report: FileReport) -> str | None:
    """The row's ``Id`` if the row is to be imported; else None, with the skip counted: a
    row without Id, or one already imported (``known``: by an earlier run or batch)."""
    source_id = row.get("Id")
    if not source_id or source_id in known:
        report.skip(ALREADY if source_id else "row without Id")
        return None
    return source_id


def person(
    users: dict, user_id: str | None, display_name: str | None, report: FileReport
) -> tuple[int | None, str]:
    """(local user id, name) for a row's user (``users`` from ``Context.users_for``);
    absent users keep their display name."""
    if user_id and user_id in users:
        return users[user_id]
    if user_id:
        report.note("user absent (deleted on the source site): display name kept")
    return None, imported_name(display_name)[:60]


class Context:
    """One import of one site's dump, as every handler sees it."""

    def __init__(self, site: str, *, source_url_base: str = "", math: bool = False):
        self.site = site
        self.source_url_base = source_url_base
        #: The source site uses MathJax: TeX in bodies and comments becomes MathML.
        self.math = math
        self.reasons = ReasonMap()
        self._community_id: int | None = None
        self._community_person: tuple[int, str] | None = None
        #: File name → the Id of its last row read, for a file that stopped early.
        self.stopped_after: dict[str, str] = {}

    def source_url(self, path: str, source_id: str | None) -> str:
        """A page of the source site (``/q/ID``, ``/a/ID``, ``/users/ID``), "" without a
        base or an id (a deleted author)."""
        return (
            f"{self.source_url_base}/{path}/{source_id}"
            if self.source_url_base and source_id
            else ""
        )

    # Mapping ----------------------------------------------------------------------------

    def lookup(self, kind: str, source_ids: Iterable) -> dict[str, int]:
        """Source id → local id of the rows of ``kind`` imported already (in SQL: the ORM's
        work per ``__in`` value cost more than the query)."""
        ids = sorted({str(value) for value in source_ids if value not in (None, "")})
        return lookup_source_rows(self.site, kind, ids)

    def remember(self, kind: str, pairs: Iterable[tuple]) -> None:
        remember_source_rows(self.site, kind, pairs)

    def site_posts(self):
        """The ids of this site's imported posts, as a subquery."""
        return SourceRow.objects.filter(site=self.site, kind=SourceKind.POST).values("target_id")

    def not_read(self, name: str, source_id: str | None) -> bool:
        """Whether the row ``source_id`` of ``name`` comes after the spot where that file
        stopped (dump files are in Id order): not read, rather than absent."""
        last = self.stopped_after.get(name)
        if last is None:
            return False
        try:
            return int(source_id or "") > int(last or 0)
        except ValueError:
            return False

    def absent_reasons(self, source_ids: Iterable) -> Callable[[str | None], str]:
        """Why a referenced post is not here: a tag excerpt/wiki post (kept on its tag, not
        as a post), a post after the spot where Posts.xml stopped (not read), or a post
        absent from Posts.xml (deleted on the source site)."""
        ids = [value for value in source_ids if value]
        wiki_posts = (
            set(self.lookup(SourceKind.TAG_EXCERPT, ids))
            | set(self.lookup(SourceKind.TAG_WIKI, ids))
            if ids
            else set()
        )

        def reason(source_id: str | None) -> str:
            if source_id in wiki_posts:
                return TAG_WIKI_POST
            return UNREAD_POST if self.not_read("Posts.xml", source_id) else ABSENT_POST

        return reason

    # Rows that rows refer to ------------------------------------------------------------

    def users_for(self, source_ids: Iterable) -> dict[str, tuple[int, str]]:
        """Source user id → (local id, display name) for the imported ones."""
        wanted = sorted({str(value) for value in source_ids if value not in (None, "")})
        found = lookup_users(self.site, wanted)
        if "-1" in wanted and "-1" not in found:  # Community, even without its Users.xml row
            found["-1"] = self._community()
        return found

    def _community(self) -> tuple[int, str]:
        """(local id, name) of the Community account, read once."""
        if self._community_person is None:
            pk = self.community_id()
            display_name, username = User.objects.values_list("display_name", "username").get(pk=pk)
            self._community_person = (pk, display_name or username)
        return self._community_person

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
