"""The top floor: routes of every app."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from core.views import health, identicon, media_image

urlpatterns = [
    # The User's admin pages before the model moved to the accounts app.
    path(
        "admin/qasite/user/", RedirectView.as_view(url="/admin/accounts/user/", query_string=True)
    ),
    path(
        "admin/qasite/user/<path:rest>",
        RedirectView.as_view(url="/admin/accounts/user/%(rest)s", query_string=True),
    ),
    path("admin/", admin.site.urls),
    # RQ's dashboard (staff only, as django-rq checks): queues, failed jobs and their requeue.
    path("django-rq/", include("django_rq.urls")),
    path("health/", health, name="health"),
    # Stored images only (core.views.media_image), DEBUG on or off; identicons drawn per id.
    path("media/<str:folder>/<str:name>", media_image, name="media-image"),
    path("identicons/<id:pk>.svg", identicon, name="identicon"),
    path("", include("accounts.urls")),
    path("", include("moderation.urls")),
    path("", include("notifications.urls")),
    path("", include("threads.urls")),
]

# The site's own error pages (rendering them cannot fail: see core.errors).
handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"
