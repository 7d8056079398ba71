"""Forms of the tag pages; the services check names and limits (``threads.validation``)."""

from django import forms

from core.conf import qasite_setting
from threads import validation


class TagSourceForm(forms.Form):
    """The tag to become a synonym (a suggestion, or a moderator's merge)."""

    source = forms.CharField(
        label="Synonym",
        max_length=validation.TAG_MAX_LENGTH,
        help_text="An existing tag that means the same as this one.",
    )


class SynonymVoteForm(forms.Form):
    vote = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class SynonymDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])


class TagWikiForm(forms.Form):
    excerpt = forms.CharField(
        label="Excerpt",
        required=False,
        help_text="Plain text shown with the tag: what the tag is for, in a sentence or two.",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": validation.TAG_EXCERPT_MAX}),
    )
    body = forms.CharField(
        label="Wiki",
        required=False,
        help_text="Markdown: what the tag covers, good resources, what to tag instead.",
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    summary = forms.CharField(label="Edit summary", required=False, max_length=300)
    base = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs["maxlength"] = qasite_setting("POST_BODY_MAX")
