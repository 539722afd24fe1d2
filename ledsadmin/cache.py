"""The cache fails open: while Redis is down the site keeps working (issue 18).

Every read misses, every write is skipped and ``add`` succeeds, so allauth's rate limits (kept in the cache)
pause instead of answering 500 to sign-in and password reset; the lockout after failed sign-ins lives in the
database (axes) and stays enforced. After a failure the process leaves Redis alone for
``REDIS_RETRY_SECONDS`` (5 s by default), so a request pays the connect timeout at most once per that time.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

log = logging.getLogger(__name__)


class _Breaker:
    """Per-process memory of "Redis was unreachable until ..." for one cache location."""

    def __init__(self):
        self.down_until = 0.0
        self.lock = threading.Lock()

    def closed(self) -> bool:
        return time.monotonic() >= self.down_until

    def trip(self, exc):
        with self.lock:
            first = self.closed()
            self.down_until = time.monotonic() + getattr(settings, "REDIS_RETRY_SECONDS", 5)
        if first:
            log.warning("Cache (Redis) unreachable, working without it: %s", exc)


def _fail_open(name: str, fallback):
    def method(self, *args, **kwargs):
        if not self._breaker.closed():
            return fallback(*args, **kwargs)
        try:
            return getattr(super(FailOpenRedisCacheClient, self), name)(*args, **kwargs)
        except self._lib.exceptions.RedisError as exc:  # ConnectionError, TimeoutError, BusyLoadingError ...
            self._breaker.trip(exc)
            return fallback(*args, **kwargs)

    method.__name__ = name
    return method


class FailOpenRedisCacheClient(RedisCacheClient):
    # what each call answers while Redis is unreachable (the arguments as RedisCacheClient receives them)
    add = _fail_open("add", lambda key, value, timeout: True)
    get = _fail_open("get", lambda key, default: default)
    set = _fail_open("set", lambda key, value, timeout: None)
    touch = _fail_open("touch", lambda key, timeout: False)
    delete = _fail_open("delete", lambda key: False)
    get_many = _fail_open("get_many", lambda keys: {})
    has_key = _fail_open("has_key", lambda key: False)
    incr = _fail_open("incr", lambda key, delta: delta)
    set_many = _fail_open("set_many", lambda data, timeout: [])
    delete_many = _fail_open("delete_many", lambda keys: None)
    clear = _fail_open("clear", lambda: False)


_breakers: dict[str, _Breaker] = {}


class FailOpenRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` that answers like an empty cache while Redis is down."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = FailOpenRedisCacheClient

    @property
    def _cache(self):
        client = self.__dict__.get("_client_instance")
        if client is None:
            client = self._class(self._servers, **self._options)
            client._breaker = _breakers.setdefault(",".join(self._servers), _Breaker())
            self.__dict__["_client_instance"] = client
        return client
