"""One full-text backend per database, chosen by ``connection.vendor``.

Both index the same text — a post's title, its Markdown source and its question's tag names —
in structures the database keeps up to date itself (triggers: see ``schema.py``). A search
ranks any title match above body-only matches; any-term matching (similar and related
questions) ranks by the weights alone.

* SQLite: an FTS5 table ``threads_post_fts`` (porter stemmer over unicode61), joined on
  ``rowid = threads_post.id``; ranked with ``bm25`` (weights title 10, body 1, tags 4).
* PostgreSQL: a ``tsvector`` column ``threads_post.search_vector`` ('english', weights
  title A, body B, tags C) with a GIN index; ranked with ``ts_rank_cd``. A second, small
  one, ``search_title_vector`` (title A, tags C), serves title-only matching.

Similar and related questions match titles and tags only (``TextMatch.titles_only``): that
is what makes questions alike, and it keeps any-word matching cheap (a body holds far more
words than a title, so it matches far more rows that would all have to be ranked).

User input reaches neither engine as syntax: FTS5 gets each term as a quoted string of
letters and digits; PostgreSQL gets each term as a bound parameter of
``plainto_tsquery`` / ``phraseto_tsquery``, combined with ``&&`` / ``||`` written here.

The querysets returned refer to ``threads_post`` by name: use them as top-level queries.
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import BooleanField, FloatField, QuerySet
from django.db.models.expressions import RawSQL

from threads.search.highlight import START, STOP
from threads.search.query import SearchQuery

FTS_TABLE = "threads_post_fts"
PG_CONFIG = "english"


@dataclass(frozen=True)
class Term:
    """One word, or a phrase (several words in this order)."""

    words: tuple[str, ...]


@dataclass(frozen=True)
class TextMatch:
    """What the text must match: all terms, or with ``any_term`` at least one (ranked);
    with ``titles_only``, in titles and tag names only."""

    terms: tuple[Term, ...]
    any_term: bool = False
    titles_only: bool = False

    @classmethod
    def of(cls, query: SearchQuery) -> "TextMatch":
        words = tuple(Term((word,)) for word in query.words)
        return cls(words + tuple(Term(phrase) for phrase in query.phrases))

    @classmethod
    def excluded_of(cls, query: SearchQuery) -> "TextMatch":
        """Any of the query's excluded words and phrases (``-word``, ``-"a phrase"``)."""
        return cls(tuple(Term(words) for words in query.excluded), any_term=True)

    def __bool__(self) -> bool:
        return bool(self.terms)


class SearchBackend:
    vendor = ""

    def filter_matches(self, queryset: QuerySet, text: TextMatch) -> QuerySet:
        """Keep the posts matching ``text``, unranked: ranking costs a computation per
        match, which counting the matches does not need."""
        raise NotImplementedError

    def exclude_matches(self, queryset: QuerySet, text: TextMatch) -> QuerySet:
        """Leave out the posts matching ``text`` (``-word``: see ``TextMatch.excluded_of``)."""
        raise NotImplementedError

    def annotate_matches(self, queryset: QuerySet, text: TextMatch) -> QuerySet:
        """``filter_matches``, annotated with ``search_rank`` (higher is better; a title
        match always outranks a body-only match)."""
        raise NotImplementedError

    def annotate_alike(self, queryset: QuerySet, text: TextMatch, *, title: str) -> QuerySet:
        """``annotate_matches`` for any-term matching of titles (similar and related
        questions, ``text`` made of ``title``'s words and maybe tags): the posts sharing
        the most telling of its words, ranked. Here all matches."""
        return self.annotate_matches(queryset, text)

    def best_ranked(self, text: TextMatch, limit: int) -> list[tuple[int, float]] | None:
        """The ``limit`` best matches of ``text`` as ``(post id, search_rank)``, best first,
        ranked from the index alone: no post is read, so none is filtered out (deleted
        ones included). None where ranking reads the posts anyway (PostgreSQL: the vector
        is a column of the post), so that ranking them as a queryset costs no more."""
        return None

    def title_hits_ranked(
        self, queryset: QuerySet, text: TextMatch, limit: int
    ) -> list[int] | None:
        """The ids of the matches of ``text`` with a term in their title, best first (they
        outrank every other match), among at most ``limit`` candidates the title index
        finds in ``queryset``: see ``engine._title_first``. None where the backend ranks
        the index's best matches instead (``best_ranked``)."""
        return None

    def highlights(self, ids: list[int], text: TextMatch) -> dict[int, tuple[str, str]]:
        """``{post id: (title, body excerpt)}`` with matches between ``START`` and ``STOP``
        (plain, unescaped text: see ``highlight.marked_html``). One query."""
        raise NotImplementedError


class SQLiteBackend(SearchBackend):
    vendor = "sqlite"
    # bm25 is lower for better matches. A search weighs the title 1000 (body 1, tags 4), so
    # a title hit outranks body-only matches; any-term matching (similar, related: many
    # rows) ranks by the plain weights (title 10, body 1, tags 4).
    WEIGHTED_RANK_SQL = f"(0.0 - bm25({FTS_TABLE}, 10.0, 1.0, 4.0))"
    RANK_SQL = f"(0.0 - bm25({FTS_TABLE}, 1000.0, 1.0, 4.0))"
    SNIPPET_TOKENS = 40

    @staticmethod
    def match_expression(text: TextMatch) -> str:
        phrases = ['"' + " ".join(term.words).replace('"', '""') + '"' for term in text.terms]
        expression = (" OR " if text.any_term else " AND ").join(phrases)
        return f"{{title tags}} : ({expression})" if text.titles_only else expression

    def filter_matches(self, queryset: QuerySet, text: TextMatch) -> QuerySet:
        # extra(): the FTS table is no model, and bm25() needs it joined in the same query
        # as its MATCH.
        return queryset.extra(  # noqa: S610 - constant SQL; the match string is a parameter
            tables=[FTS_TABLE],
            where=[f"{FTS_TABLE}.rowid = threads_post.id", f"{FTS_TABLE} MATCH %s"],
            params=[self.match_expression(text)],
        )

    def exclude_matches(self, queryset: QuerySet, text: TextMatch) -> QuerySet:
        if not text:
            return queryset
        matching = RawSQL(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",
            [self.match_expression(text)],
        )
        return queryset.exclude(pk__in=matching)

    def rank_sql(self, text: TextMatch) -> str:
        return self.WEIGHTED_RANK_SQL if text.any_term else self.RANK_SQL

    def annotate_matches(self, queryset: QuerySet, text: TextMatch) -> QuerySet:
        rank = self.rank_sql(text)
        return self.filter_matches(queryset, text).extra(select={"search_rank": rank})

    def best_ranked(self, text: TextMatch, limit: int) -> list[tuple[int, float]]:
        sql = (
            f"SELECT rowid, {self.rank_sql(text)} FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s ORDER BY 2 DESC LIMIT %s"
        )
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(sql, [self.match_expression(text), limit])
            return cursor.fetchall()

    def highlights(self, ids: list[int], text: TextMatch) -> dict[int, tuple[str, str]]:
        if not ids or not text:
            return {}
        placeholders = ", ".join(["%s"] * len(ids))
        sql = (
            f"SELECT rowid, highlight({FTS_TABLE}, 0, %s, %s), "
            f"snippet({FTS_TABLE}, 1, %s, %s, %s, {self.SNIPPET_TOKENS}) "
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid IN ({placeholders})"
        )
        params = [START, STOP, START, STOP, "…", self.match_expression(text), *ids]
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(sql, params)
            return {row[0]: (row[1] or "", row[2] or "") for row in cursor.fetchall()}


class PostgreSQLBackend(SearchBackend):
    vendor = "postgresql"
    LESS_THAN = "\ue002"
    TITLE_OPTIONS = f'HighlightAll=true, StartSel="{START}", StopSel="{STOP}"'
    BODY_OPTIONS = (
        f'StartSel="{START}", StopSel="{STOP}", MaxWords=40, MinWords=15, ShortWord=2, '
        'MaxFragments=2, FragmentDelimiter=" … "'
    )

    @staticmethod
    def tsquery(text: TextMatch, *, any_term: bool) -> tuple[str, list[str]]:
        """SQL for the tsquery and its parameters: one plainto_/phraseto_tsquery per term."""
        pieces, params = [], []
        for term in text.terms:
            function = "phraseto_tsquery" if len(term.words) > 1 else "plainto_tsquery"
            pieces.append(f"{function}('{PG_CONFIG}'::regconfig, %s)")
            params.append(" ".join(term.words))
        return "(" + (" || " if any_term else " && ").join(pieces) + ")", params

    @staticmethod
    def vector(text: TextMatch) -> str:
        return "search_title_vector" if text.titles_only else "search_vector"

    def filter_matches(self, queryset: QuerySet, text: TextMatch) -> QuerySet:
        query_sql, query_params = self.tsquery(text, any_term=text.any_term)
        matches = RawSQL(
            f"threads_post.{self.vector(text)} @@ {query_sql}",
            query_params,
            output_field=BooleanField(),
        )
        return queryset.filter(matches)

    def exclude_matches(self, queryset: QuerySet, text: TextMatch) -> QuerySet:
        if not text:
            return queryset
        query_sql, query_params = self.tsquery(text, any_term=True)
        matches = RawSQL(
            f"NOT (coalesce(threads_post.{self.vector(text)}, ''::tsvector) @@ {query_sql})",
            query_params,
            output_field=BooleanField(),
        )
        return queryset.filter(matches)

    def rank_expression(self, text: TextMatch) -> tuple[str, list[str]]:
        """SQL for ``search_rank`` and its parameters: ts_rank_cd (normalized to [0, 1) by
        option 32) with weights D, C, B, A; as on SQLite, a search adds 1 for a title hit
        (so ranks 1 or more are exactly the title hits) and any-term matching ranks by
        weights."""
        query_sql, params = self.tsquery(text, any_term=text.any_term)
        vector = self.vector(text)
        sql = (
            f"ts_rank_cd('{{0.1, 0.2, 0.4, 1.0}}'::float4[], threads_post.{vector}, "
            f"{query_sql}, 32)"
        )
        if not text.any_term:
            title_sql, title_params = self.title_hit(text)
            sql += f" + CASE WHEN {title_sql} THEN 1.0 ELSE 0.0 END"
            params += title_params
        return f"({sql})", params

    def title_hit(self, text: TextMatch) -> tuple[str, list[str]]:
        """SQL (and parameters) true when a term of ``text`` is in the post's title: the
        title's lexemes (weight A) are the same in both vectors, and the title vector is
        small enough to be stored inline, where the other is read from TOAST."""
        any_sql, params = self.tsquery(text, any_term=True)
        vector = "ts_filter(threads_post.search_title_vector, '{a}'::\"char\"[])"
        return f"{vector} @@ {any_sql}", params

    def annotate_matches(self, queryset: QuerySet, text: TextMatch) -> QuerySet:
        rank = RawSQL(*self.rank_expression(text), output_field=FloatField())
        return self.filter_matches(queryset, text).annotate(search_rank=rank)

    def title_hits_ranked(self, queryset: QuerySet, text: TextMatch, limit: int) -> list[int]:
        """The ids of the matches of ``text`` with a term in their title, best first, among
        the newest ``limit`` posts of ``queryset`` with a term in their title or tags (the
        title index finds those, reading no post's full vector). Complete, so in their
        place among all the matches, when at most ``limit`` posts qualify. One query."""
        any_sql, any_params = self.tsquery(text, any_term=True)
        hits = RawSQL(
            f"threads_post.search_title_vector @@ {any_sql}",
            any_params,
            output_field=BooleanField(),
        )
        newest = queryset.filter(hits).order_by("-pk").values_list("pk")[:limit]
        newest_sql, newest_params = newest.query.sql_with_params()
        query_sql, query_params = self.tsquery(text, any_term=text.any_term)
        title_sql, title_params = self.title_hit(text)
        rank_sql, rank_params = self.rank_expression(text)
        # The candidates' ids in an array, found once (an InitPlan), and their rows read
        # by id: a join would let PostgreSQL find the matches first, every one of them.
        sql = (
            f"SELECT threads_post.id FROM threads_post WHERE threads_post.id = ANY(ARRAY("
            f"{newest_sql})) AND {title_sql} AND threads_post.{self.vector(text)} @@ {query_sql} "
            f"ORDER BY {rank_sql} DESC, threads_post.score DESC, threads_post.id DESC"
        )
        params = [*newest_params, *title_params, *query_params, *rank_params]
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    # Any-word matching ranks only the candidates the title index finds for the rarest of
    # the words (lexemes), any of them, or for all the title's other words: the rarest are
    # taken, rarest first, while ANALYZE's statistics of the index's column (its most
    # common elements) expect at most ALIKE_EXPECTED rows in all; at most
    # ALIKE_CANDIDATES are ranked. A common word matches a large share of the site, each
    # match would be ranked, and alone it tells little about being alike. Without
    # statistics (a table never analyzed) every word is taken.
    ALIKE_EXPECTED = 500
    ALIKE_CANDIDATES = 1000
    ALIKE_QUERY_SQL = f"""(
        WITH common AS (
            SELECT e.lexeme, e.share * c.reltuples AS expected
            FROM pg_stats s
            JOIN pg_class c ON c.oid = 'threads_post'::regclass
            CROSS JOIN unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs)
                AS e(lexeme, share)
            WHERE s.schemaname = current_schema() AND s.tablename = 'threads_post'
            AND s.attname = 'search_title_vector'
        ), words AS (
            SELECT '''' || replace(w.lexeme, '''', '''''') || '''' AS quoted,
                coalesce(common.expected, 0) AS expected,
                w.lexeme = ANY(tsvector_to_array(to_tsvector('{PG_CONFIG}'::regconfig, %s)))
                    AS in_title,
                row_number() OVER (ORDER BY coalesce(common.expected, 0), w.lexeme) AS n
            FROM unnest(tsvector_to_array(to_tsvector('{PG_CONFIG}'::regconfig, %s)))
                AS w(lexeme)
            LEFT JOIN common USING (lexeme)
        ), taken AS (
            SELECT *, sum(expected) OVER (ORDER BY n) <= %s OR n = 1 AS rare FROM words
        )
        SELECT concat_ws(
            ' | ',
            '(' || string_agg(quoted, ' | ') FILTER (WHERE rare) || ')',
            '(' || string_agg(quoted, ' & ') FILTER (WHERE NOT rare AND in_title) || ')'
        )::tsquery
        FROM taken
    )"""

    def annotate_alike(self, queryset: QuerySet, text: TextMatch, *, title: str) -> QuerySet:
        words = " ".join(word for term in text.terms for word in term.words)
        candidates = RawSQL(
            "threads_post.id IN (SELECT id FROM threads_post WHERE search_title_vector @@ "
            f"{self.ALIKE_QUERY_SQL} LIMIT %s)",
            [title, words, self.ALIKE_EXPECTED, self.ALIKE_CANDIDATES],
            output_field=BooleanField(),
        )
        return self.annotate_matches(queryset, text).filter(candidates)

    def highlights(self, ids: list[int], text: TextMatch) -> dict[int, tuple[str, str]]:
        if not ids or not text:
            return {}
        query_sql, query_params = self.tsquery(text, any_term=text.any_term)
        # ts_headline drops what its parser takes for HTML tags; the excerpt should show a
        # post's text as written (escaped later), so "<" is hidden from it and put back.
        sql = (
            f"SELECT id, ts_headline('{PG_CONFIG}'::regconfig, replace(title, '<', %s), "
            f"{query_sql}, %s), ts_headline('{PG_CONFIG}'::regconfig, "
            f"replace(body, '<', %s), {query_sql}, %s) FROM threads_post WHERE id = ANY(%s)"
        )
        params = [
            *(self.LESS_THAN, *query_params, self.TITLE_OPTIONS),
            *(self.LESS_THAN, *query_params, self.BODY_OPTIONS),
            ids,
        ]
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return {
            pk: (
                (title or "").replace(self.LESS_THAN, "<"),
                (body or "").replace(self.LESS_THAN, "<"),
            )
            for pk, title, body in rows
        }


_BACKENDS = {backend.vendor: backend for backend in (SQLiteBackend, PostgreSQLBackend)}


def get_backend(using: str = DEFAULT_DB_ALIAS) -> SearchBackend:
    vendor = connections[using].vendor
    try:
        return _BACKENDS[vendor]()
    except KeyError:
        raise ImproperlyConfigured(f"qasite search has no backend for {vendor}.") from None
