"""Sign-up, login, logout, password and email management, social login and two-factor:
allauth's pages under ``accounts/`` (docs/architecture.md, "Accounts")."""

from django.urls import include, path

urlpatterns = [
    path("accounts/", include("allauth.urls")),
]
