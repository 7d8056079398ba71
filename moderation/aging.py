"""Vote aging, the one rule for it: a question's pending close votes, and its pending reopen
votes, stop counting together ``CLOSE_VOTE_AGING_DAYS`` after the last one of their kind was
cast (no cron job). Pages read the counts still in force from the copies ``threads`` keeps on
the question (no query); the next vote or retraction of that kind marks the aged votes
``AGED`` (``services``), ended at the moment they aged. Their voters may vote again on that
question ``REVOTE_AFTER_AGING_DAYS`` after that moment (docs/rules.md, "Time windows")."""

from datetime import datetime, timedelta

from django.utils import timezone

from core.conf import qasite_setting
from threads.models import Post


def aging_window() -> timedelta:
    return timedelta(days=qasite_setting("CLOSE_VOTE_AGING_DAYS"))


def revote_wait() -> timedelta:
    return timedelta(days=qasite_setting("REVOTE_AFTER_AGING_DAYS"))


def aged_at(last_vote_at: datetime | None) -> datetime | None:
    """When votes whose last one was cast at ``last_vote_at`` age away."""
    return None if last_vote_at is None else last_vote_at + aging_window()


def _aged(last_vote_at: datetime | None, now: datetime | None) -> bool:
    return last_vote_at is not None and (now or timezone.now()) >= aged_at(last_vote_at)


def close_votes_aged(question: Post, now: datetime | None = None) -> bool:
    """Whether the question's pending close votes have aged away (as of ``now``)."""
    return _aged(question.last_close_vote_at, now)


def reopen_votes_aged(question: Post, now: datetime | None = None) -> bool:
    """Whether the question's pending reopen votes have aged away (as of ``now``)."""
    return _aged(question.last_reopen_vote_at, now)


def close_votes_counting(question: Post) -> int:
    """The question's pending close votes still counting (0 once they aged away)."""
    if not question.close_votes_pending or close_votes_aged(question):
        return 0
    return question.close_votes_pending if question.last_close_vote_at else 0


def reopen_votes_counting(question: Post) -> int:
    """The question's pending reopen votes still counting (0 once they aged away)."""
    if not question.reopen_votes_pending or reopen_votes_aged(question):
        return 0
    return question.reopen_votes_pending if question.last_reopen_vote_at else 0
