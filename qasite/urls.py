"""The top floor: routes of every app."""

from allauth.account.decorators import secure_admin_login
from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django_rq.urls import get_admin_urlpatterns, get_api_urlpatterns

from core.operations import metrics, ready
from core.views import health, help_index, identicon, media_image

# django-rq's dashboard pages carry inline scripts, onclick handlers and style attributes: only
# they may run inline code (docs/architecture.md, "Security headers"); its JSON views and every
# other page keep the strict policy.
rq_dashboard_csp = csp_update({"script-src": [UNSAFE_INLINE], "style-src": [UNSAFE_INLINE]})
rq_urls = get_api_urlpatterns() + get_admin_urlpatterns(view_wrapper=rq_dashboard_csp)

# The admin's login is the site's (allauth): its rate limits and two-factor apply there too.
admin.site.login = secure_admin_login(admin.site.login)

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
    path("django-rq/", include((rq_urls, "django_rq"))),
    path("health/", health, name="health"),
    # Operations (README): readiness for load balancers, metrics for a scraper with the token.
    path("ready/", ready, name="ready"),
    path("metrics/", metrics, name="metrics"),
    # Stored images only (core.views.media_image), DEBUG on or off; identicons drawn per id.
    path("media/<str:folder>/<str:name>", media_image, name="media-image"),
    path("identicons/<id:pk>.svg", identicon, name="identicon"),
    path("help/", help_index, name="help-index"),
    path("", include("api.urls")),
    path("", include("accounts.urls")),
    path("", include("editor.urls")),
    path("", include("feeds.urls")),
    path("", include("moderation.urls")),
    path("", include("notifications.urls")),
    path("", include("threads.urls")),
]

# The site's own error pages (rendering them cannot fail: see core.errors).
handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"
