"""Flagging posts and comments, the moderators' flag queue, and each flagger's history."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from moderation import flags, rules, selectors
from moderation.forms import FlagDecisionForm, FlagForm
from moderation.models import COMMENT_FLAG_KINDS, POST_FLAG_KINDS, Flag, FlagKind
from moderation.services import ModerationError
from threads.models import Comment, Post
from threads.rules import allowed, can_view_post
from threads.views.common import add_refusal, redirect_to_post, visible_post


def _flag_page(request, *, form, post, comment, status=200):
    return render(
        request,
        "moderation/flag_form.html",
        {"form": form, "post": post, "comment": comment},
        status=status,
    )


def _flag(request, *, post, comment, kinds):
    """The flag form for ``post`` (or its ``comment``): shown, or raised when valid."""
    form = FlagForm(request.POST if request.method == "POST" else None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        return _raise(request, form=form, post=post, comment=comment)
    return _flag_page(
        request, form=form, post=post, comment=comment, status=400 if form.errors else 200
    )


def _raise(request, *, form, post, comment):
    """Raise the flag from a valid form; re-render with the message when refused."""
    try:
        flag = flags.flag_raise(
            flagger=request.user,
            post=None if comment else post,
            comment=comment,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
        )
    except (ModerationError, PermissionDenied) as refused:
        status = add_refusal(form, refused)
        return _flag_page(request, form=form, post=post, comment=comment, status=status)
    question = Post.objects.only("deleted_at", "author_id", "kind").get(pk=post.question_id)
    if not can_view_post(request.user, question):
        # This flag deleted the question (spam or rude: docs/rules.md, "Flags"); its page
        # is a 404 now, so the flagger gets a confirmation instead.
        return render(request, "moderation/flag_deleted.html", {"post": post})
    messages.success(
        request, "Thanks: your flag is recorded. You'll see its outcome in your flag history."
    )
    can_close = allowed(rules.check_cast_close_vote_permission, request.user, post)
    if flag.kind == FlagKind.NEEDS_IMPROVEMENT and post.is_question and can_close:
        return redirect("question-close", pk=post.pk)
    anchor = f"comment-{comment.pk}" if comment else None
    return redirect_to_post(post, anchor=anchor)


@login_required
@require_http_methods(["GET", "POST"])
def post_flag(request, pk: int):
    post = visible_post(request, pk)
    rules.check_flag_permission(request.user, post)
    kinds = [k for k in POST_FLAG_KINDS if post.is_question is False or k != FlagKind.NOT_AN_ANSWER]
    return _flag(request, post=post, comment=None, kinds=kinds)


@login_required
@require_http_methods(["GET", "POST"])
def comment_flag(request, pk: int):
    comment = get_object_or_404(
        Comment.objects.select_related("post__parent"), pk=pk, deleted_at__isnull=True
    )
    post = visible_post(request, comment.post_id)
    rules.check_flag_comment_permission(request.user, comment)
    return _flag(request, post=post, comment=comment, kinds=COMMENT_FLAG_KINDS)


@login_required
def flag_queue(request):
    rules.check_handle_flags_permission(request.user)
    page = Paginator(selectors.pending_flags(), 30).get_page(request.GET.get("page"))
    return render(request, "moderation/flag_queue.html", {"page": page, "flags": page.object_list})


@login_required
@require_POST
def flag_decide(request, pk: int):
    rules.check_handle_flags_permission(request.user)
    flag = get_object_or_404(Flag, pk=pk)
    form = FlagDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose helpful or declined.")
        return redirect("flag-queue")
    try:
        handled = flags.flag_handle(
            moderator=request.user,
            flag=flag,
            helpful=form.cleaned_data["helpful"],
            decline_reason=form.cleaned_data["decline_reason"],
        )
    except (ModerationError, PermissionDenied) as refused:
        messages.error(request, str(refused))
        return redirect("flag-queue")
    if handled:
        messages.success(request, "The flag is handled; its flagger will see the outcome.")
    else:
        messages.info(request, "Another moderator handled this flag already.")
    return redirect("flag-queue")


@login_required
def flag_history(request, pk: int):
    """A flagger's flags and their outcomes: for the flagger and moderators only."""
    member = get_object_or_404(get_user_model(), pk=pk)
    rules.check_view_flag_history_permission(request.user, member)
    page = Paginator(selectors.flags_of(flagger=member), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "moderation/flag_history.html",
        {
            "member": member,
            "page": page,
            "flags": page.object_list,
            "counts": flags.flag_counts(flagger=member),
        },
    )
