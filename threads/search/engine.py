"""Searching: a parsed ``SearchQuery`` becomes one queryset of visible posts (filters as
ORM lookups, words through the database's backend), read a page at a time.

A results page costs at most seven queries whatever its size: the ids of the query's tags
(if any), the count (of unranked matches), the page's ids (ranked and sorted on ids and
sort keys alone; for relevance without filters on SQLite, two or three: see
``_best_ranked``; by relevance on PostgreSQL, one or two: see ``_title_first``), the
page's rows (with author and question joined), the tags of the page's questions, and the
highlighted excerpts (skipped for queries without words).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time

from django.core.paginator import Page, Paginator
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape

from threads.models import Post, PostKind, PostLink, PostLinkKind, Tag, TaggedPost
from threads.search.backends import Term, TextMatch, get_backend
from threads.search.highlight import excerpt_html, marked_html
from threads.search.query import DateRange, Range, SearchQuery, content_words, words_of

SORTS = ("relevance", "newest", "votes")
RESULTS_PER_PAGE = 15
SIMILAR_LIMIT = 5
RELATED_LIMIT = 10
# A page by relevance ranks twice the matches it needs plus this many (``_best_ranked``):
# deleted posts and ties at the cut-off rarely exhaust them.
CANDIDATE_MARGIN = 50
# A page by relevance on PostgreSQL ranks the title hits among this many candidates first
# (``_title_first``).
TITLE_CANDIDATES = 200
_ORDERINGS = {
    "relevance": ("-search_rank", "-score", "-pk"),
    "newest": ("-created_at", "-pk"),
    "votes": ("-score", "-created_at", "-pk"),
}
_QUESTION = PostKind.QUESTION
_ANSWER = PostKind.ANSWER


def visible_posts() -> QuerySet[Post]:
    """Posts that are not deleted, and answers whose question is not deleted either."""
    return Post.objects.filter(deleted_at__isnull=True).filter(
        Q(kind=_QUESTION) | Q(parent__deleted_at__isnull=True)
    )


def _tag_ids(names: tuple[str, ...]) -> dict[str, set[int]]:
    """Each name's tag and the tag it is a synonym of, for all the names in one query
    (none without names)."""
    found: dict[str, set[int]] = {name: set() for name in names}
    if not names:
        return found
    rows = Tag.objects.filter(name__in=names).values_list("name", "pk", "synonym_of")
    for name, pk, master in rows:
        found[name] = {pk, master} - {None}
    return found


def _has_tag(tag_ids: set[int]) -> Q:
    """The post's question carries one of ``tag_ids``: its question's id is its own or its
    parent's (``Coalesce``, indexed as ``post_thread``), one condition PostgreSQL joins
    either way: probing the tagging table's (post, tag) index per post while walking the
    newest posts, or reading the tag's taggings and their posts through ``post_thread``
    (the capped count). Two conditions, one per kind, were each hashed over all the tag's
    taggings (README, "Search at a million questions"); the ids, known beforehand, spare
    a join per probe."""
    tagged = TaggedPost.objects.filter(
        tag__in=tag_ids, content_object=Coalesce(OuterRef("parent_id"), OuterRef("pk"))
    )
    return Q(Exists(tagged))


def filtered(query: SearchQuery) -> QuerySet[Post]:
    """Visible posts passing the query's filters and exclusions (its wanted words are the
    backend's job). Costs a query when there are tags (their ids)."""
    posts = visible_posts()
    tag_ids = _tag_ids(query.tags + query.excluded_tags)
    for name in query.tags:
        posts = posts.filter(_has_tag(tag_ids[name]))
    for name in query.excluded_tags:
        if tag_ids[name]:
            posts = posts.exclude(_has_tag(tag_ids[name]))
    if query.excluded:
        posts = get_backend().exclude_matches(posts, TextMatch.excluded_of(query))
    if query.kind is not None:
        posts = posts.filter(kind=query.kind)
    if query.user_id is not None:
        posts = posts.filter(author_id=query.user_id)
    posts = _in_range(posts, "score", query.score)
    if query.answers is not None:
        posts = _in_range(posts.filter(kind=_QUESTION), "answer_count", query.answers)
    if query.created is not None:
        posts = _created_in(posts, query.created)
    if query.closed is not None:
        # Closed questions, and answers in closed questions.
        posts = posts.filter(
            Q(kind=_QUESTION, closed_at__isnull=not query.closed)
            | Q(kind=_ANSWER, parent__closed_at__isnull=not query.closed)
        )
    if query.duplicate is not None:
        # Questions closed as duplicates, and their answers.
        links = PostLink.objects.filter(kind=PostLinkKind.DUPLICATE)
        duplicate = Q(
            Exists(links.filter(post=OuterRef("pk"))), kind=_QUESTION, closed_at__isnull=False
        ) | Q(
            Exists(links.filter(post=OuterRef("parent_id"))),
            kind=_ANSWER,
            parent__closed_at__isnull=False,
        )
        posts = posts.filter(duplicate) if query.duplicate else posts.exclude(duplicate)
    if query.accepted is True:
        posts = posts.filter(
            Q(kind=_QUESTION, accepted_answer__isnull=False)
            | Q(kind=_ANSWER, parent__accepted_answer_id=F("pk"))
        )
    elif query.accepted is False:
        posts = posts.filter(
            Q(kind=_QUESTION, accepted_answer__isnull=True)
            | Q(kind=_ANSWER, parent__accepted_answer__isnull=True)
            | (Q(kind=_ANSWER) & ~Q(parent__accepted_answer_id=F("pk")))
        )
    return posts


def _in_range(posts: QuerySet[Post], field: str, bounds: Range | None) -> QuerySet[Post]:
    if bounds is None:
        return posts
    if bounds.low is not None:
        posts = posts.filter(**{f"{field}__gte": bounds.low})
    if bounds.high is not None:
        posts = posts.filter(**{f"{field}__lte": bounds.high})
    return posts


def _created_in(posts: QuerySet[Post], created: DateRange) -> QuerySet[Post]:
    """Days are the site's (``TIME_ZONE``): from midnight of the first to midnight after
    the last."""

    def midnight(day):
        return timezone.make_aware(datetime.combine(day, time.min))

    if created.start is not None:
        posts = posts.filter(created_at__gte=midnight(created.start))
    if created.end is not None:
        posts = posts.filter(created_at__lt=midnight(created.end))
    return posts


def results(query: SearchQuery, *, sort: str = "relevance") -> QuerySet[Post]:
    """The ordered queryset of results (relevance falls back to newest without words)."""
    return _ordered(filtered(query), TextMatch.of(query), sort)


def _ordered(posts: QuerySet[Post], text: TextMatch, sort: str) -> QuerySet[Post]:
    if text:
        posts = get_backend().annotate_matches(posts, text)
    elif sort == "relevance":
        sort = "newest"
    return posts.order_by(*_ORDERINGS[sort])


COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Counts at most ``COUNT_CAP + 1`` of ``matches`` (the unranked ``object_list``): on a
    large site a common word matches tens of thousands of posts, and counting them all
    would cost more than the page itself. Pages go as deep as the cap; the page shows
    "1,000+ results" past it."""

    def __init__(self, object_list, per_page: int, *, matches: QuerySet):
        super().__init__(object_list, per_page)
        self.matches = matches

    @cached_property
    def count(self) -> int:
        return self.matches[: COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def cap(self) -> int:
        return COUNT_CAP


def search(
    query: SearchQuery, *, sort: str = "relevance", page=None, per_page: int = RESULTS_PER_PAGE
) -> Page:
    """A page of results; each post carries ``thread`` (its question), ``thread_tags``,
    ``title_html`` and ``excerpt_html`` (escaped, matches in ``<mark>``)."""
    if query.is_empty or query.needs_login:
        return Paginator([], per_page).get_page(1)
    sort = sort if sort in SORTS else "relevance"
    text, posts = TextMatch.of(query), filtered(query)
    by_index = bool(text) and sort == "relevance" and not query.has_filters
    # The count needs neither ranking nor order.
    matches = get_backend().filter_matches(posts, text) if text else posts
    paginator = CappedPaginator([], per_page, matches=matches)
    paginator.object_list = _ResultIds(
        posts, text, sort, by_index=by_index, count=lambda: paginator.count
    )
    current = paginator.get_page(page)
    current.object_list = _rows(current.object_list)
    _decorate(current.object_list, text)
    return current


class _ResultIds:
    """The results' ids in order, read a page at a time (sliced by the paginator). With
    ``by_index`` (relevance, no filters), from the index's best matches first
    (``_best_ranked``); a filter could reject most of those, and the page would then cost
    the ranking twice. By relevance with more matches than ``TITLE_CANDIDATES`` (``count``,
    the paginator's, is read first), title hits first (``_title_first``); fewer cost no
    more ranked all at once, in one query."""

    def __init__(
        self,
        posts: QuerySet[Post],
        text: TextMatch,
        sort: str,
        *,
        by_index: bool,
        count: Callable[[], int],
    ):
        self.posts, self.text, self.sort = posts, text, sort
        self.by_index, self.count = by_index, count

    def __getitem__(self, page: slice) -> list[int]:
        if self.by_index:
            ids = _best_ranked(self.posts, self.text, page.start, page.stop)
            if ids is not None:
                return ids
        if self.text and self.sort == "relevance" and self.count() > TITLE_CANDIDATES:
            ids = _title_first(self.posts, self.text, page.start, page.stop)
            if ids is not None:
                return ids
        return list(_ordered(self.posts, self.text, self.sort).values_list("pk", flat=True)[page])


def _best_ranked(posts: QuerySet[Post], text: TextMatch, start: int, stop: int) -> list[int] | None:
    """The ids ``[start:stop]`` of ``posts`` matching ``text`` by relevance, found among the
    index's best matches alone: the posts are read for these few candidates, not for every
    match (a common word matches half the site), which halves the cost on SQLite. None when
    the candidates cannot tell (too few passed the filters), or the backend cannot rank
    without reading the posts."""
    size = 2 * stop + CANDIDATE_MARGIN
    ranked = get_backend().best_ranked(text, size)
    if ranked is None:
        return None
    rank = dict(ranked)
    rows = posts.filter(pk__in=list(rank)).values_list("pk", "score")
    # In Python as _ORDERINGS["relevance"] in SQL.
    order = sorted(rows, key=lambda row: (-rank[row[0]], -row[1], -row[0]))
    if len(ranked) == size:
        # Matches left out rank at or below the last candidate (ties included): only the
        # candidates above it are surely in their place.
        worst = ranked[-1][1]
        order = [row for row in order if rank[row[0]] > worst]
        if len(order) < stop:
            return None
    return [pk for pk, _ in order[start:stop]]


def _title_first(posts: QuerySet[Post], text: TextMatch, start: int, stop: int) -> list[int] | None:
    """The ids ``[start:stop]`` by relevance, title hits first (PostgreSQL): a title hit
    outranks every other match, so the title hits among the newest ``TITLE_CANDIDATES``
    posts with a word in their title or tags lead, ranked (a common word matches a large
    share of the site, each match read from TOAST to be ranked); the other matches follow,
    all ranked, read only by the pages past the leaders. The order is exactly relevance
    whenever at most ``TITLE_CANDIDATES`` posts passing the filters have a word of the
    query in their title or tags; past that, older title hits come after the leaders
    (README, "Search at a million questions"). None where the backend does not lead with
    title hits (SQLite: ``_best_ranked``)."""
    lead = get_backend().title_hits_ranked(posts, text, TITLE_CANDIDATES)
    if lead is None:
        return None
    if len(lead) >= stop:
        return lead[start:stop]
    rest = _ordered(posts.exclude(pk__in=lead), text, "relevance").values_list("pk", flat=True)
    return lead[start:stop] + list(rest[max(0, start - len(lead)) : stop - len(lead)])


def _rows(ids: list[int]) -> list[Post]:
    """The posts of ``ids`` in that order, with author and question. A deferred join:
    ranking and sorting every match read ids and sort keys only (SQLite's sorter would
    carry whole rows, bodies included), and only one page of rows is read in full."""
    rows = Post.objects.select_related("author", "parent").in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]


def _decorate(rows: list[Post], text: TextMatch) -> None:
    if not rows:
        return
    tags: dict[int, list] = defaultdict(list)
    tagged = (
        TaggedPost.objects.filter(content_object_id__in={row.question_id for row in rows})
        .select_related("tag")
        .order_by("tag__name")
    )
    for item in tagged:
        tags[item.content_object_id].append(item.tag)
    marks = get_backend().highlights([row.pk for row in rows], text) if text else {}
    for row in rows:
        row.thread = row if row.is_question else row.parent
        row.thread_tags = tags[row.question_id]
        title, body = marks.get(row.pk, ("", ""))
        row.title_html = (
            marked_html(title) if row.is_question and title else escape(row.thread.title)
        )
        row.excerpt_html = marked_html(body) if body else excerpt_html(row.body)


# Similar and related questions ------------------------------------------------------------


def _any_word_match(title: str, tags: list[str] = ()) -> TextMatch:
    """Any of the title's words (stop words left out) or tags, in titles and tags."""
    terms = [Term((word,)) for word in content_words(title)]
    terms += [Term(words) for words in (tuple(words_of(name)) for name in tags) if words]
    return TextMatch(tuple(dict.fromkeys(terms)), any_term=True, titles_only=True)


def similar_questions(title: str, *, limit: int = SIMILAR_LIMIT) -> list[Post]:
    """Questions sharing words with ``title``, best first (the ask form's suggestions)."""
    text = _any_word_match(title)
    if not text:
        return []
    questions = Post.objects.questions().visible()
    questions = get_backend().annotate_alike(questions, text, title=title)
    return list(questions.only(*SECTION_FIELDS).order_by(*_ORDERINGS["relevance"])[:limit])


def related_questions(*, question: Post, limit: int = RELATED_LIMIT) -> QuerySet[Post]:
    """Questions sharing words of ``question``'s title or its tags, best first (its tags
    should be prefetched). A top-level queryset: see ``posts_by_section``."""
    text = _any_word_match(question.title, [tag.name for tag in question.tags.all()])
    if not text:
        return Post.objects.none()
    questions = Post.objects.questions().visible().exclude(pk=question.pk)
    ranked = get_backend().annotate_alike(questions, text, title=question.title)
    return ranked.order_by(*_ORDERINGS["relevance"])[:limit]


# Several ordered lists of questions in one query ------------------------------------------

SECTION_FIELDS = (
    "id",
    "kind",
    "title",
    "score",
    "answer_count",
    "accepted_answer_id",
    "closed_at",
    "close_notice",
)


@dataclass(frozen=True)
class Section:
    """An ordered, sliced queryset of posts and the value it is ordered by (descending)."""

    posts: QuerySet[Post]
    key: str


def posts_by_section(sections: dict[str, Section]) -> dict[str, list[Post]]:
    """Run several ordered lists of posts as one query (a page's sidebars): each section's
    ids and sort key in a CTE, the rows joined once."""
    found: dict[str, list[Post]] = {name: [] for name in sections}
    ctes, selects, params = [], [], []
    for number, section in enumerate(sections.values()):
        if section.posts.query.is_empty():
            continue
        sql, section_params = section.posts.values_list("pk", section.key).query.sql_with_params()
        ctes.append(f"section_{number}(id, position) AS ({sql})")
        selects.append(f"SELECT id, {number} AS section, position FROM section_{number}")
        params.extend(section_params)
    if not ctes:
        return found
    columns = ", ".join(f"threads_post.{column}" for column in SECTION_FIELDS)
    sql = (
        f"WITH {', '.join(ctes)} "
        f"SELECT {columns}, s.section AS sidebar_section FROM ({' UNION ALL '.join(selects)}) s "
        "INNER JOIN threads_post ON threads_post.id = s.id "
        "ORDER BY s.section, s.position DESC, threads_post.id DESC"
    )
    names = list(sections)
    for post in Post.objects.raw(sql, params):
        found[names[post.sidebar_section]].append(post)
    return found
