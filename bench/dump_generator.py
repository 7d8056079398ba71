"""A synthetic Stack Exchange dump for the import benchmark (bench/import_bench.py): the eight
XML files in the dumps' own format, with the shapes of a real site — users, questions with
tags, answers (some accepted), comments, votes (mostly up/down, some accepts), badges,
PostHistory (initial title/body/tags rows sharing a RevisionGUID, later edits, closures with
voters and duplicate targets, reopenings, locks), post links (linked and duplicate) and tag
excerpt/wiki posts. Deterministic for a given size (seeded).

    .venv/bin/python bench/dump_generator.py OUT_FOLDER [--rows N]

``--rows`` is the approximate total row count (default 1,000,000). Written streaming, file
by file; never part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import uuid
from pathlib import Path
from xml.sax.saxutils import quoteattr

#: Share of the total row count per file (a real site's proportions, roughly).
SHARES = {
    "Users.xml": 0.05,
    "Posts.xml": 0.15,
    "Comments.xml": 0.18,
    "PostHistory.xml": 0.27,
    "PostLinks.xml": 0.01,
    "Votes.xml": 0.29,
    "Badges.xml": 0.05,
}
QUESTION_SHARE = 0.35  # of Posts.xml, the rest answers
WORDS = [
    "verb",
    "noun",
    "subject",
    "clause",
    "tense",
    "mood",
    "agreement",
    "plural",
    "gender",
    "article",
    "pronoun",
    "adverb",
    "sentence",
    "meaning",
    "usage",
    "register",
    "idiom",
    "phrase",
    "spelling",
    "accent",
    "liaison",
    "elision",
    "grammar",
    "conjugation",
    "subjunctive",
    "imperfect",
    "participle",
    "auxiliary",
    "translation",
    "example",
    "context",
    "native",
    "speaker",
    "dictionary",
    "why",
    "when",
    "which",
    "would",
    "should",
    "could",
    "literally",
    "formal",
    "informal",
]
TAG_WORDS = [
    "grammar",
    "usage",
    "meaning",
    "verbs",
    "nouns",
    "translation",
    "pronunciation",
    "spelling",
    "conjugation",
    "subjunctive",
    "tenses",
    "idioms",
    "vocabulary",
    "syntax",
    "orthography",
    "etymology",
    "slang",
    "register",
    "style",
]


def attrs(row: dict) -> str:
    return " ".join(f"{key}={quoteattr(str(value))}" for key, value in row.items() if value != "")


class Writer:
    """One XML file, written row by row."""

    def __init__(self, path: Path, root: str):
        self.file = path.open("w", encoding="utf-8")
        self.root = root
        self.count = 0
        self.file.write(f'\ufeff<?xml version="1.0" encoding="utf-8"?>\n<{root}>\n')

    def row(self, **fields) -> None:
        self.count += 1
        self.file.write(f"  <row {attrs(fields)} />\n")

    def close(self) -> None:
        self.file.write(f"</{self.root}>\n")
        self.file.close()


class Generator:
    def __init__(self, out: Path, rows: int, seed: int = 7):
        self.out = out
        self.random = random.Random(seed)
        self.sizes = {name: max(10, int(rows * share)) for name, share in SHARES.items()}
        self.users = self.sizes["Users.xml"]
        posts = self.sizes["Posts.xml"]
        self.questions = max(5, int(posts * QUESTION_SHARE))
        self.answers = posts - self.questions
        self.tags = max(20, self.questions // 50)
        self.history_id = 0

    # Values -------------------------------------------------------------------------

    def when(self, post: int, minutes: int = 0) -> str:
        """Times grow with the post id, as in a real dump (file order is time order)."""
        total = post * 7 + minutes
        day, minute = divmod(total, 24 * 60)
        year, day = divmod(day, 360)
        return (
            f"{2010 + year % 15}-{day // 30 + 1:02d}-{day % 30 + 1:02d}T"
            f"{minute // 60:02d}:{minute % 60:02d}:00.000"
        )

    def words(self, low: int, high: int) -> str:
        return " ".join(self.random.choices(WORDS, k=self.random.randint(low, high)))

    def markdown(self) -> str:
        paragraphs = [
            self.words(20, 60).capitalize() + "." for _ in range(self.random.randint(1, 4))
        ]
        if self.random.random() < 0.3:
            paragraphs.insert(1, "    " + self.words(3, 8) + "\n    " + self.words(3, 8))
        if self.random.random() < 0.3:
            paragraphs.append(
                f"See [the *{self.words(1, 2)}* page]"
                f"(https://example.org/{self.random.randint(1, 999)})."
            )
        return "\r\n\r\n".join(paragraphs)

    def html(self, markdown: str) -> str:
        out = []
        for paragraph in markdown.split("\r\n\r\n"):
            if paragraph.startswith("    "):
                code = paragraph.replace("    ", "").replace("\r\n", "\n")
                out.append(f"<pre><code>{code}\n</code></pre>")
            elif paragraph.startswith("See ["):
                out.append('<p>See <a href="https://example.org/1">the <em>page</em></a>.</p>')
            else:
                out.append(f"<p>{paragraph}</p>")
        return "\n\n".join(out) + "\n"

    def user(self) -> int:
        return self.random.randint(1, self.users)

    def tag_names(self) -> str:
        count = self.random.randint(1, 4)
        picked = {self.random.randint(1, self.tags) for _ in range(count)}
        return "".join(f"<{self.tag_name(tag)}>" for tag in sorted(picked))

    def tag_name(self, tag: int) -> str:
        return f"{TAG_WORDS[tag % len(TAG_WORDS)]}-{tag}"

    # Files --------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        self.out.mkdir(parents=True, exist_ok=True)
        counts = {}
        for method in (
            self.write_users,
            self.write_tags,
            self.write_posts_and_history,
            self.write_comments,
            self.write_links,
            self.write_votes,
            self.write_badges,
        ):
            counts.update(method())
        return counts

    def write_users(self) -> dict[str, int]:
        file = Writer(self.out / "Users.xml", "users")
        file.row(
            Id=-1,
            Reputation=1,
            CreationDate=self.when(0),
            DisplayName="Community",
            AboutMe="<p>Hi, I'm not really a person.</p>",
        )
        for pk in range(1, self.users + 1):
            about = f"<p>{self.words(5, 30)}</p>" if self.random.random() < 0.3 else ""
            file.row(
                Id=pk,
                Reputation=max(1, int(self.random.paretovariate(1.2))),
                CreationDate=self.when(pk // 3),
                DisplayName=f"User {pk}",
                AboutMe=about,
                Views=self.random.randint(0, 500),
                UpVotes=self.random.randint(0, 50),
                DownVotes=self.random.randint(0, 5),
            )
        file.close()
        return {"Users.xml": file.count}

    def write_tags(self) -> dict[str, int]:
        file = Writer(self.out / "Tags.xml", "tags")
        # Tag excerpt/wiki posts get ids after the questions and answers.
        self.wiki_base = self.questions + self.answers + 1
        self.wiki_tags = min(self.tags, 200)
        for tag in range(1, self.tags + 1):
            extra = {}
            if tag <= self.wiki_tags:
                extra = {
                    "ExcerptPostId": self.wiki_base + 2 * (tag - 1),
                    "WikiPostId": self.wiki_base + 2 * (tag - 1) + 1,
                }
            file.row(Id=tag, TagName=self.tag_name(tag), Count=self.random.randint(1, 900), **extra)
        file.close()
        return {"Tags.xml": file.count}

    def write_posts_and_history(self) -> dict[str, int]:
        """Questions 1..Q then answers; PostHistory alongside (initial rows, edits,
        closures with voters, reopenings, locks), in time order per post."""
        posts = Writer(self.out / "Posts.xml", "posts")
        history = Writer(self.out / "PostHistory.xml", "posthistory")
        history_budget = self.sizes["PostHistory.xml"]
        total_posts = self.questions + self.answers
        # Beyond the initial rows (3 per question, 1 per answer): edits and events.
        spare = max(0, history_budget - 3 * self.questions - self.answers)
        extra_rate = spare / total_posts
        self.closed_duplicates: list[tuple[int, int]] = []
        answers_of: dict[int, list[int]] = {}
        for answer in range(self.questions + 1, total_posts + 1):
            answers_of.setdefault(self.random.randint(1, self.questions), []).append(answer)
        self.answer_parent = {}
        for question, answers in answers_of.items():
            for answer in answers:
                self.answer_parent[answer] = question
        for post in range(1, total_posts + 1):
            question = post <= self.questions
            markdown = self.markdown()
            owner = self.user() if self.random.random() > 0.03 else ""
            created = self.when(post)
            fields = {
                "Id": post,
                "PostTypeId": 1 if question else 2,
                "CreationDate": created,
                "Score": int(self.random.gauss(2, 4)),
                "Body": self.html(markdown),
                "OwnerUserId": owner,
                "OwnerDisplayName": "" if owner else f"Deleted {post}",
                "LastActivityDate": self.when(post, 600),
                "ContentLicense": "CC BY-SA 4.0",
            }
            title = tags = ""
            closed = None
            if question:
                title = self.words(4, 12).capitalize() + "?"
                tags = self.tag_names()
                answers = answers_of.get(post, [])
                fields.update(
                    ViewCount=self.random.randint(5, 20000),
                    Title=title,
                    Tags=tags,
                    AnswerCount=len(answers),
                    CommentCount=0,
                )
                if answers and self.random.random() < 0.4:
                    fields["AcceptedAnswerId"] = self.random.choice(answers)
                if self.random.random() < 0.06:
                    closed = self.when(post, 300)
                    fields["ClosedDate"] = closed
            else:
                fields["ParentId"] = self.answer_parent[post]
            if self.random.random() < 0.25:
                fields["LastEditorUserId"] = self.user()
                fields["LastEditDate"] = self.when(post, 120)
            posts.row(**fields)
            self._history(history, post, question, markdown, title, tags, owner, closed, extra_rate)
        for tag in range(1, self.wiki_tags + 1):
            for offset, kind in ((0, 4), (1, 5)):
                body = f"<p>{self.words(8, 30)}</p>"
                post = self.wiki_base + 2 * (tag - 1) + offset
                posts.row(
                    Id=post,
                    PostTypeId=kind,
                    CreationDate=self.when(tag),
                    Score=0,
                    Body=body,
                    LastActivityDate=self.when(tag),
                    ContentLicense="CC BY-SA 4.0",
                )
                self.history_id += 1
                history.row(
                    Id=self.history_id,
                    PostHistoryTypeId=2,
                    PostId=post,
                    RevisionGUID=str(uuid.UUID(int=self.random.getrandbits(128))),
                    CreationDate=self.when(tag),
                    UserId=self.user(),
                    Text=body,
                )
        posts.close()
        history.close()
        return {"Posts.xml": posts.count, "PostHistory.xml": history.count}

    def _history(self, file, post, question, markdown, title, tags, owner, closed, rate):
        guid = lambda: str(uuid.UUID(int=self.random.getrandbits(128)))  # noqa: E731

        def row(kind, minutes, text, revision, **extra):
            self.history_id += 1
            file.row(
                Id=self.history_id,
                PostHistoryTypeId=kind,
                PostId=post,
                RevisionGUID=revision,
                CreationDate=self.when(post, minutes),
                UserId=owner,
                Text=text,
                ContentLicense="CC BY-SA 4.0",
                **extra,
            )

        first = guid()
        row(2, 0, markdown, first)
        if question:
            row(1, 0, title, first)
            row(3, 0, tags, first)
        extra = int(rate) + (1 if self.random.random() < rate - int(rate) else 0)
        minutes = 0
        for _ in range(extra):
            minutes += 37
            if question and closed is not None and self.random.random() < 0.5:
                duplicate = self.random.random() < 0.5 and post > 1
                target = self.random.randint(1, post - 1) if duplicate else None
                text = {"Voters": [{"Id": self.user(), "DisplayName": "Voter"} for _ in range(3)]}
                if duplicate:
                    text["OriginalQuestionIds"] = [target]
                    self.closed_duplicates.append((post, target))
                row(10, 300, json.dumps(text), guid(), Comment=101 if duplicate else 102)
                closed = None
            elif question and self.random.random() < 0.02:
                row(14, minutes, "", guid(), Comment="")
            else:
                row(
                    5,
                    minutes,
                    markdown + "\r\n\r\nEdit: " + self.words(3, 12),
                    guid(),
                    Comment="added detail",
                )

    def write_comments(self) -> dict[str, int]:
        file = Writer(self.out / "Comments.xml", "comments")
        total_posts = self.questions + self.answers
        for pk in range(1, self.sizes["Comments.xml"] + 1):
            post = self.random.randint(1, total_posts + 50)  # some on deleted posts
            user = self.user() if self.random.random() > 0.03 else ""
            text = self.words(5, 40)
            if self.random.random() < 0.2:
                text = f"@User{self.user()} *{self.words(1, 3)}* `{self.words(1, 2)}` {text}"
            file.row(
                Id=pk,
                PostId=post,
                Score=max(0, int(self.random.gauss(0, 2))),
                Text=text,
                CreationDate=self.when(min(post, total_posts), 200),
                UserId=user,
                UserDisplayName="" if user else "gone",
                ContentLicense="CC BY-SA 4.0",
            )
        file.close()
        return {"Comments.xml": file.count}

    def write_links(self) -> dict[str, int]:
        file = Writer(self.out / "PostLinks.xml", "postlinks")
        pk = 0
        for post, target in self.closed_duplicates:
            pk += 1
            file.row(
                Id=pk,
                CreationDate=self.when(post, 300),
                PostId=post,
                RelatedPostId=target,
                LinkTypeId=3,
            )
        while pk < self.sizes["PostLinks.xml"]:
            pk += 1
            post = self.random.randint(2, self.questions)
            file.row(
                Id=pk,
                CreationDate=self.when(post, 100),
                PostId=post,
                RelatedPostId=self.random.randint(1, post - 1),
                LinkTypeId=1,
            )
        file.close()
        return {"PostLinks.xml": file.count}

    def write_votes(self) -> dict[str, int]:
        file = Writer(self.out / "Votes.xml", "votes")
        total_posts = self.questions + self.answers
        for pk in range(1, self.sizes["Votes.xml"] + 1):
            post = self.random.randint(1, total_posts + 50)
            kind = self.random.choices((2, 3, 1, 5, 6, 10), weights=(70, 10, 5, 8, 4, 3))[0]
            file.row(
                Id=pk,
                PostId=post,
                VoteTypeId=kind,
                CreationDate=self.when(min(post, total_posts), 500)[:10] + "T00:00:00.000",
            )
        file.close()
        return {"Votes.xml": file.count}

    def write_badges(self) -> dict[str, int]:
        file = Writer(self.out / "Badges.xml", "badges")
        for pk in range(1, self.sizes["Badges.xml"] + 1):
            file.row(
                Id=pk,
                UserId=self.user(),
                Name="Student",
                Date=self.when(pk // 2),
                Class=3,
                TagBased="False",
            )
        file.close()
        return {"Badges.xml": file.count}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=1_000_000)
    options = parser.parse_args(argv)
    counts = Generator(options.out, options.rows).run()
    for name, count in counts.items():
        print(f"{name:<16} {count:>10,}")
    print(f"{'total':<16} {sum(counts.values()):>10,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
