"""The forms of the "Your data" page."""

from django import forms


class DeletionForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}), strip=False
    )
    phrase = forms.CharField(label="Confirmation", max_length=100)


class ExportForm(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)
