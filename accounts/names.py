"""The rule for the names people go by (usernames and display names): a name must not pass
for a moderator's.

The site marks moderators itself, with ``MODERATOR_MARK`` (♦) after their name. So:

* no name holds that mark or a lookalike (``MODERATOR_MARKS``);
* unless the account is one the site marks as a moderator (``is_moderator`` or a
  superuser), the whole name must not be one of ``MODERATOR_WORDS``, compared without case,
  blanks, punctuation or invisible characters (so "Moderator", " m o d " and "MOD."
  are all refused; a name that merely *contains* the word, such as "Modesty" or
  "Ada the moderator", is fine).

``name_error`` is the rule: ``User.clean_fields`` calls it, so the signup form, the User
admin and any other form of the User refuse such names with its message. The importer
does not refuse a dump's rows: ``imported_name`` takes the marks out of their names and
keeps the rest, words included (an imported name is the attribution of its author's work).

This module depends on nothing but the standard library, so it can move with the User.
"""

import unicodedata

MODERATOR_MARK = "♦"

#: The mark and what looks like it: every character whose Unicode name says DIAMOND or
#: LOZENGE (as of Unicode 14, including the suits, emoji and the combining enclosing
#: diamond), and the four-pointed stars.
MODERATOR_MARKS = frozenset(
    "\u20df\u22c4\u2311\u233a\u235a\u25c6\u25c7\u25c8\u25ca\u2662\u2666\u26cb\u2726\u2727"
    "\u2756\u27d0\u27e0\u27e1\u27e2\u27e3\u291d\u291e\u291f\u2920\u29ea\u29eb\u29f0\u29f1"
    "\u2b16\u2b17\u2b18\u2b19\u2b25\u2b26\u2b27\u2b28\u2b29\u2b2a\u2b2b\u2bc1\u2bde"
    "\U0001f0c1\U0001f0c2\U0001f0c3\U0001f0c4\U0001f0c5\U0001f0c6\U0001f0c7\U0001f0c8"
    "\U0001f0c9\U0001f0ca\U0001f0cb\U0001f0cc\U0001f0cd\U0001f0ce\U0001f4a0\U0001f536"
    "\U0001f537\U0001f538\U0001f539\U0001f797\U0001f798\U0001f799\U0001f79a\U0001f79b"
    "\U0001f79c\U0001f79d\U0001f79e\U0001f79f\U0001f7a0\U0001fbae\U0001fbbf"
)

#: Whole names kept for moderators (compared as ``_bare`` reads them).
MODERATOR_WORDS = frozenset({"moderator", "moderators", "mod", "mods"})

MARK_MESSAGE = (
    f"Names can't contain {MODERATOR_MARK} or a similar mark: the site puts "
    f"{MODERATOR_MARK} after moderators' names."
)
WORD_MESSAGE = "“Moderator” and “mod” are kept for the site's moderators: choose another name."


def _bare(name: str) -> str:
    """The name's letters and digits only, compatibility forms folded (fullwidth
    ``ｍｏｄ`` → ``mod``), without case."""
    return "".join(
        char for char in unicodedata.normalize("NFKC", name).casefold() if char.isalnum()
    )


def name_error(name: str, *, moderator: bool = False) -> str | None:
    """Why ``name`` can't be a username or display name, or None when it can.
    ``moderator``: the account is one the site marks as a moderator."""
    if any(char in MODERATOR_MARKS for char in name):
        return MARK_MESSAGE
    if not moderator and _bare(name) in MODERATOR_WORDS:
        return WORD_MESSAGE
    return None


def imported_name(name: str | None) -> str:
    """A name from a data dump with the marks taken out (and the blanks they leave at its
    ends). The words are left alone: the name is the source site's attribution of what its
    author wrote, and without the mark it no longer passes for a moderator's here."""
    return "".join(char for char in name or "" if char not in MODERATOR_MARKS).strip()
