"""PostgreSQL for the test suite (ledsadmin/settings_test.py): Django's backend with a cheaper flush.

A transactional test (``django_db(transaction=True)``: browser, worker and race tests) ends with ``flush``.
Django empties the ~130 tables with one ``TRUNCATE``, which gives every table and index a new file: about a
second on a test database that holds a few dozen rows. ``DELETE FROM`` each table, in the one transaction the
flush command opens, empties the same tables in a few milliseconds. Every foreign key Django creates is
``DEFERRABLE INITIALLY DEFERRED``, so the order of the tables does not matter; we have no triggers, so nothing
else fires. Sequences are not reset by either (``reset_sequences`` and a partial flush with ``CASCADE`` keep
Django's own statement).
"""

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
