import json
import os
import secrets
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
# The key settings.py fell back to when SECRET_KEY was unset: published with the code.
PUBLIC_DEFAULT_KEY = "django-insecure-local-development-key-not-for-production"


def production_env(**variables) -> dict:
    """A production environment: none of the development or test switches (the test run
    itself sets DJANGO_ALLOW_ASYNC_UNSAFE for Playwright, which check --deploy rejects)."""
    unset = {"DEBUG", "HTTPS_ONLY", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in unset}
    env.update(
        DEBUG="false", ALLOWED_HOSTS="qasite.example", DJANGO_SETTINGS_MODULE="qasite.settings"
    )
    env.update(variables)
    return env


def run(command: list[str], env: dict, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def test_it_passes_the_deployment_checks_in_production():
    env = production_env(SECRET_KEY=secrets.token_urlsafe(48))  # 64 characters
    result = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr


def readme_production_settings() -> dict[str, str]:
    """The variables of README's "Production settings" block."""
    readme = (REPO_ROOT / "README.md").read_text()
    section = readme.split("### Production settings", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    variables = {}
    for line in block.splitlines():
        name, value = line.split("#", 1)[0].strip().split("=", 1)
        variables[name] = value
    return variables


def test_the_readmes_production_settings_pass_check_deploy_without_a_warning():
    variables = readme_production_settings()
    assert {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "BEHIND_TLS_PROXY"} <= set(variables)
    variables["SECRET_KEY"] = secrets.token_urlsafe(48)
    env = production_env(**variables)
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"]
    result = run(command, env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


# Asked of the production settings in a process of their own: headers on the HTTPS redirect,
# on a page, on a missing page and on a redirect to the login page. (Static files are read
# from the source: the probe runs no collectstatic.)
HEADER_PROBE = """
from django.conf import settings
import json
from django.test import Client, override_settings
storages = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
client = Client(HTTP_HOST="qasite.example")
with override_settings(STORAGES=storages):
    for secure, path in [(0, "/"), (1, "/"), (1, "/no/such/page/"), (1, "/questions/ask/")]:
        response = client.get(path, secure=bool(secure))
        headers = sorted(name.lower() for name in response.headers)
        print("probe", json.dumps([response.status_code, headers]))
"""
SECURITY_HEADERS = {
    "content-security-policy",
    "permissions-policy",
    "referrer-policy",
    "x-content-type-options",
    "x-frame-options",
    "cross-origin-opener-policy",
}


def test_production_responses_carry_every_security_header(tmp_path):
    env = production_env(
        SECRET_KEY=secrets.token_urlsafe(48),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        SQLITE_TEST_NAME="",
    )
    env.pop("REDIS_URL", None)
    assert run([sys.executable, "manage.py", "migrate", "-v", "0"], env).returncode == 0
    result = run([sys.executable, "manage.py", "shell", "-c", HEADER_PROBE], env)
    assert result.returncode == 0, result.stderr
    answers = [
        json.loads(line.removeprefix("probe "))
        for line in result.stdout.splitlines()
        if line.startswith("probe ")
    ]
    assert [status for status, _ in answers] == [301, 200, 404, 302], result.stdout
    for status, headers in answers:
        assert set(headers) >= SECURITY_HEADERS, (status, headers)
    for status, headers in answers[1:]:  # over HTTPS
        assert "strict-transport-security" in headers, (status, headers)


# SECRET_KEY: unset, empty, or the key once published as the default.
BAD_KEYS = [{}, {"SECRET_KEY": ""}, {"SECRET_KEY": "  "}, {"SECRET_KEY": PUBLIC_DEFAULT_KEY}]


@pytest.mark.parametrize("key", BAD_KEYS, ids=["unset", "empty", "blank", "public-default"])
def test_it_refuses_to_start_in_production_without_a_secret_key_of_its_own(key):
    result = run([sys.executable, "-c", "import django; django.setup()"], production_env(**key))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr.strip().splitlines()[-1]


def test_the_deployment_checks_fail_with_the_public_default_key():
    env = production_env(SECRET_KEY=PUBLIC_DEFAULT_KEY)
    result = run([sys.executable, "manage.py", "check", "--deploy"], env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_gunicorn_refuses_to_serve_without_a_secret_key():
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    command = [gunicorn, "qasite.wsgi", "--bind", "127.0.0.1:0", "--workers", "1"]
    result = run(command, production_env(HTTPS_ONLY="false"), timeout=60)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_it_needs_a_key_with_debug_on_too():
    """`make run` passes one; nothing falls back to a key published with the code."""
    result = run(
        [sys.executable, "-c", "import django; django.setup()"], production_env(DEBUG="true")
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr.strip().splitlines()[-1]


def test_make_creates_a_private_secret_key_once_and_reuses_it(tmp_path):
    make = ["make", "--no-print-directory", "-f", str(REPO_ROOT / "Makefile"), "-C", str(tmp_path)]
    make += [f"PYTHON={sys.executable}", ".secret_key"]
    env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
    assert run(make, env).returncode == 0
    key_file = tmp_path / ".secret_key"
    key = key_file.read_text().strip()
    assert len(key) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert run(make, env).returncode == 0
    assert key_file.read_text().strip() == key


def test_the_secret_key_file_is_kept_out_of_git():
    result = run(["git", "check-ignore", "-q", ".secret_key"], dict(os.environ))
    assert result.returncode == 0


@pytest.mark.parametrize("variable", ["DEBUG", "HTTPS_ONLY", "BEHIND_TLS_PROXY"])
def test_it_refuses_a_yes_no_variable_it_cannot_read(variable):
    env = production_env(SECRET_KEY=secrets.token_urlsafe(48), **{variable: "maybe"})
    result = run([sys.executable, "manage.py", "check"], env)
    assert result.returncode != 0
    assert f"{variable}='maybe' is not a yes/no value" in result.stderr


@pytest.mark.parametrize(("value", "trusted"), [(None, False), ("false", False), ("yes", True)])
def test_it_trusts_the_forwarded_protocol_only_behind_a_tls_proxy(value, trusted):
    extra = {} if value is None else {"BEHIND_TLS_PROXY": value}
    env = production_env(SECRET_KEY=secrets.token_urlsafe(48), **extra)
    code = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    result = run([sys.executable, "manage.py", "shell", "-c", code], env)
    assert result.returncode == 0, result.stderr
    expected = "('HTTP_X_FORWARDED_PROTO', 'https')" if trusted else "None"
    assert result.stdout.strip().splitlines()[-1] == expected


def test_manage_py_uses_the_local_key_file_when_the_environment_has_none(tmp_path):
    """Local commands (`manage.py makemigrations --check`…) need no exported key; the key file
    is created once, private, and reused."""
    shutil.copy(REPO_ROOT / "manage.py", tmp_path / "manage.py")
    env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
    env.update(PYTHONPATH=str(REPO_ROOT), DEBUG="true", DJANGO_SETTINGS_MODULE="qasite.settings")
    command = [sys.executable, str(tmp_path / "manage.py"), "check"]
    assert run(command, env).returncode == 0
    key_file = tmp_path / ".secret_key"
    key = key_file.read_text().strip()
    assert len(key) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert run(command, env).returncode == 0
    assert key_file.read_text().strip() == key


def test_manage_py_prefers_the_key_in_the_environment(tmp_path):
    shutil.copy(REPO_ROOT / "manage.py", tmp_path / "manage.py")
    env = production_env(SECRET_KEY=secrets.token_urlsafe(48), PYTHONPATH=str(REPO_ROOT))
    assert run([sys.executable, str(tmp_path / "manage.py"), "check"], env).returncode == 0
    assert not (tmp_path / ".secret_key").exists()


def settings_value(expression: str, **variables) -> str:
    """``expression`` evaluated on the settings loaded from ``variables``."""
    env = production_env(SECRET_KEY=secrets.token_urlsafe(48), **variables)
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    result = run([sys.executable, "-c", code], env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_social_providers_come_from_the_environment_and_only_when_set():
    assert (
        settings_value(
            "sorted(settings.SOCIALACCOUNT_PROVIDERS)", GITHUB_CLIENT_ID="", GOOGLE_CLIENT_ID=""
        )
        == "[]"
    )
    configured = settings_value(
        "settings.SOCIALACCOUNT_PROVIDERS['github']['APPS']",
        GITHUB_CLIENT_ID="gh-id",
        GITHUB_CLIENT_SECRET="gh-secret",
    )
    assert configured == "[{'client_id': 'gh-id', 'secret': 'gh-secret'}]"


@pytest.mark.parametrize(("value", "required"), [("", "False"), ("true", "True")])
def test_two_factor_for_moderators_comes_from_the_environment(value, required):
    expression = "settings.QASITE['ACCOUNTS']['MFA_REQUIRED_FOR_STAFF']"
    assert settings_value(expression, REQUIRE_MFA_FOR_MODERATORS=value) == required


CACHE_PROBE = (
    "from django.conf import settings; from django.core.cache import cache; "
    "print('probe', settings.DATABASES['default'].get('OPTIONS', {}).get('pool') is not None, "
    "cache.make_key('page:x'))"
)


def cache_probe(**variables) -> tuple[str, str]:
    """(whether the database is pooled, the cache key of one page) for an environment."""
    env = production_env(SECRET_KEY=secrets.token_urlsafe(48), **variables)
    env.pop("CACHE_KEY_PREFIX", None)
    env.update(variables)
    result = run([sys.executable, "manage.py", "shell", "-c", CACHE_PROBE], env)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("probe "))
    pooled, key = line.split()[1:]
    return pooled, key


def test_two_sites_sharing_one_redis_keep_their_cache_keys_apart():
    redis = "redis://127.0.0.1:6379/0"  # the settings only name it; nothing connects
    sqlite_site = cache_probe(REDIS_URL=redis, DATABASE_URL="sqlite:////srv/a/db.sqlite3")
    postgres_site = cache_probe(REDIS_URL=redis, DATABASE_URL="postgres://db.internal/qasite")
    other_host = cache_probe(REDIS_URL=redis, DATABASE_URL="postgres://db2.internal/qasite")
    same_site = cache_probe(REDIS_URL=redis, DATABASE_URL="postgres://db.internal/qasite")
    keys = {sqlite_site[1], postgres_site[1], other_host[1]}
    assert len(keys) == 3
    assert same_site == postgres_site  # every web host of one site shares its entries
    assert all(key.endswith(":1:page:x") for key in keys)


def test_two_sites_sharing_one_redis_keep_their_task_queues_apart():
    def queues(database_url: str) -> str:
        return settings_value(
            "settings.TASK_QUEUE, *settings.RQ_QUEUES",
            REDIS_URL="redis://127.0.0.1:6379/0",
            DATABASE_URL=database_url,
        )

    one_site = queues("postgres://db.internal/qasite")
    assert one_site == queues("postgres://db.internal/qasite")  # every host of one site
    assert one_site != queues("postgres://db2.internal/qasite")
    assert one_site != queues("sqlite:////srv/a/db.sqlite3")
    task_queue, *configured = one_site.split()
    assert configured == [task_queue] and task_queue != "default"


def test_cache_key_prefix_names_the_deployment_when_set():
    _, key = cache_probe(CACHE_KEY_PREFIX="blue", DATABASE_URL="postgres://db.internal/qasite")
    assert key == "blue:1:page:x"


def test_postgresql_connections_come_from_a_pool():
    assert cache_probe(DATABASE_URL="postgres://db.internal/qasite")[0] == "True"
    assert cache_probe(DATABASE_URL="sqlite:////srv/a/db.sqlite3")[0] == "False"
