"""Moderators' pages on reviewers: calibration (the list and one reviewer's history) and
lifting a review ban. They do not exist for anyone else (404)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from moderation import calibration, review_bans, rules
from moderation.models import ReviewSuspension
from moderation.services import ModerationError


def _require_moderator(request) -> None:
    if not rules.can_view_calibration(request.user):
        raise Http404("No such page.")


def reviewer_list(request):
    _require_moderator(request)
    per_page = review_bans.setting("REVIEWERS_PER_PAGE")
    page = Paginator(calibration.reviewer_rows(), per_page).get_page(request.GET.get("page"))
    rows = calibration.reviewer_page(page.object_list)
    return render(request, "moderation/reviewers.html", {"page": page, "rows": rows})


def reviewer_detail(request, pk: int):
    _require_moderator(request)
    reviewer = get_object_or_404(get_user_model(), pk=pk)
    history = calibration.reviewer_history(reviewer=reviewer)
    return render(request, "moderation/reviewer.html", {"reviewer": reviewer, **history})


@require_POST
def review_ban_lift(request, pk: int):
    _require_moderator(request)
    ban = get_object_or_404(ReviewSuspension, pk=pk)
    try:
        ban = review_bans.review_ban_lift(actor=request.user, ban=ban)
    except (ModerationError, PermissionDenied) as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"{ban.user.name}'s review ban is lifted.")
    return redirect("moderation-dashboard")
