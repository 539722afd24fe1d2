"""Writes to the rule table (history kept)."""

from django.db import transaction

from common.history import stamp


def update_rule(*, setting, data: dict, actor):
    with transaction.atomic():
        for field, value in data.items():
            setattr(setting, field, value)
        setting.full_clean()
        stamp(setting, actor=actor, reason="Rule table edited")
        setting.save()
    return setting
