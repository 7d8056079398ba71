"""Flagging posts and comments, the moderators' flag queue, and each flagger's history."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
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
    """Flagged posts and comments, each with its text, its context and all its pending
    flags, decided in place (``flag_decide``, ``flag_delete``)."""
    rules.check_handle_flags_permission(request.user)
    page = Paginator(selectors.flagged_targets(), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "moderation/flag_queue.html",
        {"page": page, "items": selectors.flagged_items(page.object_list)},
    )


def _back_to_queue(request):
    """The flag queue, on the page the moderator was on."""
    page = request.POST.get("page", "")
    url = reverse("flag-queue")
    return redirect(f"{url}?page={page}" if page.isdigit() and page != "1" else url)


@login_required
@require_POST
def flag_decide(request, pk: int):
    """Helpful or declined, for every pending flag on this flag's post or comment."""
    rules.check_handle_flags_permission(request.user)
    flag = get_object_or_404(Flag, pk=pk)
    form = FlagDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose helpful or declined.")
        return _back_to_queue(request)
    try:
        handled = flags.flags_handle_target(
            moderator=request.user,
            flag=flag,
            helpful=form.cleaned_data["helpful"],
            decline_reason=form.cleaned_data["decline_reason"],
        )
    except (ModerationError, PermissionDenied) as refused:
        messages.error(request, str(refused))
        return _back_to_queue(request)
    if handled:
        verdict = "helpful" if form.cleaned_data["helpful"] else "declined"
        messages.success(
            request,
            f"The flag is handled ({verdict}); its flagger will see the outcome."
            if handled == 1
            else f"The {handled} flags are handled ({verdict}); their flaggers will see the "
            "outcome.",
        )
    else:
        messages.info(request, "Another moderator handled this flag already.")
    return _back_to_queue(request)


@login_required
@require_POST
def flag_delete(request, pk: int):
    """Delete the flagged post or comment; its pending flags were helpful."""
    rules.check_handle_flags_permission(request.user)
    flag = get_object_or_404(Flag.objects.select_related("post", "comment__post"), pk=pk)
    what = "post" if flag.post_id else "comment"
    try:
        deleted = flags.flagged_delete(moderator=request.user, flag=flag)
    except (ModerationError, PermissionDenied) as refused:
        messages.error(request, str(refused))
        return _back_to_queue(request)
    if deleted:
        messages.success(request, f"The {what} is deleted and its flags marked helpful.")
    else:
        messages.info(request, f"The {what} was deleted already; its flags are handled.")
    return _back_to_queue(request)


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
