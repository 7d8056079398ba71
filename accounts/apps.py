from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users, their profile fields, the privilege table and its checks, and the accounts
    themselves through allauth (verification, two-factor)."""

    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from allauth.account.signals import email_changed, email_confirmed
        from allauth.mfa.signals import authenticator_removed
        from django.contrib.auth.signals import user_logged_in

        from accounts import help_pages, receivers, views
        from core.extensions import user_pages

        email_confirmed.connect(receivers.on_email_confirmed, dispatch_uid="accounts-confirmed")
        email_changed.connect(receivers.on_email_changed, dispatch_uid="accounts-changed")
        authenticator_removed.connect(
            receivers.on_authenticator_removed, dispatch_uid="accounts-mfa-removed"
        )
        # A login counts as being seen (and keeps the first pages after it at their count).
        user_logged_in.connect(_seen_at_login, dispatch_uid="accounts.last_seen")
        user_pages.register("edit", views.profile_edit, url_name="profile-edit")
        help_pages.register()  # the privileges page of the help centre


def _seen_at_login(sender, request, user, **kwargs) -> None:
    from accounts.profiles import record_last_seen

    record_last_seen(user)
