"""The site's URLconf plus a page that breaks the Content-Security-Policy in every way the
site's own pages must not, for tests/e2e/test_csp_watch.py."""

from django.http import HttpResponse
from django.urls import path

from qasite.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

VIOLATING_PAGE = """<!doctype html>
<html lang="en"><head><title>Violations</title>
<style>p { color: blue; }</style>
<script>document.title = "inline script ran";</script>
</head><body>
<p style="color: red">An inline style attribute.</p>
<button type="button" onclick="document.title = 'handler ran'">Click</button>
<a href="javascript:document.title = 'link ran'">A javascript: link</a>
<img src="https://images.invalid/tracker.png" alt="">
</body></html>
"""


def violating_page(request):
    return HttpResponse(VIOLATING_PAGE)


urlpatterns = [path("csp-violations/", violating_page), *urlpatterns]
