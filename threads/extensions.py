"""The extension points of threads' pages (the mechanism: ``core.extensions``).

Higher apps (moderation…) fill them in their ``AppConfig.ready()``; threads' templates draw
them with ``{% extension_point "name" … %}`` and never load those apps' tags.

The question page is rendered once and shared by everyone with the same privileges, votes
and own posts in the thread (``threads.cache``), so what ``question_panels`` and
``post_controls`` draw may depend only on the question (its ``version``), the post, and the
viewer's privileges and own posts, and may not query (the page's query count is constant).
``question_controls`` is drawn for each request instead (a slot of the shared page): its
contributions may query, and should cache themselves.
"""

from core.extensions import Cost, ExtensionPoint, SubPages

question_panels = ExtensionPoint(
    "question_panels",
    "Panels under the question's header (the close notice…); argument: the question. "
    "Part of the shared page: no query.",
    costs=frozenset({Cost.NONE}),
)

question_controls = ExtensionPoint(
    "question_controls",
    "Items (``<li>``) of the question's post menu drawn for each request (close, reopen, "
    "protect, timeline…); argument: the question; context: ``user``, ``request``, "
    "``csrf_token``.",
)

question_notices = ExtensionPoint(
    "question_notices",
    "Notices above the question drawn for each request, for this viewer (the asker's close "
    "vote guidance…); argument: the question; context: ``user``, ``request``. May query: "
    "cache what you can.",
)

post_controls = ExtensionPoint(
    "post_controls",
    "Items (``<li>``) at the end of each post's menu (flag, lock, undelete…); argument: the "
    "post. Part of the shared page: no query.",
    costs=frozenset({Cost.NONE}),
)

comment_controls = ExtensionPoint(
    "comment_controls",
    "Links after a comment's date (flag…); argument: the comment. Part of the shared page, "
    "drawn for every comment: no query, and cheap (``format_html`` rather than a template).",
    costs=frozenset({Cost.NONE}),
)

head_links = ExtensionPoint(
    "head_links",
    "``<link>`` elements in the head of threads' pages (feeds' autodiscovery); arguments: "
    "the page's kind (``questions``, ``tag`` or ``question``) and its tag or question. Part "
    "of the shared question page: no query.",
    costs=frozenset({Cost.NONE}),
)

question_closed_label = ExtensionPoint(
    "question_closed_label",
    "A value point: ``first(question)`` is the word a closed question's title is marked "
    "with (``[duplicate]``), None to leave it to the next; ``Post.closed_label`` falls back "
    "to ``closed``. No query.",
    costs=frozenset({Cost.NONE}),
)

profile_summary = ExtensionPoint(
    "profile_summary",
    "Lines of a member's profile header (a suspension, flag counts…); argument: the member. "
    "A few queries each, at most.",
)

question_pages = SubPages(
    "questions",
    "Pages and actions under a question, ``questions/<id>/<name>/…`` (close, reopen, "
    "timeline…): never a question's slug (``question_slug``); ``threads.urls`` routes them "
    "before the question's slug route.",
    reserved=frozenset({"answer"}),
)
