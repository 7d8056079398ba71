"""The main pages of the site, with demo data behind them, for the accessibility and
narrow-screen browser tests (docs/architecture.md, "Accessibility checks")."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from demo.load import demo_load
from moderation.models import ReviewTask, TaskState
from threads import services
from threads.models import Post

THEMES = ("light", "dark")
THEME_KEY = "qasite-theme"  # static/js/theme.js


@dataclass
class Tour:
    user: str  # who is logged in
    urls: list[str]


def tour_load() -> Tour:
    """Demo data (a few generated questions: quick) and the pages that show it, seen by the
    moderator, who may open every one of them."""
    result = demo_load(questions=12)
    seed = result.seed
    closed = Post.objects.questions().filter(closed_at__isnull=False).first()
    moderator = get_user_model().objects.get(username="moderator")
    # An edit, so the revisions page shows a diff (<ins>, <del>) in both themes.
    services.post_edit(
        editor=moderator,
        post=seed,
        title=seed.title,
        body=seed.body.replace("machine learning", "machine-learning", 1) + "\n\nEdited.",
    )
    urls = [
        "/",
        seed.get_absolute_url(),
        f"/posts/{seed.pk}/revisions/",  # diffs: <ins> and <del>
        "/questions/ask/",
        "/search/?q=python+answers%3A1..",
        "/tags/",
        "/users/",
        moderator.get_absolute_url(),
        "/review/",
        "/moderation/",
        "/inbox/",
    ]
    if closed is not None:
        urls.insert(2, closed.get_absolute_url())
    # A queue shows its next task: the seed question's close votes put one in "close",
    # the generated questions some in "first-questions".
    pending = ReviewTask.objects.filter(state=TaskState.PENDING)
    queues = [q for q in ("close", "first-questions") if pending.filter(queue=q).exists()]
    at = urls.index("/review/") + 1
    urls[at:at] = [f"/review/{queue}/" for queue in queues]
    return Tour(user="moderator", urls=urls)


def themed_context(browser, theme: str, **options):
    """A browser context in ``theme``: the system preference and the stored choice agree."""
    context = browser.new_context(color_scheme=theme, **options)
    context.add_init_script(script=f"localStorage.setItem('{THEME_KEY}', '{theme}');")
    return context
