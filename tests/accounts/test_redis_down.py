"""While Redis is down, sign-in, password reset and every page work; the lockout holds (issue 18).

A private redis-server on a spare port serves as the cache, then the test stops it. The cache fails open
(ledsadmin/cache.py); allauth's rate limits pause; the lockout lives in the database.
"""

import pytest

from tests.processes import PrivateRedis

pytestmark = [pytest.mark.redis, pytest.mark.django_db]


def test_redis_down_sign_in_password_reset_and_pages_work_and_lockout_holds(world, client, settings, tmp_path,
                                                                           mailoutbox):
    from django.urls import reverse

    from accounts.models import AccountLock
    from notifications.services import schedule_delivery
    from tests.accounts.conftest import password_step, sign_in

    redis = PrivateRedis(tmp_path)
    redis.start()
    settings.CACHES = {"default": {"BACKEND": "ledsadmin.cache.FailOpenRedisCache", "LOCATION": redis.url,
                                   "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1}}}
    from django.core.cache import cache

    cache.set("probe", 1)
    assert cache.get("probe") == 1  # the cache is that Redis
    redis.stop()

    assert cache.get("probe") is None and cache.add("k", 1) is True  # reads miss, add succeeds: fail open
    assert sign_in(client, world.users["leds_rep"]).status_code == 302
    for name in ("home", "compliance:dashboard", "people:roster", "notifications:outbox"):
        assert client.get(reverse(name)).status_code == 200, name
    client.logout()
    assert client.post(reverse("account_reset_password"), {"email": world.users["employee"].email}).status_code == 302
    assert len(mailoutbox) == 1
    # the lockout lives in the database: it holds while Redis is down
    responses = [password_step(client, "laso", "not the password") for _ in range(5)]
    assert [r.status_code for r in responses] == [200] * 4 + [429]
    assert password_step(client, "laso").status_code == 429
    assert AccountLock.objects.filter(username="laso", unlocked_at__isnull=True).exists()
    # A request that queues e-mail waits for the broker only briefly (the time is measured by bench/reminders.py)
    assert settings.CELERY_BROKER_CONNECTION_TIMEOUT <= 1
    assert settings.REDIS_CONNECT_TIMEOUT <= 1
    schedule_delivery()  # never raises: beat's tick delivers what could not be scheduled


def test_the_broker_connect_timeout_is_short():
    """Celery's publish gives up after about a second while the broker is down (kombu's default is 4 s + retries)."""
    from ledsadmin.celery import app

    assert app.conf.broker_connection_timeout <= 1
    options = app.conf.broker_transport_options
    assert options["socket_connect_timeout"] <= 1 and options["max_retries"] <= 1
    assert options["interval_start"] + options["max_retries"] * options["interval_max"] <= 0.5
