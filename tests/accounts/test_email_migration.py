"""The data migration that gives every existing user allauth's ``EmailAddress`` row, so that
they log in by email and reset their password (accounts/migrations/0005)."""

import importlib

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

migration = importlib.import_module("accounts.migrations.0007_verified_email_addresses")


def user(username: str, email: str, **fields):
    """A user as they were before allauth: no ``EmailAddress`` row."""
    return get_user_model().objects.create(username=username, email=email, **fields)


def test_every_user_with_an_address_gets_a_primary_verified_row_once():
    ada = user("ada", "Ada@Example.com")
    twin = user("twin", "ada@example.COM")  # the same address, in another case
    nobody = user("nobody", "")
    kept = user("kept", "kept@example.com")
    EmailAddress.objects.create(user=kept, email="other@example.com", primary=True, verified=True)

    migration.addresses_create(apps, None)
    migration.addresses_create(apps, None)  # run again: nothing more

    assert list(
        EmailAddress.objects.filter(user=ada).values_list("email", "primary", "verified")
    ) == [("ada@example.com", True, True)]
    assert not EmailAddress.objects.filter(user__in=[twin, nobody]).exists()
    assert list(EmailAddress.objects.filter(user=kept).values_list("email", flat=True)) == [
        "other@example.com"
    ]


def test_a_migrated_user_logs_in_by_email(client):
    grace = user("grace", "grace@example.com")
    grace.set_password("a long passphrase 1")
    grace.save()
    migration.addresses_create(apps, None)
    response = client.post(
        "/accounts/login/", {"login": "grace@example.com", "password": "a long passphrase 1"}
    )
    assert response.status_code == 302
