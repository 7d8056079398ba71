"""Thin views: check the rule, call one service, redirect with a message. Refusals from
the data (ModerationError) re-render the form with the message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.conf import qasite_setting
from core.exceptions import RateLimited
from moderation import review_bans, rules, selectors, serial_voting, services
from moderation.forms import CloseVoteForm, LockForm, question_reference
from moderation.notices import CloseNotice
from moderation.queues import QUEUES
from moderation.services import ModerationError
from threads import rules as threads_rules
from threads.views.common import (
    add_refusal,
    is_xhr,
    post_action,
    redirect_to_post,
    refusal_json,
    visible_post,
)


def _question(request, pk: int):
    question = visible_post(request, pk)
    if not question.is_question:
        raise Http404("No such question.")
    return question


def _retract(request, pk: int, retract, *, done: str, none: str):
    """Retract the requester's close or reopen vote, saying ``done``, or ``none`` when
    there was no pending vote to retract."""
    question = _question(request, pk)
    try:
        retracted = retract(voter=request.user, question=question)
    except PermissionDenied as denied:
        messages.error(request, str(denied))
    else:
        if retracted:
            messages.success(request, done)
        else:
            messages.info(request, none)
    return redirect_to_post(question)


#: What the close form keeps when it is re-rendered for a duplicate search.
CLOSE_FIELDS = ("reason", "duplicate", "comment")


@login_required
@require_http_methods(["GET", "POST"])
def question_close(request, pk: int):
    """The close dialog (a plain page; the script shows it in a <dialog>). Its "Search"
    button posts the form without voting: the page comes back with the questions found,
    the chosen reason and comment kept (a GET with the same fields does the same)."""
    question = _question(request, pk)
    rules.check_cast_close_vote_permission(request.user, question)
    searching = request.method == "GET" or "search" in request.POST
    data = request.GET if request.method == "GET" else request.POST
    if searching:
        form = CloseVoteForm(initial={name: data.get(name, "")[:500] for name in CLOSE_FIELDS})
    else:
        form = CloseVoteForm(request.POST)
    status = 200
    if not searching and form.is_valid():
        try:
            vote = services.close_vote_cast(
                voter=request.user,
                question=question,
                reason=form.cleaned_data["reason"],
                duplicate_of=form.cleaned_data["duplicate"],
                comment=form.cleaned_data["comment"],
            )
        except (ModerationError, PermissionDenied) as refused:
            if is_xhr(request) and isinstance(refused, RateLimited):
                return refusal_json(refused)
            status = add_refusal(form, refused)  # the chosen reason and comment stay
        else:
            question.refresh_from_db()
            if question.is_closed:
                messages.success(request, "The question is closed.")
            else:
                needed = qasite_setting("CLOSE_VOTES_TO_CLOSE")
                messages.success(
                    request,
                    f"Your close vote ({vote.reason}) is recorded: "
                    f"{question.close_votes_pending} of {needed}.",
                )
            return redirect_to_post(question)
    if not searching and status == 200:
        status = 400
    search = data.get("q", "")[:200]
    counts = (
        selectors.close_vote_counts(question)
        if rules.can_see_close_votes(request.user, question)
        else None
    )
    reasons = selectors.reasons_for_dialog()
    if counts:
        for reason in reasons:
            for choice in [reason, *reason.subreasons]:
                choice.pending = counts.get(choice.pk, 0)
    context = {
        "question": question,
        "form": form,
        "reasons": reasons,
        "search": search,
        "candidates": selectors.duplicate_candidates(question=question, text=search),
        "pending_total": sum(counts.values()) if counts else 0,
        "needed": qasite_setting("CLOSE_VOTES_TO_CLOSE"),
        "preview": _duplicate_preview(form.data.get("duplicate") or form.initial.get("duplicate")),
    }
    return render(request, "moderation/close.html", context, status=status)


def _duplicate_preview(text) -> object | None:
    """The question the close form names as the duplicate target, for its preview."""
    try:
        target = question_reference(text or "")
    except ValidationError:
        return None
    if target is None or target.is_deleted:
        return None
    return selectors.with_excerpt(target)


@login_required
@require_GET
def question_close_duplicates(request, pk: int):
    """The close dialog's live duplicate search (``?q=``: the questions found) or the preview
    of a chosen target (``?target=``): HTML fragments for ``moderation/close-dialog.js``."""
    question = _question(request, pk)
    rules.check_cast_close_vote_permission(request.user, question)
    if "target" in request.GET:
        return render(
            request,
            "moderation/partials/duplicate_preview.html",
            {"preview": _duplicate_preview(request.GET["target"][:300])},
        )
    search = request.GET.get("q", "")[:200]
    return render(
        request,
        "moderation/partials/duplicate_results.html",
        {
            "search": search,
            "candidates": selectors.duplicate_candidates(question=question, text=search),
        },
    )


@login_required
@require_POST
def question_close_retract(request, pk: int):
    return _retract(
        request,
        pk,
        services.close_vote_retract,
        done="Your close vote was retracted. You can't vote again here.",
        none="You have no pending close vote on this question.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_reopen(request, pk: int):
    question = _question(request, pk)
    rules.check_cast_reopen_vote_permission(request.user, question)
    error = None
    if request.method == "POST":
        try:
            services.reopen_vote_cast(voter=request.user, question=question)
        except (ModerationError, PermissionDenied) as refused:
            error = str(refused)
        else:
            question.refresh_from_db()
            if question.is_closed:
                needed = qasite_setting("REOPEN_VOTES_TO_REOPEN")
                messages.success(
                    request,
                    f"Your reopen vote is recorded: {question.reopen_votes_pending} of {needed}.",
                )
            else:
                messages.success(request, "The question is reopened.")
            return redirect_to_post(question)
    return render(
        request,
        "moderation/reopen.html",
        {"question": question, "notice": CloseNotice.of(question), "error": error},
        status=400 if error else 200,
    )


@login_required
@require_POST
def question_reopen_retract(request, pk: int):
    return _retract(
        request,
        pk,
        services.reopen_vote_retract,
        done="Your reopen vote was retracted.",
        none="You have no pending reopen vote on this question.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_lock(request, pk: int):
    post = visible_post(request, pk)
    rules.check_lock_post_permission(request.user, post)
    form = LockForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.post_lock(
            actor=request.user,
            post=post,
            kind=form.cleaned_data["kind"],
            duration=form.cleaned_data["duration"],
        )
        messages.success(request, "The post is locked.")
        return redirect_to_post(post)
    status = 400 if request.method == "POST" else 200
    return render(request, "moderation/lock.html", {"post": post, "form": form}, status=status)


@login_required
@require_POST
def post_unlock(request, pk: int):
    return post_action(
        request,
        pk,
        check=rules.check_lock_post_permission,
        act=services.post_unlock,
        done="The post is unlocked.",
    )


@login_required
@require_POST
def question_protect(request, pk: int):
    question = _question(request, pk)
    rules.check_protect_question_permission(request.user, question)
    protect = request.POST.get("protect") != "no"
    if services.question_protect(actor=request.user, question=question, protect=protect):
        messages.success(request, "Protected." if protect else "Protection removed.")
    return redirect_to_post(question)


@login_required
@require_POST
def post_undelete(request, pk: int):
    return post_action(
        request,
        pk,
        check=threads_rules.check_undelete_post_permission,
        act=services.post_undelete,
        done="The post is undeleted.",
    )


def question_timeline(request, pk: int):
    question = _question(request, pk)
    see_deleted = threads_rules.can_see_deleted_posts(request.user)
    rows = selectors.question_timeline(question=question, include_deleted=see_deleted)
    return render(
        request,
        "moderation/timeline.html",
        {"question": question, "rows": rows, "see_deleted": see_deleted},
    )


@login_required
def moderation_log(request):
    rules.check_view_moderation_log_permission(request.user)
    page = Paginator(selectors.moderation_log(), 50).get_page(request.GET.get("page"))
    return render(request, "moderation/log.html", {"page": page, "events": page.object_list})


@login_required
def moderation_dashboard(request):
    """Queue lengths and ages, pending flags, closes and reopens per day, top reviewers,
    review bans and the latest serial voting reversals."""
    rules.check_view_dashboard_permission(request.user)
    data = selectors.dashboard()
    queues = [
        {"spec": spec, **data["queues"].get(spec.slug, {"count": 0, "oldest": None})}
        for spec in QUEUES.values()
    ]
    return render(
        request,
        "moderation/dashboard.html",
        {
            **data,
            "queue_rows": queues,
            "chart": activity_chart(data["series"]),
            "review_bans": review_bans.dashboard_bans(),
            "serial_detections": serial_voting.recent_detections(),
        },
    )


def activity_chart(
    series: list[dict],
    *,
    keys: dict[str, str] | None = None,
    when: str = "day",
    width: int = 600,
    height: int = 140,
) -> dict:
    """Bar geometry for a server-rendered SVG chart: one bar per ``keys`` entry (the row's
    key → the words of its tooltip) for each row, by default closes and reopens per day."""
    keys = keys or {"closed": "closed", "reopened": "reopened"}
    top = max([1, *(row[key] for row in series for key in keys)])
    slot = width / max(1, len(series))
    bar = max(1.0, slot / len(keys) - 1)
    bars = []
    for index, row in enumerate(series):
        for position, (key, words) in enumerate(keys.items()):
            bar_height = (height - 20) * row[key] / top
            bars.append(
                {
                    "x": round(index * slot + position * bar, 1),
                    "y": round(height - 15 - bar_height, 1),
                    "width": round(bar, 1),
                    "height": round(bar_height, 1),
                    "kind": key,
                    "title": f"{row[when]:%b %d}: {row[key]} {words}",
                }
            )
    return {"width": width, "height": height, "bars": bars, "top": top}
