"""``robots.txt`` and the sitemap's index (docs/rules.md, "Feeds and discovery")."""

from django.conf import settings
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_GET

from core.conf import qasite_setting
from feeds.sitemaps import SITEMAPS

#: Paths crawlers have no business in: accounts, private pages, moderation, actions and the
#: API's writing paths (POST-only pages are listed too: a crawler following a form's link
#: would only get a refusal). Everything else is allowed.
DISALLOWED = (
    "/accounts/",
    "/admin/",
    "/django-rq/",
    "/moderation/",
    "/review/",
    "/inbox/",
    "/editor/",
    "/questions/ask/",
    "/posts/",
    "/comments/",
    "/tag-synonyms/",
    "/api/",
    "/users/*/edit/",
    "/users/*/data/",
    "/users/*/flags/",
    "/questions/*/close/",
    "/questions/*/reopen/",
    "/questions/*/protect/",
)


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), "Allow: /", ""]
    lines.append(f"Sitemap: {settings.SITE_URL.rstrip('/')}{reverse('sitemap-index')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@x_robots_tag
def sitemap_index(request):
    """The index of every section's pages, with absolute URLs from ``SITE_URL`` (the
    framework's index takes the host from the request): a COUNT per section and one
    aggregate for the questions' last activity, whatever the number of rows."""
    base = settings.SITE_URL.rstrip("/")
    items = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        url = base + reverse("sitemap-section", kwargs={"section": section})
        lastmod = sitemap.get_latest_lastmod()
        items.append(SitemapIndexItem(url, lastmod))
        items.extend(
            SitemapIndexItem(f"{url}?p={page}", lastmod)
            for page in range(2, sitemap.paginator.num_pages + 1)
        )
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml"
    )


def cached(view):
    """``view`` cached whole for ``QASITE["FEEDS"]["SITEMAP_CACHE_SECONDS"]``."""

    def wrapper(request, *args, **kwargs):
        seconds = qasite_setting("FEEDS.SITEMAP_CACHE_SECONDS")
        return cache_page(seconds, key_prefix="sitemap")(view)(request, *args, **kwargs)

    return wrapper
