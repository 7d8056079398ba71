"""Flags: decided with ``moderation.flags.flag_handle``, as in the flag queue."""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html

from moderation import rules
from moderation.admin.base import MODERATION_REFUSALS, action_form_with, is_acting_moderator
from moderation.flags import flag_handle
from moderation.models import Flag
from threads.admin.common import ReadOnlyAdmin, admin_url, post_link, short
from threads.admin.service_calls import ServiceRefusalsMixin, service_call


class FlagFields(forms.Form):
    decline_reason = forms.CharField(
        label="Decline reason (the flagger sees it):",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"size": 40}),
    )


#: The flag list's action bar with the decline reason next to it.
FlagActionForm = action_form_with(FlagFields)


@admin.register(Flag)
class FlagAdmin(ServiceRefusalsMixin, ReadOnlyAdmin):
    """Flags are raised on the site (``flags.flag_raise``). Moderators decide them here
    with the same service as the flag queue, ``flags.flag_handle``."""

    service_refusals = MODERATION_REFUSALS
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
        return is_acting_moderator(request.user)

    @admin.display(description="flagged")
    def target(self, obj):
        if obj.post_id is not None:
            return post_link(obj.post)
        url = admin_url(obj.comment)
        return format_html('Comment: <a href="{}">{}</a>', url, short(obj.comment.body))

    @service_call
    def _handle(self, request, queryset, *, helpful: bool, decline_reason: str = "") -> None:
        """``flag_handle`` on each selected flag; each refusal is reported once, with the
        flags it concerns."""
        rules.check_handle_flags_permission(request.user)
        results, refused = self.call_each(
            queryset.order_by("pk"),
            lambda flag: flag_handle(
                moderator=request.user, flag=flag, helpful=helpful, decline_reason=decline_reason
            ),
        )
        flags_refused: dict[str, list[int]] = {}
        for flag, reason in refused:
            flags_refused.setdefault(reason, []).append(flag.pk)
        for reason, pks in flags_refused.items():
            which = ", ".join(f"#{pk}" for pk in pks)
            self.message_user(request, f"{reason} (flag {which})", messages.ERROR)
        handled = sum(1 for done in results if done)
        if handled or not refused:
            verdict = "helpful" if helpful else "declined"
            already = len(results) - handled
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
