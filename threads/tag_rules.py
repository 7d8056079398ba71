"""Who may do what to tags: suggest and vote on synonyms, decide them, merge tags, edit a
tag's wiki (docs/rules.md, "Tag synonyms and the tag wiki"). Each check raises
``PermissionDenied`` with a message a person can act on."""

from django.core.exceptions import PermissionDenied
from django.db.models import Sum

from accounts.privileges import Privilege, is_moderator
from core.conf import qasite_setting
from threads.models import Post, Tag, TagSynonym, TagSynonymState
from threads.rules import require_login, require_poster, require_privilege


def tag_score(user, tag: Tag) -> int:
    """The score of the user's visible answers to visible questions tagged ``tag``."""
    total = (
        Post.objects.answers()
        .visible()
        .filter(author=user, parent__deleted_at__isnull=True, parent__tags=tag)
        .aggregate(total=Sum("score"))["total"]
    )
    return total or 0


def _require_tag_score(user, tag: Tag, doing: str) -> None:
    """Moderators aside, the synonym privilege and ``TAG_SCORE`` in the master tag."""
    require_privilege(user, Privilege.CREATE_TAG_SYNONYMS, doing)
    if is_moderator(user):
        return
    needed = qasite_setting("TAG_SYNONYMS.TAG_SCORE")
    if tag_score(user, tag) < needed:
        raise PermissionDenied(
            f"You need an answer score of at least {needed} in [{tag.name}] to {doing}."
        )


def check_suggest_tag_synonym_permission(user, target: Tag) -> None:
    require_login(user)
    _require_tag_score(user, target, "suggest synonyms for this tag")


def check_vote_tag_synonym_permission(user, synonym: TagSynonym) -> None:
    require_login(user)
    if synonym.state != TagSynonymState.PENDING:
        raise PermissionDenied("This suggestion has been decided.")
    if synonym.suggested_by_id == user.pk:
        raise PermissionDenied("You suggested this synonym: your suggestion counts as your vote.")
    _require_tag_score(user, synonym.target, "vote on synonyms of this tag")


def check_decide_tag_synonym_permission(user, synonym: TagSynonym | None = None) -> None:
    """Moderators approve, reject and merge directly (``synonym`` None: a merge)."""
    require_login(user)
    if not is_moderator(user):
        raise PermissionDenied("Only moderators can approve, reject or merge tags directly.")
    if synonym is not None and synonym.state != TagSynonymState.PENDING:
        raise PermissionDenied("This suggestion has been decided.")


def check_edit_tag_wiki_permission(user, tag: Tag) -> None:
    require_poster(user)
    require_privilege(user, Privilege.EDIT_TAG_WIKIS, "edit tag wikis")
    if tag.synonym_of_id is not None:
        raise PermissionDenied("This tag is a synonym: edit its master tag's wiki.")
