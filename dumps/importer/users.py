"""Users.xml → ``User`` (unusable password, ``imported_reputation = Reputation − 1``); user
-1 → the site's Community account (``is_system``)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

from accounts.names import imported_name
from core.markdown import sanitize_html
from dumps.importer.context import USERNAME_UNSAFE, Context, chunked, new_source_id
from dumps.importer.parsing import parse_time, to_int
from dumps.importer.writer import NewRow, insert
from dumps.models import SourceKind
from dumps.report import FileReport

User = get_user_model()


def unusable_password() -> str:
    """What ``make_password(None)`` stores, with one call to the OS random source rather
    than forty (it is a fifth of the Users.xml time otherwise)."""
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def import_users(context: Context, batch: list[dict], report: FileReport) -> None:
    known = context.lookup(SourceKind.USER, (row.get("Id") for row in batch))
    pending: list[tuple[str, NewRow]] = []
    mapped: list[tuple[str, int]] = []
    for row in batch:
        source_id = new_source_id(row, known, report)
        if source_id is None:
            continue
        known[source_id] = 0
        if source_id == "-1":
            mapped.append((source_id, context.community_id()))
            report.take()
            report.note("user -1 mapped to the site's Community user")
            continue
        reputation = max(to_int(row.get("Reputation"), 1), 1)
        user = NewRow(
            User,
            username=USERNAME_UNSAFE.sub("-", f"{context.site}-{source_id}")[:150],
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
    insert([user for _, user in pending])
    mapped.extend((source_id, user.pk) for source_id, user in pending)
    context.remember(SourceKind.USER, mapped)
