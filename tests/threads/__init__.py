"""Tests of the Q&A core. Services check who acts, so the people in these tests hold the
privileges their actions need: ``user_with`` gives one the reputation of a privilege
(``qasite.privileges``), ``moderator`` makes a moderator."""

from qasite.privileges import Privilege
from tests.factories import UserFactory


def user_with(privilege: Privilege, **kwargs):
    return UserFactory(reputation=privilege.reputation, **kwargs)


def moderator(**kwargs):
    return UserFactory(is_moderator=True, **kwargs)
