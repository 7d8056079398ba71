"""Sign-up, login, logout, password and email management, social login and two-factor:
allauth's pages under ``accounts/`` (docs/architecture.md, "Accounts")."""

from django.urls import include, path

from accounts import help_pages

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("help/privileges/", help_pages.help_privileges, name="help-privileges"),
]
