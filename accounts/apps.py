from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users, their profile fields, the privilege table and its checks."""

    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from accounts import help_pages

        help_pages.register()  # the privileges page of the help centre
