"""What a locked post still allows, per kind of lock, as Stack Exchange's locks do. This one
table decides for every action (through ``threads.rules`` and ``moderation.rules``) and for
every page (the lock notice and which controls are shown).

A lock covers the post it is on and, on a question, the question's answers too.
"""

from enum import StrEnum

from threads.models import LockKind, Post


class Interaction(StrEnum):
    VOTE = "vote"  # casting, changing or retracting a vote on the post
    EDIT = "edit"  # edits, suggested edits and rollbacks
    ANSWER = "answer"
    ACCEPT = "accept"  # accepting or unaccepting an answer
    COMMENT = "comment"  # adding comments and voting on them
    CLOSE = "close"  # casting or retracting close and reopen votes
    FLAG = "flag"  # flagging the post or its comments
    DELETE = "delete"  # deletion by the author (moderators always can)


#: Lock kind → what the post still accepts. Content dispute and historical locks freeze the
#: thread; an off-topic comments lock stops only the comments.
LOCK_ALLOWS: dict[str, frozenset[Interaction]] = {
    LockKind.CONTENT_DISPUTE: frozenset(),
    LockKind.HISTORICAL: frozenset(),
    LockKind.OFF_TOPIC_COMMENTS: frozenset(Interaction) - {Interaction.COMMENT},
}

_DESCRIPTIONS = {
    Interaction.VOTE: "votes",
    Interaction.EDIT: "edits",
    Interaction.ANSWER: "answers",
    Interaction.COMMENT: "comments",
    Interaction.CLOSE: "close or reopen votes",
    Interaction.FLAG: "flags",
}


#: What only a question takes: an answer's lock notice doesn't list them.
_QUESTION_ONLY = frozenset({Interaction.ANSWER, Interaction.CLOSE})


def lock_against(post: Post, interaction: Interaction) -> Post | None:
    """The locked post (this one, or an answer's question; ``parent`` loaded) whose lock
    refuses ``interaction``, or None."""
    for locked in (post, None if post.is_question else post.parent):
        allowed = LOCK_ALLOWS.get(locked.lock_kind, frozenset()) if locked else frozenset()
        if locked is not None and locked.is_locked and interaction not in allowed:
            return locked
    return None


def allows(post: Post, interaction: str) -> bool:
    return lock_against(post, Interaction(interaction)) is None


def refused_text(post: Post) -> str:
    """What the lock on ``post`` refuses, for its notice: "votes, edits and comments"."""
    allowed = LOCK_ALLOWS.get(post.lock_kind, frozenset())
    refused = [
        text
        for interaction, text in _DESCRIPTIONS.items()
        if interaction not in allowed and (post.is_question or interaction not in _QUESTION_ONLY)
    ]
    if len(refused) < 2:
        return "".join(refused)
    return ", ".join(refused[:-1]) + " or " + refused[-1]


def refusal_message(post: Post, interaction: Interaction) -> str | None:
    """The sentence a person is refused with, or None when the lock allows it."""
    locked = lock_against(post, interaction)
    if locked is None:
        return None
    until = ""
    if not locked.is_locked_permanently:
        until = f" until {locked.locked_until:%b %d, %Y at %H:%M} UTC"
    what = "question" if locked.is_question else "answer"
    return f"This {what} is locked{until}: it accepts no {refused_text(locked)}."
