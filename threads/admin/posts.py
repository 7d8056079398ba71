"""Questions and answers (written by the post services) and the every-post lookup list."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.http import HttpResponseRedirect
from django.utils.html import format_html

from threads import services
from threads.admin.common import (
    ReadOnlyAdmin,
    ReadOnlyInline,
    admin_url,
    adopt,
    post_admin_url,
    post_column,
)
from threads.admin.filters import (
    AcceptedFilter,
    ClosedFilter,
    DeletedFilter,
    HasAcceptedAnswerFilter,
    LockedFilter,
    ProtectedFilter,
)
from threads.admin.post_forms import (
    POST_INFO_FIELDSETS,
    POST_READONLY_FIELDS,
    AnswerAdminForm,
    QuestionAdminForm,
)
from threads.admin.service_calls import SoftDeleteMixin, service_call
from threads.models import Answer, Post, PostKind, Question, Revision


class RevisionInline(ReadOnlyInline):
    model = Revision
    fields = ("number", "kind", "editor_name", "summary", "created_at")
    readonly_fields = fields
    ordering = ("-number",)


class BasePostAdmin(SoftDeleteMixin, admin.ModelAdmin):
    """Shared by the question and answer admins: every write goes through a service."""

    kind: str = ""
    #: The add page's fields, and the change page's (above the post's read-only details).
    add_fields: tuple[str, ...] = ()
    change_fields: tuple[str, ...] = ()
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

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return ((None, {"fields": self.add_fields}),)
        return ((None, {"fields": self.change_fields}), *POST_INFO_FIELDSETS)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else ()

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
        adopt(obj, self.create_post(request, data))

    def create_post(self, request, data) -> Post:
        raise NotImplementedError

    def service_delete(self, request, obj) -> None:
        services.post_delete(actor=request.user, post=obj)

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
        return format_html('<a href="{}">{}</a>', admin_url(obj.author), obj.author)

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
    add_fields = ("title", "body", "tag_names", "author")
    change_fields = ("title", "body", "tag_names", "summary", "base_stamp")
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
    add_fields = ("parent", "body", "author")
    change_fields = ("question_link", "body", "summary", "base_stamp")
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

    question_link = post_column("parent", "question", ordering="parent__title")

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return ("question_link", *fields) if obj is not None else fields

    def create_post(self, request, data) -> Post:
        return services.answer_create(
            author=data.get("author") or request.user, question=data["parent"], body=data["body"]
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
        return HttpResponseRedirect(post_admin_url(post))

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
