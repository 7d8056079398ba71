"""The help centre's moderation pages (docs/architecture.md, "The help centre"): what is
on-topic, the close reasons with their current texts, how closing and reopening work and the
review queues. Everything shown is read when the page is drawn: the reasons from the
``CloseReason`` rows, the numbers from ``settings.QASITE`` (docs/rules.md, "Closing and
reopening", "Review queues"), the queues from ``moderation.queues``; none is written here."""

from django.shortcuts import render

from accounts.privileges import Privilege
from core.conf import qasite_setting
from core.extensions import help_section
from moderation import selectors
from moderation.models import ReviewQueue
from moderation.queues import QUEUES


def help_on_topic(request):
    return render(
        request,
        "moderation/help_on_topic.html",
        {
            "reasons": selectors.reasons_for_dialog(),
            "subject": qasite_setting("SITE.SUBJECT"),
            "help_page": "help-on-topic",
        },
    )


def help_closing(request):
    return render(
        request,
        "moderation/help_closing.html",
        {
            "reasons": selectors.reasons_for_dialog(),
            "votes_to_close": qasite_setting("CLOSE_VOTES_TO_CLOSE"),
            "close_votes_per_day": qasite_setting("RATE_LIMITS.CLOSE_VOTES_PER_DAY"),
            "cast_close_votes": Privilege.CAST_CLOSE_VOTES.reputation,
            "close_own_question": Privilege.CLOSE_OWN_QUESTION.reputation,
            "aging_days": qasite_setting("CLOSE_VOTE_AGING_DAYS"),
            "revote_days": qasite_setting("REVOTE_AFTER_AGING_DAYS"),
            "grace_hours": qasite_setting("ANSWER_GRACE_AFTER_CLOSE_HOURS"),
            "leave_open": qasite_setting("REVIEW.CLOSE_LEAVE_OPEN_TO_COMPLETE"),
            "help_page": "help-closing",
        },
    )


def help_reopening(request):
    return render(
        request,
        "moderation/help_reopening.html",
        {
            "votes_to_reopen": qasite_setting("REOPEN_VOTES_TO_REOPEN"),
            "cast_close_votes": Privilege.CAST_CLOSE_VOTES.reputation,
            "edit_days": qasite_setting("REOPEN_REVIEW_EDIT_DAYS"),
            "aging_days": qasite_setting("CLOSE_VOTE_AGING_DAYS"),
            "revote_days": qasite_setting("REVOTE_AFTER_AGING_DAYS"),
            "leave_closed": qasite_setting("REVIEW.REOPEN_LEAVE_CLOSED_TO_COMPLETE"),
            "help_page": "help-reopening",
        },
    )


def _how_a_task_ends(queue: ReviewQueue) -> str:
    """When a task of ``queue`` is decided, in words, with the numbers in force."""
    review = qasite_setting("REVIEW")
    if queue == ReviewQueue.CLOSE:
        return (
            f"Closed when {qasite_setting('CLOSE_VOTES_TO_CLOSE')} close votes are cast "
            f"(each Close review is one), left open after {review['CLOSE_LEAVE_OPEN_TO_COMPLETE']}"
            " Leave open reviews."
        )
    if queue == ReviewQueue.REOPEN:
        return (
            f"Reopened when {qasite_setting('REOPEN_VOTES_TO_REOPEN')} reopen votes are cast "
            f"(each Reopen review is one), left closed after "
            f"{review['REOPEN_LEAVE_CLOSED_TO_COMPLETE']} Leave closed reviews."
        )
    if queue == ReviewQueue.LOW_QUALITY:
        return f"Decided by {review['LOW_QUALITY_AGREEING']} agreeing reviews."
    if queue == ReviewQueue.SUGGESTED_EDITS:
        return f"Decided by {review['SUGGESTED_EDIT_AGREEING']} agreeing reviews."
    if queue == ReviewQueue.LATE_ANSWERS:
        return (
            f"One review decides. An answer is late {review['LATE_ANSWER_DAYS']} days after "
            f"its question, from authors below {review['LATE_ANSWER_MAX_REPUTATION']} reputation."
        )
    return "One review decides."


def help_reviews(request):
    review = qasite_setting("REVIEW")
    queues = [
        {
            "label": spec.label,
            "description": spec.description,
            "reputation": spec.privilege.reputation,
            "decisions": [decision.label for decision in spec.decisions],
            "ends": _how_a_task_ends(spec.queue),
        }
        for spec in QUEUES.values()
    ]
    return render(
        request,
        "moderation/help_reviews.html",
        {
            "queues": queues,
            "per_day": review["REVIEWS_PER_QUEUE_PER_DAY"],
            "audit_every": review["AUDIT_EVERY"],
            "audit_failures": review["AUDIT_FAILURES_TO_SUSPEND"],
            "audit_window": review["AUDIT_FAILURE_WINDOW_DAYS"],
            "ban_days": review["AUDIT_BAN_DAYS"],
            "help_page": "help-reviews",
        },
    )


def register() -> None:
    sections = (
        ("on-topic", "What is on-topic", "help-on-topic", "What you can ask about here.", 10),
        (
            "closing",
            "Closed questions",
            "help-closing",
            "Each close reason and how voting works.",
            20,
        ),
        ("reopening", "Reopening", "help-reopening", "How a closed question is reopened.", 30),
        ("reviews", "Review queues", "help-reviews", "Who reviews what, and how tasks end.", 50),
    )
    for key, title, url_name, summary, order in sections:
        help_section(
            f"moderation.{key}", title=title, url_name=url_name, summary=summary, order=order
        )
