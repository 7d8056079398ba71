"""The site's forms for allauth's pages: sign-up (allauth's email, username, password twice
and honeypot, with the display name, which the name rule checks as ``User.clean_fields``
does) and login (by username or email)."""

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings

from accounts.names import name_error


class SignupForm(AllauthSignupForm):
    display_name = forms.CharField(
        max_length=60,
        required=False,
        help_text="Shown on your posts; your username if left empty.",
    )
    field_order = ["username", "display_name", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        honeypot = settings.ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD
        if honeypot in self.fields:
            # Hidden by the stylesheet (``.honeypot``), not by an inline style; people never
            # see or reach it, bots that fill every field do (allauth then fakes success).
            self.fields[honeypot].label = "Leave this field empty"
            self.fields[honeypot].widget.attrs = {
                "class": "honeypot",
                "tabindex": "-1",
                "autocomplete": "off",
            }

    def clean_display_name(self) -> str:
        name = self.cleaned_data.get("display_name", "")
        problem = name_error(name)
        if problem:
            raise forms.ValidationError(problem, code="moderator_name")
        return name


class LoginForm(AllauthLoginForm):
    """allauth's login form, its first field named for what it takes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Username or email"
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["password"].widget.attrs.pop("placeholder", None)
        self.fields["login"].widget.attrs["autocomplete"] = "username"
