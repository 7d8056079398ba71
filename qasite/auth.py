"""The authentication backend's path before the User moved to ``accounts``.

A session stores the dotted path of the backend that logged it in, and Django logs a
session out when that path is no longer in ``AUTHENTICATION_BACKENDS``. Sessions made
before the move name ``qasite.auth.ModelBackend``; this class keeps them logged in. It never
authenticates anyone (a login tries ``accounts.auth.ModelBackend`` only once) and grants no
permission. Remove it one ``SESSION_COOKIE_AGE`` after the move has been deployed."""

from accounts.auth import ModelBackend as CurrentBackend


class ModelBackend:
    def authenticate(self, request, **credentials):
        return None

    def get_user(self, user_id):
        return CurrentBackend().get_user(user_id)
