"""The mixed load (README, "Load test"): 85% reads, 15% writes through the site's own HTML
forms, as `bench/load.py` (`make loadtest`) and `bench/two_hosts.py` run it with locust.

Reads: the home page, question pages, tag pages, search and user pages, anonymous and
logged in. Writes: votes, comments, answers, close votes, flags and reviews, each a GET of
the page with the form (parsed for its fields and CSRF token) then its POST, by one of many
prepared members taken in turn, so no member meets a rate limit or a daily vote limit.

A write answered with the form again (400, 403, 409, 429: "already voted", a rate limit,
a closed question) is an expected refusal: reported under its own name ("refused: …"),
never as a failure. Failures are 5xx, timeouts and anything else unexpected.

Reads the targets from the JSON file named by ``LOAD_TARGETS`` (written by
`bench/load.py`): question URLs, tags, user ids, close targets and the members' session
cookies. ``LOAD_HOSTS`` (comma-separated base URLs) spreads each simulated user over
several web hosts (`bench/two_hosts.py`); without it, locust's ``--host``.
"""

import itertools
import json
import os
import random

from html_forms import Forms
from locust import HttpUser, between, task

with open(os.environ["LOAD_TARGETS"]) as targets_file:
    TARGETS = json.load(targets_file)
HOSTS = [host for host in os.environ.get("LOAD_HOSTS", "").split(",") if host]
#: Members taken in turn by the writes (one process: locust runs headless, not distributed).
MEMBERS = itertools.cycle(TARGETS["sessions"])
#: Statuses of a refusal the site explains on the form: expected under load, not errors.
REFUSALS = {400, 403, 409, 429}
PHRASES = (
    "consider the question again with a smaller example and compare both outputs carefully",
    "before changing the configuration of the whole project",
)
WORDS = " ".join(PHRASES).split()


def refuse(response, kind: str) -> None:
    """Report an expected refusal under its own name, so "write: …" holds only what was
    done and the failures only what went wrong."""
    response.request_meta["request_type"] = "REFUSED"
    response.request_meta["name"] = f"refused: {kind} ({response.status_code})"
    response.success()


def sentence(words: int) -> str:
    return " ".join(random.choice(WORDS) for _ in range(words)).capitalize() + "."


class SiteUser(HttpUser):
    """A reader who sometimes writes: of the tasks, 85% are reads and 15% writes (a write
    is two requests: the page with the form, then its POST)."""

    wait_time = between(0.5, 2.0)
    #: The share of readers who browse logged in.
    logged_in_share = 0.5

    def on_start(self):
        if HOSTS:
            self.client.base_url = random.choice(HOSTS)
        self.reader_session = (
            random.choice(TARGETS["sessions"]) if random.random() < self.logged_in_share else None
        )
        self._as(self.reader_session)

    def _as(self, session: str | None):
        """Browse as the member of ``session`` (None: anonymous)."""
        self.client.cookies.clear()
        if session:
            self.client.cookies.set("sessionid", session)

    # Reads (weights add up to 85) ------------------------------------------------------

    def _read(self, url: str, name: str):
        self.client.get(url, name=f"read: {name}")

    @task(15)
    def home(self):
        self._read("/", "home")

    @task(35)
    def question(self):
        self._read(random.choice(TARGETS["questions"]), "question page")

    @task(12)
    def tag(self):
        self._read(f"/questions/tagged/{random.choice(TARGETS['tags'])}/", "tag page")

    @task(10)
    def search(self):
        self._read(f"/search/?q={random.choice(WORDS)}+{random.choice(TARGETS['tags'])}", "search")

    @task(13)
    def user(self):
        self._read(f"/users/{random.choice(TARGETS['users'])}/", "user page")

    # Writes (weights add up to 15), each as the next prepared member --------------------

    def _write(self, kind: str, form_url: str, action: str, fill) -> None:
        """GET ``form_url``, find the form posting to ``action`` (a regex), ``fill`` its
        fields (returns False to give up: nothing to do on that page), POST it as a browser
        would, and classify the answer."""
        self._as(next(MEMBERS))
        try:
            with self.client.get(form_url, name=f"write form: {kind}", catch_response=True) as page:
                if page.status_code in REFUSALS:  # e.g. the question closed meanwhile
                    refuse(page, f"{kind} form")
                    return
                if page.status_code != 200:
                    page.failure(f"form page answered {page.status_code}")
                    return
                form = Forms(page.text).find(action)
                if form is None or fill(form) is False:
                    page.success()
                    return
            data = dict(form["fields"])
            data.update(form.get("chosen", {}))
            with self.client.post(
                form["action"],
                data=data,
                headers={"Referer": self.client.base_url + form_url},
                name=f"write: {kind}",
                allow_redirects=False,
                catch_response=True,
            ) as answer:
                if answer.status_code in (301, 302, 303):
                    answer.success()
                elif answer.status_code in REFUSALS:
                    refuse(answer, kind)
                else:
                    answer.failure(f"{kind} answered {answer.status_code}")
        finally:
            self._as(self.reader_session)

    @task(5)
    def vote(self):
        def fill(form):
            form["chosen"] = {"vote": "up" if random.random() < 0.85 else "down"}

        self._write("vote", random.choice(TARGETS["questions"]), r"/posts/\d+/vote/$", fill)

    @task(3)
    def comment(self):
        def fill(form):
            form["chosen"] = {"body": sentence(12)}

        post = random.choice(TARGETS["questions"]).split("/")[2]
        self._write("comment", f"/posts/{post}/comments/", r"/comments/$", fill)

    @task(2)
    def answer(self):
        def fill(form):
            form["chosen"] = {"body": f"{sentence(14)}\n\n{sentence(16)}"}

        self._write("answer", random.choice(TARGETS["open_questions"]), r"/answer/$", fill)

    @task(2)
    def close_vote(self):
        def fill(form):
            reasons = set(form["radios"].get("reason", [])) & set(TARGETS["close_reasons"])
            if not reasons:
                return False
            form["chosen"] = {"reason": random.choice(sorted(reasons)), "comment": ""}
            form["fields"].pop("q", None)

        question = random.choice(TARGETS["close_targets"])
        self._write("close vote", f"/questions/{question}/close/", r"/close/$", fill)

    @task(2)
    def flag(self):
        def fill(form):
            kinds = [
                kind
                for kind in form["radios"].get("kind", [])
                if kind in ("needs_improvement", "very_low_quality")
            ]
            if not kinds:
                return False
            form["chosen"] = {"kind": random.choice(kinds), "text": ""}

        post = random.choice(TARGETS["questions"]).split("/")[2]
        self._write("flag", f"/posts/{post}/flag/", r"/flag/$", fill)

    @task(1)
    def review(self):
        def fill(form):
            decisions = [value for name, value in form["buttons"] if name == "decision"]
            usable = [value for value in decisions if value in ("leave_open", "skip")]
            if not usable:
                return False
            form["chosen"] = {"decision": random.choice(usable)}

        self._write("review", "/review/close/", r"/review/close/\d+/$", fill)
