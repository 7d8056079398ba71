"""Pages rendered once and shared by every member who sees them alike, with the parts that
differ per request left as slots and filled for each request (``threads.cache``, "Shared
fragments"): the user menu, messages, the CSRF token and the top bar's extension points.
The question page adds its own slots; the lists and search results have no others."""

from collections.abc import Callable

from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject

from core import extensions
from threads.cache import fill_slots, fragment_slots, plain_read, shared_fragment, slot
from threads.views.common import lists_state

# The per-request parts every shared page has (``base.html`` draws them from these names).
PAGE_SLOTS = ("usernav", "messages_html")
# The per-request extension points of every page (``core.extensions``); the user menu's
# are slots of the user menu (``usernav``).
PAGE_EXTENSION_SLOTS = ("topbar_nav",)


def page_slots(*names: str) -> dict:
    """Template context for a shared page: its slots and those of ``names``."""
    return {
        **fragment_slots(),
        **{name: slot(name) for name in (*PAGE_SLOTS, *names)},
        "extension_slots": {name: slot(name) for name in PAGE_EXTENSION_SLOTS},
    }


def fill_page(request, page, more: Callable[[dict], dict] | None = None) -> str:
    """``page`` with this request's parts filled in; ``more(live)`` gives a page's own
    slots' values (``live``: the context of per-request extension points)."""
    # One masked token for the whole page, made only if a form needs it (a visitor's
    # page has none, and gets no CSRF cookie).
    csrf_token = SimpleLazyObject(lambda: get_token(request))
    live = {"user": request.user, "request": request, "csrf_token": csrf_token}
    return fill_slots(
        page,
        csrf_token=csrf_token,
        usernav=lambda: usernav(request, csrf_token),
        messages_html=lambda: render_to_string(
            "partials/messages.html", {"messages": get_messages(request)}
        ),
        topbar_nav=lambda: extensions.topbar_nav.render(live),
        **(more(live) if more else {}),
    )


def usernav(request, csrf_token) -> str:
    """The user menu, cached per person as it shows them (name, reputation, admin link)."""
    user = request.user
    if user.is_authenticated:
        key = ("usernav", user.pk, user.name, user.shown_reputation, user.is_staff)
    else:
        key = ("usernav", request.get_full_path())  # the login link comes back here
    html = shared_fragment(
        key,
        lambda: render_to_string(
            "partials/usernav.html",
            {"user": user, "request": request, "extension_slots": {"user_menu": slot("user_menu")}}
            | fragment_slots(),
        ),
    )
    live = {"user": user, "request": request, "csrf_token": csrf_token}
    return fill_slots(
        html, csrf_token=csrf_token, user_menu=lambda: extensions.user_menu.render(live)
    )


def list_page(request, template: str, context: Callable[[], dict], *, reader=None):
    """A list of questions or search results. Members get it from a page shared by all of
    them, reused until any post changes (the lists' cache validator, ``lists_state``);
    ``reader`` names what else it depends on (``user:me`` in a search). Anonymous
    visitors' pages are cached whole (``anonymous_page_cache``)."""
    state = lists_state(request) if request.user.is_authenticated and plain_read(request) else None
    if state is None:
        return HttpResponse(render_to_string(template, context(), request))
    key = ("list-page", state[0], request.get_full_path(), reader)
    page = shared_fragment(
        key, lambda: render_to_string(template, {**context(), **page_slots()}, request)
    )
    return HttpResponse(fill_page(request, page))
