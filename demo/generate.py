"""Generated demo content: questions with answers, comments, votes and accepted answers,
spread over the last two years, reproducible from a fixed random seed.

Everything is written through ``threads.services`` (via the project's factories), so
counters, revisions, tags, scores and the reputation ledger are what real use would
produce. Then, as an importer would, dates are moved into the past with ``.update()``:
posts, their first revisions, comments, votes and accepts. Finally the ledger is replayed
(``reputation_recount``) so each vote counts on its historic UTC day, daily cap included;
afterwards ``manage.py recount_reputation`` finds nothing to correct.

Demo logins only vote (never downvoting answers, which costs the voter) and comment, and
the one question ``newbie`` asks gets no votes and no accept: their reputation stays at
the level their name promises.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from faker import Faker

from accounts.privileges import Privilege
from core.markdown import render_post
from demo import text
from demo.factories import AnswerFactory, CommentFactory, QuestionFactory
from demo.users import author_get_or_create
from threads import services
from threads.models import (
    CommentVote,
    Post,
    Revision,
    Tag,
    Vote,
)
from threads.reputation import reputation_recount

User = get_user_model()

DEMO_SEED = 28006
GENERATED_NAMESPACE = uuid.UUID("9e4e7a7e-0d3b-4c1e-8f7a-de0000000200")
SPAN = timedelta(days=730)

# Demo logins that vote and comment on generated posts, with how active each is.
DEMO_VOTERS = {
    "voter": 1.0,
    "commenter": 1.0,
    "downvoter": 1.0,
    "reviewer": 1.5,
    "editor": 1.5,
    "closer1": 1.0,
    "closer2": 1.0,
    "closer3": 1.0,
    "trusted": 2.0,
    "moderator": 0.5,
}


def generated_token(index: int) -> uuid.UUID:
    """Fixed ``creation_token`` of generated question ``index`` (index 0 marks the load)."""
    return uuid.uuid5(GENERATED_NAMESPACE, f"question:{index}")


@dataclass
class Generated:
    users: int = 0
    questions: int = 0
    answers: int = 0
    comments: int = 0
    votes: int = 0
    comment_votes: int = 0
    accepted: int = 0


@dataclass
class _Person:
    user: User
    reputation: int  # at creation (imported); the generator's notion of what they may do
    demo: bool = False
    weight: float = 1.0


def tags_create() -> int:
    """The data-science tag set with excerpts (and the excerpt as a one-line wiki).
    Written directly, as an importer writes tags: no tag service exists."""
    created = 0
    for name, excerpt in text.TAGS:
        tag, new = Tag.objects.get_or_create(
            name=name,
            defaults={
                "slug": name,
                "excerpt": excerpt,
                "wiki_body": excerpt,
                "wiki_html": render_post(excerpt),
            },
        )
        created += new
        if not new and not tag.excerpt:
            Tag.objects.filter(pk=tag.pk).update(
                excerpt=excerpt, wiki_body=excerpt, wiki_html=render_post(excerpt)
            )
    return created


def _zipf(n: int, s: float = 1.0) -> list[float]:
    return [1 / (rank + 1) ** s for rank in range(n)]


def _distinct(rng: random.Random, items: list, weights: list[float], k: int) -> list:
    """``k`` distinct items drawn by weight (order of drawing kept)."""
    k = min(k, len(items))
    chosen: list = []
    while len(chosen) < k:
        item = rng.choices(items, weights)[0]
        if item not in chosen:
            chosen.append(item)
    return chosen


def _later(rng: random.Random, start: datetime, now: datetime, mean_hours: float) -> datetime:
    """A moment after ``start`` (exponential delay), never later than ``now``."""
    moment = start + timedelta(hours=rng.expovariate(1 / mean_hours) + 0.05)
    latest = now - timedelta(minutes=rng.randint(1, 60))
    return moment if moment < latest else max(latest, start + (now - start) / 2)


class _Generator:
    def __init__(self, *, count: int, seed: int, demo_users: dict, now: datetime):
        self.count = count
        self.rng = random.Random(seed)
        self.fake = Faker("en_US")
        self.fake.seed_instance(seed)
        self.now = now
        self.demo_users = demo_users
        self.summary = Generated()
        self.tag_names = [name for name, _ in text.TAGS]
        self.tag_weights = _zipf(len(self.tag_names))

    # People -------------------------------------------------------------------------------

    def people(self) -> None:
        rng = self.rng
        n_users = max(12, min(60, self.count // 4 + 10))
        self.authors: list[_Person] = []
        while len(self.authors) < n_users:
            if rng.random() < 0.2:
                name = self.fake.user_name()
            else:
                name = f"{self.fake.first_name()} {self.fake.last_name()}"
            user, created = author_get_or_create(name, reputation=self._imported_level())
            if not created:
                continue  # a name already taken (a demo login, a seed author, a repeat)
            self.summary.users += 1
            self.authors.append(
                _Person(user, user.reputation, weight=1 / (len(self.authors) + 1) ** 0.7)
            )
        demo = [
            _Person(self.demo_users[name], self.demo_users[name].reputation, True, weight)
            for name, weight in DEMO_VOTERS.items()
            if name in self.demo_users
        ]
        # Who may vote up and comment everywhere, by the privileges table.
        people = self.authors + demo
        self.voters = [p for p in people if p.reputation >= Privilege.UPVOTE.reputation]
        self.commenters = [
            p for p in people if p.reputation >= Privilege.COMMENT_EVERYWHERE.reputation
        ]

    def _imported_level(self) -> int:
        """Reputation carried by a generated user: many near 1, a few in the thousands."""
        if self.rng.random() < 0.25:
            return 1
        return min(int(self.rng.paretovariate(0.9) * 20), 40000)

    # Content ------------------------------------------------------------------------------

    def run(self) -> Generated:
        self.people()
        rng = self.rng
        ages = sorted((rng.uniform(0.002, 1) * SPAN for _ in range(self.count)), reverse=True)
        newbie_index = self.count - 3 if self.count >= 3 else None
        used_titles: set[str] = set()
        for index, age in enumerate(ages):
            asker = (
                _Person(self.demo_users["newbie"], 1, True)
                if index == newbie_index and "newbie" in self.demo_users
                else rng.choices(self.authors, [p.weight for p in self.authors])[0]
            )
            self.question(index, self.now - age, asker, used_titles)
        return self.summary

    def question(self, index: int, asked: datetime, asker: _Person, used: set[str]) -> None:
        rng = self.rng
        k = rng.choices([1, 2, 3, 4, 5], [15, 30, 30, 17, 8])[0]
        tags = _distinct(rng, self.tag_names, self.tag_weights, k)
        for _ in range(10):
            title = text.question_title(tags, rng)
            if title not in used:
                break
        used.add(title)
        question = QuestionFactory(
            author=asker.user,
            title=title,
            body=text.question_body(tags, rng),
            tags=tags,
            creation_token=generated_token(index),
        )
        self.summary.questions += 1
        popularity = min(rng.paretovariate(1.3), 15.0)
        protected = asker.demo  # newbie's question: no votes, no accept

        n_answers = rng.choices(range(7), [15, 30, 22, 14, 10, 6, 3])[0]
        answerers = _distinct(
            rng,
            [p for p in self.authors if p.user.pk != asker.user.pk],
            [p.weight for p in self.authors if p.user.pk != asker.user.pk],
            n_answers,
        )
        answered_at = sorted(_later(rng, asked, self.now, 30) for _ in answerers)
        answers = []
        for person, when in zip(answerers, answered_at, strict=True):
            answer = AnswerFactory(
                author=person.user, question=question, body=text.answer_body(tags, rng)
            )
            self._date(answer, when)
            self.summary.answers += 1
            quality = rng.uniform(0.2, 2.0) * popularity
            self.comments(answer, when, asker, person)
            self.votes(answer, when, quality, owner=person)
            answers.append((answer, when, quality, person))

        self.comments(question, asked, asker, asker)
        votes = 0
        if not protected:
            votes = self.votes(question, asked, popularity, owner=asker)
            self.accept(question, asker, answers)

        last_activity = max([asked, *answered_at])
        days = (self.now - asked).days
        views = int(days * rng.uniform(0.05, 0.5) * popularity + votes * rng.uniform(15, 60))
        views += rng.randint(3, 80)
        self._date(question, asked, last_activity_at=last_activity, view_count=views)

    def _date(self, post: Post, when: datetime, **values) -> None:
        values.setdefault("last_activity_at", when)
        Post.objects.filter(pk=post.pk).update(created_at=when, **values)
        Revision.objects.filter(post=post).update(created_at=when)

    def comments(self, post: Post, posted: datetime, asker: _Person, owner: _Person) -> None:
        rng = self.rng
        n = rng.choices(range(4), [45, 30, 17, 8])[0]
        for _ in range(n):
            # The post's author, the asker, or anyone who may comment everywhere.
            others = rng.sample(self.commenters, min(3, len(self.commenters)))
            person = rng.choice([owner, asker, *others])
            when = _later(rng, posted, self.now, 48)
            comment = CommentFactory(
                author=person.user, post=post, body=text.comment_body(rng), created_at=when
            )
            self.summary.comments += 1
            if rng.random() < 0.25:
                for voter in rng.sample(self.voters, rng.randint(1, 3)):
                    if voter.user.pk != person.user.pk and services.comment_vote_cast(
                        user=voter.user, comment=comment
                    ):
                        CommentVote.objects.filter(user=voter.user, comment=comment).update(
                            cast_at=_later(rng, when, self.now, 72)
                        )
                        self.summary.comment_votes += 1

    def votes(self, post: Post, posted: datetime, popularity: float, *, owner: _Person) -> int:
        """Cast votes on ``post`` (mostly up); returns how many."""
        rng = self.rng
        n = min(int(rng.expovariate(1) * popularity), len(self.voters) - 1)
        candidates = [p for p in self.voters if p.user.pk != owner.user.pk]
        for voter in _distinct(rng, candidates, [p.weight for p in candidates], n):
            down = voter.reputation >= Privilege.DOWNVOTE.reputation and rng.random() < 0.12
            if down and voter.demo and not post.is_question:
                down = False  # a downvote on an answer costs the voter 1
            if services.vote_cast(
                user=voter.user, post=post, value=-1 if down else 1, rate_limited=False
            ):
                Vote.objects.filter(user=voter.user, post=post).update(
                    cast_at=_later(rng, posted, self.now, 24 * 20)
                )
                self.summary.votes += 1
        return n

    def accept(self, question: Post, asker: _Person, answers: list) -> None:
        candidates = [row for row in answers if row[3].user.pk != asker.user.pk]
        if not candidates or self.rng.random() > 0.55:
            return
        answer, when, _, _ = max(candidates, key=lambda row: row[2] * self.rng.uniform(0.5, 1))
        if services.answer_accept(user=asker.user, answer=answer):
            accepted_at = _later(self.rng, when, self.now, 36)
            Post.objects.filter(pk=question.pk).update(accepted_at=accepted_at)
            self.summary.accepted += 1


@transaction.atomic
def demo_generate(
    *, questions: int = 200, seed: int = DEMO_SEED, demo_users: dict, now: datetime | None = None
) -> Generated | None:
    """Generate ``questions`` questions with everything around them, unless they exist
    (generated question 0 carries a fixed token). Returns the counts, or None."""
    if questions <= 0 or Post.objects.filter(creation_token=generated_token(0)).exists():
        return None
    tags_create()
    summary = _Generator(
        count=questions, seed=seed, demo_users=demo_users, now=now or timezone.now()
    ).run()
    # Votes and accepts now carry historic dates: replay the ledger on those days.
    reputation_recount()
    return summary


__all__ = ["DEMO_SEED", "Generated", "demo_generate", "generated_token", "tags_create"]
