"""Test settings: the real settings with a cheap hasher, in-memory mail and plain static storage.

DATABASE_URL and REDIS_URL are honoured as in production, so CI runs on PostgreSQL and Redis. Under pytest-xdist
each worker has its own test database (pytest-django adds _gw0, _gw1, ...) and its own Redis database (below).
"""

import os
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-deployment-0123456789abcdef")
os.environ.setdefault("STATIC_MANIFEST", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
os.environ.setdefault("MFA_ENCRYPTION_KEY", "test-only-mfa-encryption-key-not-for-any-deployment")


def _redis_url_of_this_worker(url: str, worker: str) -> str:
    """Each pytest-xdist worker (gw0, gw1, ...) gets its own Redis database: REDIS_URL's number plus its own.

    Workers share the server but never a database, so one worker's ``cache.clear()`` (FLUSHDB) or sign-in rate
    limit (per IP, and every worker is 127.0.0.1) cannot reach into another worker's test.
    """
    parts = urlsplit(url)
    number = int(parts.path.lstrip("/") or 0) + int(worker.removeprefix("gw"))
    if number > 15:  # redis-server's default "databases 16"
        raise ImproperlyConfigured(f"xdist worker {worker} would use Redis database {number} of {url}: "
                                   "choose a lower database in REDIS_URL or fewer workers (-n)")
    return urlunsplit(parts._replace(path=f"/{number}"))


if os.environ.get("REDIS_URL") and os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ["REDIS_URL"] = _redis_url_of_this_worker(os.environ["REDIS_URL"], os.environ["PYTEST_XDIST_WORKER"])

from .settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
OUTBOX_SCHEDULE_COALESCE_SECONDS = 0  # an eager task runs at once, so a later row would wait for beat's tick
SECURE_HSTS_SECONDS = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"]["ENGINE"] = "ledsadmin.test_postgresql"  # noqa: F405  a flush in milliseconds (see there)
