"""Writes about users that other apps need."""

from django.db import transaction

from .models import User


def get_system_user(*, name: str) -> User:
    """The non-interactive actor recorded in history for a command or task (e.g. ``system:import_roster``)."""
    username = name if name.startswith("system:") else f"system:{name}"
    with transaction.atomic():
        user, created = User.objects.get_or_create(
            username=username, defaults={"is_active": False, "is_system": True}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
    return user


def resolve_actor(*, username: str | None, command: str) -> User:
    """The user a command acts as: ``--user USERNAME`` when given, else the system user named for it."""
    if username:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise ValueError(f'no user named "{username}"') from exc
    return get_system_user(name=command)
