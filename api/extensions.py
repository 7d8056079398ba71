"""What the API adds to the pages below it: the "API tokens" tab of a member's profile
(``core.extensions.user_pages``, its owner only). ``register()`` runs in
``ApiConfig.ready()``."""

from django.urls import path

from api.views import tokens as views
from core import extensions as site


def register() -> None:
    site.user_pages.register(
        "tokens",
        routes=[
            path("", views.token_page, name="api-tokens"),
            path("<id:token>/revoke/", views.token_revoke, name="api-token-revoke"),
        ],
        url_name="api-tokens",
        tab="API tokens",
        visible=lambda viewer, member: viewer.is_authenticated and viewer.pk == member.pk,
    )
