from django import forms

from notifications.models import EmailMode, Kind
from threads.models import Tag
from threads.services.tags import normalize_tag_names


class InboxSettingsForm(forms.Form):
    """Email per kind of notification, and the tags one watches."""

    watched_tags = forms.CharField(
        required=False,
        max_length=500,
        help_text="Space-separated tag names: you hear of new questions in them.",
        widget=forms.TextInput(attrs={"aria-describedby": "watched-tags-help"}),
    )

    def __init__(self, *args, modes: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[f"email_{kind.value}"] = forms.ChoiceField(
                label=kind.label, choices=EmailMode.choices, initial=modes[kind.value]
            )

    def email_fields(self):
        return [self[f"email_{kind.value}"] for kind in Kind]

    def clean_watched_tags(self) -> list[Tag]:
        names = normalize_tag_names(self.cleaned_data["watched_tags"].split())
        tags = list(Tag.objects.filter(name__in=names))
        unknown = sorted(set(names) - {tag.name for tag in tags})
        if unknown:
            raise forms.ValidationError(f"No such tag: {', '.join(unknown)}.")
        return tags

    def modes(self) -> dict[str, str]:
        return {kind.value: self.cleaned_data[f"email_{kind.value}"] for kind in Kind}
