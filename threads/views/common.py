import hashlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import redirect
from django.utils.html import strip_tags

from core.conf import qasite_setting
from core.exceptions import RateLimited
from core.markdown import render_post
from threads import page_state, rules, selectors


def is_xhr(request: HttpRequest) -> bool:
    return request.headers.get("x-requested-with") == "XMLHttpRequest"


def preview_requested(request: HttpRequest) -> bool:
    """Whether a post form was sent with its "Preview" button (the editor without
    JavaScript: docs/rules.md, "The editor and images in posts")."""
    return request.method == "POST" and "preview" in request.POST


def body_preview(request: HttpRequest) -> str:
    """The sent body rendered exactly as it would be stored (``core.markdown``)."""
    return render_post(request.POST.get("body", "")[: qasite_setting("POST_BODY_MAX")])


def redirect_to_post(post, anchor: str | None = None):
    """To the question page, scrolled to the post (or to ``anchor``)."""
    question = post if post.is_question else post.parent
    fragment = anchor or (f"answer-{post.pk}" if not post.is_question else "question")
    return redirect(f"{question.get_absolute_url()}#{fragment}")


def visitor_key(request: HttpRequest) -> str:
    """Who is viewing, for de-duplicated view counts: the user, else address + agent."""
    if request.user.is_authenticated:
        return f"u{request.user.pk}"
    agent = request.headers.get("user-agent", "")[:200].encode()
    return f"a{request.META.get('REMOTE_ADDR', '')}:{hashlib.sha1(agent).hexdigest()[:12]}"


def visible_post(request: HttpRequest, pk: int, *, brief: bool = False):
    """A post (and its question) the requester may see, else 404; ``brief``: without its
    authors (``selectors.post_get_brief``)."""
    post = (selectors.post_get_brief if brief else selectors.post_get)(pk=pk)
    if not rules.can_view_post(request.user, post) or (
        not post.is_question and not rules.can_view_post(request.user, post.parent)
    ):
        raise Http404("No such post.")
    return post


def refusal_json(denied) -> JsonResponse:
    """A refused script request: 429 when over a rate limit, 403 otherwise. The message is
    plain text (a refusal may carry a link for pages, as the unverified-address one does)."""
    status = 429 if isinstance(denied, RateLimited) else 403
    return JsonResponse({"error": strip_tags(str(denied))}, status=status)


def script_refusal(request: HttpRequest, denied: PermissionDenied) -> JsonResponse:
    """A refusal answered as the request came: JSON for a script (``refusal_json``), the
    403 page for a page request (``denied`` is raised again)."""
    if is_xhr(request):
        return refusal_json(denied)
    raise denied


def lists_state(request, *args, **kwargs):
    """The cache validator of lists and search results: they change whenever any post
    does (its ``changed_at`` moves; the ranking job moves it too). One index read, or with
    Redis one cache read (``threads.page_state``)."""
    newest = page_state.newest_change()
    if newest is None:
        return None
    return f"lists:{newest.isoformat()}", newest.timestamp()


def add_refusal(form, refused: Exception) -> int:
    """Show a service's refusal on the form: a ``ValidationError`` at its fields, anything
    else (``PermissionDenied``, ``ModerationError``…) as its message above them. Returns
    the status of the page showing the form again: 429 over a rate limit, else 400."""
    form.add_error(None, refused if isinstance(refused, ValidationError) else str(refused))
    return 429 if isinstance(refused, RateLimited) else 400


def post_action(request: HttpRequest, pk: int, *, check, act, done: str):
    """A button that changes one post: ``check`` the rule, ``act`` (the service, with the
    requester as actor), say ``done`` when it changed something, back to the post."""
    post = visible_post(request, pk)
    check(request.user, post)
    if act(actor=request.user, post=post):
        messages.success(request, done)
    return redirect_to_post(post)


def synonym_redirect(request: HttpRequest, tag, url_name: str):
    """A synonym's pages moved for good to its master tag's: a 301 to the same page of the
    master, with the query string kept."""
    response = redirect(url_name, name=tag.synonym_of.name, permanent=True)
    if request.GET:
        response["Location"] += f"?{request.GET.urlencode()}"
    return response
