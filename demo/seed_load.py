"""Load the seed thread (``seed_thread.json``) the way an importer would.

Posts and comments are created through ``threads.services`` (through the project's
factories), so counters, revisions and tags are what a person posting them would produce.
Then the historic values from the source page — dates, scores, view count, comment scores —
are written with a queryset ``.update()``, exactly as a dump importer does: scores are base
scores without ``Vote`` rows (docs/architecture.md, Decisions: "Reputation is a ledger"), so no
reputation is earned from them. Authors become users with a plausible ``imported_reputation`` (see
``SEED_AUTHOR_REPUTATION``).
"""

import re
from datetime import datetime

from django.db import transaction

from demo.factories import AnswerFactory, CommentFactory, QuestionFactory
from demo.seed import SEED_SOURCE, SEED_TOKEN, seed_data, seed_token
from demo.users import author_get_or_create
from threads import services
from threads.models import Comment, Post, ReputationChange, Revision

# Reputation on the source site is not part of the page text; these are plausible values
# (the JSON's retrieved_note says which authors are verified). Pseudonymous ``userNNNN``
# accounts get a small deterministic amount, enough to have commented.
SEED_AUTHOR_REPUTATION = {
    "Ryan Zotti": 1290,
    "Vincenzo Lavorini": 2860,
    "Dawny33": 12050,
    "Stephan Kolassa": 660,
    "usεr11852": 560,
    "Digio": 290,
    "Tony": 111,
    "Didier A.": 103,
    "Shaiju T": 410,
    "ubadub": 151,
}


def seed_author_reputation(name: str) -> int:
    if name in SEED_AUTHOR_REPUTATION:
        return SEED_AUTHOR_REPUTATION[name]
    match = re.fullmatch(r"user(\d+)", name)
    return 51 + int(match.group(1)) % 250 if match else 101


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _author(name: str, cache: dict):
    if name not in cache:
        cache[name], _ = author_get_or_create(name, reputation=seed_author_reputation(name))
    return cache[name]


def _comments(post: Post, comments: list[dict], prefix: tuple, authors: dict) -> int:
    for index, data in enumerate(comments):
        comment = CommentFactory(
            author=_author(data["author"], authors), post=post, body=data["body"]
        )
        # Historic values from the source page (no CommentVote rows, like an importer).
        Comment.objects.filter(pk=comment.pk).update(
            creation_token=seed_token(*prefix, "comment", index),
            created_at=parse_time(data["created_at"]),
            score=data.get("score", 0),
        )
    return len(comments)


def _historic(post: Post, **values) -> None:
    """Historic values from the source page; the first revision dates from the post."""
    Post.objects.filter(pk=post.pk).update(**values)
    if "created_at" in values:
        Revision.objects.filter(post=post).update(created_at=values["created_at"])


@transaction.atomic
def seed_thread_load() -> Post | None:
    """Create the seed thread unless it exists (its question carries ``SEED_TOKEN``).
    Returns the new question, or None when it was already there."""
    if Post.objects.filter(creation_token=SEED_TOKEN).exists():
        return None
    data = seed_data()
    authors: dict = {}
    q = data["question"]
    question = QuestionFactory(
        author=_author(q["author"], authors),
        title=q["title"],
        body=q["body"],
        tags=q["tags"],
        creation_token=SEED_TOKEN,
    )
    asked = parse_time(q["created_at"])
    _comments(question, q.get("comments", []), ("question",), authors)

    last_activity = asked
    for index, a in enumerate(data["answers"]):
        answer = AnswerFactory(
            author=_author(a["author"], authors),
            question=question,
            body=a["body"],
            creation_token=seed_token("answer", index),
        )
        answered = parse_time(a["created_at"])
        last_activity = max(last_activity, answered)
        _historic(answer, created_at=answered, last_activity_at=answered, score=a["score"])
        _comments(answer, a.get("comments", []), ("answer", index), authors)
        if a.get("accepted"):
            services.answer_accept(user=question.author, answer=answer)
            Post.objects.filter(pk=question.pk).update(accepted_at=answered)
            ReputationChange.objects.filter(post=answer).update(
                created_at=answered, day=answered.date()
            )

    _historic(
        question,
        created_at=asked,
        last_activity_at=last_activity,
        score=q["score"],
        view_count=q["view_count"],
        source_url=SEED_SOURCE["url"],
        content_license=SEED_SOURCE["license"],
    )
    question.refresh_from_db()
    return question


__all__ = ["SEED_SOURCE", "SEED_TOKEN", "seed_thread_load"]
