import codecs
from urllib.parse import unquote_to_bytes

from django.core.exceptions import BadRequest
from django.http import JsonResponse, QueryDict
from django.shortcuts import render

from core.exceptions import RateLimited

NUL = "\x00"


class UnreadableInputMiddleware:
    """Input the site cannot read is a 400 before anything (the CSRF check, a view) reads
    it: a body declared in a charset other than UTF-8 (every page and form of the site is
    UTF-8), form data that is not UTF-8, and a NUL character in the path or in a form
    (PostgreSQL cannot store one; no one types one). Bodies that cannot be parsed at all
    raise their own 400 errors here, once. A query string is read without its NUL
    characters, as every other junk in it is read as the nearest sensible value, and a
    cookie holding one is not read at all (a session cookie is then no session)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = unreadable_input(request)
        if problem:
            raise BadRequest(problem)
        return self.get_response(request)


def unreadable_input(request) -> str | None:
    """What makes the request unreadable, or None."""
    charset = request.content_params.get("charset")
    if charset is not None:
        if _codec(charset) != "utf-8":
            return f"Only UTF-8 is understood, not {charset[:40]!r}."
        request.encoding = "utf-8"  # "utf8" or "UTF-8": Django's form parser wants this
    for name in [name for name, value in request.COOKIES.items() if NUL in name + value]:
        del request.COOKIES[name]
    if NUL in request.path_info:
        return "A NUL character in the URL."
    if _holds_nul(request.GET):
        request.GET = _without_nul(request.GET)
    if request.method == "POST":
        if request.content_type == "application/x-www-form-urlencoded" and not _is_utf8_form(
            request.body
        ):
            return "Form data that is not UTF-8."
        if _holds_nul(request.POST):
            return "A NUL character in the form."
    return None


def _codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _holds_nul(data) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


def _without_nul(data: QueryDict) -> QueryDict:
    clean = QueryDict(mutable=True)
    for key, values in data.lists():
        clean.setlist(key.replace(NUL, ""), [value.replace(NUL, "") for value in values])
    clean._mutable = False
    return clean


def _is_utf8_form(body: bytes) -> bool:
    """Whether an urlencoded body is UTF-8 once its %-escapes are decoded (``&`` and ``=``
    are ASCII, so the whole body decodes exactly when each name and value does)."""
    try:
        unquote_to_bytes(body).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class RateLimitMiddleware:
    """Turns ``RateLimited`` from any view into HTTP 429: JSON for the page's script, a
    page with the message otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, RateLimited):
            return None
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            return JsonResponse({"error": str(exception)}, status=429)
        return render(request, "429.html", {"exception": str(exception)}, status=429)
