"""The site's error pages: ``handler400``, ``handler403``, ``handler404`` and ``handler500``
in ``qasite.urls``, and the page for a failed CSRF check.

Rendering an error page must not fail. Unlike Django's defaults, these do not run the CSRF
check again (it reads the request body, which is what failed when a form post cannot be
parsed, and would turn the 400 into a 500). A page that fails with the request's context
(the user menu reads the session and the user from the database) is rendered without it,
and if that fails too, a plain page is sent. The 500 page is always rendered without the
request: the error may be the database itself.
"""

import logging

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.html import escape

logger = logging.getLogger(__name__)

PLAIN_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title} – qasite'
    '</title></head><body><h1>{title}</h1><p><a href="/">Back to the questions</a></p>'
    "</body></html>"
)


def error_page(request, *, template: str, status: int, title: str, context=None) -> HttpResponse:
    """``template`` rendered with the request's context if it can be, else without it, else
    a plain page naming ``title``."""
    context = context or {}
    if request is not None:
        try:
            return HttpResponse(render_to_string(template, context, request), status=status)
        except Exception:
            logger.exception("The %s page failed with the request's context", status)
    try:
        html = render_to_string(template, {"user": AnonymousUser(), **context})
    except Exception:
        logger.exception("The %s page failed to render", status)
        html = PLAIN_PAGE.format(title=escape(title))
    return HttpResponse(html, status=status)


def bad_request(request, exception=None):
    return error_page(request, template="400.html", status=400, title="Bad request")


def permission_denied(request, exception=None):
    message = str(exception) if exception is not None else ""
    return error_page(
        request,
        template="403.html",
        status=403,
        title="Not allowed",
        context={"exception": message},
    )


def csrf_failure(request, reason=""):
    """A form sent without its valid CSRF token (an expired page, cookies blocked)."""
    message = "This form has expired. Reload the page and try again."
    return permission_denied(request, message)


def page_not_found(request, exception=None):
    return error_page(request, template="404.html", status=404, title="Page not found")


def server_error(request=None):
    return error_page(None, template="500.html", status=500, title="Something went wrong")
