"""The site's forms for allauth's pages: sign-up (allauth's email, username, password twice
and honeypot, with the display name, which the name rule checks as ``User.clean_fields``
does) and login (by username or email)."""

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.db import models

from accounts.models import User
from accounts.names import name_error
from core.conf import qasite_setting


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


def _https_by_default(field, **kwargs):
    """A website typed without a scheme is read as https (Django 6's default)."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class ProfileForm(forms.ModelForm):
    """The profile's fields; the picture is checked by the service (``core.images``)."""

    avatar_upload = forms.FileField(
        required=False,
        label="Picture",
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}),
    )
    remove_avatar = forms.BooleanField(
        required=False, label="Remove the picture (show the generated one)"
    )

    class Meta:
        model = User
        fields = ("display_name", "about", "location", "website")
        formfield_callback = _https_by_default
        labels = {"about": "About me", "website": "Website"}
        help_texts = {
            "display_name": "Shown on your posts; your username if left empty.",
            "about": "Markdown.",
        }
        widgets = {"about": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        most = qasite_setting("PROFILES.AVATAR_MAX_BYTES") / (1024 * 1024)
        side = qasite_setting("PROFILES.AVATAR_MAX_SIDE")
        self.fields["avatar_upload"].help_text = (
            f"PNG, JPEG, GIF or WebP, at most {most:g} MiB and {side} pixels a side; "
            "shown as a square, without its metadata."
        )
        if not self.instance.avatar:
            del self.fields["remove_avatar"]
