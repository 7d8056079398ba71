"""The search language, parsed into a ``SearchQuery`` that both backends understand.

Syntax (Stack Exchange's): words, ``"exact phrase"``, ``[tag]`` (several: all of them; a
name outside the site's tag rule, ``is_tag_name``, is read as words), ``user:<id>``,
``score:<n>`` (at least n), ``answers:<n>`` (questions with at least n answers),
``is:question`` / ``is:answer``, ``closed:yes|no``, ``accepted:yes|no``.

Nothing the user types reaches a full-text engine as syntax: words are reduced to runs of
letters and digits (what both tokenizers index), and the backends quote or parameterize
them. Anything the parser does not understand (an unknown operator, a bad value, a stray
quote or bracket) is read as words, so a query never fails to parse.
"""

import re
from dataclasses import dataclass

from threads.validation import is_tag_name

#: Longer queries are cut before parsing (a 10 KB query is someone's paste, not a search).
MAX_QUERY_LENGTH = 500
#: Words and phrases kept from one query; the rest is ignored.
MAX_TERMS = 32
MAX_TAGS = 10
MAX_WORD_LENGTH = 64

# Letters and digits (any script): what FTS5's unicode61 and PostgreSQL's parser index.
_WORD_RE = re.compile(r"[^\W_]+")
_TOKEN_RE = re.compile(
    r'"(?P<phrase>[^"]*)"'  # a balanced "exact phrase"
    r"|\[(?P<tag>[^\[\]\s]*)\]"  # [tag]
    r"|(?P<op>[A-Za-z]+):(?P<value>[^\s\"\[\]]+)"  # operator:value
    r"|(?P<other>[^\s\"\[]+|[\"\[])"  # anything else (a lone quote or bracket too)
)
_YES_NO = {"yes": True, "true": True, "y": True, "1": True}
_YES_NO.update({"no": False, "false": False, "n": False, "0": False})
_KINDS = {"question": "question", "questions": "question", "q": "question"}
_KINDS.update({"answer": "answer", "answers": "answer", "a": "answer"})
_INT_RE = re.compile(r"-?\d{1,9}")
_ID_RE = re.compile(r"\d{1,18}")

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
class SearchQuery:
    """A parsed query. ``words`` must all match (AND) and ``phrases`` appear as written;
    the other fields are filters on the post row."""

    raw: str = ""
    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    tags: tuple[str, ...] = ()
    user_id: int | None = None
    min_score: int | None = None
    min_answers: int | None = None
    kind: str | None = None
    closed: bool | None = None
    accepted: bool | None = None

    @property
    def has_text(self) -> bool:
        return bool(self.words or self.phrases)

    @property
    def has_filters(self) -> bool:
        return bool(self.tags) or any(
            value is not None
            for value in (
                self.user_id,
                self.min_score,
                self.min_answers,
                self.kind,
                self.closed,
                self.accepted,
            )
        )

    @property
    def is_empty(self) -> bool:
        return not self.has_text and not self.has_filters


def parse(text: str) -> SearchQuery:
    """Parse a query string; never raises."""
    raw = (text or "")[:MAX_QUERY_LENGTH].replace("\x00", "")
    words: list[str] = []
    phrases: list[tuple[str, ...]] = []
    tags: list[str] = []
    filters: dict = {}
    for match in _TOKEN_RE.finditer(raw):
        if match["phrase"] is not None:
            phrase = tuple(words_of(match["phrase"]))
            if len(phrase) == 1:
                words.append(phrase[0])
            elif phrase:
                phrases.append(phrase)
        elif match["tag"] is not None:
            name = match["tag"].lower()
            if is_tag_name(name):
                tags.append(name)
            else:
                words.extend(words_of(name))
        elif match["op"] is not None:
            operator = _operator(match["op"].lower(), match["value"].lower())
            if operator is None:
                words.extend(words_of(match[0]))
            else:
                filters.update(operator)
        else:
            words.extend(words_of(match["other"]))
    words = list(dict.fromkeys(words))
    phrases = list(dict.fromkeys(phrases))
    budget = max(MAX_TERMS - len(phrases), 0)
    return SearchQuery(
        raw=raw,
        words=tuple(words[:budget]),
        phrases=tuple(phrases[:MAX_TERMS]),
        tags=tuple(dict.fromkeys(tags))[:MAX_TAGS],
        **filters,
    )


def _operator(name: str, value: str) -> dict | None:
    """The filter an ``operator:value`` sets, or None when it is not one (then: words)."""
    if name == "user" and _ID_RE.fullmatch(value):
        return {"user_id": int(value)}
    if name == "score" and _INT_RE.fullmatch(value):
        return {"min_score": int(value)}
    if name == "answers" and _ID_RE.fullmatch(value) and len(value) <= 9:
        return {"min_answers": int(value)}
    if name == "is" and value in _KINDS:
        return {"kind": _KINDS[value]}
    if name in ("closed", "accepted") and value in _YES_NO:
        return {name: _YES_NO[value]}
    return None
