"""Feeds, the sitemap and robots.txt (docs/rules.md, "Feeds and discovery")."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from feeds import feeds, views
from feeds.sitemaps import SITEMAPS

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path(
        "sitemap.xml",
        views.cached(views.sitemap_index),
        name="sitemap-index",
    ),
    path(
        "sitemap-<str:section>.xml",
        views.cached(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("feeds/questions/rss/", feeds.NewestQuestionsFeed(), name="feed-questions-rss"),
    path("feeds/questions/atom/", feeds.NewestQuestionsAtom(), name="feed-questions-atom"),
    path("feeds/questions/<id:pk>/rss/", feeds.QuestionAnswersFeed(), name="feed-question-rss"),
    path("feeds/questions/<id:pk>/atom/", feeds.QuestionAnswersAtom(), name="feed-question-atom"),
    path("feeds/tags/<tag:name>/rss/", feeds.TagQuestionsFeed(), name="feed-tag-rss"),
    path("feeds/tags/<tag:name>/atom/", feeds.TagQuestionsAtom(), name="feed-tag-atom"),
    path("feeds/moderation/rss/", feeds.ModerationFeed(), name="feed-moderation-rss"),
    path("feeds/moderation/atom/", feeds.ModerationAtom(), name="feed-moderation-atom"),
]
