from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users, their profile fields, the privilege table and its checks."""

    name = "accounts"
    verbose_name = "Accounts"
