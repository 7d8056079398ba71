from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods, require_POST

from threads import rules, selectors, services
from threads.diff import html_diff, rendered_text, side_by_side
from threads.forms import AnswerEditForm, QuestionEditForm, VoteForm
from threads.models import Revision
from threads.views.common import (
    add_refusal,
    body_preview,
    is_xhr,
    post_action,
    preview_requested,
    redirect_to_post,
    script_refusal,
    visible_post,
)

VOTE_VALUES = {"up": 1, "down": -1}


@login_required
@require_POST
def post_vote(request, pk: int):
    """Set the user's vote to up, down or none; the form states the wanted end state, so a
    replayed POST changes nothing."""
    post = visible_post(request, pk, brief=True)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Unknown vote.")
    wanted = form.cleaned_data["vote"]
    try:
        if wanted == "none":
            services.vote_retract(user=request.user, post=post)
        else:
            services.vote_cast(user=request.user, post=post, value=VOTE_VALUES[wanted])
    except PermissionDenied as denied:
        return script_refusal(request, denied)
    if is_xhr(request):  # the services set ``post.score`` to the score the vote left
        return JsonResponse({"score": post.score, "vote": wanted})
    return redirect_to_post(post)


@login_required
@require_POST
def answer_accept(request, pk: int):
    answer = visible_post(request, pk)
    if answer.is_question:
        raise Http404("Only answers can be accepted.")
    if request.POST.get("accept") == "no":
        services.answer_unaccept(user=request.user, answer=answer)
    else:
        services.answer_accept(user=request.user, answer=answer)
    return redirect_to_post(answer)


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request, pk: int):
    """Edit a post, or (below the edit privilege, on others' posts) suggest an edit that
    waits for review; a save over someone else's newer edit is refused with a diff."""
    post = visible_post(request, pk)
    suggesting = not rules.allowed(rules.check_edit_post_permission, request.user, post)
    if suggesting:
        rules.check_suggest_edit_permission(request.user, post)
    form_class = QuestionEditForm if post.is_question else AnswerEditForm
    latest = post.revisions.order_by("-number").first()
    initial = {"body": post.body, "base_stamp": services.revision_stamp(latest)}
    if post.is_question:
        initial.update(title=post.title, tags=" ".join(selectors.tags_in_order(post, latest)))
    if preview_requested(request):  # the text is kept, nothing is checked or saved
        form = form_class(initial={**initial, **request.POST.dict()}, user=request.user, post=post)
        context = {"post": post, "form": form, "suggesting": suggesting}
        return render(request, "threads/edit.html", {**context, "preview": body_preview(request)})
    form = form_class(request.POST or None, initial=initial, user=request.user, post=post)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        save = services.suggested_edit_create if suggesting else services.post_edit
        author_key = "author" if suggesting else "editor"
        try:
            result = save(
                **{author_key: request.user},
                post=post,
                title=data.get("title", ""),
                body=data["body"],
                tags=data.get("tags"),
                summary=data["summary"],
                base_stamp=data["base_stamp"],
            )
        except services.StaleEdit as stale:
            conflict = {
                "latest": stale.latest,
                "diff": html_diff(stale.latest.body, data["body"]),
            }
            form = form_class(
                {**request.POST.dict(), "base_stamp": services.revision_stamp(stale.latest)},
                user=request.user,
                post=post,
            )
            messages.error(
                request,
                "Someone else edited this post while you were editing. Your text is kept "
                "below; review the differences and save again.",
            )
        except (services.SuggestionRefused, PermissionDenied, ValidationError) as refused:
            add_refusal(form, refused)
        else:
            if suggesting:
                messages.success(
                    request, "Thanks! Your edit will be visible once reviewers approve it."
                )
            elif result is None:
                messages.info(request, "Nothing changed, so no new revision was saved.")
            post.refresh_from_db(fields=["title"])
            return redirect_to_post(post)
    return render(
        request,
        "threads/edit.html",
        {"post": post, "form": form, "conflict": conflict, "suggesting": suggesting},
        status=409 if conflict else (400 if form.errors else 200),
    )


#: How the revisions page shows changes (links toggle them; docs/rules.md, "Revisions").
DIFF_VIEWS = ("inline", "side")
DIFF_TEXTS = ("source", "rendered")


def post_revisions(request, pk: int):
    """``/posts/<pk>/revisions/?view=inline|side&of=source|rendered``: every revision, each
    compared with the one before it. One query for the revisions whatever their number."""
    post = visible_post(request, pk)
    view = request.GET.get("view") if request.GET.get("view") in DIFF_VIEWS else "inline"
    of = request.GET.get("of") if request.GET.get("of") in DIFF_TEXTS else "source"
    pairs = selectors.revisions_for(post=post)
    texts = {
        revision.pk: rendered_text(revision.body) if of == "rendered" else revision.body
        for revision, _previous in pairs
    }
    rows = []
    for revision, previous in pairs:
        text = texts[revision.pk]
        before = texts[previous.pk] if previous else None
        rows.append(
            {
                "revision": revision,
                "text": text,
                "body_diff": html_diff(before, text) if previous and view == "inline" else None,
                "body_rows": side_by_side(before, text) if previous and view == "side" else None,
                "title_diff": html_diff(previous.title, revision.title)
                if previous and previous.title != revision.title
                else None,
                "tags_diff": html_diff(previous.tags, revision.tags)
                if previous and previous.tags != revision.tags
                else None,
            }
        )
    can_rollback = rules.allowed(rules.check_edit_post_permission, request.user, post)
    return render(
        request,
        "threads/revisions.html",
        {
            "post": post,
            "rows": rows,
            "can_rollback": can_rollback,
            "view": view,
            "of": of,
        },
    )


@login_required
@require_POST
def post_rollback(request, pk: int, number: int):
    post = visible_post(request, pk)
    rules.check_edit_post_permission(request.user, post)
    revision = get_object_or_404(Revision, post=post, number=number)
    if services.post_rollback(editor=request.user, post=post, revision=revision) is None:
        messages.info(request, f"Revision {number} is already the current version.")
    else:
        messages.success(request, f"Rolled back to revision {number}.")
    post.refresh_from_db(fields=["title"])
    return redirect_to_post(post)


@login_required
@require_POST
def post_delete(request, pk: int):
    return post_action(
        request,
        pk,
        check=rules.check_delete_post_permission,
        act=services.post_delete,
        done="The post was deleted.",
    )
