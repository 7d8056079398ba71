"""Import a Stack Exchange data dump (docs/architecture.md, Decisions).

Every file is streamed; rows are written in batches (``bulk_create``), each batch in one
transaction together with its ``SourceRow`` mapping rows, so an interrupted import can be
run again and completes: rows already mapped are skipped. References (owners, parents,
voters, link targets) are resolved per batch with queries on ``SourceRow``, never with a
map of a whole file held in memory.

How the dump maps onto the site:

* Users → ``User`` (unusable password, ``imported_reputation = Reputation − 1``); user -1 →
  the site's Community account (``is_system``).
* Posts 1/2 → questions/answers (answers in a second pass); ``body_html`` is the sanitised
  HTML of the dump (``core.markdown.sanitize_html``: bare URLs linked, TeX rendered for a
  MathJax site, ``Context.math``), ``body`` the latest Markdown of PostHistory, else that
  HTML converted to Markdown (``markdown_source``); score and views as given, no ``Vote``
  rows; ``source_url`` and ``source_author_url`` link to the original and its author (the
  attribution, on the site key's address unless ``--source-url-base`` gives one). Posts 4/5
  → the tag's excerpt and wiki.
* PostHistory 1–9 → ``Revision`` rows (one per RevisionGUID); 10/11, 12/13, 14/15, 19/20 →
  ``ModerationEvent`` rows with the historic time, and the question's final state.
* Comments → ``Comment``; PostLinks → ``PostLink``; Votes only counted (and type 1 dates the
  accept); Badges counted and skipped.
* Names (users', deleted owners' and editors', close voters') lose the moderator mark and
  its lookalikes, which the site puts after moderators' names itself; the rest of the name
  is kept (a name that was only marks is left empty: pages show the username or
  "anonymous").
* Tag names the site's tag rule refuses (``threads.validation.is_tag_name``) are left off.

Decisions where the dump leaves a choice:

* A lock (type 14) not followed by an unlock is carried over as a permanent *historical*
  lock: locks still in force in a dump are almost always historical locks, and a
  moderator can unlock. Protection (19 not followed by 20) sets ``protected_at``.
* Deletion/undeletion rows (12/13) of posts that are in Posts.xml are recorded as events
  only: the dump holds no deleted posts, so a post present in it is not deleted.
* Whether a question is closed follows Posts.xml ``ClosedDate``; its notice comes from the
  last type-10 row (reason, voters, duplicate targets); without one, from a PostLinks
  duplicate link (closed as a duplicate of its target, counted in the report), else it says
  the reason is unknown.
* A file that stops early (malformed XML, damaged archive data) keeps every row before the
  spot (``run``); references past it are "not read", not "deleted" (files are in Id order).

The modules: ``run`` (``Importer``: the order of the files, each streamed and handed in
batches to its handler), then one module per dump file: ``users``, ``tags``, ``posts``
(questions, answers, accepted answers, tag texts), ``comments``, ``history`` (PostHistory,
with ``revisions`` and ``events``), ``links``, ``votes`` (and badges); ``finish``
recomputes after the last file (on PostgreSQL with the post table's indexes built again
after its update, ``indexes``). They share ``context`` (the site's ``SourceRow`` mapping,
the rows everything refers to), ``parsing`` (the dump's values) and ``markdown_source``
(the Markdown of a post without history).
"""

from dumps.importer.context import BATCH_SIZE
from dumps.importer.options import ImportSettingError, check_source_url_base
from dumps.importer.parsing import parse_tags, parse_time, parse_voters
from dumps.importer.run import Importer, ImportInterrupted

__all__ = [
    "BATCH_SIZE",
    "ImportSettingError",
    "ImportInterrupted",
    "Importer",
    "check_source_url_base",
    "parse_tags",
    "parse_time",
    "parse_voters",
]
