"""The admin for the Q&A core.

Services are the only writers (DESIGN §2/§3): every add, change and delete that moves a
counter, a revision or reputation goes through ``threads.services``, the same functions
the site's views call; the admin holds no second copy of a transition.

- Posts: ``Question`` and ``Answer`` proxy admins (add → ``question_create`` /
  ``answer_create``; change → ``post_edit``, so a revision is made and ``body_html``
  re-rendered; delete → soft delete with ``post_delete``; "Undelete" → ``post_undelete``).
  ``Post`` itself is registered as a read-only lookup list (raw-id popups, autocomplete and
  links from other rows), whose change page redirects to the question or answer page.
- Counters, state fields (closed, locked, protected…) and ``body_html`` are read-only.
- Comments: add → ``comment_create``, delete → ``comment_delete``; the body is read-only
  (there is no comment edit service yet).
- Votes and comment votes: add, change and delete → ``vote_cast`` / ``vote_retract`` /
  ``comment_vote_cast`` / ``comment_vote_retract``.
- Revisions, tagged posts and the reputation ledger are history: read-only.

The services check who acts (the admin user; on an add form, the author, voter or
commenter chosen there), the target's state (deleted, locked, closed) and the input, as
they do for every entry point. The forms check text with ``threads.validation``, the site's
one validator, so a title too short or a bad tag is shown at its field; a refusal known only
when the service runs (a permission, a locked post, a rate limit) rolls the whole request
back and is shown as an error message on the page it came from (``ServiceRefusalsMixin``).
"""

import functools

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.db.models import F
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator, capfirst
from taggit.models import Tag as TaggitTag

from threads import services, validation
from threads.models import (
    Answer,
    Comment,
    CommentVote,
    Post,
    PostKind,
    PostLink,
    Question,
    ReputationChange,
    Revision,
    SuggestedEdit,
    Tag,
    TaggedPost,
    Vote,
)

# taggit's own Tag model is unused (posts are tagged with ``threads.Tag``): hide its admin
# so nobody edits tags there.
if admin.site.is_registered(TaggitTag):
    admin.site.unregister(TaggitTag)


def _admin_url(obj, action: str = "change") -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}", args=[obj.pk])


def _post_admin_url(post: Post) -> str:
    name = "question" if post.is_question else "answer"
    return reverse(f"admin:threads_{name}_change", args=[post.pk])


def _short(text: str, length: int = 60) -> str:
    return Truncator(text).chars(length)


# Filters -------------------------------------------------------------------------------


class _NullStateFilter(admin.SimpleListFilter):
    """Yes/no on whether a nullable timestamp (or foreign key) is set."""

    field = ""

    def lookups(self, request, model_admin):
        return (("yes", "Yes"), ("no", "No"))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(**{f"{self.field}__isnull": False})
        if self.value() == "no":
            return queryset.filter(**{f"{self.field}__isnull": True})
        return queryset


class DeletedFilter(_NullStateFilter):
    title = "deleted"
    parameter_name = "deleted"
    field = "deleted_at"


class ClosedFilter(_NullStateFilter):
    title = "closed"
    parameter_name = "closed"
    field = "closed_at"


class ProtectedFilter(_NullStateFilter):
    title = "protected"
    parameter_name = "protected"
    field = "protected_at"


class HasAcceptedAnswerFilter(_NullStateFilter):
    title = "has an accepted answer"
    parameter_name = "has_accepted"
    field = "accepted_answer"


class SynonymFilter(_NullStateFilter):
    title = "is a synonym"
    parameter_name = "synonym"
    field = "synonym_of"


class InForceUntilFilter(admin.SimpleListFilter):
    """Yes/No on whether ``field`` (an end time) is still in the future."""

    field = ""

    def lookups(self, request, model_admin):
        return (("yes", "Yes"), ("no", "No"))

    def queryset(self, request, queryset):
        in_force = {f"{self.field}__gt": timezone.now()}
        if self.value() == "yes":
            return queryset.filter(**in_force)
        if self.value() == "no":
            return queryset.exclude(**in_force)
        return queryset


class LockedFilter(InForceUntilFilter):
    title = "locked"
    parameter_name = "locked"
    field = "locked_until"


class AcceptedFilter(admin.SimpleListFilter):
    title = "accepted"
    parameter_name = "accepted"

    def lookups(self, request, model_admin):
        return (("yes", "Yes"), ("no", "No"))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(parent__accepted_answer=F("pk"))
        if self.value() == "no":
            return queryset.exclude(parent__accepted_answer=F("pk"))
        return queryset


# Shared behaviour ----------------------------------------------------------------------


class ReadOnlyAdmin(admin.ModelAdmin):
    """History (revisions, the ledger, tag links): view only."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ServiceDeleteMixin:
    """Deleting goes through a service (usually a soft delete), so the confirmation page
    lists only the rows themselves instead of Django's cascade (which would also ask for
    delete permission on read-only history such as revisions and the ledger)."""

    delete_note = ""

    def get_deleted_objects(self, objs, request):
        objs = list(objs)
        opts = self.model._meta
        suffix = f" ({self.delete_note})" if self.delete_note else ""
        deleted = [
            format_html(
                '{}: <a href="{}">{}</a>{}',
                capfirst(opts.verbose_name),
                _admin_url(obj),
                obj,
                suffix,
            )
            for obj in objs
        ]
        return deleted, {opts.verbose_name_plural: len(objs)}, set(), []


class ServiceRefused(Exception):
    """A service refused what an admin page asked for; carries the text to show."""


def _refusal_text(refused: Exception) -> str:
    if isinstance(refused, ValidationError):
        return " ".join(refused.messages)
    return str(refused)


def service_call(method):
    """Marks an admin method that calls services (``save_model``, ``delete_model``, an
    action…): their refusals become ``ServiceRefused``, which ``ServiceRefusalsMixin`` shows
    as a message. Only these, so the admin's own ``PermissionDenied`` (no permission to view
    or change a model) stays a 403."""

    @functools.wraps(method)
    def call(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except (
            PermissionDenied,
            ValidationError,
            services.StaleEdit,
            services.SuggestionRefused,
        ) as refused:
            raise ServiceRefused(_refusal_text(refused)) from refused

    return call


class ServiceRefusalsMixin:
    """A POST whose service refuses (``ServiceRefused``) is rolled back as a whole and
    redirected to the page it came from (a GET, which calls no service), with the reason as
    an error message: never a 500."""

    def _refusals_shown(self, view, request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return view(request, *args, **kwargs)
        except ServiceRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, *args, **kwargs):
        return self._refusals_shown(super().changeform_view, request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        return self._refusals_shown(super().delete_view, request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        return self._refusals_shown(super().changelist_view, request, *args, **kwargs)


def _adopt(obj, saved) -> None:
    """Point the admin's unsaved instance at the row a service created, so the admin's
    log entry, message and redirect use it."""
    obj.pk = saved.pk
    obj._state.adding = False
    obj.refresh_from_db()


# Posts ---------------------------------------------------------------------------------


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


class RevisionInline(admin.TabularInline):
    model = Revision
    fields = ("number", "kind", "editor_name", "summary", "created_at")
    readonly_fields = fields
    ordering = ("-number",)
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


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


class BasePostAdmin(ServiceRefusalsMixin, ServiceDeleteMixin, admin.ModelAdmin):
    """Shared by the question and answer admins: every write goes through a service."""

    kind: str = ""
    delete_note = "soft delete: the Undelete action restores it"
    inlines = (RevisionInline,)
    actions = ("undelete_selected",)
    autocomplete_fields = ("author", "parent")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(kind=self.kind)

    def get_readonly_fields(self, request, obj=None):
        return POST_READONLY_FIELDS if obj is not None else ()

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else ()

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_deleted:
            return False
        return super().has_delete_permission(request, obj)

    @service_call
    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.post_edit(
                editor=request.user,
                post=obj,
                title=data.get("title") or "",
                body=data["body"],
                tags=data.get("tag_names"),
                summary=data.get("summary", ""),
                base_stamp=data.get("base_stamp") or None,
            )
            obj.refresh_from_db()
            return
        _adopt(obj, self.create_post(request, data))

    def create_post(self, request, data) -> Post:
        raise NotImplementedError

    @service_call
    def delete_model(self, request, obj):
        services.post_delete(actor=request.user, post=obj)

    @service_call
    def delete_queryset(self, request, queryset):
        for post in queryset:
            services.post_delete(actor=request.user, post=post)

    @admin.action(description="Undelete selected %(verbose_name_plural)s", permissions=["delete"])
    @service_call
    def undelete_selected(self, request, queryset):
        restored = sum(
            services.post_undelete(actor=request.user, post=post)
            for post in queryset.filter(deleted_at__isnull=False)
        )
        self.message_user(request, f"Undeleted {restored} post(s).", messages.SUCCESS)

    @admin.display(description="author", ordering="author_name")
    def author_link(self, obj):
        if obj.author_id is None:
            return obj.author_name or "—"
        return format_html('<a href="{}">{}</a>', _admin_url(obj.author), obj.author)

    @admin.display(description="state")
    def state(self, obj) -> str:
        labels = []
        if obj.is_deleted:
            labels.append("deleted")
        if obj.is_closed:
            labels.append("closed")
        if obj.is_locked:
            labels.append("locked")
        if obj.is_protected:
            labels.append("protected")
        return ", ".join(labels) or "—"


@admin.register(Question)
class QuestionAdmin(BasePostAdmin):
    kind = PostKind.QUESTION
    form = QuestionAdminForm
    list_display = (
        "title",
        "author_link",
        "score",
        "answer_count",
        "view_count",
        "tag_list",
        "created_at",
        "state",
    )
    list_select_related = ("author",)
    list_filter = (
        DeletedFilter,
        ClosedFilter,
        LockedFilter,
        ProtectedFilter,
        HasAcceptedAnswerFilter,
        "created_at",
    )
    search_fields = (
        "title",
        "id__exact",
        "author__username",
        "author__display_name",
        "author_name",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return ((None, {"fields": ("title", "body", "tag_names", "author")}),)
        return (
            (None, {"fields": ("title", "body", "tag_names", "summary", "base_stamp")}),
            *POST_INFO_FIELDSETS,
        )

    def create_post(self, request, data) -> Post:
        return services.question_create(
            author=data.get("author") or request.user,
            title=data["title"],
            body=data["body"],
            tags=data["tag_names"],
        )

    @admin.display(description="tags")
    def tag_list(self, obj) -> str:
        return " ".join(tag.name for tag in obj.tags.all())


@admin.register(Answer)
class AnswerAdmin(BasePostAdmin):
    kind = PostKind.ANSWER
    form = AnswerAdminForm
    list_display = (
        "__str__",
        "question_link",
        "author_link",
        "score",
        "accepted",
        "comment_count",
        "created_at",
        "state",
    )
    list_select_related = ("author", "parent")
    list_filter = (DeletedFilter, AcceptedFilter, "created_at")
    search_fields = ("id__exact", "parent__title", "author__username", "author__display_name")

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return ((None, {"fields": ("parent", "body", "author")}),)
        return (
            (None, {"fields": ("question_link", "body", "summary", "base_stamp")}),
            *POST_INFO_FIELDSETS,
        )

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return ("question_link", *fields) if obj is not None else fields

    def create_post(self, request, data) -> Post:
        return services.answer_create(
            author=data.get("author") or request.user, question=data["parent"], body=data["body"]
        )

    @admin.display(description="question", ordering="parent__title")
    def question_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', _post_admin_url(obj.parent), _short(obj.parent.title)
        )

    @admin.display(description="accepted", boolean=True)
    def accepted(self, obj) -> bool:
        return obj.parent.accepted_answer_id == obj.pk


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    """Every post in one list: the target of raw-id popups, autocompletes and links from
    comments, votes, revisions and the ledger. Editing happens on the question or answer
    page, to which the change page redirects."""

    list_display = ("id", "kind", "__str__", "author", "score", "created_at", "deleted_at")
    list_select_related = ("author",)
    list_filter = ("kind", DeletedFilter, "created_at")
    search_fields = ("id__exact", "title", "parent__title", "author__username", "author_name")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    show_full_result_count = False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        post = self.get_object(request, unquote(object_id))
        if post is None:
            return super().change_view(request, object_id, form_url, extra_context)
        return HttpResponseRedirect(_post_admin_url(post))

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # Autocomplete on another admin's form: an answer's parent is a live question;
        # votes and comments go on live posts.
        field_name = request.GET.get("field_name")
        if field_name == "parent":
            queryset = queryset.filter(kind=PostKind.QUESTION, deleted_at__isnull=True)
        elif field_name == "post":
            queryset = queryset.filter(deleted_at__isnull=True)
        return queryset, may_have_duplicates


# Comments ------------------------------------------------------------------------------


class CommentAdminForm(forms.ModelForm):
    def clean_post(self):
        post = self.cleaned_data["post"]
        if post.is_deleted:
            raise forms.ValidationError("This post has been deleted.")
        return post

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        errors = validation.comment_errors(body)
        if errors:
            raise forms.ValidationError(errors)
        return body


@admin.register(Comment)
class CommentAdmin(ServiceRefusalsMixin, ServiceDeleteMixin, admin.ModelAdmin):
    """Add → ``comment_create``; delete → ``comment_delete`` (soft). The body is read-only
    once posted: there is no comment edit service to re-render it."""

    form = CommentAdminForm
    delete_note = "soft delete"
    list_display = ("short_body", "post_link", "author", "score", "created_at", "deleted_at")
    list_select_related = ("author", "post")
    list_filter = (DeletedFilter, "created_at")
    search_fields = ("body", "author__username", "author__display_name", "author_name")
    autocomplete_fields = ("post", "author")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    show_full_result_count = False

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("post", "author", "body")
        return (
            "post_link",
            ("author", "author_name"),
            "body",
            "body_html",
            "score",
            "created_at",
            "deleted_at",
        )

    def has_change_permission(self, request, obj=None) -> bool:
        # View only once posted (every field is then shown read-only).
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.deleted_at is not None:
            return False
        return super().has_delete_permission(request, obj)

    @service_call
    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        comment = services.comment_create(
            author=data.get("author") or request.user, post=data["post"], body=data["body"]
        )
        _adopt(obj, comment)

    @service_call
    def delete_model(self, request, obj):
        services.comment_delete(actor=request.user, comment=obj)

    @service_call
    def delete_queryset(self, request, queryset):
        for comment in queryset:
            services.comment_delete(actor=request.user, comment=comment)

    @admin.display(description="comment", ordering="body")
    def short_body(self, obj) -> str:
        return _short(obj.body)

    @admin.display(description="post", ordering="post")
    def post_link(self, obj):
        return format_html('<a href="{}">{}</a>', _post_admin_url(obj.post), _short(str(obj.post)))


# Votes ---------------------------------------------------------------------------------


class VoteAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        user = cleaned.get("user") or (instance.user if instance.user_id else None)
        post = cleaned.get("post") or (instance.post if instance.post_id else None)
        if post is not None and post.is_deleted:
            raise forms.ValidationError("This post has been deleted.")
        if user is not None and post is not None and post.author_id == user.pk:
            raise forms.ValidationError("Nobody votes on their own post.")
        return cleaned


@admin.register(Vote)
class VoteAdmin(ServiceRefusalsMixin, ServiceDeleteMixin, admin.ModelAdmin):
    """Add, change (up ↔ down) and delete go through ``vote_cast`` / ``vote_retract``, so
    the post's score and the reputation ledger follow."""

    form = VoteAdminForm
    delete_note = "retracted: score and reputation are undone"
    list_display = ("id", "value", "post_link", "user", "cast_at")
    list_select_related = ("user", "post")
    list_filter = ("value", "post__kind", "cast_at")
    search_fields = ("user__username", "user__display_name", "post__id__exact")
    autocomplete_fields = ("user", "post")
    date_hierarchy = "cast_at"
    ordering = ("-cast_at",)
    show_full_result_count = False

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("user", "post", "value")
        return ("user", "post", "value", "cast_at")

    def get_readonly_fields(self, request, obj=None):
        return ("user", "post", "cast_at") if obj is not None else ()

    @service_call
    def save_model(self, request, obj, form, change):
        if change and "value" not in form.changed_data:
            return
        # Changing a vote's value replaces the row (``vote_cast`` undoes the old vote first).
        services.vote_cast(user=obj.user, post=obj.post, value=obj.value)
        _adopt(obj, Vote.objects.get(user=obj.user, post=obj.post))

    @service_call
    def delete_model(self, request, obj):
        services.vote_retract(user=obj.user, post=obj.post)

    @service_call
    def delete_queryset(self, request, queryset):
        for vote in queryset.select_related("user", "post"):
            services.vote_retract(user=vote.user, post=vote.post)

    @admin.display(description="post", ordering="post")
    def post_link(self, obj):
        return format_html('<a href="{}">{}</a>', _post_admin_url(obj.post), _short(str(obj.post)))


class CommentVoteAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        user, comment = cleaned.get("user"), cleaned.get("comment")
        if comment is not None and comment.deleted_at is not None:
            raise forms.ValidationError("This comment has been deleted.")
        if user is not None and comment is not None and comment.author_id == user.pk:
            raise forms.ValidationError("Nobody votes on their own comment.")
        return cleaned


@admin.register(CommentVote)
class CommentVoteAdmin(ServiceRefusalsMixin, ServiceDeleteMixin, admin.ModelAdmin):
    form = CommentVoteAdminForm
    delete_note = "retracted: the comment's score is undone"
    list_display = ("id", "comment", "user", "cast_at")
    list_select_related = ("user", "comment")
    list_filter = ("cast_at",)
    search_fields = ("user__username", "user__display_name", "comment__body")
    autocomplete_fields = ("user", "comment")
    date_hierarchy = "cast_at"
    ordering = ("-cast_at",)

    def get_fields(self, request, obj=None):
        return ("user", "comment") if obj is None else ("user", "comment", "cast_at")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @service_call
    def save_model(self, request, obj, form, change):
        services.comment_vote_cast(user=obj.user, comment=obj.comment)
        _adopt(obj, CommentVote.objects.get(user=obj.user, comment=obj.comment))

    @service_call
    def delete_model(self, request, obj):
        services.comment_vote_retract(user=obj.user, comment=obj.comment)

    @service_call
    def delete_queryset(self, request, queryset):
        for vote in queryset.select_related("user", "comment__post"):
            services.comment_vote_retract(user=vote.user, comment=vote.comment)


# History -------------------------------------------------------------------------------


@admin.register(Revision)
class RevisionAdmin(ServiceRefusalsMixin, ReadOnlyAdmin):
    list_display = (
        "__str__",
        "post_link",
        "number",
        "kind",
        "editor_name",
        "summary",
        "created_at",
    )
    list_select_related = ("post", "editor")
    list_filter = ("kind", "created_at")
    search_fields = ("post__id__exact", "title", "summary", "editor_name", "editor__username")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    show_full_result_count = False
    actions = ("rollback_to_selected",)
    fields = (
        "post",
        "number",
        "kind",
        "title",
        "body",
        "tags",
        ("editor", "editor_name"),
        "summary",
        "created_at",
    )

    def has_rollback_permission(self, request) -> bool:
        return request.user.has_perm("threads.change_post")

    @admin.display(description="post", ordering="post")
    def post_link(self, obj):
        return format_html('<a href="{}">{}</a>', _post_admin_url(obj.post), _short(str(obj.post)))

    @admin.action(description="Roll back to the selected revisions", permissions=["rollback"])
    @service_call
    def rollback_to_selected(self, request, queryset):
        done = sum(
            services.post_rollback(editor=request.user, post=revision.post, revision=revision)
            is not None
            for revision in queryset.select_related("post")
        )
        self.message_user(request, f"Rolled back {done} post(s).", messages.SUCCESS)


@admin.register(ReputationChange)
class ReputationChangeAdmin(ReadOnlyAdmin):
    """The ledger: written only by ``threads.reputation``."""

    list_display = ("id", "user", "amount", "cause", "post", "vote_id", "day", "created_at")
    list_select_related = ("user", "post")
    list_filter = ("cause", "day")
    search_fields = ("user__username", "user__display_name", "post__id__exact")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-pk")
    show_full_result_count = False


@admin.register(TaggedPost)
class TaggedPostAdmin(ReadOnlyAdmin):
    """Written by ``post_edit`` / ``question_create`` (the question's Tags field)."""

    list_display = ("id", "tag", "content_object")
    list_select_related = ("tag", "content_object")
    search_fields = ("tag__name", "content_object__id__exact", "content_object__title")


@admin.register(SuggestedEdit)
class SuggestedEditAdmin(ReadOnlyAdmin):
    """Decided in the Suggested edits review queue (its services apply or reject them)."""

    list_display = ("id", "post", "author", "state", "created_at", "decided_at")
    list_filter = ("state",)
    list_select_related = ("post", "author")
    raw_id_fields = ("post", "author")
    search_fields = ("post__id__exact", "post__title", "author__username", "summary")
    date_hierarchy = "created_at"


@admin.register(PostLink)
class PostLinkAdmin(ReadOnlyAdmin):
    """Written by the services that close questions as duplicates (and by the importer)."""

    list_display = ("id", "post", "target", "kind", "created_at")
    list_filter = ("kind",)
    list_select_related = ("post", "target")
    raw_id_fields = ("post", "target")
    search_fields = ("post__id__exact", "target__id__exact", "post__title")


# Tags ----------------------------------------------------------------------------------


class TagAdminForm(forms.ModelForm):
    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip().lower()
        if not validation.is_tag_name(name):
            raise forms.ValidationError(f"{validation.TAG_RULE_TEXT}.")
        return name

    def clean_synonym_of(self):
        master = self.cleaned_data.get("synonym_of")
        if master is None:
            return master
        if master.pk == self.instance.pk:
            raise forms.ValidationError("A tag can't be a synonym of itself.")
        if master.synonym_of_id is not None:
            raise forms.ValidationError(
                f"“{master.name}” is itself a synonym of “{master.synonym_of.name}”: "
                "point at the master tag."
            )
        if self.instance.pk and self.instance.synonyms.exists():
            raise forms.ValidationError("This tag has synonyms of its own.")
        return master


@admin.register(Tag)
class TagAdmin(ServiceRefusalsMixin, admin.ModelAdmin):
    """Excerpt, wiki and synonym editing. ``usage_count`` is kept by the post services; a
    tag in use can't be deleted (nor renamed: its name is its URL)."""

    form = TagAdminForm
    list_display = ("name", "usage_count", "synonym_of", "short_excerpt", "created_at")
    list_select_related = ("synonym_of",)
    list_filter = (SynonymFilter, "created_at")
    search_fields = ("name", "excerpt")
    autocomplete_fields = ("synonym_of",)
    ordering = ("-usage_count", "name")

    def get_fields(self, request, obj=None):
        fields = ("name", "excerpt", "wiki_body", "synonym_of")
        if obj is None:
            return fields
        return (*fields, "usage_count", "created_at", "wiki_html")

    def get_readonly_fields(self, request, obj=None):
        return ("name", "usage_count", "created_at", "wiki_html") if obj is not None else ()

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.tagged_posts.exists():
            return False
        return super().has_delete_permission(request, obj)

    @service_call
    def save_model(self, request, obj, form, change):
        services.tag_save(tag=obj)

    @admin.display(description="excerpt")
    def short_excerpt(self, obj) -> str:
        return _short(obj.excerpt, 80)
