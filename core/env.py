"""Reading configuration from environment variables (the settings module uses these)."""

import hashlib
import os

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    """A yes/no variable; unset or empty means ``default``. Any other word stops startup,
    naming the variable, rather than being read silently as "no"."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in TRUE_WORDS | FALSE_WORDS:
        return value in TRUE_WORDS
    raise ImproperlyConfigured(
        f"{name}={os.environ[name]!r} is not a yes/no value: use one of "
        f"{', '.join(sorted(TRUE_WORDS))} or {', '.join(sorted(FALSE_WORDS))}."
    )


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_text(name: str, default: str) -> str:
    """A line of text; unset or blank means ``default``."""
    return " ".join(os.environ.get(name, "").split()) or default


def env_url(name: str, default: str) -> str:
    """An absolute http(s) URL without a trailing slash (the site's address in emails);
    anything else stops startup, naming the variable."""
    value = os.environ.get(name, "").strip() or default
    if not value.startswith(("http://", "https://")) or len(value.split("//", 1)[1]) == 0:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not an absolute URL: use e.g. https://qasite.example"
        )
    return value.rstrip("/")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None


def s3_media() -> tuple[dict, str] | None:
    """The default storage and ``MEDIA_URL`` for an S3-compatible bucket (django-storages)
    when ``AWS_STORAGE_BUCKET_NAME`` is set, else None (local media). README, "Uploaded
    files on S3": the keys, the endpoint of a non-AWS store, the region, and the public
    address images are served from (a CDN or the bucket's own)."""
    bucket = os.environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        return None
    endpoint = os.environ.get("AWS_S3_ENDPOINT_URL", "").strip()
    region = os.environ.get("AWS_S3_REGION_NAME", "").strip()
    domain = os.environ.get("AWS_S3_CUSTOM_DOMAIN", "").strip().rstrip("/")
    options = {
        "bucket_name": bucket,
        # Public, stable URLs: images are embedded in pages the anonymous cache shares.
        "querystring_auth": False,
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
    }
    if endpoint:
        options["endpoint_url"] = env_url("AWS_S3_ENDPOINT_URL", endpoint)
    if region:
        options["region_name"] = region
    for name, key in (("AWS_ACCESS_KEY_ID", "access_key"), ("AWS_SECRET_ACCESS_KEY", "secret_key")):
        value = os.environ.get(name, "").strip()
        if value:
            options[key] = value
    if domain:
        media_url = f"{domain if '//' in domain else 'https://' + domain}/"
    elif endpoint:
        options["addressing_style"] = "path"
        media_url = f"{options['endpoint_url']}/{bucket}/"
    else:
        host = f"s3.{region}.amazonaws.com" if region else "s3.amazonaws.com"
        media_url = f"https://{bucket}.{host}/"
    # The storage's URLs are MEDIA_URL's, which the CSP's img-src allows (core.security).
    scheme, rest = media_url.split("//", 1)
    options["custom_domain"] = rest.rstrip("/")
    options["url_protocol"] = scheme or "https:"
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}, media_url


def cache_key_prefix(database: dict) -> str:
    """The deployment's namespace in a shared cache (README, "Speed"): ``CACHE_KEY_PREFIX``
    when set, else a digest of the database it serves (engine, name, host and port), so two
    sites pointed at one Redis never read each other's pages, while every web host of one
    site (same database) shares its entries."""
    given = os.environ.get("CACHE_KEY_PREFIX", "").strip()
    if given:
        return given
    where = "|".join(str(database.get(key) or "") for key in ("ENGINE", "NAME", "HOST", "PORT"))
    return "qasite-" + hashlib.sha256(where.encode()).hexdigest()[:12]
