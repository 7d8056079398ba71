"""The search language, parsed into a ``SearchQuery`` that both backends understand
(docs/rules.md, "Search").

Syntax (Stack Exchange's): words, ``"exact phrase"``, ``-word`` and ``-"phrase"`` (without
them), ``[tag]`` (several: all of them; a name outside the site's tag rule, ``is_tag_name``,
is read as words) and ``-[tag]`` (not tagged), ``user:<id>`` or ``user:me``,
``is:question`` / ``is:answer``, ``closed:yes|no``, ``duplicate:yes|no``,
``isaccepted:yes|no`` (``accepted:`` too), ``score:`` and ``answers:`` with a number or a
range (``3``: at least 3, ``3..``, ``..3``, ``3..7``; ``answers:0``: none), and
``created:`` with a year, a month or a day, or a range of them (``2024-01..2024-06``,
``2024..``, ``..2024-06-15``).

``parse`` is a pure function: it never raises and reads no database. Nothing the user types
reaches a full-text engine as syntax: words are reduced to runs of letters and digits (what
both tokenizers index), and the backends quote or parameterize them. Anything the parser
does not understand (an unknown operator, a bad value, a stray quote or bracket) is read as
words, so a query never fails to parse.
"""

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date

from threads.validation import is_tag_name

#: Longer queries are cut before parsing (a 10 KB query is someone's paste, not a search).
MAX_QUERY_LENGTH = 500
#: Words and phrases kept from one query (wanted and excluded); the rest is ignored.
MAX_TERMS = 32
MAX_TAGS = 10
MAX_WORD_LENGTH = 64

# Letters and digits (any script): what FTS5's unicode61 and PostgreSQL's parser index.
_WORD_RE = re.compile(r"[^\W_]+")
_TOKEN_RE = re.compile(
    r"(?P<op>[A-Za-z]+):(?P<value>[^\s\"\[\]]+)"  # operator:value
    r"|(?P<neg>-)?(?:"
    r'"(?P<phrase>[^"]*)"'  # a balanced "exact phrase"
    r"|\[(?P<tag>[^\[\]\s]*)\]"  # [tag]
    r"|(?P<other>[^\s\"\[]+|[\"\[])"  # anything else (a lone quote or bracket too)
    r")"
)
_YES_NO = {"yes": True, "true": True, "y": True, "1": True}
_YES_NO.update({"no": False, "false": False, "n": False, "0": False})
_KINDS = {"question": "question", "questions": "question", "q": "question"}
_KINDS.update({"answer": "answer", "answers": "answer", "a": "answer"})
_ID_RE = re.compile(r"\d{1,18}")
_NUMBER = r"-?\d{1,9}"
_RANGE_RE = re.compile(rf"(?P<low>{_NUMBER})?(?P<dots>\.\.)?(?P<high>{_NUMBER})?")
_DATE = r"\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?"
_DATES_RE = re.compile(rf"(?P<low>{_DATE})?(?P<dots>\.\.)?(?P<high>{_DATE})?")
_BOOLEAN_OPERATORS = {
    "closed": "closed",
    "duplicate": "duplicate",
    "isaccepted": "accepted",
    "accepted": "accepted",
}

# Words that say nothing about a question's subject: left out when matching *any* word
# (similar and related questions), where they would match almost everything.
STOPWORDS = frozenset(
    {
        "a", "about", "an", "and", "any", "are", "as", "at", "be", "been", "but", "by", "can",
        "could", "do", "does", "doing", "for", "from", "get", "getting", "has", "have", "how", "i",
        "if", "in", "into", "is", "it", "its", "me", "my", "need", "no", "not", "of", "on", "or",
        "should", "so", "some", "than", "that", "the", "their", "them", "then", "there", "these",
        "this", "to", "using", "use", "was", "way", "we", "what", "when", "where", "which", "while",
        "who", "why", "will", "with", "without", "would", "you", "your",
    }
)  # fmt: skip


def words_of(text: str) -> list[str]:
    """Lower-case words of ``text`` (runs of letters and digits), as the indexes see them."""
    return [word[:MAX_WORD_LENGTH] for word in _WORD_RE.findall(text.lower())]


def content_words(text: str, limit: int = MAX_TERMS) -> list[str]:
    """Distinct words of ``text`` without stop words (for any-word matching)."""
    kept = [word for word in words_of(text) if word not in STOPWORDS]
    return list(dict.fromkeys(kept))[:limit]


@dataclass(frozen=True)
class Range:
    """Inclusive bounds; None is open."""

    low: int | None = None
    high: int | None = None

    def __str__(self) -> str:
        if self.low is not None and self.low == self.high:
            return f"= {self.low}"
        if self.high is None:
            return f"≥ {self.low}"
        if self.low is None:
            return f"≤ {self.high}"
        return f"{self.low} to {self.high}"


@dataclass(frozen=True)
class DateRange:
    """From ``start`` (inclusive) to ``end`` (exclusive, the day after the last one)."""

    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class SearchQuery:
    """A parsed query. ``words`` must all match (AND) and ``phrases`` appear as written;
    no post holding one of ``excluded`` (words or phrases, as tuples of words) matches; the
    other fields are filters on the post row. ``user_me``: ``user:me``, which the view
    resolves to the visitor's id (``for_user``)."""

    raw: str = ""
    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[tuple[str, ...], ...] = ()
    tags: tuple[str, ...] = ()
    excluded_tags: tuple[str, ...] = ()
    user_id: int | None = None
    user_me: bool = False
    score: Range | None = None
    answers: Range | None = None
    kind: str | None = None
    closed: bool | None = None
    duplicate: bool | None = None
    accepted: bool | None = None
    created: DateRange | None = None

    @property
    def has_text(self) -> bool:
        return bool(self.words or self.phrases)

    @property
    def has_filters(self) -> bool:
        return bool(self.tags or self.excluded_tags or self.excluded or self.user_me) or any(
            value is not None
            for value in (
                self.user_id,
                self.score,
                self.answers,
                self.kind,
                self.closed,
                self.duplicate,
                self.accepted,
                self.created,
            )
        )

    @property
    def is_empty(self) -> bool:
        return not self.has_text and not self.has_filters

    @property
    def needs_login(self) -> bool:
        """``user:me`` from a visitor who is not logged in: nothing to search for."""
        return self.user_me and self.user_id is None

    def for_user(self, user_id: int | None) -> "SearchQuery":
        """``user:me`` read as the posts of ``user_id`` (None: an anonymous visitor)."""
        if not self.user_me or user_id is None:
            return self
        return replace(self, user_id=user_id)


def parse(text: str) -> SearchQuery:
    """Parse a query string; never raises."""
    raw = (text or "")[:MAX_QUERY_LENGTH].replace("\x00", "")
    words: list[str] = []
    phrases: list[tuple[str, ...]] = []
    excluded: list[tuple[str, ...]] = []
    tags: list[str] = []
    excluded_tags: list[str] = []
    filters: dict = {}
    for match in _TOKEN_RE.finditer(raw):
        negated = match["neg"] is not None
        if match["op"] is not None:
            operator = _operator(match["op"].lower(), match["value"].lower())
            if operator is None:
                words.extend(words_of(match[0]))
            else:
                filters.update(operator)
            continue
        if match["tag"] is not None and is_tag_name(match["tag"].lower()):
            (excluded_tags if negated else tags).append(match["tag"].lower())
            continue
        found = tuple(words_of(match["phrase"] or match["tag"] or match["other"] or ""))
        if not found:
            continue
        if negated:
            excluded.append(found)
        elif match["phrase"] is None:
            words.extend(found)
        elif len(found) == 1:
            words.append(found[0])
        else:
            phrases.append(found)
    phrases = list(dict.fromkeys(phrases))[:MAX_TERMS]
    excluded = list(dict.fromkeys(excluded))[: max(MAX_TERMS - len(phrases), 0)]
    budget = max(MAX_TERMS - len(phrases) - len(excluded), 0)
    return SearchQuery(
        raw=raw,
        words=tuple(dict.fromkeys(words))[:budget],
        phrases=tuple(phrases),
        excluded=tuple(excluded),
        tags=tuple(dict.fromkeys(tags))[:MAX_TAGS],
        excluded_tags=tuple(dict.fromkeys(excluded_tags))[:MAX_TAGS],
        **filters,
    )


def _operator(name: str, value: str) -> dict | None:
    """The filter an ``operator:value`` sets, or None when it is not one (then: words)."""
    if name == "user":
        if value == "me":
            return {"user_me": True, "user_id": None}
        if _ID_RE.fullmatch(value):
            return {"user_id": int(value), "user_me": False}
        return None
    if name == "score":
        found = _range(value)
        return None if found is None else {"score": found}
    if name == "answers":
        found = _range(value)
        if found is None or (found.high is not None and found.high < 0):
            return None
        if found == Range(0, None) and ".." not in value:
            found = Range(0, 0)  # answers:0 — unanswered (at least 0 would be every question)
        return {"answers": found}
    if name == "is" and value in _KINDS:
        return {"kind": _KINDS[value]}
    if name in _BOOLEAN_OPERATORS and value in _YES_NO:
        return {_BOOLEAN_OPERATORS[name]: _YES_NO[value]}
    if name == "created":
        found = _dates(value)
        return None if found is None else {"created": found}
    return None


def _range(value: str) -> Range | None:
    """``3`` (at least 3), ``3..``, ``..3``, ``3..7`` (a reversed range is put right)."""
    match = _RANGE_RE.fullmatch(value)
    if match is None or (match["low"] is None and match["high"] is None):
        return None
    low = None if match["low"] is None else int(match["low"])
    high = None if match["high"] is None else int(match["high"])
    if match["dots"] is None:
        return None if high is not None else Range(low, None)
    if low is not None and high is not None and low > high:
        low, high = high, low
    return Range(low, high)


def _dates(value: str) -> DateRange | None:
    """A year, month or day, or a range of them: from the first day of the first period to
    the end of the last."""
    match = _DATES_RE.fullmatch(value)
    if match is None or (match["low"] is None and match["high"] is None):
        return None
    if match["dots"] is None:
        if match["high"] is not None:
            return None
        period = _period(match["low"])
        return None if period is None else DateRange(*period)
    low = _period(match["low"]) if match["low"] else (None, None)
    high = _period(match["high"]) if match["high"] else (None, None)
    if low is None or high is None:
        return None
    start, end = low[0], high[1]
    if start is not None and end is not None and start >= end:
        start, end = high[0], low[1]  # written backwards
    return DateRange(start, end)


def _period(text: str) -> tuple[date, date] | None:
    """The first day of a year, month or day and the day after its last."""
    parts = [int(part) for part in text.split("-")]
    try:
        if len(parts) == 1:
            return date(parts[0], 1, 1), date(parts[0] + 1, 1, 1)
        if len(parts) == 2:
            year, month = parts
            first = date(year, month, 1)
            days = calendar.monthrange(year, month)[1]
            return first, date.fromordinal(first.toordinal() + days)
        day = date(*parts)
        return day, date.fromordinal(day.toordinal() + 1)
    except (ValueError, OverflowError):
        return None  # month 13, day 31 of a short month, year 0 or 9999's next year


def describe(query: SearchQuery) -> list[str]:
    """What the query searches for, one short phrase per part, in a fixed order (the search
    page shows them back as chips)."""
    parts = [f"“{word}”" for word in query.words]
    parts += [f"“{' '.join(phrase)}” (exact)" for phrase in query.phrases]
    parts += [f"without “{' '.join(term)}”" for term in query.excluded]
    parts += [f"in [{tag}]" for tag in query.tags]
    parts += [f"not in [{tag}]" for tag in query.excluded_tags]
    if query.kind:
        parts.append(f"{query.kind}s only")
    if query.user_me:
        parts.append("your posts")
    elif query.user_id is not None:
        parts.append(f"by user {query.user_id}")
    if query.score is not None:
        parts.append(f"score {query.score}")
    if query.answers is not None:
        parts.append("no answers" if query.answers == Range(0, 0) else f"answers {query.answers}")
    for name, yes, no in (
        ("closed", "closed", "open"),
        ("duplicate", "duplicates", "not duplicates"),
        ("accepted", "accepted", "not accepted"),
    ):
        value = getattr(query, name)
        if value is not None:
            parts.append(yes if value else no)
    if query.created is not None:
        parts.append(_describe_dates(query.created))
    return parts


def _describe_dates(created: DateRange) -> str:
    last = None if created.end is None else date.fromordinal(created.end.toordinal() - 1)
    if created.start is None:
        return f"created on or before {last.isoformat()}"
    if last is None:
        return f"created on or after {created.start.isoformat()}"
    if created.start == last:
        return f"created on {last.isoformat()}"
    return f"created {created.start.isoformat()} to {last.isoformat()}"
