from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users, their profile fields, the privilege table and its checks, and the accounts
    themselves through allauth (verification, two-factor)."""

    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from allauth.account.signals import email_changed, email_confirmed
        from allauth.mfa.signals import authenticator_removed

        from accounts import receivers

        email_confirmed.connect(receivers.on_email_confirmed, dispatch_uid="accounts-confirmed")
        email_changed.connect(receivers.on_email_changed, dispatch_uid="accounts-changed")
        authenticator_removed.connect(
            receivers.on_authenticator_removed, dispatch_uid="accounts-mfa-removed"
        )
