from django.urls import include, path

from core.extensions import user_pages
from threads.extensions import question_pages
from threads.views import comments, posts, questions, search, tags, users

urlpatterns = [
    path("", questions.question_list, name="home"),
    path("questions/", questions.question_list, name="question-list"),
    path("questions/ask/", questions.question_ask, name="question-ask"),
    path("questions/similar/", questions.question_similar, name="question-similar"),
    path("search/", search.search, name="search"),
    path("search/help/", search.search_help, name="search-help"),
    path("questions/<id:pk>/", questions.question_detail, name="question-detail-noslug"),
    path("questions/<id:pk>/answer/", questions.answer_create, name="answer-create"),
    # The pages other apps register under a question or a member, before the slug routes:
    # their names are never slugs (``question_slug``, ``User.slug``).
    path("questions/<id:pk>/", include(question_pages.urlpatterns())),
    path("questions/<id:pk>/<str:slug>/", questions.question_detail, name="question-detail"),
    path("questions/tagged/<tag:name>/", questions.tag_questions, name="tag-detail"),
    path("q/<id:pk>", questions.question_short, name="question-short"),
    path("a/<id:pk>", questions.answer_short, name="answer-short"),
    path("posts/<id:pk>/vote/", posts.post_vote, name="post-vote"),
    path("posts/<id:pk>/accept/", posts.answer_accept, name="answer-accept"),
    path("posts/<id:pk>/edit/", posts.post_edit, name="post-edit"),
    path("posts/<id:pk>/revisions/", posts.post_revisions, name="post-revisions"),
    path(
        "posts/<id:pk>/revisions/<id:number>/rollback/",
        posts.post_rollback,
        name="post-rollback",
    ),
    path("posts/<id:pk>/delete/", posts.post_delete, name="post-delete"),
    path("posts/<id:pk>/comments/", comments.comment_create, name="comment-create"),
    path("comments/<id:pk>/vote/", comments.comment_vote, name="comment-vote"),
    path("comments/<id:pk>/delete/", comments.comment_delete, name="comment-delete"),
    path("tags/", tags.tag_list, name="tag-list"),
    path("tags/suggest/", tags.tag_suggest, name="tag-suggest"),
    path("tags/<tag:name>/info/", tags.tag_info, name="tag-info"),
    path("tags/<tag:name>/info/edit/", tags.tag_wiki_edit, name="tag-wiki-edit"),
    path("tags/<tag:name>/info/revisions/", tags.tag_wiki_revisions, name="tag-wiki-revisions"),
    path("tags/<tag:name>/synonyms/", tags.tag_synonyms, name="tag-synonyms"),
    path("tags/<tag:name>/merge/", tags.tag_merge, name="tag-merge"),
    path("tag-synonyms/<id:pk>/vote/", tags.tag_synonym_vote, name="tag-synonym-vote"),
    path("tag-synonyms/<id:pk>/decide/", tags.tag_synonym_decide, name="tag-synonym-decide"),
    path("users/", users.user_list, name="user-list"),
    path("users/<id:pk>/", users.user_detail, name="user-detail-noslug"),
    path("users/<id:pk>/", include(user_pages.urlpatterns())),
    path("users/<id:pk>/<str:slug>/", users.user_detail, name="user-detail"),
]
