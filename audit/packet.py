"""Assemble the audit packet: sections rendered part by part, a summary and contents, numbers stamped after.

WeasyPrint keeps a whole document in memory while it lays it out, so each section part is rendered alone to a
file in a scratch directory and the parts are merged with pypdf. Page numbers across the packet ("page X of Y")
and the contents' page numbers are known only after every part is rendered: the front matter (summary and
contents) is rendered last, with the sections' start pages, and the numbers are stamped on at the end
(common.pdf.stamp_page_numbers). Measured: see bench/audit_packet.py.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from audit.models import Audit
from common.pdf import PartRenderer, page_count, render_pdf, stamp_page_numbers
from compliance import engine
from compliance.registry import obligation_label, obligation_names
from compliance.selectors import agency_compliance
from people.models import Membership, Person

from .sections import CHUNK_ROWS, HISTORY_PDF_ROWS, SECTIONS, PacketScope
from .selectors import audit_status

FRONT_TEMPLATE = "pdf/audit/front.html"
STATUSES = ("overdue", "due_soon", "open", "done", "not_required")
# parts laid out side by side (AUDIT_PACKET_RENDER_WORKERS; 1 renders in this process). Two, for two cores.
RENDER_WORKERS = min(2, os.cpu_count() or 1)


@dataclass
class Built:
    path: Path
    pages: int
    sections: list[dict]  # number, key, title, pages, parts, seconds, start_page
    timings: dict[str, float]  # front matter, merge, page numbers (seconds)


def cover_figures(*, agency, today) -> dict:
    """The first page's figures, from the engine over every person of the agency, separated people included —
    the same people and the same function as the dashboard and compliance_report, so they agree cell for cell:
    per obligation and status, per verdict (R-PE-3), and who must be suspended or is not yet eligible, with
    their reasons (an auditor may read background reasons, R-BG-4)."""

    people = Person.objects.filter(agency=agency)
    counts = {name: dict.fromkeys(STATUSES, 0) for name in obligation_names()}
    verdicts = dict.fromkeys(engine.VERDICTS, 0)
    attention = []
    for result in agency_compliance(people=people, agency=agency, today=today):
        verdict = result.verdict
        verdicts[verdict.code] += 1
        for obligation in result.obligations:
            row = counts.setdefault(obligation.obligation, dict.fromkeys(STATUSES, 0))
            row[obligation.status] += 1
        if verdict.code in (engine.MUST_BE_SUSPENDED, engine.NOT_YET_ELIGIBLE):
            attention.append({"name": result.person.name, "employee_id": result.person.employee_id,
                              "code": verdict.code, "verdict": verdict.short_label,
                              "reasons": [o.reason for o in verdict.reasons]})
    attention.sort(key=lambda r: (engine.VERDICTS.index(r["code"]), r["name"], r["employee_id"]))
    return {
        "figures": [(obligation_label(name), [row[s] for s in STATUSES]) for name, row in counts.items()],
        "counts": counts, "verdict_counts": verdicts,
        "verdict_rows": [(engine.VERDICT_LABELS[code], verdicts[code]) for code in engine.VERDICTS],
        "people_count": sum(verdicts.values()), "separated_count": verdicts[engine.SEPARATED],
        "suspended": verdicts[engine.MUST_BE_SUSPENDED], "attention": attention,
    }


def _front_context(scope: PacketScope, sections: list[dict], front_pages: int) -> dict:
    holders = {}
    for role, is_alternate, user_first, user_last, username, person_first, person_last in Membership.objects.filter(
            agency=scope.agency, role__in=[Membership.Role.LEDS_REPRESENTATIVE, Membership.Role.LASO]).order_by(
            "is_alternate", "pk").values_list("role", "is_alternate", "user__first_name", "user__last_name",
                                              "user__username", "user__person__first_name", "user__person__last_name"):
        name = (f"{person_first} {person_last}" if person_last else f"{user_first} {user_last}".strip()) or username
        holders.setdefault(role, []).append(name + (" (alternate)" if is_alternate else ""))
    today = scope.end
    cover = cover_figures(agency=scope.agency, today=today)

    status = audit_status(audits=Audit.objects.filter(agency=scope.agency), today=today)
    start_page = front_pages + 1
    for section in sections:
        section["start_page"] = start_page
        start_page += section["pages"]
    return {
        "agency": scope.agency, "start": scope.start, "end": scope.end, "generated_at": scope.local(scope.generated_at),
        "leds_representatives": holders.get(Membership.Role.LEDS_REPRESENTATIVE, []),
        "lasos": holders.get(Membership.Role.LASO, []),
        **cover, "sections": sections, "audit_status": status,
        "attachments": scope.attachments, "total_pages": start_page - 1,
    }


def build(*, agency, start, end, generated_at: datetime | None = None, workdir: Path,
          progress: Callable[[int, str], None] = lambda percent, step: None, history_pdf_rows: int | None = None,
          chunk_rows: int | None = None) -> Built:
    """Build the packet of ``agency`` for ``start``..``end`` into ``workdir``; report progress 0-99 as it goes."""
    from pypdf import PdfReader, PdfWriter

    scope = PacketScope(agency=agency, start=start, end=end, generated_at=generated_at or timezone.now(),
                        workdir=workdir)
    # read at build time, so a deployment (or a test) can move them in settings
    scope.history_pdf_rows = history_pdf_rows or getattr(settings, "AUDIT_PACKET_HISTORY_ROWS", HISTORY_PDF_ROWS)
    scope.chunk_rows = chunk_rows or getattr(settings, "AUDIT_PACKET_CHUNK_ROWS", CHUNK_ROWS)
    base = {"agency": agency, "start": start, "end": end, "generated_at": scope.local(scope.generated_at)}
    workers = getattr(settings, "AUDIT_PACKET_RENDER_WORKERS", RENDER_WORKERS)
    sections = []
    with PartRenderer(workers=workers) as renderer:
        for number, section in enumerate(SECTIONS, start=1):
            progress(5 + 85 * (number - 1) // len(SECTIONS), f"Section {number} of {len(SECTIONS)}: {section.title}")
            files, futures, began = [], [], time.perf_counter()
            for index, part in enumerate(section.parts(scope)):
                if index:
                    progress(5 + 85 * (number - 1) // len(SECTIONS),
                             f"Section {number} of {len(SECTIONS)}: {section.title} (part {index + 1})")
                html = render_to_string(section.template, {**base, **part, "section": section, "number": number,
                                                           "continued": index > 0})
                path = workdir / f"{number:02d}-{section.key}-{index:04d}.pdf"
                futures.append(renderer.submit(html, str(path)))
                files.append(path)
                del html
            sections.append({"number": number, "key": section.key, "title": section.title, "files": files,
                             "futures": futures, "parts": len(files), "seconds": time.perf_counter() - began})
        progress(90, "Finishing the last sections")
        renderer.drain()
    for section in sections:  # the page counts, now that every part is laid out
        section["pages"] = sum(future.result() for future in section.pop("futures"))
    progress(92, "Summary and contents")
    # the front matter's own length moves every start page; render until it stops changing (once or twice)
    timings, began = {}, time.perf_counter()
    front_pages, front = 2, b""
    for _attempt in range(4):
        front = render_pdf(FRONT_TEMPLATE, _front_context(scope, sections, front_pages))
        counted = page_count(front)
        if counted == front_pages:
            break
        front_pages = counted
    timings["front matter"] = time.perf_counter() - began
    progress(95, "Merging and numbering pages")
    began = time.perf_counter()
    writer = PdfWriter()
    front_path = workdir / "00-front.pdf"
    front_path.write_bytes(front)
    writer.append(PdfReader(front_path), import_outline=False)
    writer.add_outline_item(title="Summary", page_number=0)
    writer.add_outline_item(title="Contents", page_number=front_pages - 1)  # short: the front's last page
    for section in sections:
        first = len(writer.pages)
        for path in section["files"]:
            writer.append(PdfReader(path), import_outline=False)
        writer.add_outline_item(title=f"{section['number']}. {section['title']}", page_number=first)
    timings["merge"] = time.perf_counter() - began
    began = time.perf_counter()
    stamp_page_numbers(writer)
    timings["page numbers"] = time.perf_counter() - began
    for name, path, _description in scope.attachments:
        writer.add_attachment(name, path.read_bytes())
    writer.add_metadata({"/Title": f"Audit packet — {agency.name} ({agency.ori}), {start:%Y-%m-%d} to {end:%Y-%m-%d}",
                         "/Creator": "LEDS Admin"})
    out = workdir / "packet.pdf"
    with out.open("wb") as handle:
        writer.write(handle)
    return Built(path=out, pages=len(writer.pages), sections=sections, timings=timings)


def scratch_dir():
    return tempfile.TemporaryDirectory(prefix="audit-packet-")
