"""The question admin's moderation actions: close, reopen, lock, unlock, protect, unprotect."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied

from moderation import rules, services
from moderation.admin.close_reasons import GROUPED_ORDER
from moderation.models import CloseReason, CloseReasonKind
from qasite.privileges import is_moderator
from threads.admin.common import short
from threads.admin.posts import QuestionAdmin
from threads.models import LockKind, Post, Question

LOCK_DURATION_LABELS = {
    "1h": "1 hour",
    "1d": "1 day",
    "7d": "7 days",
    "permanent": "Permanent",
}


def _active_leaf_reasons():
    """What a close vote may name: active reasons, not the off-topic group itself, and no
    sub-reason of a retired group."""
    return (
        CloseReason.objects.filter(is_active=True)
        .exclude(kind=CloseReasonKind.OFF_TOPIC, parent__isnull=True)
        .exclude(parent__is_active=False)
        .select_related("parent")
        .order_by(*GROUPED_ORDER)
    )


class ModerationFields(forms.Form):
    """The choices the moderation actions read (all optional: each action says what it
    needs)."""

    reason = forms.ModelChoiceField(
        label="Close reason:", queryset=CloseReason.objects.none(), required=False
    )
    comment = forms.CharField(
        label="Comment (Something else):",
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"size": 20}),
    )
    duplicate_of = forms.IntegerField(
        label="Duplicate of question id:",
        min_value=1,
        required=False,
        widget=forms.NumberInput(attrs={"style": "width: 7em"}),
    )
    lock_kind = forms.ChoiceField(
        label="Lock:", choices=[("", "---------"), *LockKind.choices], required=False
    )
    lock_duration = forms.ChoiceField(
        label="for:",
        choices=[("", "---------")]
        + [(key, LOCK_DURATION_LABELS.get(key, key)) for key in services.LOCK_DURATIONS],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = _active_leaf_reasons()


class ModerationActionForm(ActionForm, ModerationFields):
    """The changelist's action bar with the moderation choices next to it."""

    field_order = ["action", "select_across", *ModerationFields.base_fields]

    def full_clean(self):
        # Django checks only the action here (an invalid form reads "No action selected.");
        # each moderation action validates the fields it uses and says what is wrong.
        super().full_clean()
        for name in ModerationFields.base_fields:
            self._errors.pop(name, None)


class ModerationQuestionAdmin(QuestionAdmin):
    """threads' question admin plus the moderation actions (binding votes, locks,
    protection). They are offered to moderators (and superusers) only."""

    action_form = ModerationActionForm
    actions = (
        *QuestionAdmin.actions,
        "close_selected",
        "reopen_selected",
        "lock_selected",
        "unlock_selected",
        "protect_selected",
        "unprotect_selected",
    )

    def has_moderate_permission(self, request) -> bool:
        return is_moderator(request.user) and request.user.is_active

    # Plumbing

    def _choices(self, request) -> dict | None:
        form = ModerationFields(request.POST)
        if form.is_valid():
            return form.cleaned_data
        for name, errors in form.errors.items():
            label = form.fields[name].label.rstrip(":") if name in form.fields else name
            for error in errors:
                self.message_user(request, f"{label}: {error}", messages.ERROR)
        return None

    def _apply(self, request, queryset, done: str, change) -> None:
        """Run ``change(question)`` (True when it changed something) on each question;
        refusals are reported per question and leave it as it was."""
        changed = unchanged = failed = 0
        for question in queryset.order_by("pk"):
            try:
                if change(question):
                    changed += 1
                else:
                    unchanged += 1
            except (services.ModerationError, PermissionDenied) as error:
                failed += 1
                self.message_user(
                    request,
                    f"#{question.pk} “{short(question.title)}”: {error}",
                    messages.ERROR,
                )
        if changed or not failed:
            note = f" ({unchanged} needed no change)" if unchanged else ""
            self.message_user(request, f"{done} {changed} question(s){note}.", messages.SUCCESS)

    # Actions

    @admin.action(
        description="Close (binding vote) with the reason chosen below", permissions=["moderate"]
    )
    def close_selected(self, request, queryset):
        choices = self._choices(request)
        if choices is None:
            return
        reason = choices["reason"]
        if reason is None:
            self.message_user(request, "Choose a close reason.", messages.ERROR)
            return
        target = None
        if reason.is_duplicate:
            target_id = choices["duplicate_of"]
            if target_id is None:
                self.message_user(
                    request,
                    "Give the id of the question the selected ones duplicate.",
                    messages.ERROR,
                )
                return
            target = Post.objects.filter(pk=target_id).first()
            if target is None:
                self.message_user(request, f"There is no question #{target_id}.", messages.ERROR)
                return

        def close(question) -> bool:
            rules.check_cast_close_vote_permission(request.user, question)
            vote = services.close_vote_cast(
                voter=request.user,
                question=question,
                reason=reason,
                duplicate_of=target,
                comment=choices["comment"],
            )
            return vote.binding

        self._apply(request, queryset, "Closed", close)

    @admin.action(description="Reopen (binding vote)", permissions=["moderate"])
    def reopen_selected(self, request, queryset):
        def reopen(question) -> bool:
            rules.check_cast_reopen_vote_permission(request.user, question)
            return services.reopen_vote_cast(voter=request.user, question=question).binding

        self._apply(request, queryset, "Reopened", reopen)

    @admin.action(description="Lock (kind and duration chosen below)", permissions=["moderate"])
    def lock_selected(self, request, queryset):
        choices = self._choices(request)
        if choices is None:
            return
        kind, duration = choices["lock_kind"], choices["lock_duration"]
        if not kind or not duration:
            self.message_user(
                request, "Choose the kind of lock and how long it lasts.", messages.ERROR
            )
            return

        def lock(question) -> bool:
            rules.check_lock_post_permission(request.user, question)
            return services.post_lock(
                actor=request.user, post=question, kind=kind, duration=duration
            )

        self._apply(request, queryset, "Locked", lock)

    @admin.action(description="Unlock", permissions=["moderate"])
    def unlock_selected(self, request, queryset):
        def unlock(question) -> bool:
            rules.check_lock_post_permission(request.user, question)
            return services.post_unlock(actor=request.user, post=question)

        self._apply(request, queryset, "Unlocked", unlock)

    @admin.action(description="Protect", permissions=["moderate"])
    def protect_selected(self, request, queryset):
        def protect(question) -> bool:
            rules.check_protect_question_permission(request.user, question)
            return services.question_protect(actor=request.user, question=question)

        self._apply(request, queryset, "Protected", protect)

    @admin.action(description="Unprotect", permissions=["moderate"])
    def unprotect_selected(self, request, queryset):
        def unprotect(question) -> bool:
            rules.check_protect_question_permission(request.user, question)
            return services.question_protect(actor=request.user, question=question, protect=False)

        self._apply(request, queryset, "Unprotected", unprotect)


if admin.site.is_registered(Question):
    admin.site.unregister(Question)
admin.site.register(Question, ModerationQuestionAdmin)
