"""Work on long lists a batch at a time (imports, the obligations refresh, the audit packet's pages)."""

from collections.abc import Iterable, Iterator


def chunked(rows: Iterable, size: int) -> Iterator[list]:
    """``rows`` in lists of ``size`` (the last one shorter); nothing for no rows."""
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
