from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.db import models

from accounts.models import User
from core.conf import qasite_setting


class SignupForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "display_name", "email")
        help_texts = {"display_name": "Shown on your posts; your username if left empty."}


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
