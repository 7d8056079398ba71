"""What feeds adds to threads' pages (``threads.extensions.head_links``): the
``<link rel="alternate">`` of each page's feeds, for feed readers' autodiscovery. No query:
part of the shared question page."""

from django.urls import reverse
from django.utils.html import format_html_join

from threads import extensions as threads


def register() -> None:
    threads.head_links.register("feeds.alternate", alternate_links)


def _links(*feeds: tuple[str, str, dict]):
    rows = []
    for title, url_name, kwargs in feeds:
        rows.append(
            ("application/rss+xml", f"{title} (RSS)", reverse(f"{url_name}-rss", kwargs=kwargs))
        )
        rows.append(
            ("application/atom+xml", f"{title} (Atom)", reverse(f"{url_name}-atom", kwargs=kwargs))
        )
    return format_html_join("\n", '<link rel="alternate" type="{}" title="{}" href="{}">', rows)


def alternate_links(context, kind: str, obj=None) -> str:
    """``kind``: ``questions`` (the lists), ``tag`` (a tag's list, ``obj`` the tag) or
    ``question`` (a question page, ``obj`` the question)."""
    if kind == "question":
        return _links(("Answers to this question", "feed-question", {"pk": obj.pk}))
    if kind == "tag":
        return _links((f"Questions tagged [{obj.name}]", "feed-tag", {"name": obj.name}))
    return _links(
        ("Newest questions", "feed-questions", {}),
        ("Moderation", "feed-moderation", {}),
    )
