"""``generate_data``: a large, realistic site built with bulk inserts, for benchmarks.

Answers 0–10 per question, comments 0–8 per post (both skewed low), tags drawn Zipf-like
from the data-science tag set plus a long tail, votes as real Vote rows with their
reputation ledger rows (no daily cap: votes are spread over years). Bodies come from a
pool rendered once, so a run costs inserts, not Markdown rendering. The result keeps the
invariants the services keep: scores = sum of votes, counters match rows, every post has
its first revision, ``User.reputation`` = 1 + imported + ledger.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.markdown import render_comment, render_post
from demo import text
from demo.generate import tags_create
from threads import page_state
from threads.bulk import create_first_revisions
from threads.models import (
    Comment,
    Post,
    PostKind,
    ReputationCause,
    ReputationChange,
    Tag,
    TaggedPost,
    Vote,
)
from threads.reputation import amount_for

User = get_user_model()
CHUNK = 1000  # questions per transaction
POOL = 400  # distinct rendered bodies per kind
SPAN = timedelta(days=3 * 365)
TAIL_TAGS = 300


@dataclass
class Built:
    users: int = 0
    questions: int = 0
    answers: int = 0
    comments: int = 0
    votes: int = 0
    counts: dict = field(default_factory=dict)


def _skewed(rng: random.Random, high: int, mean: float) -> int:
    """0..high, geometric-like with the given mean."""
    value = int(rng.expovariate(1 / mean)) if mean else 0
    return min(high, value)


def _pool(make: Callable[[random.Random], str], render, rng: random.Random) -> list:
    bodies = [make(rng) for _ in range(POOL)]
    return [(body, render(body)) for body in bodies]


def generate_site(
    *, questions: int, seed: int = 1, progress: Callable[[str], None] = lambda line: None
) -> Built:
    rng = random.Random(seed)
    built = Built()
    tags_create()
    tail = [f"topic-{n}" for n in range(TAIL_TAGS)]
    Tag.objects.bulk_create(
        [Tag(name=name, slug=name) for name in tail], ignore_conflicts=True, batch_size=500
    )
    tags = {tag.name: tag.pk for tag in Tag.objects.all()}
    names = [name for name, _ in text.TAGS] + tail
    weights = [1 / (rank + 1) ** 1.1 for rank in range(len(names))]

    people = _users(rng, max(50, questions // 20))
    built.users = len(people)
    q_pool = _pool(lambda r: text.question_body(["python", "pandas"], r), render_post, rng)
    a_pool = _pool(lambda r: text.answer_body(["python"], r), render_post, rng)
    c_pool = _pool(text.comment_body, render_comment, rng)
    now = timezone.now()
    for start in range(0, questions, CHUNK):
        with transaction.atomic():
            _chunk(
                rng,
                min(CHUNK, questions - start),
                people,
                tags,
                names,
                weights,
                (q_pool, a_pool, c_pool),
                now,
                built,
            )
        progress(f"{start + min(CHUNK, questions - start)} / {questions} questions")
    _finish()
    page_state.changed(None)  # new posts, and reputations shown on cached pages
    # The planner's statistics: a bulk load outruns autovacuum (or runs where it is off),
    # and plans made for the tables as empty read every row of them. On PostgreSQL a vacuum
    # also merges the search indexes' pending entries (GIN's fast-update list), which every
    # search reads in full until then: it halved a cold question page's database time.
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    return built


def _users(rng: random.Random, count: int) -> list[int]:
    first = User.objects.count()
    users = [
        User(
            username=f"gen{first + n}-{rng.randrange(10**6)}",
            display_name=f"{rng.choice(('ana', 'bo', 'chen', 'dev', 'eli', 'fay', 'gus'))}"
            f"{rng.randrange(10**5)}",
            password="!unusable",
            imported_reputation=int(rng.paretovariate(1.2) * 20) % 50000,
        )
        for n in range(count)
    ]
    User.objects.bulk_create(users, batch_size=1000)
    User.objects.filter(pk__in=[u.pk for u in users]).update(
        reputation=1 + F("imported_reputation")
    )
    return [user.pk for user in users]


def _chunk(rng, count, people, tags, names, weights, pools, now, built) -> None:
    """One transaction's questions with their answers, comments and votes: drawn first,
    their counters counted as drawn, then inserted (a post's rows point at the object,
    which has its id by the time they are inserted)."""
    q_pool, a_pool, c_pool = pools
    question_rows = []
    question_tags = []
    for _ in range(count):
        chosen = list(dict.fromkeys(rng.choices(names, weights, k=rng.randint(1, 5))))
        created = now - SPAN * rng.random() ** 0.7
        body, html = rng.choice(q_pool)
        author = rng.choice(people)
        question_rows.append(
            Post(
                kind=PostKind.QUESTION,
                title=f"{text.question_title(chosen, rng)[:140]} ({rng.randrange(10**4)})",
                body=body,
                body_html=html,
                author_id=author,
                created_at=created,
                last_activity_at=created,
                changed_at=created,
                view_count=int(rng.paretovariate(1.1) * 20),
            )
        )
        question_tags.append(chosen)
    answer_rows = []
    for question in question_rows:
        for _ in range(_skewed(rng, 10, 1.6)):
            created = min(now, question.created_at + timedelta(hours=rng.expovariate(1 / 30)))
            body, html = rng.choice(a_pool)
            answer_rows.append(
                Post(
                    kind=PostKind.ANSWER,
                    parent=question,
                    body=body,
                    body_html=html,
                    author_id=rng.choice(people),
                    created_at=created,
                    last_activity_at=created,
                    changed_at=created,
                )
            )
            question.answer_count += 1
            question.last_activity_at = max(question.last_activity_at, created)
    posts = question_rows + answer_rows
    comments = []
    for post in posts:
        for _ in range(_skewed(rng, 8, 0.9)):
            body, html = rng.choice(c_pool)
            created = min(now, post.created_at + timedelta(hours=rng.expovariate(1 / 12)))
            comments.append(
                Comment(
                    post=post,
                    author_id=rng.choice(people),
                    body=body,
                    body_html=html,
                    created_at=created,
                    score=_skewed(rng, 20, 0.6),
                )
            )
            post.comment_count += 1
    votes, ledger = _votes(rng, posts, people, now)
    Post.objects.bulk_create(question_rows, batch_size=1000)
    TaggedPost.objects.bulk_create(
        [
            TaggedPost(content_object_id=question.pk, tag_id=tags[name])
            for question, chosen in zip(question_rows, question_tags, strict=True)
            for name in chosen
        ],
        batch_size=2000,
    )
    for answer in answer_rows:
        answer.parent_id = answer.parent.pk
    Post.objects.bulk_create(answer_rows, batch_size=1000)
    create_first_revisions(
        posts,
        {post.pk: chosen for post, chosen in zip(question_rows, question_tags, strict=True)},
        batch_size=2000,
    )
    Comment.objects.bulk_create(comments, batch_size=2000)
    Vote.objects.bulk_create(votes, batch_size=2000)
    for change in ledger:
        change.vote_id = change.vote.pk
    ReputationChange.objects.bulk_create(ledger, batch_size=2000)
    built.questions += len(question_rows)
    built.answers += len(answer_rows)
    built.comments += len(comments)
    built.votes += len(votes)


def _votes(rng, posts, people, now):
    """Vote rows and the ledger rows they earn (the daily cap does not apply to a demo);
    each post's score and vote counts follow its votes."""
    votes, ledger = [], []
    upvoted, downvoted = ReputationCause.UPVOTED, ReputationCause.DOWNVOTED
    up_q, up_a = amount_for("QUESTION_UPVOTED"), amount_for("ANSWER_UPVOTED")
    down, downvoter = amount_for("POST_DOWNVOTED"), amount_for("DOWNVOTER_ON_ANSWER")
    for post in posts:
        drawn = rng.sample(people, min(len(people), _skewed(rng, 25, 2.2)))
        for voter in (voter for voter in drawn if voter != post.author_id):
            value = 1 if rng.random() < 0.85 else -1
            cast = min(now, post.created_at + timedelta(days=rng.expovariate(1 / 60)))
            vote = Vote(user_id=voter, post=post, value=value, cast_at=cast)
            votes.append(vote)
            post.score += value
            entry = partial(
                ReputationChange, post=post, vote=vote, day=cast.date(), created_at=cast
            )
            if value > 0:
                post.up_votes += 1
                amount = up_q if post.kind == PostKind.QUESTION else up_a
                ledger.append(entry(user_id=post.author_id, amount=amount, cause=upvoted))
            else:
                post.down_votes += 1
                ledger.append(entry(user_id=post.author_id, amount=down, cause=downvoted))
                if post.kind == PostKind.ANSWER:
                    ledger.append(
                        entry(
                            user_id=voter,
                            amount=downvoter,
                            cause=ReputationCause.DOWNVOTED_ANSWER,
                        )
                    )
    return votes, ledger


def _finish() -> None:
    """Tag usage and reputation from rows, in two set-based updates (the posts' counters
    were counted as drawn: updating every post would rewrite the largest table)."""
    usage = TaggedPost.objects.filter(tag=OuterRef("pk")).values("tag").annotate(n=Count("pk"))
    Tag.objects.update(usage_count=Coalesce(Subquery(usage.values("n")), 0))
    earned = (
        ReputationChange.objects.filter(user=OuterRef("pk"))
        .values("user")
        .annotate(total=Sum("amount"))
    )
    User.objects.update(
        reputation=1 + F("imported_reputation") + Coalesce(Subquery(earned.values("total")), 0)
    )


__all__ = ["Built", "generate_site"]
