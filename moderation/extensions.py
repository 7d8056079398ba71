"""What moderation adds to the pages of the apps below it, through their extension points
(``core.extensions``, ``threads.extensions``): ``register()`` runs in
``ModerationConfig.ready()``. Neither threads nor the site's templates load moderation's
templates or tags."""

from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html

from accounts.privileges import Privilege, has_privilege, is_moderator, privilege_signature
from core import extensions as site
from core.conf import qasite_setting
from core.extensions import Cost, template_part
from moderation import aging, flags, guidance, rules, services, views, views_flags
from moderation.notices import CloseNotice, ReasonSnapshot
from threads import extensions as threads
from threads.cache import fill_slots, fragment_slots, shared_fragment
from threads.rules import allowed


def register() -> None:
    site.topbar_nav.register(
        "moderation.links", template_part("moderation/partials/nav.html", nav_links)
    )
    threads.question_panels.register(
        "moderation.close-notice",
        template_part("moderation/partials/close_notice.html", close_notice),
    )
    threads.question_controls.register(
        "moderation.question-tools", question_tools, cost=Cost.QUERIES
    )
    threads.question_notices.register(
        "moderation.close-guidance", close_guidance, cost=Cost.QUERIES
    )
    threads.post_controls.register(
        "moderation.post-tools", template_part("moderation/partials/post_tools.html", post_tools)
    )
    threads.comment_controls.register("moderation.comment-flag", comment_flag_link)
    threads.question_closed_label.register("moderation.closure", closed_label)
    threads.profile_summary.register(
        "moderation.user-summary",
        template_part("moderation/partials/user_summary.html", user_summary),
        cost=Cost.QUERIES,
    )
    # The question's actions and pages, and a member's flag history.
    threads.question_pages.register(
        "close",
        routes=[
            path("", views.question_close, name="question-close"),
            path("retract/", views.question_close_retract, name="question-close-retract"),
            path("duplicates/", views.question_close_duplicates, name="question-close-duplicates"),
        ],
    )
    threads.question_pages.register(
        "reopen",
        routes=[
            path("", views.question_reopen, name="question-reopen"),
            path("retract/", views.question_reopen_retract, name="question-reopen-retract"),
        ],
    )
    threads.question_pages.register("protect", views.question_protect, url_name="question-protect")
    threads.question_pages.register(
        "timeline", views.question_timeline, url_name="question-timeline"
    )
    site.user_pages.register("flags", views_flags.flag_history, url_name="flag-history")


# The top bar -------------------------------------------------------------------------------


def nav_links(context) -> dict:
    """Review for reviewers, the flag queue and the dashboard for moderators: from the user
    row (privileges), no query."""
    user = context["user"]
    return {
        "can_review": has_privilege(user, Privilege.REVIEW_FIRST_POSTS),
        "is_moderator": is_moderator(user),
    }


# The question page -------------------------------------------------------------------------


def close_notice(context, question) -> dict:
    """The notice on a closed question, from the snapshot stored at closure."""
    notice = CloseNotice.of(question) or CloseNotice(reason=None)
    user = context["user"]
    return {
        "question": question,
        "notice": notice,
        "reason": notice.reason or ReasonSnapshot(),
        "group": notice.group,
        "is_asker": user.is_authenticated and user.pk == question.author_id,
    }


def close_guidance(context, question) -> str:
    """To the asker of an open question with close votes still counting: the reasons chosen
    (counts, not names) and what to fix (``moderation.guidance``). No query for anyone else;
    cached per question ``version`` (every close vote bumps it)."""
    user = context["user"]
    if (
        not user.is_authenticated
        or user.pk != question.author_id
        or question.closed_at is not None
        or not aging.close_votes_counting(question)
    ):
        return ""
    return shared_fragment(
        ("close-guidance", question.pk, question.version),
        lambda: render_to_string(
            "moderation/partials/close_guidance.html",
            {
                "question": question,
                "reasons": guidance.pending_close_reasons(question),
                "needed": qasite_setting("CLOSE_VOTES_TO_CLOSE"),
                "edit_days": qasite_setting("REOPEN_REVIEW_EDIT_DAYS"),
            },
        ),
    )


def closed_label(question) -> str | None:
    notice = CloseNotice.of(question)
    return notice.label if notice is not None else None


def question_tools(context, question) -> str:
    """Close/reopen buttons with the pending counts the user may see, the user's own
    pending vote, and moderator tools. Drawn on every view of a question page, so cached
    per reader and question ``version`` (every vote cast or retracted, closure and
    reopening bumps it; the reader's privileges are part of the key), with this request's
    CSRF token filled in."""
    user = context["user"]
    key = ("question-tools", question.pk, question.version, user.pk, privilege_signature(user))
    html = shared_fragment(
        key,
        lambda: render_to_string(
            "moderation/partials/question_tools.html",
            _question_tools_context(user, question) | fragment_slots(),
        ),
    )
    return fill_slots(html, csrf_token=context.get("csrf_token"))


def _question_tools_context(user, question) -> dict:
    can_close = allowed(rules.check_cast_close_vote_permission, user, question)
    can_reopen = allowed(rules.check_cast_reopen_vote_permission, user, question)
    return {
        "question": question,
        "user": user,
        "can_close": can_close,
        "can_reopen": can_reopen,
        "my_close_vote": services.close_vote_of(voter=user, question=question)
        if can_close
        else None,
        "my_reopen_vote": services.reopen_vote_of(voter=user, question=question)
        if can_reopen
        else None,
        "see_counts": rules.can_see_close_votes(user, question),
        "close_votes_counting": aging.close_votes_counting(question),
        "reopen_votes_counting": aging.reopen_votes_counting(question),
        "close_needed": qasite_setting("CLOSE_VOTES_TO_CLOSE"),
        "reopen_needed": qasite_setting("REOPEN_VOTES_TO_REOPEN"),
        "is_moderator": is_moderator(user),
        "can_protect": has_privilege(user, Privilege.PROTECT_QUESTIONS),
    }


def post_tools(context, post) -> dict:
    """Flag for users who may; lock/unlock and undelete for moderators."""
    user = context["user"]
    return {
        "post": post,
        "is_moderator": is_moderator(user),
        "can_flag": allowed(rules.check_flag_permission, user, post),
    }


def comment_flag_link(context, comment) -> str:
    """Flag, on the comments of others, for users who may flag (no query: the user row)."""
    user = context["user"]
    if not has_privilege(user, Privilege.FLAG) or user.pk == comment.author_id:
        return ""
    return format_html(
        '<a class="comment-flag small" href="{}" title="Flag this comment">flag</a>',
        reverse("comment-flag", args=[comment.pk]),
    )


# Profiles ----------------------------------------------------------------------------------


def user_summary(context, member) -> dict:
    """On a profile: a review suspension in force, and (to the member and moderators) the
    flag counts with a link to the flag history. Two queries at most."""
    own_or_moderator = allowed(rules.check_view_flag_history_permission, context["user"], member)
    return {
        "member": member,
        "suspension": rules.active_review_suspension(member),
        "flag_counts": flags.flag_counts(flagger=member) if own_or_moderator else None,
    }
