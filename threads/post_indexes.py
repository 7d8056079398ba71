"""The post table's indexes (``Post.Meta.indexes``), each beside what reads it."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce

from threads.kinds import PostKind

POST_INDEXES = [
    models.Index(fields=["kind", "-created_at"], name="post_kind_created"),
    # Its question's id (a [tag] search's taggings reach posts through it: engine.py).
    models.Index(Coalesce("parent", "id"), name="post_thread"),
    # Search results "newest first" mix questions and answers (a [tag] alone):
    # walked newest first, a popular tag's page is found in a few rows.
    models.Index(fields=["-created_at", "-id"], name="post_created"),
    models.Index(fields=["kind", "-last_activity_at"], name="post_kind_activity"),
    models.Index(fields=["kind", "-score"], name="post_kind_score"),
    models.Index(fields=["parent", "-score"], name="post_parent_score"),
    models.Index(fields=["kind", "-hot_rank", "-id"], name="post_kind_hot"),
    models.Index(fields=["kind", "-week_rank", "-id"], name="post_kind_week"),
    models.Index(fields=["kind", "-month_rank", "-id"], name="post_kind_month"),
    models.Index(fields=["kind", "-link_count", "-id"], name="post_kind_links"),
    # The locked posts of a thread, which every cached question page asks for
    # (selectors.question_page_state, thread_state): only the few posts ever locked,
    # so the answer costs the same for a thread of 3 answers or 300.
    models.Index(fields=["parent"], condition=Q(locked_until__isnull=False), name="post_locked"),
    # The question lists' counts (selectors.question_count) read these three narrow
    # partial indexes instead of every post row (bodies and search vectors
    # included): the visible questions, those without an accepted answer, and the
    # questions that have an upvoted answer (the Unanswered tab leaves them out).
    models.Index(
        fields=["-created_at", "-id"],
        condition=Q(kind=PostKind.QUESTION, deleted_at__isnull=True),
        name="post_visible_question",
    ),
    models.Index(
        fields=["-created_at", "-id"],
        condition=Q(kind=PostKind.QUESTION, deleted_at__isnull=True, accepted_answer__isnull=True),
        name="post_unaccepted_question",
    ),
    models.Index(
        fields=["parent"],
        condition=Q(kind=PostKind.ANSWER, score__gt=0, deleted_at__isnull=True),
        name="post_upvoted_answer",
    ),
]
