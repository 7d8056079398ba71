"""The sitemap (``django.contrib.sitemaps``): an index of sections split into pages of
``QASITE["FEEDS"]["SITEMAP_PAGE_SIZE"]`` entries, so it scales to millions of questions
(docs/rules.md, "Feeds and discovery"). Entries are ordered by id, so a page keeps its
rows as the site grows; URLs are absolute from ``SITE_URL``."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap

from core.conf import qasite_setting
from feeds import selectors


class _SiteSitemap(Sitemap):
    @property
    def limit(self) -> int:  # read per request: tests change the setting
        return qasite_setting("FEEDS.SITEMAP_PAGE_SIZE")

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.SITE_URL).scheme


class QuestionSitemap(_SiteSitemap):
    changefreq = "daily"

    def items(self):
        return selectors.sitemap_questions()

    def lastmod(self, question):
        return question.last_activity_at

    def get_latest_lastmod(self):
        # One aggregate, not ``max()`` over every question as the framework would.
        return selectors.sitemap_questions_lastmod()


class TagSitemap(_SiteSitemap):
    changefreq = "daily"

    def items(self):
        return selectors.sitemap_tags()


class UserSitemap(_SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return selectors.sitemap_users()


SITEMAPS = {"questions": QuestionSitemap, "tags": TagSitemap, "users": UserSitemap}
