"""What privacy adds to the pages below it: the "Your data" tab and pages of a member's
profile (``core.extensions.user_pages``, its owner only). ``register()`` runs in
``PrivacyConfig.ready()``."""

from django.urls import path

from core import extensions as site
from privacy import views


def register() -> None:
    site.user_pages.register(
        "data",
        routes=[
            path("", views.data, name="privacy-data"),
            path("export/", views.export_request, name="privacy-export"),
            path("export/<id:export>/", views.export_download, name="privacy-export-download"),
            path("delete/", views.deletion_request, name="privacy-delete"),
            path("delete/cancel/", views.deletion_cancel, name="privacy-delete-cancel"),
        ],
        url_name="privacy-data",
        tab="Your data",
        visible=lambda viewer, member: viewer.is_authenticated and viewer.pk == member.pk,
    )
