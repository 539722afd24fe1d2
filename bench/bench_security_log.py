"""How fast the security log appends (one writer and four at once), verifies and prunes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_security_log.py [ROWS]

Runs on a scratch PostgreSQL database (bench/_scratch.py) and prints a table.
"""

from __future__ import annotations

import sys
import threading
import time

from _scratch import print_table, scratch_database

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 20000


def main() -> None:
    with scratch_database("bench_seclog"):
        from datetime import timedelta

        from django.db import connections
        from django.utils import timezone

        from accounts import security_log
        from accounts.models import SecurityEvent

        Kind = SecurityEvent.Kind
        results: list[tuple[str, object]] = []

        started = time.perf_counter()
        for i in range(2000):
            security_log.record(event=Kind.SIGN_IN, actor_username=f"user{i % 50}", target=f"user:user{i % 50}",
                                details={"methods": ["password", "totp"]})
        elapsed = time.perf_counter() - started
        results.append(("append, 1 writer (rows/s)", f"{2000 / elapsed:,.0f}"))

        per_thread = 500

        def writer(n):
            for i in range(per_thread):
                security_log.record(event=Kind.SIGN_IN_FAILED, actor_username=f"w{n}", target=f"row {i}")
            connections.close_all()

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        results.append(("append, 4 writers at once (rows/s)", f"{4 * per_thread / elapsed:,.0f}"))
        forks = SecurityEvent.objects.count() - SecurityEvent.objects.values("prev_hash").distinct().count()
        results.append(("rows sharing a previous hash (forks)", forks))

        # fill up to ROWS quickly with the real function's chain, then time verification
        while SecurityEvent.objects.count() < ROWS:
            security_log.record(event=Kind.ADMIN_ACTION, target="filler")
        started = time.perf_counter()
        result = security_log.verify()
        elapsed = time.perf_counter() - started
        results.append((f"verify {result.rows:,} rows (s)", f"{elapsed:.2f} ({result.rows / elapsed:,.0f} rows/s)"))
        results.append(("verify result", "OK" if result.ok else f"BROKEN at #{result.broken_id}"))

        # age the oldest half past the retention, re-chain them as if written then, and prune
        half = SecurityEvent.objects.order_by("id").values_list("id", flat=True)[ROWS // 2]
        SecurityEvent.objects.filter(id__lt=half).update(occurred_at=timezone.now() - timedelta(days=400))
        prev = security_log.GENESIS_HASH
        changed = []
        for row in SecurityEvent.objects.order_by("id").iterator(chunk_size=5000):
            row.prev_hash = prev
            row.hash = security_log._row_hash(row)
            prev = row.hash
            changed.append(row)
        SecurityEvent.objects.bulk_update(changed, ["prev_hash", "hash"], batch_size=5000)
        from accounts.models import SecurityLogHead

        SecurityLogHead.objects.filter(pk=1).update(last_hash=prev)
        started = time.perf_counter()
        removed = security_log.prune(actor=None)
        elapsed = time.perf_counter() - started
        results.append((f"prune {removed:,} rows older than a year (s)", f"{elapsed:.2f}"))
        after = security_log.verify()
        results.append(("verify after prune", f"{'OK' if after.ok else 'BROKEN'} ({after.rows:,} rows)"))
        print_table(results)


if __name__ == "__main__":
    main()
