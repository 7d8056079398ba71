"""Shared steps of the account tests: signing up through allauth's form, who is logged in,
reading mail, changing the accounts settings."""

import re

from django.core import mail

PASSWORD = "correct horse battery staple 42"


def logged_in_user(client):
    return client.get("/").context["user"]


def signup(client, **fields):
    data = {
        "username": "lovelace",
        "display_name": "Ada Lovelace",
        "email": "ada@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(fields)
    return client.post("/accounts/signup/", data)


def mail_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def link_in(message, path: str) -> str:
    """The site-relative link under ``path`` in a mail's body."""
    found = re.search(rf"https?://[^/\s]+({re.escape(path)}\S+)", message.body)
    assert found, f"no {path} link in {message.body!r}"
    return found.group(1)


def accounts_settings(settings, **values) -> None:
    """``QASITE["ACCOUNTS"]`` with ``values`` changed, for this test."""
    settings.QASITE = {
        **settings.QASITE,
        "ACCOUNTS": {**settings.QASITE["ACCOUNTS"], **values},
    }
