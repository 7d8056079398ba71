import re
from datetime import UTC, datetime, time, timedelta

from django import forms
from django.core.validators import MaxValueValidator

from core.conf import qasite_setting
from core.converters import parse_id
from moderation import reviews
from moderation.models import POST_FLAG_KINDS, CloseReason, CloseReasonKind, Decision
from moderation.whatif import Policy
from threads.models import LockKind, Post

# Question numbers are ASCII digits: "²" or "٣" are digits to ``str.isdigit``, not ids.
QUESTION_URL_RE = re.compile(r"/(?:questions|q)/([0-9]+)")
QUESTION_NUMBER_RE = re.compile(r"#*([0-9]+)")


def question_reference(text: str) -> Post | None:
    """The question a close voter names by its URL or number (None for no text); a
    ``ValidationError`` says what is wrong with any other text."""
    text = text.strip()
    if not text:
        return None
    match = QUESTION_URL_RE.search(text) or QUESTION_NUMBER_RE.fullmatch(text)
    if match is None:
        raise forms.ValidationError("Give the question's URL or its number.")
    number = match.group(1)
    pk = parse_id(number)  # None beyond the largest id: no such question
    target = None if pk is None else Post.objects.questions().filter(pk=pk).first()
    if target is None:
        raise forms.ValidationError(f"There is no question number {number}.")
    return target


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
        return question_reference(self.cleaned_data["duplicate"])

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


class FlagForm(forms.Form):
    kind = forms.ChoiceField(widget=forms.RadioSelect, label="Why are you flagging this?")
    text = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Details",
        help_text="Needed for “needs moderator attention” and “something else”.",
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in kinds]


class ReviewDecisionForm(forms.Form):
    """One reviewer decision; the extra fields matter only for some decisions."""

    decision = forms.ChoiceField(choices=Decision.choices)
    reason = forms.ModelChoiceField(
        queryset=CloseReason.objects.filter(is_active=True), required=False
    )
    duplicate = forms.CharField(required=False, max_length=300)
    comment = forms.CharField(required=False, max_length=500)
    flag_kind = forms.ChoiceField(
        choices=[("", "")] + [(kind.value, kind.label) for kind in POST_FLAG_KINDS],
        required=False,
    )

    improved_title = forms.CharField(required=False, max_length=150)
    improved_body = forms.CharField(required=False, max_length=30000)
    improved_tags = forms.CharField(required=False, max_length=250)

    clean_duplicate = CloseVoteForm.clean_duplicate

    def improved(self) -> dict:
        """The improver's text for an "Improve edit" decision."""
        data = self.cleaned_data
        improved = {"body": data["improved_body"]}
        if data["improved_title"]:
            improved["title"] = data["improved_title"]
        if data["improved_tags"]:
            improved["tags"] = data["improved_tags"].split()
        return improved

    def decide(self, *, reviewer, task, spec):
        """Record the decision this valid form holds (``reviews.review_decide``), for the
        review page and the API alike."""
        data = self.cleaned_data
        return reviews.review_decide(
            reviewer=reviewer,
            task=task,
            decision=data["decision"],
            spec=spec,
            reason=data["reason"],
            duplicate_of=data["duplicate"],
            comment=data["comment"],
            flag_kind=data["flag_kind"],
            improved=self.improved(),
        )


class FlagDecisionForm(forms.Form):
    helpful = forms.TypedChoiceField(
        choices=[("yes", "Helpful"), ("no", "Declined")], coerce=lambda value: value == "yes"
    )
    decline_reason = forms.CharField(required=False, max_length=300)


class WhatIfForm(forms.Form):
    """The policy what-if's question (docs/rules.md, "Policy what-if"): a date window, and
    the numbers to try; a number left empty is taken as each event recorded it."""

    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To (inclusive)", widget=forms.DateInput(attrs={"type": "date"}))
    close_votes = forms.IntegerField(
        required=False, min_value=1, label="Close votes that close a question"
    )
    reopen_votes = forms.IntegerField(
        required=False, min_value=1, label="Reopen votes that reopen it"
    )
    aging_days = forms.IntegerField(
        required=False, min_value=1, label="Pending votes age away after (days)"
    )
    leave_open = forms.IntegerField(
        required=False, min_value=1, label="“Leave open” reviews that clear close votes"
    )
    leave_closed = forms.IntegerField(
        required=False, min_value=1, label="“Leave closed” reviews that clear reopen votes"
    )
    include_imported = forms.BooleanField(
        required=False, label="Include imported history (closures and reopenings from dumps)"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_days = qasite_setting("WHATIF.MAX_WINDOW_DAYS")
        self.fields["aging_days"].validators.append(MaxValueValidator(self.max_days))
        self.fields["aging_days"].widget.attrs["max"] = self.max_days

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start is None or end is None:
            return data
        if end < start:
            raise forms.ValidationError("The window ends before it starts.")
        if (end - start).days + 1 > self.max_days:
            raise forms.ValidationError(f"Choose a window of at most {self.max_days} days.")
        try:
            data["start_at"] = datetime.combine(start, time.min, tzinfo=UTC)
            data["end_at"] = datetime.combine(end, time.min, tzinfo=UTC) + timedelta(days=1)
            data["start_at"] - timedelta(days=self.max_days)  # the replay's lead-in
        except OverflowError:
            raise forms.ValidationError("Choose dates between the years 2 and 9998.") from None
        return data

    def policy(self) -> Policy:
        return Policy(**{name: self.cleaned_data[name] for name in POLICY_FIELDS})


POLICY_FIELDS = ("close_votes", "reopen_votes", "aging_days", "leave_open", "leave_closed")
