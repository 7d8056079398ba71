import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods, require_POST

from threads import rules, services
from threads.forms import CommentForm
from threads.models import Comment
from threads.views.common import (
    add_refusal,
    is_xhr,
    redirect_to_post,
    refusal_json,
    script_refusal,
    visible_post,
)


@login_required
@require_http_methods(["GET", "POST"])
def comment_create(request, pk: int):
    """Without JavaScript this is a small page; the script posts here and gets the comment's
    HTML back (or the form errors as JSON)."""
    post = visible_post(request, pk)
    try:
        rules.check_comment_permission(request.user, post)
    except PermissionDenied as denied:
        return script_refusal(request, denied)
    form = CommentForm(request.POST or None)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            comment = services.comment_create(
                author=request.user,
                post=post,
                body=form.cleaned_data["body"],
                token=form.cleaned_data["token"],
            )
        except (PermissionDenied, ValidationError) as refused:
            if is_xhr(request) and isinstance(refused, PermissionDenied):
                return refusal_json(refused)
            status = add_refusal(form, refused)  # the typed comment is shown again
        else:
            return _comment_created(request, post, comment)
    if request.method == "POST" and is_xhr(request):
        errors = [error for errors in form.errors.values() for error in errors]
        return JsonResponse({"error": " ".join(errors)}, status=400)
    return render(request, "threads/comment_form.html", {"post": post, "form": form}, status=status)


def _comment_created(request, post, comment):
    if is_xhr(request):
        html = render_to_string(
            "threads/partials/comment.html",
            {"comment": comment, "post": post, "voted": False},
            request=request,
        )
        return JsonResponse({"html": html, "id": comment.pk, "next_token": str(uuid.uuid4())})
    return redirect_to_post(post, anchor=f"comment-{comment.pk}")


def _visible_comment(request, pk: int) -> Comment:
    comment = get_object_or_404(
        Comment.objects.select_related("post__parent"), pk=pk, deleted_at__isnull=True
    )
    visible_post(request, comment.post_id)
    return comment


@login_required
@require_POST
def comment_vote(request, pk: int):
    comment = _visible_comment(request, pk)
    try:
        rules.check_vote_comment_permission(request.user, comment)
    except PermissionDenied as denied:
        return script_refusal(request, denied)
    if request.POST.get("vote") == "none":
        services.comment_vote_retract(user=request.user, comment=comment)
    else:
        services.comment_vote_cast(user=request.user, comment=comment)
    comment.refresh_from_db(fields=["score"])
    if is_xhr(request):
        return JsonResponse({"score": comment.score, "vote": request.POST.get("vote", "up")})
    return redirect_to_post(comment.post, anchor=f"comment-{comment.pk}")


@login_required
@require_POST
def comment_delete(request, pk: int):
    comment = _visible_comment(request, pk)
    rules.check_delete_comment_permission(request.user, comment)
    services.comment_delete(actor=request.user, comment=comment)
    if is_xhr(request):
        return JsonResponse({"deleted": comment.pk})
    return redirect_to_post(comment.post)
