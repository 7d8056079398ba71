#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import secrets
import sys
from pathlib import Path

# The key local commands use when SECRET_KEY is unset: the one `make` generates (outside git,
# readable by its owner only), created here on first use. The web server (qasite.wsgi) reads
# only the environment, so a deployment without its own key still refuses to start.
SECRET_KEY_FILE = Path(__file__).resolve().with_name(".secret_key")


def local_secret_key() -> str:
    if not SECRET_KEY_FILE.exists():
        descriptor = os.open(SECRET_KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as key_file:
            key_file.write(secrets.token_urlsafe(50) + "\n")
        print(f"Generated a secret key in {SECRET_KEY_FILE} (kept out of git).", file=sys.stderr)
    return SECRET_KEY_FILE.read_text().strip()


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qasite.settings")
    if not os.environ.get("SECRET_KEY", "").strip():
        os.environ["SECRET_KEY"] = local_secret_key()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
