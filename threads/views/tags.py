from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.privileges import is_moderator
from threads import selectors, services, tag_rules, tag_selectors
from threads.models import TagSynonym, TagSynonymState
from threads.rules import allowed
from threads.tag_forms import SynonymDecisionForm, SynonymVoteForm, TagSourceForm, TagWikiForm
from threads.views.common import add_refusal, synonym_redirect


def tag_list(request):
    sort = request.GET.get("sort", "popular")
    query = request.GET.get("q", "")[:35]
    tags = selectors.tag_list(name_contains=query, sort=sort)
    page = Paginator(tags, 36).get_page(request.GET.get("page"))
    return render(
        request,
        "threads/tag_list.html",
        {"page": page, "tags": page.object_list, "sort": sort, "q": query},
    )


def tag_suggest(request):
    """Names for the ask form's tag field (a datalist filled by the script)."""
    return JsonResponse({"tags": selectors.tag_suggestions(prefix=request.GET.get("q", "")[:35])})


def _master_tag(request, name: str, url_name: str):
    """The tag named ``name`` and None, or, for a synonym, None and a permanent redirect to
    the same page of its master tag (query string kept)."""
    tag = selectors.tag_get(name=name)
    if tag.synonym_of_id is None:
        return tag, None
    return None, synonym_redirect(request, tag, url_name)


def tag_info(request, name: str):
    tag, moved = _master_tag(request, name, "tag-info")
    if moved:
        return moved
    can_edit = allowed(tag_rules.check_edit_tag_wiki_permission, request.user, tag)
    return render(request, "threads/tag_info.html", {"tag": tag, "can_edit": can_edit})


@login_required
@require_http_methods(["GET", "POST"])
def tag_wiki_edit(request, name: str):
    tag, moved = _master_tag(request, name, "tag-wiki-edit")
    if moved:
        return moved
    tag_rules.check_edit_tag_wiki_permission(request.user, tag)
    initial = {
        "excerpt": tag.excerpt,
        "body": tag.wiki_body,
        "base": tag_selectors.tag_wiki_latest_number(tag=tag),
    }
    form = TagWikiForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.tag_wiki_edit(
                    editor=request.user,
                    tag=tag,
                    excerpt=data["excerpt"],
                    body=data["body"],
                    summary=data["summary"],
                    base_number=data["base"],
                )
            except ValidationError as refused:
                status = add_refusal(form, refused)
            else:
                return redirect("tag-info", name=tag.name)
    return render(request, "threads/tag_wiki_edit.html", {"tag": tag, "form": form}, status=status)


def tag_wiki_revisions(request, name: str):
    tag, moved = _master_tag(request, name, "tag-wiki-revisions")
    if moved:
        return moved
    rows = tag_selectors.tag_wiki_revisions(tag=tag)
    return render(request, "threads/tag_wiki_revisions.html", {"tag": tag, "rows": rows})


@require_http_methods(["GET", "POST"])
def tag_synonyms(request, name: str):
    """The tag's synonyms and pending suggestions; the POST is a suggestion."""
    tag, moved = _master_tag(request, name, "tag-synonyms")
    if moved:
        return moved
    form, status = TagSourceForm(request.POST or None), 200
    if request.method == "POST":
        tag_rules.check_suggest_tag_synonym_permission(request.user, tag)
        status = 400
        if form.is_valid():
            try:
                services.tag_synonym_suggest(
                    actor=request.user, source_name=form.cleaned_data["source"], target=tag
                )
            except ValidationError as refused:
                status = add_refusal(form, refused)
            else:
                messages.success(request, "Your suggestion is waiting for votes.")
                return redirect("tag-synonyms", name=tag.name)
    return _synonyms_page(request, tag, form=form, status=status)


def _synonyms_page(request, tag, *, form=None, merge_form=None, status=200):
    user = request.user
    moderator = is_moderator(user)
    context = {
        "tag": tag,
        "synonyms": tag_selectors.tag_synonyms(tag=tag),
        "suggestions": tag_selectors.tag_synonym_suggestions(tag=tag, user=user),
        "decisions": tag_selectors.tag_synonym_decisions(tag=tag),
        "can_suggest": moderator
        or allowed(tag_rules.check_suggest_tag_synonym_permission, user, tag),
        "is_moderator": moderator,
        "form": form or TagSourceForm(),
        "merge_form": merge_form or TagSourceForm(prefix="merge"),
    }
    return render(request, "threads/tag_synonyms.html", context, status=status)


@login_required
@require_POST
def tag_merge(request, name: str):
    tag = selectors.tag_get(name=name)
    tag_rules.check_decide_tag_synonym_permission(request.user)
    form = TagSourceForm(request.POST, prefix="merge")
    if form.is_valid():
        try:
            synonym = services.tag_merge(
                actor=request.user, source_name=form.cleaned_data["source"], target=tag
            )
        except ValidationError as refused:
            add_refusal(form, refused)
        else:
            messages.success(
                request,
                f"[{synonym.source.name}] is now a synonym of [{tag.name}]; "
                f"{synonym.retagged} question{'s' if synonym.retagged != 1 else ''} retagged.",
            )
            return redirect("tag-synonyms", name=tag.name)
    return _synonyms_page(request, tag, merge_form=form, status=400)


def _synonym_action(request, pk: int, form_class, act):
    """A button on one suggestion: ``act(synonym, choice)`` with the form's one field."""
    synonym = get_object_or_404(TagSynonym.objects.select_related("target"), pk=pk)
    form = form_class(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Unknown choice.")
    try:
        decided = act(synonym, next(iter(form.cleaned_data.values())))
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        if decided.state == TagSynonymState.PENDING:
            messages.success(request, f"Your vote is counted: the score is now {decided.score}.")
        else:
            messages.success(request, f"The suggestion is {decided.get_state_display().lower()}.")
    return redirect("tag-synonyms", name=synonym.target.name)


@login_required
@require_POST
def tag_synonym_vote(request, pk: int):
    def vote(synonym, choice):
        value = 1 if choice == "up" else -1
        return services.tag_synonym_vote(actor=request.user, synonym=synonym, value=value)

    return _synonym_action(request, pk, SynonymVoteForm, vote)


@login_required
@require_POST
def tag_synonym_decide(request, pk: int):
    def decide(synonym, choice):
        service = (
            services.tag_synonym_approve if choice == "approve" else services.tag_synonym_reject
        )
        return service(actor=request.user, synonym=synonym)

    return _synonym_action(request, pk, SynonymDecisionForm, decide)
