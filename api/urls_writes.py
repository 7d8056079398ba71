"""Write endpoints of /api/v1/: each calls the same service as the web page."""

from django.urls import path

from api.views import writes

urlpatterns = [
    # Asking is POST /api/v1/questions/, routed with the list in api/urls_reads.py.
    path("questions/<id:pk>/answers/", writes.AnswerCreate.as_view(), name="api-answer-create"),
    path("posts/<id:pk>/comments/", writes.CommentCreate.as_view(), name="api-comment-create"),
    path("posts/<id:pk>/edit/", writes.PostEdit.as_view(), name="api-post-edit"),
    path("posts/<id:pk>/vote/", writes.PostVote.as_view(), name="api-post-vote"),
    path("comments/<id:pk>/vote/", writes.CommentVote.as_view(), name="api-comment-vote"),
    path("answers/<id:pk>/accept/", writes.AnswerAccept.as_view(), name="api-answer-accept"),
    path("posts/<id:pk>/flags/", writes.PostFlag.as_view(), name="api-post-flag"),
    path("questions/<id:pk>/close-votes/", writes.CloseVote.as_view(), name="api-close-vote"),
    path("questions/<id:pk>/reopen-votes/", writes.ReopenVote.as_view(), name="api-reopen-vote"),
    path(
        "review/<str:queue>/tasks/<id:pk>/",
        writes.ReviewDecide.as_view(),
        name="api-review-decide",
    ),
]
