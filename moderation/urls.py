from django.urls import path

from moderation import views

urlpatterns = [
    path("questions/<int:pk>/close/", views.question_close, name="question-close"),
    path(
        "questions/<int:pk>/close/retract/",
        views.question_close_retract,
        name="question-close-retract",
    ),
    path("questions/<int:pk>/reopen/", views.question_reopen, name="question-reopen"),
    path(
        "questions/<int:pk>/reopen/retract/",
        views.question_reopen_retract,
        name="question-reopen-retract",
    ),
    path("questions/<int:pk>/protect/", views.question_protect, name="question-protect"),
    path("questions/<int:pk>/timeline/", views.question_timeline, name="question-timeline"),
    path("posts/<int:pk>/lock/", views.post_lock, name="post-lock"),
    path("posts/<int:pk>/unlock/", views.post_unlock, name="post-unlock"),
    path("posts/<int:pk>/undelete/", views.post_undelete, name="post-undelete"),
    path("moderation/log/", views.moderation_log, name="moderation-log"),
    path("help/on-topic/", views.help_on_topic, name="help-on-topic"),
]
