"""generate_data: a large site by bulk inserts that keeps the services' invariants."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, F, Sum

from threads.models import Comment, Post, ReputationChange, Revision, Tag, Vote

pytestmark = pytest.mark.django_db


def test_it_builds_a_site_that_keeps_the_services_invariants(client):
    out = StringIO()
    call_command("generate_data", questions=60, seed=3, stdout=out)
    assert "Generated" in out.getvalue()

    questions = Post.objects.questions()
    assert questions.count() == 60
    scores = dict(Vote.objects.values_list("post").annotate(total=Sum("value")))
    comments = dict(Comment.objects.values_list("post").annotate(total=Count("pk")))
    first_revisions = set(Revision.objects.filter(number=1).values_list("post_id", flat=True))
    for post in Post.objects.all():
        assert post.score == scores.get(post.pk, 0)
        assert post.comment_count == comments.get(post.pk, 0) <= 8
        assert post.pk in first_revisions
    for question in questions.annotate(answers_n=Count("answers")):
        assert question.answer_count == question.answers_n <= 10
        assert 1 <= question.tags.count() <= 5
    assert not Vote.objects.filter(user_id=F("post__author_id")).exists()
    for tag in Tag.objects.annotate(n=Count("tagged_posts")):
        assert tag.usage_count == tag.n
    ledger = dict(ReputationChange.objects.values_list("user").annotate(total=Sum("amount")))
    for user in get_user_model().objects.all():
        assert user.reputation == 1 + user.imported_reputation + ledger.get(user.pk, 0)
    assert client.get(questions.order_by("-score").first().get_absolute_url()).status_code == 200
