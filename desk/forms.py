from datetime import timedelta

from django import forms
from django.utils import timezone

from core.conf import qasite_setting
from desk.message_templates import TEMPLATES

CUSTOM = "custom"


def _suspension_choices() -> list[tuple[str, str]]:
    days = qasite_setting("DESK")["SUSPENSION_DAYS"]
    return [
        ("", "No suspension"),
        *((str(n), f"{n} day{'s' if n != 1 else ''}") for n in days),
        (CUSTOM, "Until a date and time (below)"),
    ]


class MessageForm(forms.Form):
    """A moderator message from a template, its text edited, with an optional suspension."""

    template = forms.ChoiceField(choices=[(t.key, t.label) for t in TEMPLATES])
    subject = forms.CharField(max_length=200)
    body = forms.CharField(
        label="Message",
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Markdown. The member sees it before any other page until they acknowledge it.",
    )
    suspend = forms.ChoiceField(label="Suspension", required=False, choices=())
    suspend_until = forms.DateTimeField(
        label="Suspended until (UTC)",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Only with “Until a date and time”.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suspend"].choices = _suspension_choices()

    def clean(self):
        data = super().clean()
        choice = data.get("suspend")
        if choice == CUSTOM:
            if not data.get("suspend_until") and "suspend_until" not in self.errors:
                self.add_error("suspend_until", "Give the date and time the suspension ends.")
            data["ends_at"] = data.get("suspend_until")
        elif choice:
            data["ends_at"] = timezone.now() + timedelta(days=int(choice))
        else:
            data["ends_at"] = None
        return data


class ReplyForm(forms.Form):
    body = forms.CharField(label="Your reply", widget=forms.Textarea(attrs={"rows": 5}))


class AnnotationForm(forms.Form):
    body = forms.CharField(
        label="Private annotation (moderators only; it cannot be changed later)",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SpamDestroyForm(forms.Form):
    reason = forms.CharField(
        max_length=200,
        help_text="Recorded in the moderation log with the posts deleted.",
    )
