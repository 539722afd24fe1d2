"""PDF output shared by every app that prints (roster sheets, signed certifications, audit packets).

WeasyPrint renders an HTML template from ``templates/pdf/`` that extends ``pdf/base.html`` (the print
stylesheet: Letter pages, repeated table headers, "page X of Y" in the footer). Long documents are rendered in
parts and merged by the caller (see the audit packet), because WeasyPrint holds a whole document in memory.
"""

from django.http import HttpResponse
from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict | None = None, *, request=None) -> bytes:
    """Render ``template_name`` with ``context`` to PDF bytes."""
    from weasyprint import HTML  # imported late: it loads pango, which only PDF paths need

    html = render_to_string(template_name, context or {}, request=request)
    return HTML(string=html).write_pdf()


def pdf_response(content: bytes, *, filename: str, inline: bool = False) -> HttpResponse:
    """Answer with ``content`` as ``filename`` (with its .pdf), as a download unless ``inline``."""
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def page_count(source) -> int:
    """Pages in a PDF given as bytes or a path."""
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(source) if isinstance(source, bytes) else source).pages)


def stamp_page_numbers(writer, *, first: int = 1, total: int | None = None, label: str = "Page {page} of {pages}",
                       chunk: int = 400) -> None:
    """Write "Page X of Y" on every page of a pypdf ``writer`` (parts rendered separately, then merged).

    WeasyPrint can only count the pages of the document it lays out, so a document rendered in parts numbers
    them here: an overlay of near-empty pages with just the number (``pdf/_page_numbers.html``), rendered in
    chunks so memory stays flat, is merged onto each page. ``first``: the number of the first page.
    """
    import io

    from pypdf import PdfReader

    pages = len(writer.pages)
    total = total or pages + first - 1
    for start in range(0, pages, chunk):
        numbers = [label.format(page=first + i, pages=total) for i in range(start, min(start + chunk, pages))]
        overlay = PdfReader(io.BytesIO(render_pdf("pdf/_page_numbers.html", {"numbers": numbers})))
        for offset, overlay_page in enumerate(overlay.pages):
            writer.pages[start + offset].merge_page(overlay_page)


def write_pdf_file(html: str, path: str) -> int:
    """Lay out ``html`` into the PDF file ``path`` and return its page count (runs in a render worker too)."""
    from weasyprint import HTML

    HTML(string=html).write_pdf(path)
    return page_count(path)


def serve_render_jobs() -> None:
    """A render worker's loop (``PartRenderer``): read "HTML path<TAB>PDF path" lines, answer with page counts."""
    import sys

    for line in sys.stdin:
        html_path, pdf_path = line.rstrip("\n").split("\t")
        try:
            with open(html_path, encoding="utf-8") as handle:
                pages = write_pdf_file(handle.read(), pdf_path)
        except Exception as error:  # reported to the caller, which raises it
            print(f"ERR {type(error).__name__}: {error}".replace("\n", " "), flush=True)
        else:
            print(pages, flush=True)


class PartRenderer:
    """Render the parts of a long document to files, in ``workers`` processes (1: here, one after the other).

    WeasyPrint is pure Python: one document lays out on one core. The parts of a long document are
    independent, so worker interpreters lay them out side by side. They are plain child processes
    (``subprocess``), not ``multiprocessing``, because a Celery prefork worker is a daemonic process and may not
    start a multiprocessing pool; they share no database connection and need no Django. ``submit`` writes the
    part's HTML next to its PDF, waits for a free worker if all are busy (so memory stays flat) and returns a
    ``concurrent.futures.Future`` whose result is the part's page count, settled by ``drain()`` (or a later
    ``submit``). Use as a context manager; leaving it drains.
    """

    def __init__(self, workers: int = 1):
        self.workers = max(1, workers)
        self._idle: list = []
        self._busy: dict = {}  # worker process -> (future, html path)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        try:
            if exc[0] is None:
                self.drain()
        finally:
            for process in self._idle + list(self._busy):
                process.stdin.close()
                process.wait(timeout=30)
        return False

    def drain(self) -> None:
        """Wait until every submitted part is laid out (their futures are settled)."""
        while self._busy:
            self._collect_one()

    def _start_worker(self):
        import subprocess
        import sys
        from pathlib import Path

        root = str(Path(__file__).resolve().parent.parent)
        return subprocess.Popen(
            [sys.executable, "-c", "from common.pdf import serve_render_jobs; serve_render_jobs()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=root, bufsize=1)

    def _collect_one(self) -> None:
        """Wait for any busy worker to answer, and settle its future."""
        import os
        import selectors

        with selectors.DefaultSelector() as selector:
            for process in self._busy:
                selector.register(process.stdout, selectors.EVENT_READ, process)
            key, _ = selector.select()[0]
        process = key.data
        future, html_path = self._busy.pop(process)
        answer = process.stdout.readline().strip()
        os.unlink(html_path)
        if answer.isdigit():
            self._idle.append(process)
            future.set_result(int(answer))
        else:
            if process.poll() is None:
                self._idle.append(process)
            future.set_exception(RuntimeError(answer.removeprefix("ERR ") or "a render worker stopped"))

    def submit(self, html: str, path: str):
        from concurrent.futures import Future

        future = Future()
        if self.workers == 1:
            future.set_result(write_pdf_file(html, path))
            return future
        if not self._idle and len(self._busy) < self.workers:
            self._idle.append(self._start_worker())
        while not self._idle:
            self._collect_one()
        process = self._idle.pop()
        html_path = f"{path}.html"
        with open(html_path, "w", encoding="utf-8") as handle:
            handle.write(html)
        self._busy[process] = (future, html_path)
        process.stdin.write(f"{html_path}\t{path}\n")
        process.stdin.flush()
        return future
