"""The owner's "API tokens" page (docs/rules.md, "API tokens"): list, make (plain text shown
once) and revoke; nobody else sees it."""

import pytest

from api.models import AccessToken, Scope
from api.tokens import token_create, token_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_only_the_owner_sees_the_page_and_its_tab(client):
    owner, other = UserFactory(), UserFactory()
    url = f"/users/{owner.pk}/tokens/"
    assert client.get(url).status_code == 302  # to log in
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert url not in client.get(owner.get_absolute_url()).content.decode()
    client.force_login(owner)
    assert client.get(url).status_code == 200
    assert url in client.get(owner.get_absolute_url()).content.decode()


def test_making_a_token_shows_it_once_and_it_works(client):
    owner = UserFactory()
    client.force_login(owner)
    url = f"/users/{owner.pk}/tokens/"
    response = client.post(url, {"name": "dashboard", "scopes": ["read"], "days": "30"})
    assert response.status_code == 201
    token = AccessToken.objects.get(user=owner)
    plain = response.context["plain"]
    assert plain.startswith(token.prefix) and plain in response.content.decode()
    assert token_for(plain) == token
    listing = client.get(url).content.decode()
    assert "dashboard" in listing and plain not in listing


def test_bad_input_is_shown_on_the_form_and_nothing_is_made(client):
    owner = UserFactory()
    client.force_login(owner)
    url = f"/users/{owner.pk}/tokens/"
    assert client.post(url, {"name": "", "scopes": ["read"], "days": "30"}).status_code == 400
    assert client.post(url, {"name": "x", "scopes": ["nope"], "days": "30"}).status_code == 400
    assert client.post(url, {"name": "x", "scopes": ["read"], "days": "9999"}).status_code == 400
    refused = client.post(url, {"name": "x", "scopes": ["moderate"], "days": "30"})
    assert refused.status_code == 400 and "close-vote privilege" in refused.content.decode()
    assert not AccessToken.objects.exists()


def test_revoking_stops_the_token_and_only_the_owner_may(client):
    owner, other = UserFactory(), UserFactory()
    token, plain = token_create(user=owner, name="bot", scopes=[Scope.READ], days=30)
    revoke = f"/users/{owner.pk}/tokens/{token.pk}/revoke/"
    client.force_login(other)
    assert client.post(revoke).status_code == 404
    assert client.post(f"/users/{other.pk}/tokens/{token.pk}/revoke/").status_code == 404
    client.force_login(owner)
    assert client.get(revoke).status_code == 405
    assert client.post(revoke).status_code == 302
    assert token_for(plain) is None
    assert "revoked" in client.get(f"/users/{owner.pk}/tokens/").content.decode()
