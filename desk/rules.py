"""Who may use the moderator's desk. Every desk page of a moderator answers 404 to anyone
else, and a member's messages are theirs and the moderators' (docs/rules.md, "Suspensions
and moderator messages"); the views turn these refusals into that 404."""

from django.core.exceptions import PermissionDenied

from accounts.privileges import is_moderator
from accounts.suspension import is_suspended
from threads.rules import require_account, require_login


def check_moderate_member_permission(user) -> None:
    require_login(user)
    if not is_moderator(user):
        raise PermissionDenied("Only moderators message and suspend members.")


def check_send_message_permission(moderator, member) -> None:
    check_moderate_member_permission(moderator)
    if not member.is_active:
        raise PermissionDenied(f"{member.name}'s account is deleted: it takes no messages.")
    if member.is_system:
        raise PermissionDenied("The Community account takes no messages.")
    if member.pk == moderator.pk:
        raise PermissionDenied("You can't message yourself.")


def check_suspend_permission(moderator, member) -> None:
    check_send_message_permission(moderator, member)
    if is_moderator(member):
        raise PermissionDenied("Moderators can't be suspended.")
    if is_suspended(member):
        raise PermissionDenied(
            f"{member.name} is already suspended until "
            f"{member.suspended_until:%b %d, %Y at %H:%M} (UTC): lift that suspension first."
        )


def check_lift_suspension_permission(moderator, member) -> None:
    check_moderate_member_permission(moderator)
    if not is_suspended(member):
        raise PermissionDenied(f"{member.name} is not suspended.")


def can_read_messages(viewer, member) -> bool:
    """The member (suspended or not: reading stays allowed) and the moderators."""
    if not viewer.is_authenticated or not viewer.is_active:
        return False
    return viewer.pk == member.pk or is_moderator(viewer)


def check_reply_permission(user, thread) -> None:
    """The member replies (an appeal, even while suspended) and the moderators answer."""
    require_account(user)
    if not can_read_messages(user, thread.user):
        raise PermissionDenied("These messages are not yours.")
    if user.pk == thread.user_id:
        return
    check_send_message_permission(user, thread.user)


def check_acknowledge_permission(user, thread) -> None:
    require_account(user)
    if user.pk != thread.user_id:
        raise PermissionDenied("Only the member a message is for acknowledges it.")


def allowed_to_moderate(user) -> bool:
    return user.is_authenticated and is_moderator(user)


def check_destroy_spam_account_permission(moderator, member) -> None:
    """Moderators destroy spam accounts; never a moderator's, staff's, the Community's or
    their own (docs/rules.md, "Spam accounts")."""
    check_moderate_member_permission(moderator)
    if member.pk == moderator.pk:
        raise PermissionDenied("You can't destroy your own account.")
    if member.is_system:
        raise PermissionDenied("The Community account can't be destroyed.")
    if is_moderator(member) or member.is_staff or member.is_superuser:
        raise PermissionDenied(f"{member.name} is a moderator or staff: not a spam account.")


def can_destroy_spam_account(viewer, member) -> bool:
    try:
        check_destroy_spam_account_permission(viewer, member)
    except PermissionDenied:
        return False
    return member.is_active
