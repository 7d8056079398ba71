"""Forms: parse and validate input, with the limits of ``settings.QASITE``. Each create
form carries a one-time token so a replayed POST is recognised (docs/architecture.md, Decisions:
"Idempotent forms")."""

import uuid
from datetime import UTC, datetime

from django import forms
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.conf import qasite_setting
from threads import rules, selectors, validation


class TokenMixin(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class TagsField(forms.CharField):
    """Space- or comma-separated tag names; ``threads.validation`` checks them with the
    rest of the post."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Tags")
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            "1 to 5 tags separated by spaces, e.g. machine-learning python. "
            "Lowercase letters, digits and + # . - only.",
        )
        super().__init__(**kwargs)

    def to_python(self, value) -> list[str]:
        return validation.parse_tag_names(super().to_python(value) or "")

    def prepare_value(self, value):
        return " ".join(value) if isinstance(value, list) else value


def _length_attrs(low: str, high: str, **attrs) -> dict:
    """The browser's hints for a field (``settings.QASITE``); the server checks with
    ``threads.validation``."""
    return {"minlength": qasite_setting(low), "maxlength": qasite_setting(high), **attrs}


class PostTextForm(forms.Form):
    """Checks title, body and tags with the site's one validator; an edit form passes the
    ``post`` it edits so only what changes is checked."""

    is_question = True

    def __init__(self, *args, user=None, post=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.post = post

    def clean(self):
        data = super().clean()
        if "body" not in data or (self.is_question and "title" not in data):
            return data  # a required field is missing: its own error says so
        try:
            validation.validate_post(
                is_question=self.is_question,
                title=data.get("title", ""),
                body=data["body"],
                tags=data.get("tags") if self.is_question else None,
                current=self.post,
                author=self.user,
            )
        except forms.ValidationError as invalid:
            self.add_error(None, invalid)
        return data


class QuestionFieldsMixin(PostTextForm):
    title = forms.CharField(
        widget=forms.TextInput(attrs=_length_attrs("QUESTION_TITLE_MIN", "QUESTION_TITLE_MAX")),
        help_text="Be specific and imagine you're asking a question to another person.",
    )
    body = forms.CharField(
        widget=forms.Textarea(attrs=_length_attrs("QUESTION_BODY_MIN", "POST_BODY_MAX", rows=14)),
        help_text="Markdown; $…$ for math.",
    )
    tags = TagsField()

    def clean_tags(self) -> list[str]:
        names = self.cleaned_data["tags"]
        current = self.post.tags.names() if self.post is not None else ()
        try:
            rules.check_create_tags_permission(
                self.user,
                [
                    name
                    for name in selectors.unknown_tags(names)
                    if name not in current and validation.is_tag_name(name)
                ],
            )
        except PermissionDenied as denied:
            raise forms.ValidationError(str(denied)) from denied
        return names


class QuestionForm(TokenMixin, QuestionFieldsMixin):
    pass


def started_now() -> str:
    """The answer form's signed start time (see ``clean_started``)."""
    return signing.dumps(timezone.now().timestamp(), salt=STARTED_SALT)


STARTED_SALT = "threads.answer-started"


class AnswerBodyMixin(PostTextForm):
    is_question = False
    body = forms.CharField(
        widget=forms.Textarea(attrs=_length_attrs("ANSWER_BODY_MIN", "POST_BODY_MAX", rows=14)),
    )


class AnswerForm(TokenMixin, AnswerBodyMixin):
    """Carries when it was rendered (signed), so an answer begun before the question closed
    may still be posted during the grace period."""

    started = forms.CharField(widget=forms.HiddenInput, initial=started_now, required=False)
    body = forms.CharField(
        label="Your answer",
        widget=forms.Textarea(attrs=_length_attrs("ANSWER_BODY_MIN", "POST_BODY_MAX", rows=10)),
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
        widget=forms.Textarea(attrs=_length_attrs("COMMENT_MIN", "COMMENT_MAX", rows=2)),
        help_text="Use comments to ask for more information or suggest improvements.",
    )

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        errors = validation.comment_errors(body)
        if errors:
            raise forms.ValidationError(errors)
        return body


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


class AnswerEditForm(EditFormMixin, AnswerBodyMixin):
    field_order = ["body", "summary", "base_stamp"]


class VoteForm(forms.Form):
    """The vote a user wants to have on a post afterwards: replays are harmless."""

    vote = forms.ChoiceField(choices=[("up", "up"), ("down", "down"), ("none", "none")])
