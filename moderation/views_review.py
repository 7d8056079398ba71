"""Review queue pages: the list of queues, one task at a time, and decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.conf import qasite_setting
from moderation import reviews, rules, selectors
from moderation.forms import ReviewDecisionForm
from moderation.models import POST_FLAG_KINDS, Decision, ReviewTask
from moderation.queues import QUEUES, queue_spec
from moderation.services import ModerationError
from threads.rules import allowed


def _spec_or_404(slug: str):
    spec = queue_spec(slug)
    if spec is None:
        raise Http404("No such review queue.")
    return spec


@login_required
def review_index(request):
    counts = reviews.queue_counts()
    stats = reviews.reviewer_stats(reviewer=request.user)
    queues = [
        {
            "spec": spec,
            "count": counts.get(spec.slug, 0),
            "allowed": allowed(rules.check_review_queue_permission, request.user, spec),
            "stats": stats.get(spec.slug, {"today": 0, "total": 0}),
        }
        for spec in QUEUES.values()
    ]
    return render(
        request,
        "moderation/review_index.html",
        {
            "queues": queues,
            "limit": qasite_setting("REVIEW")["REVIEWS_PER_QUEUE_PER_DAY"],
            "suspension": rules.active_review_suspension(request.user),
        },
    )


@login_required
def review_queue(request, slug: str):
    """The next task for this reviewer, with what is needed to judge it."""
    spec = _spec_or_404(slug)
    rules.check_review_queue_permission(request.user, spec)
    limit_reached = reviews.daily_limit_reached(reviewer=request.user, queue=spec.slug)
    task = None if limit_reached else reviews.next_task(spec=spec, reviewer=request.user)
    return _task_page(request, spec, task, limit_reached=limit_reached)


def _task_page(request, spec, task, *, limit_reached=False, improved=None, status=200):
    """The queue page showing ``task``; ``improved`` is a refused "Improve edit" text,
    shown again in its form so the reviewer's work is not lost."""
    context = {
        "spec": spec,
        "task": task,
        "limit_reached": limit_reached,
        "limit": qasite_setting("REVIEW")["REVIEWS_PER_QUEUE_PER_DAY"],
        "done_today": reviews.reviews_today(reviewer=request.user, queue=spec.slug),
        "flag_kinds": POST_FLAG_KINDS,
    }
    if task is not None:
        context.update(selectors.review_context(task=task))
        context["can_close"] = task.post.is_question and allowed(
            rules.check_cast_close_vote_permission, request.user, task.post
        )
        suggestion = context.get("suggestion")
        if suggestion is not None:
            context["improve"] = improved or {
                "title": suggestion.title,
                "tags": suggestion.tags,
                "body": suggestion.body,
            }
            context["improve_refused"] = improved is not None
    return render(request, "moderation/review_task.html", context, status=status)


@login_required
@require_POST
def review_decide(request, slug: str, pk: int):
    spec = _spec_or_404(slug)
    rules.check_review_queue_permission(request.user, spec)
    task = get_object_or_404(ReviewTask, pk=pk, queue=spec.slug)
    form = ReviewDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That review could not be read; please try again.")
        return redirect("review-queue", slug=spec.slug)
    data = form.cleaned_data
    try:
        result = form.decide(reviewer=request.user, task=task, spec=spec)
    except (ModerationError, PermissionDenied) as refused:
        messages.error(request, str(refused))
        if data["decision"] == Decision.IMPROVE and task.suggested_edit_id is not None:
            improved = {
                "title": data["improved_title"],
                "tags": data["improved_tags"],
                "body": data["improved_body"],
            }
            return _task_page(request, spec, task, improved=improved, status=400)
        return redirect("review-queue", slug=spec.slug)
    if result.audit_passed is False:
        messages.error(request, result.message)
    elif data["decision"] == Decision.EDIT and result.audit_passed is None:
        messages.success(request, "Your review is recorded; now improve the post.")
        return redirect("post-edit", pk=task.post_id)
    elif data["decision"] != Decision.SKIP:
        messages.success(request, "Thanks for reviewing!")
    return redirect("review-queue", slug=spec.slug)
