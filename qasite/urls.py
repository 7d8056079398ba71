"""The top floor: routes of every app."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from core.views import health, help_index

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
    path("help/", help_index, name="help-index"),
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
