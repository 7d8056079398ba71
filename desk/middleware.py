"""The blocking notice (docs/rules.md, "Suspensions and moderator messages"): a member with
an unacknowledged moderator message is sent to it from every page until they acknowledge it.
One cache read per logged-in page request (``desk.notices``)."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from desk.notices import unacknowledged_thread


class BlockingNoticeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Who is asking first: it is free for visitors, the page-view test is not.
        if request.user.is_authenticated and _is_page_view(request):
            thread_id = unacknowledged_thread(request.user)
            if thread_id is not None:
                messages_url = reverse("desk-messages", kwargs={"pk": request.user.pk})
                if not request.path.startswith(messages_url):
                    return redirect(f"{messages_url}#thread-{thread_id}")
        return self.get_response(request)


def _is_page_view(request) -> bool:
    """A page a browser navigates to: not a form post, a script's request, a static file."""
    return (
        request.method in ("GET", "HEAD")
        and request.headers.get("x-requested-with") != "XMLHttpRequest"
        and request.accepts("text/html")
        and not request.path.startswith(("/" + settings.STATIC_URL.lstrip("/"), "/health/"))
    )
