"""One validator for what people write: question titles, post and comment bodies, and tags.

Forms, services, review decisions and the admin all call these functions, so every entry
point applies the same limits (``settings.QASITE``). Limits apply to what a write
*changes*: a post imported shorter than this site's minimums can still be saved with its
text unchanged, and a stored tag outside today's character set does not block an edit that
keeps it.
"""

from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError

from accounts.privileges import Privilege, has_privilege
from core.conf import qasite_setting
from core.markdown import link_counts, render_comment, render_post

TAG_MAX_LENGTH = 35
TAG_PUNCTUATION = frozenset("+#.-")
TAG_RULE_TEXT = (
    f"Tags use at most {TAG_MAX_LENGTH} characters: lowercase letters, digits and + # . -"
)


def normalize_newlines(text: str) -> str:
    """One ``\\n`` per line break: browsers send a textarea's line breaks as CRLF, and a
    post keeps exactly what was written (docs/rules.md, "Writing"), so a later diff does not
    show every line break as changed."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def is_tag_name(name: str) -> bool:
    """Stack Exchange's tag alphabet: lowercase letters (any script, so sites in other
    languages keep their tags), the digits 0–9 and ``+ # . -``; 1 to 35 characters."""
    return 0 < len(name) <= TAG_MAX_LENGTH and all(
        char in TAG_PUNCTUATION
        or "0" <= char <= "9"
        or (char.isalpha() and not char.isupper() and char.lower() == char)
        for char in name
    )


def parse_tag_names(text: str) -> list[str]:
    """Space- or comma-separated names, lower-cased, de-duplicated, order kept."""
    parts = text.replace(",", " ").split()
    return list(dict.fromkeys(part.lower() for part in parts))


def tag_errors(names: list[str], *, current: Iterable[str] = ()) -> list[str]:
    """What is wrong with a post's new tag list. Names it already had are not re-checked
    for characters, and an unchanged list is always fine."""
    current = list(current)
    if current and sorted(names) == sorted(current):
        return []
    errors = []
    low, high = qasite_setting("TAGS_MIN"), qasite_setting("TAGS_MAX")
    if not names:
        errors.append("Add at least one tag.")
    elif not low <= len(names) <= high:
        errors.append(f"Use between {low} and {high} tags.")
    bad = [name for name in names if name not in current and not is_tag_name(name)]
    if bad:
        errors.append(f"Invalid tag name: {', '.join(bad)}. {TAG_RULE_TEXT}.")
    return errors


def _length_errors(text: str, *, what: str, low: int, high: int) -> list[str]:
    size = len(text)
    if size < low:
        return [f"{what} must be at least {low} characters; you entered {size}."]
    if size > high:
        return [f"{what} is limited to {high} characters; you entered {size}."]
    return []


def _changed(new: str, old: str | None) -> bool:
    return old is None or new.strip() != old.strip()


def title_errors(title: str, *, current: str | None = None) -> list[str]:
    title = title.strip()
    if not _changed(title, current):
        return []
    return _length_errors(
        title,
        what="Title",
        low=qasite_setting("QUESTION_TITLE_MIN"),
        high=qasite_setting("QUESTION_TITLE_MAX"),
    )


def body_errors(body: str, *, is_question: bool, current: str | None = None) -> list[str]:
    if not _changed(body, current):
        return []
    low = qasite_setting("QUESTION_BODY_MIN" if is_question else "ANSWER_BODY_MIN")
    return _length_errors(body.strip(), what="Body", low=low, high=qasite_setting("POST_BODY_MAX"))


def comment_errors(body: str) -> list[str]:
    return _length_errors(
        body.strip(),
        what="Comment",
        low=qasite_setting("COMMENT_MIN"),
        high=qasite_setting("COMMENT_MAX"),
    )


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def link_errors(
    text: str,
    *,
    author,
    render: Callable[[str], str] = render_post,
    what: str = "post",
    current: str | None = None,
) -> list[str]:
    """New users' links and images (docs/rules.md, "Writing"): below
    ``REMOVE_NEW_USER_RESTRICTIONS`` a post or comment holds at most ``NEW_USER_LINKS_MAX``
    links and ``NEW_USER_IMAGES_MAX`` images, counted in what the Markdown renders. An edit
    is refused only when it adds some over the limit to the ``current`` text. ``author``
    None (the importer, the demo's loader) is not checked."""
    if author is None or not _changed(text, current):
        return []
    if has_privilege(author, Privilege.REMOVE_NEW_USER_RESTRICTIONS):
        return []
    counts = link_counts(render(text))
    before = link_counts(render(current)) if current is not None else None
    reputation = Privilege.REMOVE_NEW_USER_RESTRICTIONS.reputation
    errors = []
    for count, limit, was, noun in (
        (counts.links, qasite_setting("NEW_USER_LINKS_MAX"), before and before.links, "link"),
        (counts.images, qasite_setting("NEW_USER_IMAGES_MAX"), before and before.images, "image"),
    ):
        if count <= limit or (was is not None and count <= was):
            continue
        allowed = f"at most {_counted(limit, noun)}" if limit else f"no {noun}s"
        errors.append(
            f"Until you have {reputation} reputation, a {what} of yours may hold {allowed}; "
            f"this one has {count}. Remove {_counted(count - max(limit, was or 0), noun)}"
            f"{' (a link to the image can stay)' if noun == 'image' else ''}."
        )
    return errors


def validate_post(
    *,
    is_question: bool,
    body: str,
    title: str = "",
    tags: list[str] | None = None,
    current=None,
    author=None,
) -> None:
    """Raise ``ValidationError`` (a dict by field, so a form shows each message at its
    field) when a new post's or an edit's text breaks the limits. ``current`` is the post
    being edited: only what changes is checked. ``tags=None`` leaves tags unchanged.
    ``author`` is who writes the text (the editor of an edit), for the new users' link limit."""
    errors: dict[str, list[str]] = {}
    if is_question:
        errors["title"] = title_errors(title, current=current.title if current else None)
        if tags is not None:
            errors["tags"] = tag_errors(tags, current=current.tags.names() if current else ())
    old_body = current.body if current else None
    errors["body"] = body_errors(body, is_question=is_question, current=old_body)
    if not errors["body"]:
        errors["body"] = link_errors(body, author=author, current=old_body)
    errors = {field: messages for field, messages in errors.items() if messages}
    if errors:
        raise ValidationError(errors)


def validate_comment(body: str, *, author=None) -> None:
    """``author`` is who writes it, for the new users' link limit (None: not checked)."""
    errors = comment_errors(body) or link_errors(
        " ".join(body.split()), author=author, render=render_comment, what="comment"
    )
    if errors:
        raise ValidationError({"body": errors})


TAG_EXCERPT_MAX = 500


def validate_tag_wiki(*, excerpt: str, body: str) -> None:
    """A tag's excerpt (plain text, ``Tag.excerpt``'s length) and wiki (a post's length)."""
    errors = {
        "excerpt": _length_errors(excerpt, what="Excerpt", low=0, high=TAG_EXCERPT_MAX),
        "body": _length_errors(body, what="Wiki", low=0, high=qasite_setting("POST_BODY_MAX")),
    }
    errors = {field: messages for field, messages in errors.items() if messages}
    if errors:
        raise ValidationError(errors)
