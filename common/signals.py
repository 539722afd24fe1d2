"""Signals shared by every app (the base layer: it knows no domain app).

``records_changed``: a write that bypasses ``save()`` — ``bulk_create``/``bulk_update`` (with or without
history), ``QuerySet.update()``, an m2m change done by hand, raw SQL — says whose records it changed, inside its
own transaction. compliance/staleness.py listens and marks the stored obligations stale (issue 23); a
``save()`` of a watched model needs no call (its history row does it).

    records_changed.send(sender=StateAccount, person_ids=[...])       # these people's records
    records_changed.send(sender=Person, agency_ids=[agency.pk])        # a whole agency (an import)
"""

from django.dispatch import Signal

records_changed = Signal()  # kwargs: person_ids=iterable of Person pks, agency_ids=iterable of Agency pks
