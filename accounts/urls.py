from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import help_pages, views

urlpatterns = [
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("help/privileges/", help_pages.help_privileges, name="help-privileges"),
]
