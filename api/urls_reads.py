"""Read endpoints of /api/v1/ (``api.views.reads``)."""

from django.urls import path

from api.views import reads
from api.views.questions import QuestionCollection

urlpatterns = [
    # GET lists, POST asks (api.views.questions).
    path("questions/", QuestionCollection.as_view(), name="api-questions"),
    path("questions/<id:pk>/", reads.QuestionDetail.as_view(), name="api-question"),
    path(
        "questions/<id:pk>/timeline/",
        reads.QuestionTimeline.as_view(),
        name="api-question-timeline",
    ),
    path("users/", reads.UserList.as_view(), name="api-users"),
    path("users/<id:pk>/", reads.UserDetail.as_view(), name="api-user"),
    path("tags/", reads.TagList.as_view(), name="api-tags"),
    path("search/", reads.Search.as_view(), name="api-search"),
    path("close-reasons/", reads.CloseReasons.as_view(), name="api-close-reasons"),
    path("review-queues/", reads.ReviewQueues.as_view(), name="api-review-queues"),
]
