"""RSS 2.0 and Atom feeds (``django.contrib.syndication``): the newest questions, a tag's,
a question's answers and the public moderation timeline (docs/rules.md, "Feeds and
discovery"). Every link is absolute from ``SITE_URL``; each feed reads a constant number of
queries (``feeds.selectors``), and deleted posts never appear."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags

from feeds import selectors
from threads import selectors as thread_selectors

SITE_NAME = "qasite"


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


class _SiteFeed(Feed):
    """A feed whose own address (Atom's ``rel="self"``) is absolute from ``SITE_URL``: its
    URL is named ``<url_name>-rss`` or ``<url_name>-atom``."""

    url_name = ""

    def url_kwargs(self, obj) -> dict:
        return {}

    def feed_url(self, obj=None) -> str:
        kind = "atom" if self.feed_type is Atom1Feed else "rss"
        return absolute(reverse(f"{self.url_name}-{kind}", kwargs=self.url_kwargs(obj)))


class _PostFeed(_SiteFeed):
    """What the feeds of posts share: an item is a question or an answer."""

    def item_title(self, item) -> str:
        if item.is_question:
            return item.title
        return f"Answer by {item.display_author or 'Community'} to {item.parent.title}"

    def item_description(self, item) -> str:
        return item.body_html  # rendered and sanitised when the post was saved

    def item_link(self, item) -> str:
        if item.is_question:
            return absolute(item.get_absolute_url())
        return absolute(f"{item.parent.get_absolute_url()}#answer-{item.pk}")

    def item_guid(self, item) -> str:
        return absolute(
            reverse("question-short" if item.is_question else "answer-short", args=[item.pk])
        )

    item_guid_is_permalink = True

    def item_author_name(self, item) -> str:
        return item.display_author or "Community"

    def item_author_link(self, item) -> str | None:
        return absolute(item.author.get_absolute_url()) if item.author_id else None

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.last_edited_at or item.created_at

    def item_categories(self, item) -> list[str]:
        # Questions only: their tags were prefetched (``selectors.newest_questions``).
        return [tag.name for tag in item.tags.all()] if item.is_question else []


class NewestQuestionsFeed(_PostFeed):
    url_name = "feed-questions"
    title = f"Newest questions – {SITE_NAME}"
    description = "The newest questions asked on the site."

    def link(self) -> str:
        return absolute(reverse("question-list"))

    def items(self):
        return selectors.newest_questions()


class TagQuestionsFeed(_PostFeed):
    url_name = "feed-tag"

    def url_kwargs(self, tag) -> dict:
        return {"name": tag.name}

    def get_object(self, request, name: str):
        tag = thread_selectors.tag_get(name=name)
        return tag.synonym_of or tag  # a synonym's feed is its master's

    def title(self, tag) -> str:
        return f"Questions tagged [{tag.name}] – {SITE_NAME}"

    def description(self, tag) -> str:
        return tag.excerpt or f"The newest questions tagged [{tag.name}]."

    def link(self, tag) -> str:
        return absolute(tag.get_absolute_url())

    def items(self, tag):
        return selectors.newest_questions(tag=tag)


class QuestionAnswersFeed(_PostFeed):
    url_name = "feed-question"

    def url_kwargs(self, question) -> dict:
        return {"pk": question.pk}

    def get_object(self, request, pk: int):
        question = thread_selectors.question_get(pk=pk)
        if question.is_deleted:  # feeds are public: a deleted question has none
            raise Http404("No such question.")
        return question

    def title(self, question) -> str:
        return f"Answers to “{question.title}” – {SITE_NAME}"

    def description(self, question) -> str:
        return strip_tags(question.body_html)[:300]

    def link(self, question) -> str:
        return absolute(question.get_absolute_url())

    def items(self, question):
        return selectors.question_answers(question=question)


class ModerationFeed(_SiteFeed):
    """The public moderation timeline of the whole site: closures, reopenings, locks,
    deletions of answers on visible questions… as each question's timeline shows them."""

    url_name = "feed-moderation"
    title = f"Moderation – {SITE_NAME}"
    description = "Public moderation actions on the site's questions, newest first."

    def link(self) -> str:
        return absolute(reverse("question-list"))

    def items(self):
        return selectors.public_events()

    def item_title(self, event) -> str:
        return f"{event.get_kind_display()}: {event.question.title}"

    def item_description(self, event) -> str:
        target = "the question" if event.post_id == event.question_id else "an answer"
        by = event.actor_name or "Community"
        reason = f" — {event.reason}" if event.reason else ""
        return f"{event.get_kind_display()} ({target}) by {by}{reason}"

    def item_link(self, event) -> str:
        return absolute(reverse("question-timeline", kwargs={"pk": event.question_id}))

    def item_guid(self, event) -> str:
        return f"{self.item_link(event)}#event-{event.pk}"

    item_guid_is_permalink = False

    def item_author_name(self, event) -> str:
        return event.actor_name or "Community"

    def item_pubdate(self, event):
        return event.created_at

    def item_updateddate(self, event):  # Atom requires it; an event never changes
        return event.created_at


class _Atom:
    feed_type = Atom1Feed

    def subtitle(self, obj=None) -> str:
        description = self.description
        return description(obj) if callable(description) else description


class NewestQuestionsAtom(_Atom, NewestQuestionsFeed):
    pass


class TagQuestionsAtom(_Atom, TagQuestionsFeed):
    pass


class QuestionAnswersAtom(_Atom, QuestionAnswersFeed):
    pass


class ModerationAtom(_Atom, ModerationFeed):
    pass
