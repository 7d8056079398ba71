from django import forms

from webhooks import targets
from webhooks.models import Endpoint, Event


class EndpointForm(forms.ModelForm):
    """Staff's form in the admin: the URL is checked against the SSRF rule when saved."""

    url = forms.URLField(max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        choices=Event.choices, widget=forms.CheckboxSelectMultiple, required=True
    )

    class Meta:
        model = Endpoint
        fields = ["url", "description", "events", "active"]

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            targets.resolve(url)
        except targets.TargetRefused as refused:
            raise forms.ValidationError(str(refused)) from refused
        return url
