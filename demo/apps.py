from django.apps import AppConfig


def seed_post_ids():
    """The seed thread's question and answers, copied from their source page rather than
    written here (the first-posts queues leave them out); answers added here later are not."""
    from demo.seed import SEED_TOKEN, seed_data, seed_token
    from threads.models import Post

    tokens = [SEED_TOKEN] + [
        seed_token("answer", index) for index in range(len(seed_data()["answers"]))
    ]
    return Post.objects.filter(creation_token__in=tokens).values("pk")


class DemoConfig(AppConfig):
    """Demo data (users, the seed thread, generated sites) and the commands that load it."""

    name = "demo"
    verbose_name = "Demo data"

    def ready(self) -> None:
        from moderation.imported import imported_posts

        imported_posts.register("demo.seed-thread", seed_post_ids)
