"""Tags: excerpt, wiki and synonyms (a change goes through the wiki and merge services, so
it makes a wiki revision or retags questions as on the site); tag links, synonym
suggestions, their votes and wiki revisions are history."""

from django import forms
from django.contrib import admin
from taggit.models import Tag as TaggitTag

from threads import services, validation
from threads.admin.common import ReadOnlyAdmin, short
from threads.admin.filters import SynonymFilter
from threads.admin.service_calls import ServiceRefusalsMixin, service_call
from threads.models import Tag, TaggedPost, TagSynonym, TagSynonymVote, TagWikiRevision

# taggit's own Tag model is unused (posts are tagged with ``threads.Tag``): hide its admin
# so nobody edits tags there.
if admin.site.is_registered(TaggitTag):
    admin.site.unregister(TaggitTag)


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
        changed = set(form.changed_data)
        if not change or not changed & {"excerpt", "wiki_body", "synonym_of"}:
            services.tag_save(tag=obj)
            return
        if changed & {"excerpt", "wiki_body"}:
            services.tag_wiki_edit(
                editor=request.user,
                tag=obj,
                excerpt=obj.excerpt,
                body=obj.wiki_body,
                summary="Edited in the admin",
            )
        if "synonym_of" in changed:
            master = obj.synonym_of
            if master is None or form.initial.get("synonym_of") is not None:
                # cleared or moved to another master: questions stay where they are
                Tag.objects.filter(pk=obj.pk).update(synonym_of=None)
            if master is not None:
                services.tag_merge(actor=request.user, source_name=obj.name, target=master)
        obj.refresh_from_db()

    @admin.display(description="excerpt")
    def short_excerpt(self, obj) -> str:
        return short(obj.excerpt, 80)


@admin.register(TaggedPost)
class TaggedPostAdmin(ReadOnlyAdmin):
    """Written by ``post_edit`` / ``question_create`` (the question's Tags field)."""

    list_display = ("id", "tag", "content_object")
    list_select_related = ("tag", "content_object")
    search_fields = ("tag__name", "content_object__id__exact", "content_object__title")


@admin.register(TagSynonym)
class TagSynonymAdmin(ReadOnlyAdmin):
    """Written by the synonym services (the tag's Synonyms page; a merge here, on the tag)."""

    list_display = ("id", "source", "target", "state", "score", "merged", "retagged", "decided_at")
    list_select_related = ("source", "target")
    list_filter = ("state", "merged")
    search_fields = ("source__name", "target__name")


@admin.register(TagSynonymVote)
class TagSynonymVoteAdmin(ReadOnlyAdmin):
    list_display = ("id", "synonym", "user", "value", "cast_at")
    list_select_related = ("user",)


@admin.register(TagWikiRevision)
class TagWikiRevisionAdmin(ReadOnlyAdmin):
    """Written by ``tag_wiki_edit`` (the tag's info page, or a wiki change here)."""

    list_display = ("id", "tag", "number", "editor_name", "summary", "created_at")
    list_select_related = ("tag",)
    search_fields = ("tag__name",)
