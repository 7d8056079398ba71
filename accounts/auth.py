"""Reading the session and its user, which every logged-in request does first, with one
plain prepared query each (``core.db``): building those two ORM queries costs several times
what the database spends answering them. Semantics are Django's and allauth's own (the
classes extend theirs).

Logins go through allauth's backend (by username or email, docs/architecture.md,
"Accounts"); a session names the backend that logged it in, so sessions made before allauth
(``ModelBackend``) are still read, with the same fast ``get_user``."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.sessions.backends import db
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.db import fetch_model


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        try:
            pk = model._meta.pk.to_python(user_id)
        except ValidationError:  # a malformed id in the session
            return None
        user = fetch_model(model, f"WHERE {model._meta.pk.column} = %s", [pk])
        return user if user is not None and self.user_can_authenticate(user) else None


class AuthenticationBackend(AllauthBackend):
    """``AUTHENTICATION_BACKENDS[0]``: allauth's logins, Django's permissions, and the
    one-query ``get_user`` above (allauth's backend extends Django's ``ModelBackend``)."""

    get_user = ModelBackend.get_user


class SessionStore(db.SessionStore):
    """``SESSION_ENGINE = "accounts.auth"``: the database store."""

    def _get_session_from_db(self):
        session = fetch_model(
            self.model,
            "WHERE session_key = %s AND expire_date > %s",
            [self.session_key, timezone.now()],
        )
        if session is None:
            self._session_key = None
        return session
