"""Settings, read from the environment (see README: DATABASE_URL, REDIS_URL, SECRET_KEY, DEBUG,
ALLOWED_HOSTS, SITE_URL, EMAIL_*). Without any variable set the site runs embedded: SQLite,
local-memory cache, background tasks in process, email printed to the console."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from core.env import cache_key_prefix, env_bool, env_int, env_list, env_url, s3_media

BASE_DIR = Path(__file__).resolve().parent.parent


DEBUG = env_bool("DEBUG", False)
# Sessions and signed values derive from SECRET_KEY: it is the deployment's own secret, set
# in the environment, the same on every web host of one site, and never published. There is
# no fallback: `make run` and `make serve` generate one into .secret_key (outside git).
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip()
# Keys published with the code: accepted with DEBUG on (local use), refused in production.
PUBLIC_SECRET_KEYS = {"django-insecure-local-development-key-not-for-production"}
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set it in the environment to a long random secret shared by "
        "every web host of the site, e.g. from python -c 'import secrets; "
        "print(secrets.token_urlsafe(50))'; `make run` and `make serve` create one in "
        ".secret_key."
    )
if not DEBUG and SECRET_KEY in PUBLIC_SECRET_KEYS:
    raise ImproperlyConfigured(
        "SECRET_KEY is a key published with the code: set the site's own secret in the "
        "environment when DEBUG is off."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "taggit",
    "django_filters",
    "django_rq",
    "csp",
    # Accounts: sign-up, login, email verification, social login, two-factor (django-allauth).
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.github",
    "allauth.socialaccount.providers.google",
    "allauth.mfa",
    # The API (Django REST framework; its OpenAPI schema by drf-spectacular, the docs page's
    # files from drf-spectacular-sidecar, served locally).
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # The project's apps, bottom to top (docs/architecture.md).
    "core",
    "accounts",
    "threads",
    "moderation",
    "notifications",
    "dumps",
    "demo",
    "desk",
    "privacy",
    "editor",
    "api",
    "webhooks",
    "feeds",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # Request counts and latency for /metrics/ (django-prometheus): first and last, so they
    # time everything in between (README, "Operations").
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response, error pages and
    # redirects included, the HTTPS redirect too: outermost, so nothing answers around them
    # (docs/architecture.md, "Security headers").
    "core.security.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.UnreadableInputMiddleware",
    # Cached pages for visitors without a session, before the rest (threads.middleware).
    "threads.middleware.CachedPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A logged-in member's last_seen, at most every few minutes (one UPDATE when stale).
    "accounts.middleware.LastSeenMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Moderators and staff enrol in two-factor first, when the site requires it.
    "accounts.middleware.MfaEnrolmentMiddleware",
    "core.middleware.RateLimitMiddleware",
    # A member with an unacknowledged moderator message sees it before any other page.
    "desk.middleware.BlockingNoticeMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "qasite.urls"
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"
WSGI_APPLICATION = "qasite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + IMMEDIATE transactions + a busy timeout: a threaded dev server never sees
    # "database is locked" (docs/architecture.md, Decisions: "SQLite for the embedded site").
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL: each process keeps a pool of open connections (psycopg_pool) that a
    # request borrows without a round trip; a persistent connection with health checks paid
    # a "SELECT 1" on every request (README, "Speed"). Pooling replaces CONN_MAX_AGE.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": env_int("DATABASE_POOL_SIZE", 4),
        "timeout": 10,
    }
    # The hottest fixed-shape reads run as statements each pooled connection prepares once
    # (``core.db``); Django's other queries bind on the client and are never prepared.
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# Logins go through allauth (username or email); ``accounts.auth.AuthenticationBackend``
# extends its backend with the one-query ``get_user``. The other entries only keep sessions
# that name them: ``accounts.auth.ModelBackend`` (logins before allauth) and
# ``qasite.auth.ModelBackend`` (before the User moved to accounts, qasite/auth.py).
AUTHENTICATION_BACKENDS = [
    "accounts.auth.AuthenticationBackend",
    "accounts.auth.ModelBackend",
    "qasite.auth.ModelBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# django-allauth (docs/architecture.md, "Accounts"; docs/rules.md, "Accounts").
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapter.SocialAccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm", "signup": "accounts.forms.SignupForm"}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
# Unverified members log in and read; posting waits for the address
# (QASITE["ACCOUNTS"]["VERIFIED_EMAIL_TO_POST"]).
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD = "phone_number"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[qasite] "
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # a provider's address never logs into an account
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_QUERY_EMAIL = True
SOCIALACCOUNT_STORE_TOKENS = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "qasite"
# Social login: a provider is offered only when its client id and secret are set.
SOCIALACCOUNT_PROVIDERS = {
    provider: {
        "APPS": [
            {
                "client_id": os.environ[f"{prefix}_CLIENT_ID"].strip(),
                "secret": os.environ.get(f"{prefix}_CLIENT_SECRET", "").strip(),
            }
        ],
        **extra,
    }
    for provider, prefix, extra in (
        ("github", "GITHUB", {"SCOPE": ["read:user", "user:email"]}),
        ("google", "GOOGLE", {"SCOPE": ["profile", "email"]}),
    )
    if os.environ.get(f"{prefix}_CLIENT_ID", "").strip()
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Every key carries the deployment's namespace (CACHE_KEY_PREFIX, else a digest of the
# database): two sites sharing one Redis never see each other's pages (README, "Speed").
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": cache_key_prefix(DATABASES["default"]),
    }
    if os.environ.get("REDIS_URL")
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "KEY_PREFIX": cache_key_prefix(DATABASES["default"]),
    },
    # Each process's own copy of entries whose key names everything they show (shared
    # fragments, a question as of its version): read without a round trip to Redis
    # (threads.cache.immutable_cached; docs/architecture.md, "Clock and cache").
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "qasite-local",
        "KEY_PREFIX": cache_key_prefix(DATABASES["default"]),
        "TIMEOUT": 60,
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}

# Background tasks (email of notifications) go through RQ on the same Redis; without it they
# run in the process, after the commit (notifications.mail_queue). The queue is named after
# the deployment's namespace, as the cache keys are: two sites sharing one Redis never run
# each other's jobs, while every host of one site shares its queue (`manage.py worker`).
TASK_QUEUE = cache_key_prefix(DATABASES["default"])
RQ_QUEUES = (
    {TASK_QUEUE: {"URL": os.environ["REDIS_URL"], "DEFAULT_TIMEOUT": 300}}
    if os.environ.get("REDIS_URL")
    else {}
)

# Sessions are read through the cache only when it is shared (Redis): a per-process cache
# would keep a logged-out session alive in the other workers.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db" if os.environ.get("REDIS_URL") else "accounts.auth"
)

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (avatars) go through Django's storage API (``default_storage``); the site
# serves stored images itself with DEBUG on or off (core.views.media_image).
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", "").strip() or BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Files only their owner may download, through a view that checks it (the data
    # exports): outside every public URL (docs/rules.md, "Your data").
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": os.environ.get("PRIVATE_ROOT", "").strip() or str(BASE_DIR / "private"),
            "base_url": "/private-files-are-never-served/",
        },
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# With AWS_STORAGE_BUCKET_NAME set, uploads go to that S3-compatible bucket (django-storages)
# and are served from its address (README, "Uploaded files on S3"); the CSP's img-src follows
# MEDIA_URL (core.security).
if (_s3 := s3_media()) is not None:
    STORAGES["default"], MEDIA_URL = _s3
WHITENOISE_USE_FINDERS = DEBUG

# HTTPS-only behaviour is on whenever DEBUG is off; `make serve` (plain http on localhost)
# switches it off through HTTPS_ONLY=false.
HTTPS_ONLY = env_bool("HTTPS_ONLY", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS_ONLY
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
SECURE_HSTS_SECONDS = 31536000 if HTTPS_ONLY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS_ONLY
SECURE_HSTS_PRELOAD = HTTPS_ONLY
# Trust X-Forwarded-Proto only behind a TLS-terminating proxy that sets it: anywhere else a
# client could send the header and pass a plain-http request off as https.
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None

# Security headers (docs/architecture.md, "Security headers"). Django's SecurityMiddleware
# sends the first three; django-csp and django-permissions-policy the other two.
SECURE_REFERRER_POLICY = "same-origin"  # other sites are not told which page linked to them
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline scripts, no inline styles, no style="" attributes, no on…= handlers: every script
# and stylesheet is a static file. img-src also gets MEDIA_URL's origin when it is absolute
# (core.security). form-action lists the OAuth providers' authorisation pages because a social
# login starts with a POST to this site that redirects there, and browsers check form-action
# on that redirect too: a new provider adds its origin here.
OAUTH_AUTHORIZE_ORIGINS = ["https://github.com", "https://accounts.google.com"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # 'report-sample' allows nothing: a violation report then quotes what was blocked.
        "script-src": ["'self'", "'report-sample'"],
        "style-src": ["'self'", "'report-sample'"],
        # data: for the two-factor setup page's QR code (allauth draws it as a data: image).
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", *OAUTH_AUTHORIZE_ORIGINS],
    },
}
# Browser features the site never uses are denied to it and to anything it might embed.
# (Passkeys, publickey-credentials-*, stay allowed for two-factor sign-in.)
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
# allauth's rate limits count per client address: behind the proxy, the one it appended to
# X-Forwarded-For.
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if BEHIND_TLS_PROXY else 0

TAGGIT_CASE_INSENSITIVE = True

# The site's public address: emails link to it (absolute URLs, unsubscribe links).
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000")
# Email: SMTP when EMAIL_HOST is set, otherwise printed to the console (make run, make serve);
# the tests use Django's local-memory outbox. EMAIL_BACKEND overrides both.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "").strip()
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "").strip() or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = EMAIL_HOST or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_SSL:
    EMAIL_USE_TLS = False  # implicit TLS (port 465) and STARTTLS exclude each other
# A mail server that does not answer fails the send (and the task retries) instead of
# holding a worker.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "qasite <noreply@localhost>")

# /metrics/ (core.operations) answers only a scraper sending this as a Bearer token; unset,
# it is a 404 (README, "Operations").
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "").strip()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Every threshold, limit and reputation amount of the domain (docs/rules.md): qasite/policy.py.
from qasite.policy import QASITE  # noqa: E402

ACCOUNT_RATE_LIMITS = QASITE["ACCOUNTS"]["RATE_LIMITS"]

# The API (docs/architecture.md, "The API"): JSON in and out; a personal access token
# (Authorization: Bearer) or the member's own session; refusals as JSON (api.errors).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ReadOrScoped"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "qasite API",
    "DESCRIPTION": "Questions, answers, moderation: the same rules as the site's pages.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
