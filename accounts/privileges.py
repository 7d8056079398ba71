"""The privileges table (docs/rules.md, "Privileges"): who may do what by reputation.

The reputation each privilege needs lives in ``settings.QASITE["PRIVILEGES"]``; this
module is the only place that compares a user's reputation with it.
"""

from enum import StrEnum

from accounts.suspension import is_suspended
from core.conf import qasite_setting


class Privilege(StrEnum):
    ASK = "ASK"
    REMOVE_NEW_USER_RESTRICTIONS = "REMOVE_NEW_USER_RESTRICTIONS"
    UPLOAD_IMAGES = "UPLOAD_IMAGES"
    UPVOTE = "UPVOTE"
    FLAG = "FLAG"
    COMMENT_EVERYWHERE = "COMMENT_EVERYWHERE"
    DOWNVOTE = "DOWNVOTE"
    CLOSE_OWN_QUESTION = "CLOSE_OWN_QUESTION"
    CREATE_TAGS = "CREATE_TAGS"
    REVIEW_FIRST_POSTS = "REVIEW_FIRST_POSTS"
    SEE_VOTE_SPLIT = "SEE_VOTE_SPLIT"
    EDIT_TAG_WIKIS = "EDIT_TAG_WIKIS"
    EDIT_ANY_POST = "EDIT_ANY_POST"
    REVIEW_LOW_QUALITY = "REVIEW_LOW_QUALITY"
    CREATE_TAG_SYNONYMS = "CREATE_TAG_SYNONYMS"
    CAST_CLOSE_VOTES = "CAST_CLOSE_VOTES"
    MODERATOR_TOOLS = "MODERATOR_TOOLS"
    PROTECT_QUESTIONS = "PROTECT_QUESTIONS"

    @property
    def reputation(self) -> int:
        return qasite_setting("PRIVILEGES")[self.value]

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").lower()


def is_moderator(user) -> bool:
    return bool(user.is_authenticated and (user.is_moderator or user.is_superuser))


def has_privilege(user, privilege: Privilege) -> bool:
    """Moderators hold every privilege; anyone else needs the reputation."""
    return privilege in privileges_of(user, among=(privilege,))


def privileges_of(user, *, among=tuple(Privilege)) -> list[Privilege]:
    """Which of ``among`` the user holds (reading the user once: a page asks often). A
    suspended member holds none until the suspension ends (moderators cannot be suspended)."""
    if not user.is_authenticated or not user.is_active or is_suspended(user):
        return []
    if is_moderator(user):
        return list(among)
    reputation = user.reputation
    return [privilege for privilege in among if reputation >= privilege.reputation]


def privilege_signature(user) -> tuple:
    """Everything about a user that decides what they may do, and nothing that identifies
    them: pages rendered for one signature can be shared by everyone who has it."""
    if not user.is_authenticated:
        return ("anonymous",)
    held = tuple(privilege.value for privilege in privileges_of(user))
    verified = getattr(user, "email_verified", True)
    return (
        user.is_active,
        is_suspended(user),
        user.is_moderator,
        user.is_superuser,
        verified,
        held,
    )


def privilege_table() -> list[tuple[int, Privilege]]:
    """Every privilege with the reputation it needs, lowest first (for the help page)."""
    return sorted(((p.reputation, p) for p in Privilege), key=lambda row: row[0])
