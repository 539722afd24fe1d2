"""The custom user model (from the first migration, so later changes need no swap)."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A sign-in. It may link to one Person (people.Person.user); roles come from memberships."""

    is_system = models.BooleanField(
        default=False, help_text="A non-interactive user named for a command, recorded as the actor in history."
    )

    class Meta:
        ordering = ["username"]

    def __str__(self):
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username
