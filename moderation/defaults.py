"""The default close reasons (docs/rules.md, "Closing and reopening"), installed by a data
migration and again whenever the table is found empty after ``migrate``/``flush``: a site always
has reasons to close with (deactivate one rather than delete it). Their texts name the site's
subject from ``QASITE["SITE"]["SUBJECT"]`` when it is set, and no subject otherwise."""

from core.conf import qasite_setting

BRIEF_MAX = 100  # CloseReason.brief_description


def default_reasons(subject: str = "") -> list[dict]:
    """The default reasons' fields, worded for a site about ``subject`` ("" for none)."""
    subject = " ".join(subject.split())
    brief = f"This question does not appear to be about {subject}, within the scope of this site."
    if not subject or len(brief) > BRIEF_MAX:
        brief = "This question does not appear to be within the scope of this site."
    about = f"about {subject}, " if subject else ""
    topic = subject or "this site's subject"
    return [
        {
            "kind": "duplicate",
            "name": "Duplicate",
            "brief_description": "This question has been asked before and already has an answer.",
            "voter_guidance": "Find the question that already answers this one (by its URL, its "
            "id or a search). It must have at least one answer.",
            "post_notice": "This question already has an answer here:",
            "asker_guidance": "This question has been asked before and already has an answer. If "
            "those answers do not fully address your question, edit it to explain how it is "
            "different, or ask a new question.",
        },
        {
            "name": "Needs details or clarity",
            "brief_description": "Add details and clarify the problem being solved.",
            "voter_guidance": "The question does not say clearly enough what the problem is, what "
            "was tried, or what a good answer would contain.",
            "post_notice": "This question needs details or clarity. It is not currently accepting "
            "answers.",
            "asker_guidance": "Add details and clarify the problem you're solving by editing this "
            "post: what you tried, what you expected and what happened instead.",
        },
        {
            "name": "Needs more focus",
            "brief_description": "This question currently includes multiple questions in one. It "
            "should focus on one problem only.",
            "voter_guidance": "The question asks several things at once, or is so broad that a "
            "good answer would fill a book.",
            "post_notice": "This question needs to be more focused. It is not currently accepting "
            "answers.",
            "asker_guidance": "Update the question so it focuses on one problem only by editing "
            "this post.",
        },
        {
            "name": "Opinion-based",
            "brief_description": "Answers would be based on opinions rather than facts and "
            "citations.",
            "voter_guidance": "The question invites opinions, preferences or debate rather than "
            "answers supported by facts, references or specific expertise.",
            "post_notice": "This question is opinion-based. It is not currently accepting answers.",
            "asker_guidance": "Update the question so it can be answered with facts and citations "
            "by editing this post.",
        },
        {
            "kind": "off_topic",
            "name": "Off-topic",
            "brief_description": brief,
            "voter_guidance": "Choose the site-specific reason that fits.",
            "post_notice": f"This question does not appear to be {about}within the scope defined "
            "in the help center.",
            "asker_guidance": "See what is on-topic here in the help center, and edit the question "
            "so it fits, or ask on a site where it does.",
            "children": [
                {
                    "name": "Career advice and job-market questions are off-topic here",
                    "brief_description": "Career advice, job titles, salaries and the job market "
                    "are off-topic here.",
                    "voter_guidance": "The question asks for career advice or about the job "
                    f"market rather than about {topic}.",
                    "post_notice": "This question is off-topic: career advice and job-market "
                    "questions are off-topic here.",
                    "asker_guidance": "Questions about careers, job titles, salaries or the job "
                    "market are off-topic here. Ask about a problem you are working on instead.",
                },
                {
                    "name": "Questions about a specific commercial product's support",
                    "brief_description": "Support for a specific commercial product belongs with "
                    "its vendor.",
                    "voter_guidance": "The question is about getting a commercial product or "
                    "service to work, which its vendor's support can answer.",
                    "post_notice": "This question is off-topic: questions about a specific "
                    "commercial product's support are off-topic here.",
                    "asker_guidance": "Contact the product's vendor for support. Questions about "
                    "the underlying technique are welcome here.",
                },
                {
                    "kind": "something_else",
                    "name": "Something else",
                    "brief_description": "Off-topic for another reason: explain it in a comment.",
                    "voter_guidance": "Say in a comment why the question is off-topic here.",
                    "post_notice": "This question is off-topic for this site, for the reason the "
                    "voters gave in their comment.",
                    "asker_guidance": "Read the voters' comment, then edit the question so it "
                    "fits this site, or ask it where it is on-topic.",
                },
            ],
        },
    ]


def install_close_reasons(CloseReason) -> None:
    """Create the default reasons with ``CloseReason`` (the real model or a migration's),
    worded for the site's subject."""
    for order, data in enumerate(default_reasons(qasite_setting("SITE.SUBJECT")), start=1):
        fields = {k: v for k, v in data.items() if k != "children"}
        parent = CloseReason.objects.create(order=order * 10, **fields)
        for sub_order, child in enumerate(data.get("children", []), start=1):
            CloseReason.objects.create(parent=parent, order=sub_order, **child)
