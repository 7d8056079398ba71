"""Forms: parse and validate input, with the limits of ``settings.QASITE``. Each create
form carries a one-time token so a replayed POST is recognised (DESIGN §4)."""

import re
import uuid
from datetime import UTC, datetime

from django import forms
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from qasite.conf import qasite_setting
from threads import rules, selectors
from threads.models import TAG_NAME_PATTERN

TAG_RE = re.compile(rf"^{TAG_NAME_PATTERN}$")


class TokenMixin(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class TagsField(forms.CharField):
    """Space- or comma-separated tag names, validated for syntax and count."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Tags")
        kwargs.setdefault(
            "help_text",
            "1 to 5 tags separated by spaces, e.g. machine-learning python. "
            "Letters, digits and + # . - only.",
        )
        super().__init__(**kwargs)

    def to_python(self, value) -> list[str]:
        text = super().to_python(value) or ""
        return list(dict.fromkeys(part.lower() for part in re.split(r"[\s,]+", text) if part))

    def validate(self, value: list[str]) -> None:
        if not value:
            raise forms.ValidationError("Add at least one tag.")
        low, high = qasite_setting("TAGS_MIN"), qasite_setting("TAGS_MAX")
        if not low <= len(value) <= high:
            raise forms.ValidationError(f"Use between {low} and {high} tags.")
        bad = [name for name in value if not TAG_RE.match(name)]
        if bad:
            raise forms.ValidationError(
                "Invalid tag name: %(names)s. Tags use at most 35 characters from a–z, 0–9 "
                "and + # . -",
                params={"names": ", ".join(bad)},
            )

    def prepare_value(self, value):
        return " ".join(value) if isinstance(value, list) else value


class QuestionFieldsMixin(forms.Form):
    title = forms.CharField(
        min_length=qasite_setting("QUESTION_TITLE_MIN"),
        max_length=qasite_setting("QUESTION_TITLE_MAX"),
        help_text="Be specific and imagine you're asking a question to another person.",
    )
    body = forms.CharField(
        min_length=qasite_setting("QUESTION_BODY_MIN"),
        max_length=qasite_setting("POST_BODY_MAX"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Markdown; $…$ for math.",
    )
    tags = TagsField()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_tags(self) -> list[str]:
        names = self.cleaned_data["tags"]
        try:
            rules.check_create_tags_permission(self.user, selectors.unknown_tags(names))
        except PermissionDenied as denied:
            raise forms.ValidationError(str(denied)) from denied
        return names


class QuestionForm(TokenMixin, QuestionFieldsMixin):
    pass


def started_now() -> str:
    """The answer form's signed start time (see ``clean_started``)."""
    return signing.dumps(timezone.now().timestamp(), salt=STARTED_SALT)


STARTED_SALT = "threads.answer-started"


class AnswerForm(TokenMixin):
    """Carries when it was rendered (signed), so an answer begun before the question closed
    may still be posted during the grace period."""

    started = forms.CharField(widget=forms.HiddenInput, initial=started_now, required=False)
    body = forms.CharField(
        label="Your answer",
        min_length=qasite_setting("ANSWER_BODY_MIN"),
        max_length=qasite_setting("POST_BODY_MAX"),
        widget=forms.Textarea(attrs={"rows": 10}),
    )

    def clean_started(self):
        try:
            stamp = signing.loads(self.cleaned_data["started"], salt=STARTED_SALT)
            return datetime.fromtimestamp(float(stamp), tz=UTC)
        except (signing.BadSignature, TypeError, ValueError, OverflowError):
            return None


class CommentForm(TokenMixin):
    body = forms.CharField(
        label="Comment",
        min_length=qasite_setting("COMMENT_MIN"),
        max_length=qasite_setting("COMMENT_MAX"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Use comments to ask for more information or suggest improvements.",
    )


class EditFormMixin(forms.Form):
    summary = forms.CharField(
        label="Edit summary",
        max_length=300,
        required=False,
        help_text="Briefly explain your changes (corrected spelling, fixed grammar…)",
    )
    base_stamp = forms.CharField(widget=forms.HiddenInput)


class QuestionEditForm(EditFormMixin, QuestionFieldsMixin):
    field_order = ["title", "body", "tags", "summary", "base_stamp"]


class AnswerEditForm(EditFormMixin):
    body = forms.CharField(
        min_length=qasite_setting("ANSWER_BODY_MIN"),
        max_length=qasite_setting("POST_BODY_MAX"),
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    field_order = ["body", "summary", "base_stamp"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class VoteForm(forms.Form):
    """The vote a user wants to have on a post afterwards: replays are harmless."""

    vote = forms.ChoiceField(choices=[("up", "up"), ("down", "down"), ("none", "none")])
