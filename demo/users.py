"""Demo users: the logins whose names say their level, the Community account, and users
standing for the people who wrote the seed thread or the generated questions.

Reputation is a ledger (docs/architecture.md, Decisions: "Reputation is a ledger"):
``User.reputation`` = 1 + ``imported_reputation`` + the sum of the user's ``ReputationChange``
rows. A demo user gets a level the way an imported user gets theirs: through
``imported_reputation`` (level − 1) with no ledger rows, and ``reputation`` set to the same total,
so ``recount_reputation`` leaves it unchanged. Demo users never author voted posts nor downvote
answers (which would cost them 1), so their reputation stays at the level their name promises.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils.text import slugify

from demo.factories import DEMO_PASSWORD, UserFactory

User = get_user_model()


@dataclass(frozen=True)
class DemoUser:
    username: str
    reputation: int
    is_moderator: bool = False
    is_staff: bool = False
    is_superuser: bool = False


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("newbie", 1),
    DemoUser("voter", 15),
    DemoUser("commenter", 50),
    DemoUser("downvoter", 125),
    DemoUser("reviewer", 500),
    DemoUser("editor", 2000),
    DemoUser("closer1", 3000),
    DemoUser("closer2", 3000),
    DemoUser("closer3", 3000),
    DemoUser("trusted", 10000),
    # Moderators hold every privilege whatever their reputation; 20000 just looks right.
    DemoUser("moderator", 20000, is_moderator=True, is_staff=True),
    DemoUser("admin", 1, is_staff=True, is_superuser=True),
)

COMMUNITY_USERNAME = "community"


def user_get_or_create(
    *,
    username: str,
    display_name: str = "",
    reputation: int = 1,
    password: str | None = None,
    **fields,
) -> tuple["User", bool]:
    """Create a user at ``reputation`` (as imported reputation) unless ``username`` exists;
    an existing user is returned untouched (its password and level are not reset).
    ``password`` is an already *hashed* password; None makes it unusable."""
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing, False
    user = UserFactory(
        username=username,
        display_name=display_name,
        imported_reputation=reputation - 1,
        reputation=reputation,
        password=None,  # unusable; replaced below by the shared hash when given
        **fields,
    )
    if password is not None:
        user.password = password
        user.save(update_fields=["password"])
    return user, True


def demo_users_create() -> tuple[dict[str, "User"], int]:
    """The demo logins, all with ``DEMO_PASSWORD``. Returns ``({username: user}, created)``.

    The password is hashed once and the hash shared: a dozen PBKDF2 runs would cost
    seconds for nothing."""
    hashed: str | None = None
    users: dict[str, User] = {}
    created = 0
    for spec in DEMO_USERS:
        if hashed is None and not User.objects.filter(username=spec.username).exists():
            hashed = make_password(DEMO_PASSWORD)
        user, new = user_get_or_create(
            username=spec.username,
            display_name=spec.username,
            reputation=spec.reputation,
            password=hashed,
            is_moderator=spec.is_moderator,
            is_staff=spec.is_staff,
            is_superuser=spec.is_superuser,
        )
        users[spec.username] = user
        created += new
    return users, created


def community_user_create() -> tuple["User", bool]:
    """The "Community" system account (owns automatic actions; no one can log in)."""
    return user_get_or_create(username=COMMUNITY_USERNAME, display_name="Community", is_system=True)


def username_for(name: str) -> str:
    """A username from a display name: ``"Vincenzo Lavorini"`` → ``vincenzo-lavorini``."""
    return slugify(name)[:150] or "user"


def author_get_or_create(name: str, *, reputation: int) -> tuple["User", bool]:
    """A user standing for a named author (seed thread or generated content): username
    slugified from the name, ``display_name`` the name, unusable password."""
    return user_get_or_create(
        username=username_for(name), display_name=name[:60], reputation=reputation
    )
