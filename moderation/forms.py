import re

from django import forms

from moderation.models import CloseReason, CloseReasonKind
from threads.models import LockKind, Post

QUESTION_URL_RE = re.compile(r"/(?:questions|q)/(\d+)")


class CloseVoteForm(forms.Form):
    """The close dialog: a leaf reason, a duplicate target for duplicates, a comment for
    "Something else"."""

    reason = forms.ModelChoiceField(
        queryset=CloseReason.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose why this question should be closed."},
    )
    duplicate = forms.CharField(
        required=False,
        max_length=300,
        label="Duplicate of",
        help_text="The question's URL or its number.",
    )
    comment = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed for “Something else”: say why this question is off-topic here.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = CloseReason.objects.filter(is_active=True).exclude(
            kind=CloseReasonKind.OFF_TOPIC, parent__isnull=True
        )

    def clean_duplicate(self) -> Post | None:
        text = self.cleaned_data["duplicate"].strip()
        if not text:
            return None
        match = QUESTION_URL_RE.search(text)
        number = match.group(1) if match else text.lstrip("#")
        if not number.isdigit():
            raise forms.ValidationError("Give the question's URL or its number.")
        target = Post.objects.questions().filter(pk=int(number)).first()
        if target is None:
            raise forms.ValidationError(f"There is no question number {number}.")
        return target

    def clean(self):
        data = super().clean()
        reason = data.get("reason")
        if reason is not None and reason.is_duplicate and not data.get("duplicate"):
            self.add_error("duplicate", "Give the question this one duplicates.")
        if reason is not None and reason.requires_comment and not data.get("comment", "").strip():
            self.add_error("comment", "Say why this question is off-topic here.")
        return data


class LockForm(forms.Form):
    kind = forms.ChoiceField(choices=LockKind.choices, widget=forms.RadioSelect, label="Lock type")
    duration = forms.ChoiceField(
        choices=[("1h", "1 hour"), ("1d", "1 day"), ("7d", "7 days"), ("permanent", "Permanent")],
        widget=forms.RadioSelect,
    )
