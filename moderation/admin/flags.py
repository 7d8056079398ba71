"""Flags: decided with ``moderation.flags.flag_handle``, as in the flag queue."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html

from moderation import flags, rules, services
from moderation.models import Flag
from qasite.privileges import is_moderator
from threads.admin.common import ReadOnlyAdmin, post_link, short


class FlagFields(forms.Form):
    decline_reason = forms.CharField(
        label="Decline reason (the flagger sees it):",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"size": 40}),
    )


class FlagActionForm(ActionForm, FlagFields):
    """The flag list's action bar with the decline reason next to it."""

    field_order = ["action", "select_across", *FlagFields.base_fields]

    def full_clean(self):
        # As for ModerationActionForm: the action reports its own field's errors.
        super().full_clean()
        for name in FlagFields.base_fields:
            self._errors.pop(name, None)


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    """Flags are raised on the site (``flags.flag_raise``). Moderators decide them here
    with the same service as the flag queue, ``flags.flag_handle``."""

    action_form = FlagActionForm
    actions = ("mark_helpful", "decline_selected")
    list_display = ("id", "kind", "target", "flagger", "state", "created_at")
    list_select_related = ("flagger", "post", "comment")
    list_filter = ("state", "kind", "created_at")
    search_fields = ("flagger__username", "post__id__exact", "comment__id__exact", "text")
    raw_id_fields = ("post", "comment", "flagger", "handled_by")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-pk")
    show_full_result_count = False
    fields = (
        "kind",
        "post",
        "comment",
        "flagger",
        "text",
        "state",
        "decline_reason",
        ("handled_by", "handled_at"),
        "created_at",
    )

    def has_handle_permission(self, request) -> bool:
        return is_moderator(request.user) and request.user.is_active

    @admin.display(description="flagged")
    def target(self, obj):
        if obj.post_id is not None:
            return post_link(obj.post)
        url = reverse("admin:threads_comment_change", args=[obj.comment_id])
        return format_html('Comment: <a href="{}">{}</a>', url, short(obj.comment.body))

    def _handle(self, request, queryset, *, helpful: bool, decline_reason: str = "") -> None:
        """``flag_handle`` on each selected flag; refusals (``ModerationError``) are
        reported once each, with the flags they concern."""
        try:
            rules.check_handle_flags_permission(request.user)
        except PermissionDenied as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return
        handled = already = 0
        refusals: dict[str, list[int]] = {}
        for flag in queryset.order_by("pk"):
            try:
                done = flags.flag_handle(
                    moderator=request.user,
                    flag=flag,
                    helpful=helpful,
                    decline_reason=decline_reason,
                )
            except services.ModerationError as refused:
                refusals.setdefault(str(refused), []).append(flag.pk)
                continue
            if done:
                handled += 1
            else:
                already += 1
        for message, pks in refusals.items():
            which = ", ".join(f"#{pk}" for pk in pks)
            self.message_user(request, f"{message} (flag {which})", messages.ERROR)
        if handled or not refusals:
            verdict = "helpful" if helpful else "declined"
            note = f" ({already} already handled)" if already else ""
            self.message_user(
                request, f"Marked {handled} flag(s) {verdict}{note}.", messages.SUCCESS
            )

    @admin.action(description="Mark helpful", permissions=["handle"])
    def mark_helpful(self, request, queryset):
        self._handle(request, queryset, helpful=True)

    @admin.action(description="Decline (reason below)", permissions=["handle"])
    def decline_selected(self, request, queryset):
        form = FlagFields(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    self.message_user(request, f"Decline reason: {error}", messages.ERROR)
            return
        self._handle(
            request, queryset, helpful=False, decline_reason=form.cleaned_data["decline_reason"]
        )
