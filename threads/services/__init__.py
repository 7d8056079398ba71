"""Every write to threads goes through one of these functions (views, the admin, the demo
and other apps call them). Each is keyword-only and atomic; replays of the same request
are no-ops that return the existing row or False. Permission checks are the caller's
Each also checks, inside its transaction and on the rows it locked, who may do it
(``threads.rules``), the target's state (deleted, locked, closed) and its input
(``threads.validation``), so no entry point (page, review, admin, import, API) can skip a
rule; refusals are ``PermissionDenied`` and ``ValidationError`` with a message for people.
An ``actor`` of None is the Community: the site acting on its own rules (flags reaching a
threshold, a review completing).

The functions live in modules by subject (posts, edits, suggestions, comments, votes,
accept, states, tags, tag_synonyms); import them from here."""

from threads.reputation import reputation_credit
from threads.services._common import StaleEdit, revision_stamp
from threads.services.accept import answer_accept, answer_unaccept
from threads.services.comments import comment_create, comment_delete
from threads.services.edits import post_edit, post_rollback
from threads.services.posts import (
    answer_create,
    author_pages_refresh,
    post_delete,
    post_undelete,
    question_create,
    question_view_record,
)
from threads.services.states import (
    post_lock,
    post_unlock,
    question_close,
    question_pending_votes_set,
    question_protect,
    question_reopen,
)
from threads.services.suggestions import (
    SuggestionRefused,
    suggested_edit_approve,
    suggested_edit_create,
    suggested_edit_reject,
)
from threads.services.tag_synonyms import (
    tag_merge,
    tag_synonym_approve,
    tag_synonym_reject,
    tag_synonym_suggest,
    tag_synonym_vote,
)
from threads.services.tags import normalize_tag_names, tag_save, tag_wiki_edit
from threads.services.votes import (
    VotesReversed,
    comment_vote_cast,
    comment_vote_retract,
    vote_cast,
    vote_retract,
    votes_reverse,
)

__all__ = [
    "StaleEdit",
    "SuggestionRefused",
    "VotesReversed",
    "answer_accept",
    "answer_create",
    "author_pages_refresh",
    "answer_unaccept",
    "comment_create",
    "comment_delete",
    "comment_vote_cast",
    "comment_vote_retract",
    "normalize_tag_names",
    "post_delete",
    "post_edit",
    "post_rollback",
    "post_lock",
    "post_undelete",
    "post_unlock",
    "question_close",
    "question_pending_votes_set",
    "question_protect",
    "question_reopen",
    "question_create",
    "question_view_record",
    "reputation_credit",
    "revision_stamp",
    "suggested_edit_approve",
    "suggested_edit_create",
    "suggested_edit_reject",
    "tag_merge",
    "tag_save",
    "tag_synonym_approve",
    "tag_synonym_reject",
    "tag_synonym_suggest",
    "tag_synonym_vote",
    "tag_wiki_edit",
    "vote_cast",
    "vote_retract",
    "votes_reverse",
]
