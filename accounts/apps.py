from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users, their profile fields, the privilege table and its checks."""

    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts import views
        from core.extensions import user_pages

        # A login counts as being seen (and keeps the first pages after it at their count).
        user_logged_in.connect(_seen_at_login, dispatch_uid="accounts.last_seen")
        user_pages.register("edit", views.profile_edit, url_name="profile-edit")


def _seen_at_login(sender, request, user, **kwargs) -> None:
    from accounts.profiles import record_last_seen

    record_last_seen(user)
