"""``load_demo`` in one function: demo logins, the Community user, the seed thread and the
generated questions, in one transaction. Each part is idempotent on its own (users by
username, the seed by ``SEED_TOKEN``, the generated content by its first question's
fixed token), so a second run adds nothing."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from demo.generate import DEMO_SEED, Generated, demo_generate, tags_create
from demo.moderation import duplicate_closure, seed_close_votes
from demo.seed_load import seed_thread_load
from demo.users import community_user_create, demo_users_create
from threads.models import Comment, Post, Tag, Vote

User = get_user_model()


@dataclass
class DemoLoad:
    """What one run added (``created_*``, ``seed``, ``generated``) and what exists now."""

    created_users: int = 0
    seed: Post | None = None
    generated: Generated | None = None
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def added_anything(self) -> bool:
        return bool(self.created_users or self.seed or self.generated)


def demo_totals() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "questions": Post.objects.questions().count(),
        "answers": Post.objects.answers().count(),
        "comments": Comment.objects.count(),
        "votes": Vote.objects.count(),
        "tags": Tag.objects.count(),
    }


@transaction.atomic
def demo_load(*, questions: int = 200, seed: int = DEMO_SEED) -> DemoLoad:
    result = DemoLoad()
    users_before = User.objects.count()
    demo_users, _ = demo_users_create()
    community_user_create()
    tags_create()
    result.seed = seed_thread_load()
    if result.seed is not None:
        seed_close_votes(question=result.seed, demo_users=demo_users)
    result.generated = demo_generate(questions=questions, seed=seed, demo_users=demo_users)
    if result.generated is not None:
        duplicate_closure(demo_users=demo_users)
    result.totals = demo_totals()
    result.created_users = result.totals["users"] - users_before
    return result
