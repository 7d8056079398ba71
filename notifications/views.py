"""The inbox: the list, one item opened, everything marked read, the dropdown's fragment and
the settings page; following a question."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.conf import qasite_setting
from notifications import follows, selectors, services, unsubscribe
from notifications.forms import InboxSettingsForm
from threads.selectors import reputation_summary
from threads.views.common import redirect_to_post, visible_post


def _with_targets(items):
    return [(item, selectors.target_url(item)) for item in items]


@login_required
def inbox(request):
    page = Paginator(
        selectors.inbox(user=request.user), qasite_setting("NOTIFICATIONS")["INBOX_PER_PAGE"]
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "items": _with_targets(page.object_list)},
    )


@login_required
def inbox_latest(request):
    """The dropdown's items and a line of reputation news, fetched by the top bar's script
    when it opens."""
    user = request.user
    return render(
        request,
        "notifications/partials/latest.html",
        {
            "items": _with_targets(selectors.latest(user=user)),
            "reputation": reputation_summary(user=user),
            "member": user,
        },
    )


@login_required
def notification_open(request, pk: int):
    """Mark the item read and go where it points."""
    item = services.notification_read(user=request.user, pk=pk)
    return redirect(selectors.target_url(item))


@login_required
@require_POST
def notification_read(request, pk: int):
    services.notification_read(user=request.user, pk=pk)
    return redirect("inbox")


@login_required
@require_POST
def notifications_read_all(request):
    marked = services.notifications_read_all(user=request.user)
    messages.success(request, f"Marked {marked} item{'' if marked == 1 else 's'} read.")
    return redirect("inbox")


@login_required
@require_http_methods(["GET", "POST"])
def inbox_settings(request):
    user = request.user
    form = InboxSettingsForm(
        request.POST or None,
        modes=services.email_modes(user=user),
        initial={"watched_tags": " ".join(tag.name for tag in follows.watched_tags(user=user))},
    )
    if request.method == "POST" and form.is_valid():
        services.email_modes_set(user=user, modes=form.modes())
        follows.watched_tags_set(user=user, tags=form.cleaned_data["watched_tags"])
        messages.success(request, "Your inbox settings are saved.")
        return redirect("inbox-settings")
    status = 400 if form.errors else 200
    return render(request, "notifications/settings.html", {"form": form}, status=status)


@login_required
@require_POST
def question_follow(request, pk: int):
    question = visible_post(request, pk)
    if not question.is_question:
        raise Http404("Only questions are followed.")
    active = request.POST.get("follow") != "no"
    follows.follow_set(user=request.user, question=question, active=active)
    messages.success(
        request,
        "You follow this question: you hear of new answers."
        if active
        else "You no longer follow this question.",
    )
    return redirect_to_post(question)


@csrf_exempt  # RFC 8058: the mail client posts without a session or CSRF token
@require_http_methods(["GET", "POST"])
def email_unsubscribe(request, token: str):
    """The link in every email: GET asks, POST (the page's button or the mail client's
    one-click) unsubscribes. The signed token is the only credential; a forged one is 404."""
    named = unsubscribe.read(token)
    if named is None:
        raise Http404("This unsubscribe link is not valid.")
    person, kind = named
    done = request.method == "POST"
    if done:
        services.email_unsubscribe(user=person, kind=kind)
    return render(
        request,
        "notifications/unsubscribe.html",
        {"person": person, "what": unsubscribe.label(kind), "done": done},
    )
