"""allauth's adapters for the site (docs/architecture.md, "Accounts"): the site's name rule
at sign-up, and ``User.email_verified`` for new accounts."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.core.exceptions import ValidationError
from django.http import Http404

from accounts.names import name_error
from accounts.verification import email_verified_sync


class AccountAdapter(DefaultAccountAdapter):
    def clean_username(self, username: str, shallow: bool = False) -> str:
        """allauth's checks, then the site's: nobody signs up as "moderator" or with ♦
        (``accounts.names``; a new account is never a moderator's)."""
        username = super().clean_username(username, shallow=shallow)
        problem = name_error(username)
        if problem:
            raise ValidationError(problem, code="moderator_name")
        return username

    def save_user(self, request, user, form, commit=True):
        """A sign-up's address is unverified until its confirmation link is opened (a
        provider's word counts: ``SocialAccountAdapter.save_user``). The display name comes
        from the site's sign-up form."""
        user.email_verified = False
        display_name = form.cleaned_data.get("display_name")
        if display_name:
            user.display_name = display_name
        return super().save_user(request, user, form, commit=commit)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def get_app(self, request, provider, client_id=None):
        """A provider without a client id and secret in the environment is not offered:
        its pages are a 404, not an error."""
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist:
            raise Http404("This way of logging in is not offered here.") from None

    def populate_user(self, request, sociallogin, data):
        """The provider's full name as the display name, when the name rule takes it."""
        user = super().populate_user(request, sociallogin, data)
        name = " ".join(str(data.get("name") or "").split())[:60]
        if name and name_error(name) is None:
            user.display_name = name
        return user

    def save_user(self, request, sociallogin, form=None):
        """A new account from a provider: verified when the provider vouches for the
        address it gave (allauth stores that on the ``EmailAddress`` rows it creates)."""
        user = sociallogin.user
        user.email_verified = False
        user = super().save_user(request, sociallogin, form=form)
        email_verified_sync(user)
        return user
