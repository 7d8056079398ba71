"""The question and answer forms (text checked by ``threads.validation``) and the read-only
post details shown under them on a change page."""

from django import forms
from django.core.exceptions import ValidationError

from threads import services, validation
from threads.models import Revision, TaggedPost


class PostEditForm(forms.ModelForm):
    """Checks title, body and tags with ``threads.validation``; on a change, only what
    changes (a post imported shorter than today's limits saves with its text unchanged)."""

    is_question = True
    #: The validator's field names → this form's.
    text_fields = {"title": "title", "body": "body", "tags": "tag_names"}

    summary = forms.CharField(
        label="Edit summary", required=False, max_length=300, help_text="Saved on the revision."
    )
    base_stamp = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["base_stamp"].initial = services.revision_stamp(
                self.instance.revisions.order_by("-number").first()
            )

    def clean(self):
        cleaned = super().clean()
        stamp = cleaned.get("base_stamp")
        if self.instance.pk and stamp:
            latest = Revision.objects.filter(post=self.instance).order_by("-number").first()
            if stamp != services.revision_stamp(latest):
                raise forms.ValidationError(
                    "This post was edited by someone else while you were editing it. "
                    "Reload the page to see the current revision."
                )
        self._validate_text(cleaned)
        return cleaned

    def _validate_text(self, cleaned) -> None:
        if "body" not in cleaned or (self.is_question and "title" not in cleaned):
            return  # a required field is missing: its own error says so
        try:
            validation.validate_post(
                is_question=self.is_question,
                title=cleaned.get("title") or "",
                body=cleaned["body"],
                tags=cleaned.get("tag_names") if self.is_question else None,
                current=self.instance if self.instance.pk else None,
            )
        except ValidationError as invalid:
            for field, errors in invalid.message_dict.items():
                name = self.text_fields.get(field)
                self.add_error(name if name in self.fields else None, errors)


class QuestionAdminForm(PostEditForm):
    tag_names = forms.CharField(
        label="Tags", required=False, help_text="Space-separated tag names, e.g. “python c++”."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "title" in self.fields:
            self.fields["title"].required = True
        if self.instance.pk:
            self.fields["tag_names"].initial = " ".join(
                tagged.tag.name
                for tagged in TaggedPost.objects.filter(content_object=self.instance)
                .select_related("tag")
                .order_by("pk")
            )

    def clean_tag_names(self) -> list[str]:
        # Parsed only: ``PostEditForm.clean`` checks them with the title and body.
        return validation.parse_tag_names(self.cleaned_data["tag_names"])


class AnswerAdminForm(PostEditForm):
    is_question = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "parent" in self.fields:
            self.fields["parent"].required = True
            self.fields["parent"].label = "Question"

    def clean_parent(self):
        parent = self.cleaned_data["parent"]
        if parent is not None and not parent.is_question:
            raise forms.ValidationError("An answer belongs to a question.")
        if parent is not None and parent.is_deleted:
            raise forms.ValidationError("This question has been deleted.")
        return parent


POST_READONLY_FIELDS = (
    "kind",
    "author",
    "author_name",
    "created_at",
    "last_editor",
    "last_editor_name",
    "last_edited_at",
    "last_activity_at",
    "score",
    "answer_count",
    "comment_count",
    "view_count",
    "version",
    "accepted_answer",
    "accepted_at",
    "closed_at",
    "close_notice",
    "close_votes_pending",
    "last_close_vote_at",
    "deleted_at",
    "locked_until",
    "lock_kind",
    "protected_at",
    "body_html",
)

POST_INFO_FIELDSETS = (
    (
        "Author and activity",
        {
            "fields": (
                ("author", "author_name"),
                "created_at",
                ("last_editor", "last_editor_name"),
                "last_edited_at",
                "last_activity_at",
            )
        },
    ),
    (
        "Counters",
        {
            "fields": (
                ("score", "version"),
                ("answer_count", "comment_count", "view_count"),
                ("accepted_answer", "accepted_at"),
            )
        },
    ),
    (
        "State",
        {
            "description": "Changed only by the close, lock, protect and delete services.",
            "fields": (
                "deleted_at",
                ("closed_at", "close_votes_pending", "last_close_vote_at"),
                "close_notice",
                ("locked_until", "lock_kind"),
                "protected_at",
            ),
        },
    ),
    ("Rendered body", {"classes": ("collapse",), "fields": ("body_html",)}),
)
