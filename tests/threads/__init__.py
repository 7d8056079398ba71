"""Tests of the Q&A core. Services check who acts, so the people in these tests hold the
privileges their actions need: ``user_with`` gives one the reputation of a privilege
(``accounts.privileges``), ``moderator`` makes a moderator."""

from accounts.privileges import Privilege
from tests.factories import UserFactory


def user_with(privilege: Privilege, **kwargs):
    """A user at ``privilege``'s reputation, brought from elsewhere (``imported_reputation``)
    so that reputation stays 1 + imported + the ledger, as ``recount_reputation`` checks."""
    reputation = privilege.reputation
    return UserFactory(reputation=reputation, imported_reputation=reputation - 1, **kwargs)


def moderator(**kwargs):
    return UserFactory(is_moderator=True, **kwargs)
