"""Celery tasks for the security log (R-SEC-5): thin callers of accounts.security_log."""

import logging

from celery import shared_task

from . import security_log
from .services import get_system_user

log = logging.getLogger(__name__)


@shared_task(name="accounts.verify_security_log")
def verify_security_log() -> bool:
    """Nightly: walk the hash chain; a break is logged as an error for the operators' alerting."""

    result = security_log.verify()
    if not result.ok:
        log.error("security log BROKEN at row #%s: %s", result.broken_id, result.reason)
    return result.ok


@shared_task(name="accounts.prune_security_log")
def prune_security_log() -> int:
    """Weekly: remove rows past the retention (never younger than a year), leaving a checkpoint row."""

    return security_log.prune(actor=get_system_user(name="prune_security_log"))
