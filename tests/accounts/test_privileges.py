"""The privileges table (docs/rules.md, "Privileges"): ``accounts.privileges.has_privilege`` for
every row."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.privileges import Privilege, has_privilege, is_moderator, privilege_table
from core.conf import qasite_setting
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ALL_PRIVILEGES = list(Privilege)


def test_it_has_the_default_table_of_design_section_1():
    # This test is about the default table itself, so the numbers are written out.
    assert qasite_setting("PRIVILEGES") == {
        "ASK": 1,
        "REMOVE_NEW_USER_RESTRICTIONS": 10,
        "UPLOAD_IMAGES": 10,
        "UPVOTE": 15,
        "FLAG": 15,
        "COMMENT_EVERYWHERE": 50,
        "DOWNVOTE": 125,
        "CLOSE_OWN_QUESTION": 250,
        "CREATE_TAGS": 300,
        "REVIEW_FIRST_POSTS": 500,
        "SEE_VOTE_SPLIT": 1000,
        "EDIT_TAG_WIKIS": 1500,
        "EDIT_ANY_POST": 2000,
        "REVIEW_LOW_QUALITY": 2000,
        "CREATE_TAG_SYNONYMS": 2500,
        "CAST_CLOSE_VOTES": 3000,
        "MODERATOR_TOOLS": 10000,
        "PROTECT_QUESTIONS": 15000,
    }


def test_it_reads_every_threshold_from_settings(settings):
    settings.QASITE = {
        **settings.QASITE,
        "PRIVILEGES": dict.fromkeys(settings.QASITE["PRIVILEGES"], 7),
    }
    assert {privilege.reputation for privilege in Privilege} == {7}


def test_it_lists_the_table_lowest_first():
    table = privilege_table()
    assert [reputation for reputation, _ in table] == sorted(p.reputation for p in Privilege)
    assert {privilege for _, privilege in table} == set(Privilege)


@pytest.mark.parametrize("privilege", ALL_PRIVILEGES, ids=str)
def test_it_refuses_one_point_below_the_threshold(privilege):
    user = UserFactory(reputation=privilege.reputation - 1)
    assert not has_privilege(user, privilege)


@pytest.mark.parametrize("privilege", ALL_PRIVILEGES, ids=str)
def test_it_grants_at_the_threshold(privilege):
    user = UserFactory(reputation=privilege.reputation)
    assert has_privilege(user, privilege)


@pytest.mark.parametrize("privilege", ALL_PRIVILEGES, ids=str)
def test_it_grants_every_privilege_to_moderators(privilege):
    moderator = UserFactory(reputation=1, is_moderator=True)
    assert is_moderator(moderator)
    assert has_privilege(moderator, privilege)


@pytest.mark.parametrize("privilege", ALL_PRIVILEGES, ids=str)
def test_it_grants_every_privilege_to_superusers(privilege):
    admin = UserFactory(reputation=1, is_superuser=True)
    assert is_moderator(admin)
    assert has_privilege(admin, privilege)


@pytest.mark.parametrize("privilege", ALL_PRIVILEGES, ids=str)
def test_it_grants_nothing_to_anonymous_visitors(privilege):
    assert not is_moderator(AnonymousUser())
    assert not has_privilege(AnonymousUser(), privilege)


@pytest.mark.parametrize("privilege", ALL_PRIVILEGES, ids=str)
def test_it_grants_nothing_to_inactive_users_even_moderators(privilege):
    top = max(p.reputation for p in Privilege)
    suspended = UserFactory(reputation=top, is_active=False)
    suspended_moderator = UserFactory(reputation=top, is_moderator=True, is_active=False)
    assert not has_privilege(suspended, privilege)
    assert not has_privilege(suspended_moderator, privilege)
