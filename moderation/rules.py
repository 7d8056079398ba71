"""Who may take which moderation action. Each ``check_…_permission`` raises
``PermissionDenied`` with a message a person can act on; reputation thresholds come from
``accounts.privileges``."""

from django.core.exceptions import PermissionDenied

from accounts.privileges import Privilege, has_privilege, is_moderator
from moderation.models import ReviewSuspension
from threads.locks import Interaction
from threads.models import Post
from threads.rules import check_post_accepts, require_account, require_login, require_privilege


def _require_live_question(question: Post) -> None:
    if not question.is_question:
        raise PermissionDenied("Only questions can be closed or reopened.")
    check_post_accepts(question, Interaction.CLOSE)


def _require_vote_privilege(user, question: Post, action: str) -> None:
    """3000 reputation, or 250 for the asker on their own question; moderators always."""
    if question.author_id == user.pk and has_privilege(user, Privilege.CLOSE_OWN_QUESTION):
        return
    if not has_privilege(user, Privilege.CAST_CLOSE_VOTES):
        raise PermissionDenied(
            f"You need {Privilege.CAST_CLOSE_VOTES.reputation} reputation to vote to {action} "
            f"questions ({Privilege.CLOSE_OWN_QUESTION.reputation} for your own)."
        )


def check_cast_close_vote_permission(user, question: Post) -> None:
    require_login(user)
    _require_live_question(question)
    if question.is_closed:
        raise PermissionDenied("This question is already closed.")
    _require_vote_privilege(user, question, "close")


def check_cast_reopen_vote_permission(user, question: Post) -> None:
    require_login(user)
    _require_live_question(question)
    if not question.is_closed:
        raise PermissionDenied("This question is open.")
    _require_vote_privilege(user, question, "reopen")


def check_retract_vote_permission(user, question: Post) -> None:
    """Retracting a close or reopen vote changes the count, which a lock freezes."""
    require_login(user)
    _require_live_question(question)


def can_see_close_votes(user, question: Post) -> bool:
    """The pending count is shown to the asker whatever their reputation, so they can fix
    the question before it closes, and to everyone from 3000 (docs/rules.md)."""
    if not user.is_authenticated:
        return False
    return question.author_id == user.pk or has_privilege(user, Privilege.CAST_CLOSE_VOTES)


def check_lock_post_permission(user, post: Post) -> None:
    require_login(user)
    if not is_moderator(user):
        raise PermissionDenied("Only moderators can lock and unlock posts.")
    if post.is_deleted:
        raise PermissionDenied("This post has been deleted.")


def check_protect_question_permission(user, question: Post) -> None:
    require_login(user)
    if not question.is_question:
        raise PermissionDenied("Only questions can be protected.")
    if question.is_deleted:
        raise PermissionDenied("This question has been deleted.")
    require_privilege(user, Privilege.PROTECT_QUESTIONS, "protect questions")


def check_view_moderation_log_permission(user) -> None:
    require_account(user)
    if not has_privilege(user, Privilege.MODERATOR_TOOLS):
        raise PermissionDenied(
            f"The moderation log needs {Privilege.MODERATOR_TOOLS.reputation} reputation."
        )


def active_review_suspension(user):
    """The user's review ban in force, if any (failed audits; lifted ones are over)."""
    return ReviewSuspension.objects.in_force().filter(user=user).order_by("-ends_at").first()


def check_lift_review_ban_permission(user) -> None:
    require_login(user)
    if not is_moderator(user):
        raise PermissionDenied("Only moderators lift review bans.")


def can_view_calibration(user) -> bool:
    """Reviewer calibration and its pages are for moderators (docs/rules.md)."""
    return user.is_authenticated and is_moderator(user)


def check_review_queue_permission(user, spec) -> None:
    require_login(user)
    if not has_privilege(user, spec.privilege):
        raise PermissionDenied(
            f"The {spec.label} queue needs {spec.privilege.reputation} reputation."
        )
    suspension = active_review_suspension(user)
    if suspension is not None and not is_moderator(user):
        raise PermissionDenied(
            f"You are banned from reviewing until {suspension.ends_at:%b %d, %Y at %H:%M} "
            f"UTC: {suspension.reason}"
        )


def check_flag_permission(user, post: Post) -> None:
    """15 reputation; not your own posts; not deleted ones, nor locked ones whose lock
    refuses flags."""
    require_login(user)
    require_privilege(user, Privilege.FLAG, "flag")
    check_post_accepts(post, Interaction.FLAG)
    if post.author_id == user.pk:
        raise PermissionDenied("You can't flag your own post.")


def check_flag_comment_permission(user, comment) -> None:
    """15 reputation; anyone's comment but one's own, on a post that still exists."""
    require_login(user)
    require_privilege(user, Privilege.FLAG, "flag")
    check_post_accepts(comment.post, Interaction.FLAG)
    if comment.author_id == user.pk:
        raise PermissionDenied("You can't flag your own comment.")


def check_view_flag_history_permission(user, member) -> None:
    """A flagger's history is theirs and the moderators' to see."""
    require_account(user)
    if member.pk != user.pk and not is_moderator(user):
        raise PermissionDenied("Flag histories are private.")


def check_handle_flags_permission(user) -> None:
    require_login(user)
    if not is_moderator(user):
        raise PermissionDenied("Only moderators handle flags.")


def check_view_dashboard_permission(user) -> None:
    require_account(user)
    if not is_moderator(user):
        raise PermissionDenied("The moderator dashboard is for moderators.")
