"""The top floor: routes of every app."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from qasite import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", views.health, name="health"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("moderation.urls")),
    path("", include("threads.urls")),
]

# The site's own error pages (rendering them cannot fail: see qasite.errors).
handler400 = "qasite.errors.bad_request"
handler403 = "qasite.errors.permission_denied"
handler404 = "qasite.errors.page_not_found"
handler500 = "qasite.errors.server_error"
