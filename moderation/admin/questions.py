"""The question admin's moderation actions: close, reopen, lock, unlock, protect, unprotect."""

from django import forms
from django.contrib import admin, messages

from moderation import rules, services
from moderation.admin.base import MODERATION_REFUSALS, action_form_with, is_acting_moderator
from moderation.admin.close_reasons import GROUPED_ORDER
from moderation.models import CloseReason, CloseReasonKind
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
        widget=forms.NumberInput(attrs={"class": "vIntegerField"}),  # admin CSS: no style=""
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


#: The changelist's action bar with the moderation choices next to it.
ModerationActionForm = action_form_with(ModerationFields)


def _action(description: str, done: str, check, change):
    """An action that needs no choice: ``check`` then ``change`` on each selected question
    (see ``ModerationQuestionAdmin._apply``)."""

    @admin.action(description=description, permissions=["moderate"])
    def action(model_admin, request, queryset):
        model_admin._apply(request, queryset, done, check, change)

    return action


def _reopen(user, question) -> bool:
    return services.reopen_vote_cast(voter=user, question=question).binding


def _unlock(user, question) -> bool:
    return services.post_unlock(actor=user, post=question)


def _protect(user, question) -> bool:
    return services.question_protect(actor=user, question=question)


def _unprotect(user, question) -> bool:
    return services.question_protect(actor=user, question=question, protect=False)


class ModerationQuestionAdmin(QuestionAdmin):
    """threads' question admin plus the moderation actions (binding votes, locks,
    protection). They are offered to moderators (and superusers) only."""

    service_refusals = MODERATION_REFUSALS
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
        return is_acting_moderator(request.user)

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

    def _apply(self, request, queryset, done: str, check, change) -> None:
        """On each question, ``check(user, question)`` (the rule) then ``change(user,
        question)`` (the service; True when it changed something). Refusals are reported per
        question and leave it as it was."""

        def apply(question) -> bool:
            check(request.user, question)
            return change(request.user, question)

        results, refused = self.call_each(queryset.order_by("pk"), apply)
        for question, reason in refused:
            self.message_user(
                request, f"#{question.pk} “{short(question.title)}”: {reason}", messages.ERROR
            )
        changed = sum(1 for result in results if result)
        if changed or not refused:
            unchanged = len(results) - changed
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

        def close(user, question) -> bool:
            vote = services.close_vote_cast(
                voter=user,
                question=question,
                reason=reason,
                duplicate_of=target,
                comment=choices["comment"],
            )
            return vote.binding

        self._apply(request, queryset, "Closed", rules.check_cast_close_vote_permission, close)

    reopen_selected = _action(
        "Reopen (binding vote)", "Reopened", rules.check_cast_reopen_vote_permission, _reopen
    )

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

        def lock(user, question) -> bool:
            return services.post_lock(actor=user, post=question, kind=kind, duration=duration)

        self._apply(request, queryset, "Locked", rules.check_lock_post_permission, lock)

    unlock_selected = _action("Unlock", "Unlocked", rules.check_lock_post_permission, _unlock)
    protect_selected = _action(
        "Protect", "Protected", rules.check_protect_question_permission, _protect
    )
    unprotect_selected = _action(
        "Unprotect", "Unprotected", rules.check_protect_question_permission, _unprotect
    )


if admin.site.is_registered(Question):
    admin.site.unregister(Question)
admin.site.register(Question, ModerationQuestionAdmin)
