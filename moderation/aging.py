"""Close-vote aging, the one rule for it: a question's pending close votes stop counting
together ``CLOSE_VOTE_AGING_DAYS`` after the last one was cast (no cron job). Pages read the
count still in force from the copy ``threads`` keeps on the question (no query); the next
close vote or retraction marks the aged votes ``AGED`` (``services``), so their voters may
vote again."""

from datetime import datetime, timedelta

from django.utils import timezone

from core.conf import qasite_setting
from threads.models import Post


def aging_window() -> timedelta:
    return timedelta(days=qasite_setting("CLOSE_VOTE_AGING_DAYS"))


def close_votes_aged(question: Post, now: datetime | None = None) -> bool:
    """Whether the question's pending close votes have aged away (as of ``now``)."""
    last = question.last_close_vote_at
    return last is not None and (now or timezone.now()) - last >= aging_window()


def close_votes_counting(question: Post) -> int:
    """The question's pending close votes still counting (0 once they aged away)."""
    if not question.close_votes_pending or question.last_close_vote_at is None:
        return 0
    return 0 if close_votes_aged(question) else question.close_votes_pending
