"""The form of the owner's "API tokens" page (``api.views.tokens``)."""

from django import forms
from django.core.validators import MaxValueValidator

from api.models import Scope
from core.conf import qasite_setting


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What will use it, for you to recognise.")
    scopes = forms.MultipleChoiceField(
        choices=Scope.choices, widget=forms.CheckboxSelectMultiple, initial=[Scope.READ]
    )
    days = forms.IntegerField(min_value=1, initial=90, help_text="It stops working after that.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        longest = qasite_setting("API.TOKEN_MAX_DAYS")
        self.fields["days"].max_value = longest
        self.fields["days"].validators.append(MaxValueValidator(longest))
        self.fields["days"].widget.attrs.update({"min": 1, "max": longest})
