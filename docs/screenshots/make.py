"""Screenshots of the main pages in the light and the dark theme, for the README.

    make screenshots        (or: .venv/bin/python docs/screenshots/make.py)

Starts the site on a temporary SQLite database with the demo data (what `make run` does:
migrate, load_demo, rank_questions), opens each page in Chromium at 1280 px as the demo
moderator, and saves docs/screenshots/<page>-<theme>.png, reduced to a 256-colour palette to
keep the repository small. Nothing here is a test; it never touches db.sqlite3.
"""

import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
PYTHON = sys.executable
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "qasite-demo"
THEMES = ("light", "dark")
VIEWPORT = {"width": 1280, "height": 800}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the site did not start at {url}")


def pages(env: dict, seed: int) -> dict[str, str]:
    """Name -> path of each page to shoot: the seed thread, its asker's profile..."""
    found = manage(
        env,
        "shell",
        "-c",
        "from threads.models import Post\n"
        f"seed = Post.objects.get(pk={seed})\n"
        "print(seed.get_absolute_url())\n"
        "print(seed.author.get_absolute_url())\n",
    ).split()
    question, profile = found[-2], found[-1]
    return {
        "home": "/",
        "question": question,
        "ask": "/questions/ask/",
        "search": "/search/?q=neural+network",
        "tags": "/tags/",
        "users": "/users/",
        "profile": profile,
        "review": "/review/close/",
        "dashboard": "/moderation/",
        "inbox": "/inbox/",
    }


def shoot(base: str, paths: dict[str, str]) -> list[Path]:
    saved = []
    with sync_playwright() as playwright:
        options = {"args": ["--no-sandbox", "--disable-gpu"]}
        if os.path.exists(CHROMIUM):
            options["executable_path"] = CHROMIUM
        browser = playwright.chromium.launch(**options)
        for theme in THEMES:
            context = browser.new_context(viewport=VIEWPORT, color_scheme=theme)
            context.add_init_script(script=f"localStorage.setItem('qasite-theme', '{theme}');")
            page = context.new_page()
            page.goto(f"{base}/accounts/login/")
            page.get_by_label("Username or email").fill("moderator")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_load_state()
            for name, path in paths.items():
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                target = OUT / f"{name}-{theme}.png"
                page.screenshot(path=target)
                small = Image.open(target).convert("RGB").quantize(colors=256)
                small.save(target, optimize=True)
                saved.append(target)
            context.close()
        browser.close()
    return saved


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="qasite-shots-") as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "true",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
        env.pop("REDIS_URL", None)
        manage(env, "migrate", "--noinput")
        loaded = manage(env, "load_demo", "--questions", "60")
        seed = int(re.search(r"the seed thread \(question (\d+)\)", loaded).group(1))
        manage(env, "rank_questions")
        port = free_port()
        server = subprocess.Popen(
            [PYTHON, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(f"{base}/health/")
            saved = shoot(base, pages(env, seed))
        finally:
            server.terminate()
            server.wait(timeout=10)
    for path in saved:
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
