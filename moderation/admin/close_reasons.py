"""Close reasons: data the admins edit (texts, active flag, order), with Off-topic's
site-specific sub-reasons inline under the group."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet

from moderation.models import CloseReason, CloseReasonKind, CloseVote

RETIRE_HINT = "Untick “Active” to retire it instead: closures keep their own copy of its texts."


def _used_in_votes(reason: CloseReason) -> int:
    """Close votes naming the reason or, for the off-topic group, one of its sub-reasons."""
    return CloseVote.objects.filter(Q(reason=reason) | Q(reason__parent=reason)).count()


SUB_REASON_KINDS = (CloseReasonKind.STANDARD, CloseReasonKind.SOMETHING_ELSE)

#: The texts a reason shows (in the close dialog, on the closed post, to its asker).
REASON_TEXTS = ("brief_description", "voter_guidance", "post_notice", "asker_guidance")


#: Each group's sub-reasons right under it, as in the close dialog.
GROUPED_ORDER = (
    Coalesce("parent__order", "order").asc(),
    F("parent_id").asc(nulls_first=True),
    "order",
    "pk",
)


class CloseReasonForm(forms.ModelForm):
    class Meta:
        model = CloseReason
        fields = ("name", "parent", "kind", *REASON_TEXTS, "is_active", "order")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "parent" in self.fields:
            parent = self.fields["parent"]
            parent.queryset = CloseReason.objects.filter(
                parent__isnull=True, kind=CloseReasonKind.OFF_TOPIC
            ).exclude(pk=self.instance.pk)
            parent.label = "Group"
            parent.help_text = "Empty for a top-level reason; Off-topic for a site-specific one."

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        has_children = instance.pk is not None and instance.children.exists()
        if has_children and cleaned.get("parent") is not None:
            raise ValidationError("A group with sub-reasons can't itself be a sub-reason.")
        kind = cleaned.get("kind") or instance.kind
        if cleaned.get("parent") is not None and kind not in SUB_REASON_KINDS:
            raise ValidationError(
                "A sub-reason is a standard reason or “Something else” (which needs a comment)."
            )
        return cleaned


class SubReasonForm(forms.ModelForm):
    class Meta:
        model = CloseReason
        fields = ("name", "kind", *REASON_TEXTS, "is_active", "order")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:
            self.fields["kind"].choices = [
                (value, label)
                for value, label in CloseReasonKind.choices
                if value in SUB_REASON_KINDS
            ]


class SubReasonFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.forms:
            if not self.can_delete or not self._should_delete_form(form):
                continue
            reason = form.instance
            if reason.pk is not None and reason.votes.exists():
                raise ValidationError(
                    f"“{reason.name}” has close votes, so it can't be deleted. {RETIRE_HINT}"
                )


class SubReasonInline(admin.StackedInline):
    """Off-topic's site-specific reasons, edited under the group."""

    model = CloseReason
    fk_name = "parent"
    form = SubReasonForm
    formset = SubReasonFormSet
    extra = 0
    show_change_link = True
    verbose_name = "site-specific off-topic reason"
    verbose_name_plural = "site-specific off-topic reasons"


@admin.register(CloseReason)
class CloseReasonAdmin(admin.ModelAdmin):
    form = CloseReasonForm
    list_display = ("name", "group", "kind", "is_active", "order", "vote_count")
    list_editable = ("is_active", "order")
    list_filter = ("kind", "is_active", "parent")
    search_fields = ("name", "brief_description")
    ordering = GROUPED_ORDER
    fields = ("name", "parent", "kind", *REASON_TEXTS, ("is_active", "order"))

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("parent")
            .annotate(votes_total=Count("votes"))
        )

    def get_inlines(self, request, obj):
        return (SubReasonInline,) if obj is not None and obj.is_group else ()

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # The kind decides how votes are counted (a duplicate's targets) and whether the
        # reason groups others: fixed once it is in use.
        if obj.votes.exists() or obj.children.exists():
            return ("kind",)
        return ()

    def get_fieldsets(self, request, obj=None):
        description = None
        if obj is not None:
            used = _used_in_votes(obj)
            if used:
                description = (
                    f"This reason has been used in {used} close vote(s), so it can't be "
                    f"deleted. {RETIRE_HINT} Editing its texts is safe for the same reason."
                )
            elif obj.children.exists():
                description = "Delete its sub-reasons first to delete this group."
        return ((None, {"fields": self.fields, "description": description}),)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and (obj.votes.exists() or obj.children.exists()):
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description="group", ordering="parent__name")
    def group(self, obj) -> str:
        return obj.parent.name if obj.parent_id else "—"

    @admin.display(description="close votes", ordering="votes_total")
    def vote_count(self, obj) -> int:
        return obj.votes_total
