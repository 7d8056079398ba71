"""Tests of the Q&A core. Services check who acts, so the people in these tests hold the
privileges their actions need: ``user_with`` gives one the reputation of a privilege
(``accounts.privileges``), ``moderator`` makes a moderator."""

from django.db.models import Sum

from accounts.privileges import Privilege
from core.conf import qasite_setting
from tests.factories import UserFactory
from threads.models import ReputationChange
from threads.reputation import reputation_recount


def user_with(privilege: Privilege, **kwargs):
    """A user at ``privilege``'s reputation, brought from elsewhere (``imported_reputation``)
    so that reputation stays 1 + imported + the ledger, as ``recount_reputation`` checks."""
    reputation = privilege.reputation
    return UserFactory(reputation=reputation, imported_reputation=reputation - 1, **kwargs)


def moderator(**kwargs):
    return UserFactory(is_moderator=True, **kwargs)


def amount(key: str) -> int:
    return qasite_setting("REPUTATION")[key]


def rep(user) -> int:
    user.refresh_from_db()
    return user.reputation


def assert_ledger_agrees(*users) -> None:
    """Each user's reputation is 1 + imported + their ledger, and a recount changes nothing."""
    for user in users:
        user.refresh_from_db()
        total = ReputationChange.objects.filter(user=user).aggregate(t=Sum("amount"))["t"] or 0
        assert user.reputation == 1 + user.imported_reputation + total
    assert reputation_recount() == []
