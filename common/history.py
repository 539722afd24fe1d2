"""Helpers for django-simple-history: the acting user and the reason on every service write (R-AU-2)."""


def stamp(instance, *, actor, reason: str):
    """Record who makes the next save of ``instance`` and why (read by simple-history)."""
    if actor is not None:
        instance._history_user = actor
    instance._change_reason = reason
    return instance
