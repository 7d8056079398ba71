"""Personal access tokens (docs/rules.md, "API tokens"): made and revoked through
``api.tokens``, sent as ``Authorization: Bearer``, refused once expired or revoked, and a
``moderate`` scope only for those who qualify."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.privileges import Privilege
from api.models import AccessToken, Scope
from api.tokens import scope_allowed, token_create, token_for, token_revoke
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_only_a_hash_is_stored_and_the_plain_text_finds_the_token():
    member = UserFactory()
    token, plain = token_create(user=member, name="bot", scopes=[Scope.READ], days=30)
    assert plain.startswith("qst_") and plain not in token.digest
    assert AccessToken.objects.filter(digest=token.digest).count() == 1
    assert token_for(plain) == token
    assert token_for(plain + "x") is None


def test_a_revoked_or_expired_token_no_longer_works():
    member = UserFactory()
    revoked, revoked_plain = token_create(user=member, name="a", scopes=[Scope.READ], days=30)
    token_revoke(user=member, token=revoked)
    assert token_for(revoked_plain) is None
    _, plain = token_create(user=member, name="b", scopes=[Scope.READ], days=1)
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert token_for(plain) is None


def test_nobody_revokes_another_members_token():
    token, _ = token_create(user=UserFactory(), name="a", scopes=[Scope.READ], days=30)
    with pytest.raises(PermissionDenied):
        token_revoke(user=UserFactory(), token=token)


@pytest.mark.parametrize(
    "changes",
    [{"name": " "}, {"scopes": []}, {"scopes": ["admin"]}, {"days": 0}, {"days": 10_000}],
)
def test_bad_input_makes_no_token(changes):
    values = {"name": "bot", "scopes": [Scope.READ], "days": 30} | changes
    with pytest.raises(ValidationError):
        token_create(user=UserFactory(), **values)
    assert not AccessToken.objects.exists()


def test_a_moderate_token_needs_the_close_vote_privilege_and_stops_with_it():
    with pytest.raises(PermissionDenied):
        token_create(user=UserFactory(reputation=100), name="m", scopes=[Scope.MODERATE], days=9)
    closer = UserFactory(reputation=Privilege.CAST_CLOSE_VOTES.reputation)
    token, _ = token_create(user=closer, name="m", scopes=[Scope.MODERATE], days=9)
    assert scope_allowed(token, Scope.MODERATE)
    closer.reputation = 100
    closer.save(update_fields=["reputation"])
    token.user.refresh_from_db()
    assert not scope_allowed(token, Scope.MODERATE)


def test_a_moderate_token_needs_two_factor_where_the_site_requires_it(settings):
    settings.QASITE = {**settings.QASITE}
    settings.QASITE["ACCOUNTS"] = {**settings.QASITE["ACCOUNTS"], "MFA_REQUIRED_FOR_STAFF": True}
    moderator = UserFactory(is_moderator=True)
    with pytest.raises(PermissionDenied):
        token_create(user=moderator, name="m", scopes=[Scope.MODERATE], days=9)
