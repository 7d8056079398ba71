"""The admin for moderation.

Services are the only writers (DESIGN §2/§3): the question admin's Close, Reopen, Lock,
Unlock, Protect and Unprotect actions check ``moderation.rules`` and call
``moderation.services`` (which call ``threads.services`` for the state change), exactly as
the site's views do; the admin holds no second copy of a transition.

- Close reasons are data the admins edit (texts, active flag, order). Off-topic's
  site-specific sub-reasons are edited inline under the group. Closures keep a snapshot of
  the texts in force, so editing a reason never rewrites a closed question; a reason that
  has votes can't be deleted (``PROTECT``): untick "Active" to retire it.
- Close and reopen votes are history: read-only lists.
- Moderation events are the append-only public record: view only, no actions.
- Review tasks, reviews and review suspensions are written only by the review services
  (``moderation.tasks`` / ``moderation.reviews``): read-only lists. There is no service
  to lift a suspension yet, so the admin offers none either.
- Flags are raised on the site; the flag list's "Mark helpful" and "Decline" actions call
  ``moderation.flags.flag_handle`` with the moderator, as the flag queue does.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator

from accounts.privileges import is_moderator
from moderation import flags, rules, services
from moderation.models import (
    CloseReason,
    CloseReasonKind,
    CloseVote,
    Flag,
    ModerationEvent,
    ReopenVote,
    Review,
    ReviewSuspension,
    ReviewTask,
)
from threads.admin import InForceUntilFilter, QuestionAdmin, ReadOnlyAdmin
from threads.models import LockKind, Post, Question

RETIRE_HINT = "Untick “Active” to retire it instead: closures keep their own copy of its texts."


def _short(text: str, length: int = 60) -> str:
    return Truncator(text).chars(length)


def _post_admin_url(post: Post) -> str:
    name = "question" if post.is_question else "answer"
    return reverse(f"admin:threads_{name}_change", args=[post.pk])


def _post_link(post: Post | None):
    if post is None:
        return "—"
    return format_html('<a href="{}">{}</a>', _post_admin_url(post), _short(str(post)))


def _used_in_votes(reason: CloseReason) -> int:
    """Close votes naming the reason or, for the off-topic group, one of its sub-reasons."""
    return CloseVote.objects.filter(Q(reason=reason) | Q(reason__parent=reason)).count()


# Close reasons --------------------------------------------------------------------------

SUB_REASON_KINDS = (CloseReasonKind.STANDARD, CloseReasonKind.SOMETHING_ELSE)


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
        fields = (
            "name",
            "parent",
            "kind",
            "brief_description",
            "voter_guidance",
            "post_notice",
            "asker_guidance",
            "is_active",
            "order",
        )

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
        fields = (
            "name",
            "kind",
            "brief_description",
            "voter_guidance",
            "post_notice",
            "asker_guidance",
            "is_active",
            "order",
        )

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
    fields = (
        "name",
        "parent",
        "kind",
        "brief_description",
        "voter_guidance",
        "post_notice",
        "asker_guidance",
        ("is_active", "order"),
    )

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


# Votes ----------------------------------------------------------------------------------


class QuestionVoteAdmin(ReadOnlyAdmin):
    """Close and reopen votes: written only by ``moderation.services``."""

    list_filter = ("state", "binding", "created_at")
    search_fields = ("question__id__exact", "question__title", "voter__username")
    raw_id_fields = ("question", "voter")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-pk")
    show_full_result_count = False

    @admin.display(description="question", ordering="question")
    def question_link(self, obj):
        return _post_link(obj.question)


@admin.register(CloseVote)
class CloseVoteAdmin(QuestionVoteAdmin):
    list_display = (
        "id",
        "question_link",
        "voter",
        "reason",
        "state",
        "binding",
        "created_at",
    )
    list_select_related = ("question", "voter", "reason__parent")
    list_filter = ("state", "reason", "binding", "created_at")
    raw_id_fields = ("question", "voter", "reason", "duplicate_of")
    fields = (
        "question",
        "voter",
        "reason",
        "duplicate_of",
        "comment",
        "state",
        "binding",
        "created_at",
        "ended_at",
    )


@admin.register(ReopenVote)
class ReopenVoteAdmin(QuestionVoteAdmin):
    list_display = ("id", "question_link", "voter", "state", "binding", "created_at")
    list_select_related = ("question", "voter")
    fields = ("question", "voter", "state", "binding", "created_at", "ended_at")


# Events ---------------------------------------------------------------------------------


@admin.register(ModerationEvent)
class ModerationEventAdmin(ReadOnlyAdmin):
    """The append-only record: view only, and no actions (the model refuses updates and
    deletes as well)."""

    actions = None
    list_display = ("kind", "post_link", "question_link", "actor_name", "reason", "created_at")
    list_select_related = ("post", "question")
    list_filter = ("kind",)
    search_fields = ("reason", "actor_name", "question__id__exact")
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = (
        "kind",
        "post",
        "question",
        ("actor", "actor_name"),
        "reason",
        "details",
        "policy",
        "created_at",
    )

    @admin.display(description="post", ordering="post")
    def post_link(self, obj):
        return _post_link(obj.post)

    @admin.display(description="question", ordering="question")
    def question_link(self, obj):
        return _post_link(obj.question)


# Review queues --------------------------------------------------------------------------


class ReviewInline(admin.TabularInline):
    """The reviews of a task: history, view only."""

    model = Review
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ("reviewer", "decision", "comment", "audit_passed", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewer")


@admin.register(ReviewTask)
class ReviewTaskAdmin(ReadOnlyAdmin):
    """Tasks enter and leave their queues through ``moderation.tasks`` and
    ``moderation.reviews``: view only, with the task's reviews inline."""

    list_display = (
        "id",
        "queue",
        "post_link",
        "state",
        "outcome",
        "is_audit",
        "created_at",
        "completed_at",
    )
    list_select_related = ("post",)
    list_filter = ("queue", "state", "is_audit", "created_at")
    search_fields = ("post__id__exact", "post__title", "outcome")
    raw_id_fields = ("post", "suggested_edit", "audit_for")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-pk")
    show_full_result_count = False
    inlines = (ReviewInline,)
    fields = (
        "queue",
        "post",
        "suggested_edit",
        ("state", "outcome"),
        ("is_audit", "audit_expected", "audit_for"),
        "created_at",
        "completed_at",
    )

    @admin.display(description="post", ordering="post")
    def post_link(self, obj):
        return _post_link(obj.post)


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    """One reviewer's decision on one task: written only by ``reviews.review_decide``."""

    list_display = ("id", "task", "reviewer", "decision", "audit_passed", "created_at")
    list_select_related = ("task", "reviewer")
    list_filter = ("decision", "task__queue", "audit_passed", "created_at")
    search_fields = ("reviewer__username", "reviewer__display_name", "task__post__id__exact")
    raw_id_fields = ("task", "reviewer")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-pk")
    show_full_result_count = False
    fields = ("task", "reviewer", "decision", "comment", "audit_passed", "created_at")


class InForceFilter(InForceUntilFilter):
    title = "in force"
    parameter_name = "in_force"
    field = "ends_at"


@admin.register(ReviewSuspension)
class ReviewSuspensionAdmin(ReadOnlyAdmin):
    """Suspensions after failed audits (``reviews._suspend_after_failed_audits``). View
    only: lifting one early needs a service (none exists yet), not an edit of ``ends_at``
    here."""

    list_display = ("user", "reason", "starts_at", "ends_at", "in_force")
    list_select_related = ("user",)
    list_filter = (InForceFilter, "starts_at")
    search_fields = ("user__username", "user__display_name", "reason")
    raw_id_fields = ("user",)
    ordering = ("-ends_at", "-pk")
    fields = ("user", "reason", "starts_at", "ends_at")

    @admin.display(description="in force", boolean=True)
    def in_force(self, obj) -> bool:
        return obj.ends_at > timezone.now()


# Flags ----------------------------------------------------------------------------------


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
            return _post_link(obj.post)
        url = reverse("admin:threads_comment_change", args=[obj.comment_id])
        return format_html('Comment: <a href="{}">{}</a>', url, _short(obj.comment.body))

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


# Moderation actions on questions ---------------------------------------------------------

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
                    f"#{question.pk} “{_short(question.title)}”: {error}",
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
