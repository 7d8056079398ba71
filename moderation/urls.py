"""Moderation's own pages. Those under a question (close, reopen, protect, timeline) and
under a member (flag history) are registered on ``threads``' and the site's sub-pages
(``moderation.extensions``): threads routes them before its slug routes."""

from django.urls import path

from moderation import (
    help_pages,
    views,
    views_calibration,
    views_flags,
    views_review,
    views_whatif,
)

urlpatterns = [
    path("posts/<id:pk>/lock/", views.post_lock, name="post-lock"),
    path("posts/<id:pk>/unlock/", views.post_unlock, name="post-unlock"),
    path("posts/<id:pk>/undelete/", views.post_undelete, name="post-undelete"),
    path("moderation/", views.moderation_dashboard, name="moderation-dashboard"),
    path("moderation/log/", views.moderation_log, name="moderation-log"),
    path("moderation/reviewers/", views_calibration.reviewer_list, name="reviewer-list"),
    path(
        "moderation/reviewers/<id:pk>/",
        views_calibration.reviewer_detail,
        name="reviewer-detail",
    ),
    path(
        "moderation/review-bans/<id:pk>/lift/",
        views_calibration.review_ban_lift,
        name="review-ban-lift",
    ),
    path("moderation/what-if/", views_whatif.policy_whatif, name="policy-whatif"),
    path("help/on-topic/", help_pages.help_on_topic, name="help-on-topic"),
    path("help/closing/", help_pages.help_closing, name="help-closing"),
    path("help/reopening/", help_pages.help_reopening, name="help-reopening"),
    path("help/reviews/", help_pages.help_reviews, name="help-reviews"),
    path("review/", views_review.review_index, name="review-index"),
    path("review/<str:slug>/", views_review.review_queue, name="review-queue"),
    path("review/<str:slug>/<id:pk>/", views_review.review_decide, name="review-decide"),
    path("posts/<id:pk>/flag/", views_flags.post_flag, name="post-flag"),
    path("comments/<id:pk>/flag/", views_flags.comment_flag, name="comment-flag"),
    path("moderation/flags/", views_flags.flag_queue, name="flag-queue"),
    path("moderation/flags/<id:pk>/", views_flags.flag_decide, name="flag-decide"),
    path("moderation/flags/<id:pk>/delete/", views_flags.flag_delete, name="flag-delete"),
]
