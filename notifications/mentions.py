"""``@name`` in comments, by Stack Exchange's rule (docs/rules.md, "Notifications"): a
mention is a prefix of at least ``MENTION_PREFIX_MIN`` characters of a participant's name with
its spaces removed, matched without regard to case. Participants of a post are its author,
its editors and the people who commented on it; a mention of anyone else notifies no one. An
exact name wins over a prefix; among prefixes, the most recent participant."""

import re
from dataclasses import dataclass
from datetime import datetime

from core.conf import qasite_setting
from threads.models import Comment, Post, Revision

# Not after a word character (an email address) or another @; code spans are removed first.
MENTION = re.compile(r"(?<![\w@])@([\w.'\-]+)")
CODE_SPAN = re.compile(r"`+[^`]*`+")


def mentioned_names(text: str) -> list[str]:
    """The names mentioned in ``text``, lower-cased, in order, each once."""
    minimum = qasite_setting("NOTIFICATIONS")["MENTION_PREFIX_MIN"]
    names = []
    for match in MENTION.finditer(CODE_SPAN.sub(" ", text)):
        name = match.group(1).rstrip(".'-").lower()
        if len(name) >= minimum and name not in names:
            names.append(name)
    return names


@dataclass(frozen=True)
class Participant:
    user_id: int
    names: tuple[str, ...]  # lower-cased, spaces removed
    last_seen: datetime


def _compact(name: str) -> str:
    return "".join(name.split()).lower()


def participants(post: Post) -> list[Participant]:
    """Who wrote, edited or commented on ``post``, most recent first (two queries)."""
    seen: dict[int, Participant] = {}

    def add(user, when) -> None:
        if user is None or user.pk in seen:
            return
        names = tuple(dict.fromkeys((_compact(user.username), _compact(user.name))))
        seen[user.pk] = Participant(user.pk, names, when)

    comments = (
        Comment.objects.filter(post=post, deleted_at__isnull=True, author__isnull=False)
        .select_related("author")
        .order_by("-created_at", "-pk")
    )
    revisions = (
        Revision.objects.filter(post=post, editor__isnull=False)
        .select_related("editor")
        .order_by("-created_at", "-pk")
    )
    events = [(c.created_at, c.author) for c in comments]
    events += [(r.created_at, r.editor) for r in revisions]
    for when, user in sorted(events, key=lambda event: event[0], reverse=True):
        add(user, when)
    if post.author_id is not None and post.author_id not in seen:
        add(post.author, post.created_at)
    return list(seen.values())


def resolve(names: list[str], people: list[Participant]) -> set[int]:
    """The participants the mentions name: per mention, an exact name, else the most
    recent participant whose name starts with it."""
    found = set()
    for name in names:
        exact = [p for p in people if name in p.names]
        prefixed = [p for p in people if any(n.startswith(name) for n in p.names)]
        match = (exact or prefixed or [None])[0]
        if match is not None:
            found.add(match.user_id)
    return found


def mentioned_participants(post: Post, text: str) -> set[int]:
    names = mentioned_names(text)
    return resolve(names, participants(post)) if names else set()
