"""Who may do what to posts and comments. Each ``check_<verb>_<noun>_permission`` raises
``PermissionDenied`` with a message a person can act on; ``allowed`` turns one into a bool
for templates. Reputation thresholds come from ``accounts.privileges``."""

from collections.abc import Callable
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.privileges import Privilege, has_privilege, is_moderator
from accounts.suspension import is_suspended, suspended_message
from accounts.verification import check_email_verified
from core.conf import qasite_setting
from threads import locks
from threads.locks import Interaction
from threads.models import Comment, Post, Vote


def allowed(check: Callable[..., None], *args) -> bool:
    try:
        check(*args)
    except PermissionDenied:
        return False
    return True


def require_account(user) -> None:
    """Rules about reading one's own things: logged in, with an active account (a timed
    suspension still reads)."""
    if not user.is_authenticated:
        raise PermissionDenied("You must log in first.")
    if not user.is_active:
        raise PermissionDenied("Your account is suspended.")


def require_login(user) -> None:
    """Every rule about doing something starts here: logged in, and not suspended (a timed
    suspension refuses every action: docs/rules.md, "Suspensions and moderator messages")."""
    require_account(user)
    if is_suspended(user):
        raise PermissionDenied(suspended_message(user))


def require_poster(user) -> None:
    """Rules about writing (asking, answering, commenting, editing or suggesting edits):
    ``require_login``, and a confirmed email address when the site asks for one
    (``accounts.verification``; docs/rules.md, "Accounts")."""
    require_login(user)
    check_email_verified(user)


def require_privilege(user, privilege: Privilege, doing: str) -> None:
    """The privilege's reputation, or a refusal saying how much it takes to do ``doing``."""
    if not has_privilege(user, privilege):
        raise PermissionDenied(f"You need {privilege.reputation} reputation to {doing}.")


def check_post_accepts(post: Post, interaction: Interaction) -> None:
    """Deleted posts take nothing; a locked post (or an answer of a locked question) takes
    what its kind of lock still allows (``threads.locks``)."""
    if post.is_deleted:
        raise PermissionDenied("This post has been deleted.")
    refusal = locks.refusal_message(post, interaction)
    if refusal is not None:
        raise PermissionDenied(refusal)


def _thread_question(post: Post) -> Post:
    return post if post.is_question else post.parent


def check_ask_permission(user) -> None:
    require_poster(user)
    require_privilege(user, Privilege.ASK, "ask a question")


def check_answer_permission(user, question: Post, started_at=None) -> None:
    """Closed questions take no answers, except one begun (``started_at``, when the form
    was rendered) before the closure and posted within the grace period; protected
    questions need reputation earned on this site."""
    require_poster(user)
    check_post_accepts(question, Interaction.ANSWER)
    if question.is_closed:
        grace = timedelta(hours=qasite_setting("ANSWER_GRACE_AFTER_CLOSE_HOURS"))
        begun_before = started_at is not None and started_at < question.closed_at
        if not (begun_before and timezone.now() - question.closed_at < grace):
            raise PermissionDenied("This question is closed: it accepts no new answers.")
    if question.is_protected and not is_moderator(user):
        earned = qasite_setting("PROTECTED_ANSWER_EARNED_REPUTATION")
        if user.reputation - 1 < earned:
            raise PermissionDenied(
                f"This question is protected: answering it needs {earned} reputation earned "
                "on this site."
            )


def check_comment_permission(user, post: Post) -> None:
    """From 1 rep on one's own posts and on answers to one's own questions; 50 elsewhere."""
    require_poster(user)
    check_post_accepts(post, Interaction.COMMENT)
    question = _thread_question(post)
    if user.pk in (post.author_id, question.author_id):
        return
    require_privilege(user, Privilege.COMMENT_EVERYWHERE, "comment on others' posts")


def check_vote_permission(user, post: Post, value: int) -> None:
    require_login(user)
    check_post_accepts(post, Interaction.VOTE)
    if post.author_id == user.pk:
        raise PermissionDenied("You can't vote for your own post.")
    if value > 0:
        require_privilege(user, Privilege.UPVOTE, "vote up")
    else:
        require_privilege(user, Privilege.DOWNVOTE, "vote down")


def check_change_vote_permission(user, vote: Vote) -> None:
    """A vote locks ``VOTE_LOCK_MINUTES`` after it was cast, unless the post was edited since;
    a locked post's votes stay as they are."""
    require_login(user)
    post = vote.post
    check_post_accepts(post, Interaction.VOTE)
    lock = timedelta(minutes=qasite_setting("VOTE_LOCK_MINUTES"))
    edited_since = post.last_edited_at is not None and post.last_edited_at > vote.cast_at
    if timezone.now() - vote.cast_at > lock and not edited_since:
        raise PermissionDenied("Your vote is now locked in unless this post is edited.")


def check_vote_comment_permission(user, comment: Comment) -> None:
    require_login(user)
    check_post_accepts(comment.post, Interaction.COMMENT)
    if comment.author_id == user.pk:
        raise PermissionDenied("You can't vote for your own comment.")
    require_privilege(user, Privilege.UPVOTE, "vote up comments")


def check_accept_answer_permission(user, answer: Post) -> None:
    """Only the asker accepts; a self-answer only after ``SELF_ACCEPT_AFTER_HOURS``."""
    require_login(user)
    question = answer.parent
    check_post_accepts(question, Interaction.ACCEPT)
    if answer.is_deleted:
        raise PermissionDenied("This answer has been deleted.")
    if question.author_id != user.pk:
        raise PermissionDenied("Only the person who asked can accept an answer.")
    if answer.author_id == user.pk:
        wait = timedelta(hours=qasite_setting("SELF_ACCEPT_AFTER_HOURS"))
        if timezone.now() - answer.created_at < wait:
            raise PermissionDenied(
                f"You can accept your own answer {wait.total_seconds() / 3600:.0f} hours "
                "after posting it."
            )


def check_edit_post_permission(user, post: Post) -> None:
    """Authors edit their own posts; others need the edit privilege (or suggest an edit)."""
    require_poster(user)
    check_post_accepts(post, Interaction.EDIT)
    if post.author_id != user.pk:
        require_privilege(user, Privilege.EDIT_ANY_POST, "edit others' posts")


def check_suggest_edit_permission(user, post: Post) -> None:
    """Below the edit privilege, an edit of someone else's post is a suggestion for review."""
    require_poster(user)
    check_post_accepts(post, Interaction.EDIT)
    if post.author_id == user.pk or has_privilege(user, Privilege.EDIT_ANY_POST):
        raise PermissionDenied("You can edit this post directly.")


def check_delete_post_permission(user, post: Post, upvoted_answers: bool | None = None) -> None:
    """Moderators delete any post; authors their own answers, and their own questions
    while no answer has been upvoted (``upvoted_answers`` when the caller already knows,
    else one query)."""
    require_login(user)
    if post.is_deleted:
        raise PermissionDenied("This post has already been deleted.")
    if is_moderator(user):
        return
    if post.author_id != user.pk:
        raise PermissionDenied("You can only delete your own posts.")
    check_post_accepts(post, Interaction.DELETE)
    if not post.is_question:
        return
    if upvoted_answers is None:
        upvoted_answers = post.answers.visible().filter(score__gt=0).exists()
    if upvoted_answers:
        raise PermissionDenied(
            "You can't delete this question: others have put work into upvoted answers."
        )


def deletable_posts(user, question: Post, answers: list[Post]) -> frozenset[int]:
    """The posts of a question page (``answers``: all of them, as shown) that ``user`` may
    delete, by the rule above with no query: the page shows a Delete button on exactly these."""
    if not user.is_authenticated:
        return frozenset()
    upvoted = any(answer.deleted_at is None and answer.score > 0 for answer in answers)
    return frozenset(
        post.pk
        for post in (question, *answers)
        if allowed(check_delete_post_permission, user, post, upvoted)
    )


def check_undelete_post_permission(user, post: Post) -> None:
    require_login(user)
    if not post.is_deleted:
        raise PermissionDenied("This post is not deleted.")
    if not is_moderator(user):
        raise PermissionDenied("Only moderators can undelete posts.")


def check_delete_comment_permission(user, comment: Comment) -> None:
    require_login(user)
    if comment.author_id != user.pk and not is_moderator(user):
        raise PermissionDenied("You can only delete your own comments.")


def check_create_tags_permission(user, new_tags: list[str]) -> None:
    if new_tags and not has_privilege(user, Privilege.CREATE_TAGS):
        raise PermissionDenied(
            f"You need {Privilege.CREATE_TAGS.reputation} reputation to create new tags: "
            + ", ".join(new_tags)
        )


def can_see_deleted_posts(user) -> bool:
    """10k users and moderators see deleted posts, marked; others never do."""
    return has_privilege(user, Privilege.MODERATOR_TOOLS)


def can_view_post(user, post: Post) -> bool:
    """Deleted posts are visible to their author, 10k users and moderators only."""
    if not post.is_deleted:
        return True
    return user.is_authenticated and (post.author_id == user.pk or can_see_deleted_posts(user))
