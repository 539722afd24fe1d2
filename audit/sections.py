"""The sections of the audit packet (R-AU-1), each its own function and template, independent of the others.

A section is a generator of *parts*: each part is one template context, rendered by WeasyPrint on its own and
merged afterwards (audit/packet.py), so a large section (the roster of a big agency, a year of validation
entries) is laid out a chunk at a time and memory stays flat. A section whose data LEDS Admin does not hold yet
says so in the packet rather than being left out.

No criminal-history text (CHRI) ever appears: background checks give dates and outcomes only (R-AU-1, R-PE-1).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.core.exceptions import FieldError
from django.utils import timezone

from accounts.models import SecurityEvent
from agreements import rules as agreement_rules
from agreements import selectors as agreement_selectors
from agreements.models import Agreement
from background.models import FingerprintCheck
from certification.models import CertificationResult, SecurityAwarenessCompletion, TrainingGuideIssue
from common.batches import chunked
from common.dates import add_months, in_words
from common.exports import write_csv
from compliance.models import RuleSetting
from compliance.selectors import agency_compliance
from paperwork.models import AccountRequest
from people.history import _SOURCES
from people.models import Person
from people.scoping import Scoping
from state_access.models import AccessReview, AccessReviewItem, StateAccount
from state_access.selectors import agency_accounts
from validations.models import ValidationEntry
from validations.selectors import current_procedure, cycles_for_audit

from .models import Audit, Finding

# rows per rendered part: small enough that WeasyPrint's memory stays flat, large enough to amortise a render
# (settings AUDIT_PACKET_CHUNK_ROWS and AUDIT_PACKET_HISTORY_ROWS override both, read at build time)
CHUNK_ROWS = 500
# past this many history rows the PDF gives a summary and the whole history travels as an attached CSV
HISTORY_PDF_ROWS = 1500
TRAINING_YEARS = 3  # R-AU-1: certification and security training records of 3 years
VALIDATION_MONTHS = 12  # R-AU-1: the last 12 months of validation lists
DISABLE_HOURS = 24  # R-AU-1: evidence of 24-hour disablement
# the apps whose models are compliance records (their history is the packet's change-history section, R-AU-2)
HISTORY_APPS = ("people", "certification", "background", "state_access", "validations", "agreements", "audit",
                "training_events", "paperwork")


@dataclass
class PacketScope:
    """What every section knows: one agency, the period, where to put attachments."""

    agency: object
    start: date
    end: date
    generated_at: datetime
    workdir: Path
    chunk_rows: int = CHUNK_ROWS
    history_pdf_rows: int = HISTORY_PDF_ROWS
    attachments: list[tuple[str, Path, str]] = field(default_factory=list)  # (name, path, description)

    @property
    def zone(self):
        return self.agency.zone

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        """The period as aware moments: the start of its first day to the end of its last (agency time)."""
        return (timezone.make_aware(datetime.combine(self.start, datetime.min.time()), self.zone),
                timezone.make_aware(datetime.combine(self.end, datetime.max.time()), self.zone))

    def local(self, moment: datetime | None) -> datetime | None:
        return timezone.localtime(moment, self.zone) if moment else None

    @property
    def roster(self):
        """People of the agency who held their assignment at some time in the period."""
        started, _ = self.bounds
        return Person.objects.filter(agency=self.agency, assigned_on__lte=self.end).exclude(
            status=Person.Status.SEPARATED, separated_at__lt=started)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    template: str
    parts: Callable[[PacketScope], Iterator[dict]]


def _name(row: dict, prefix: str = "") -> str:
    return f"{row[prefix + 'last_name']}, {row[prefix + 'first_name']}"


ROSTER_FIELDS = ("pk", "employee_id", "last_name", "first_name", "position", "role_tier", "status", "assigned_on",
                 "separated_at")


def _roster_rows(scope: PacketScope) -> list[dict]:
    return list(scope.roster.order_by("last_name", "first_name", "employee_id").values(*ROSTER_FIELDS))


# --- 1. agreements ------------------------------------------------------------------------------------------

def agreements_parts(scope: PacketScope) -> Iterator[dict]:
    """R-AU-1 / R-AGR-1..2: the agreements in force at any time in the period, with parties, signatures, reviews."""
    from django.db.models import Q

    agreements = Agreement.objects.filter(agency=scope.agency, effective_on__lte=scope.end).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=scope.start))
    rows = agreement_selectors.agreement_register(agreements=agreements, today=scope.end)
    yield {"rows": rows, "labels": agreement_rules.STANDING_LABELS}


# --- 2. policies on file -----------------------------------------------------------------------------------

def policies_parts(scope: PacketScope) -> Iterator[dict]:
    """R-AU-1: the validation procedure and other policies: the rules LEDS Admin applies, the signed documents."""

    documents = list(Agreement.objects.filter(agency=scope.agency, voided_at__isnull=True).exclude(document="")
                     .order_by("kind", "title").values("title", "kind", "document_name", "effective_on"))
    kinds = dict(Agreement.Kind.choices)
    for row in documents:
        row["kind"] = kinds.get(row["kind"], row["kind"])

    procedure = current_procedure(agency=scope.agency, on=scope.end)
    yield {
        "procedure": procedure,
        "procedure_missing": f"No validation procedure in effect on {in_words(scope.end)} is recorded in LEDS Admin.",
        "rules": list(RuleSetting.objects.order_by("rule_id", "obligation")),
        "documents": documents,
    }


# --- 3. personnel roster -----------------------------------------------------------------------------------

def roster_parts(scope: PacketScope) -> Iterator[dict]:
    """R-AU-1: the personnel roster with sign-in status and evidence of 24-hour disablement."""

    users = dict(scope.roster.filter(user__isnull=False).values_list("pk", "user__username"))
    active = dict(scope.roster.filter(user__isnull=False).values_list("pk", "user__is_active"))
    deactivated: dict[str, datetime] = {}
    for target, occurred_at in SecurityEvent.objects.filter(
            agency=scope.agency, event=SecurityEvent.Kind.SIGN_IN_DEACTIVATED).order_by("occurred_at").values_list(
            "target", "occurred_at"):
        deactivated[target] = occurred_at  # the latest deactivation of each user

    tiers = dict(Person.Tier.choices)
    statuses = dict(Person.Status.choices)
    # each person's verdict on the packet's last day, from the one function (R-PE-3)
    verdicts = {r.person.pk: r.verdict.summary
                for r in agency_compliance(people=scope.roster, agency=scope.agency, today=scope.end)}
    rows = []
    for person in _roster_rows(scope):
        username = users.get(person["pk"])
        off_at = deactivated.get(f"user:{username}") if username else None
        separated_at = person["separated_at"]
        hours = None
        if separated_at and off_at:
            hours = max((off_at - separated_at).total_seconds() / 3600, 0)
        rows.append({
            **person, "name": _name(person), "tier": tiers.get(person["role_tier"], person["role_tier"]),
            "status_label": statuses.get(person["status"], person["status"]), "verdict": verdicts.get(person["pk"], ""),
            "separated_at": scope.local(separated_at),
            "sign_in": ("none" if not username else "active" if active.get(person["pk"]) else "deactivated"),
            "deactivated_at": scope.local(off_at) if separated_at else None,
            "hours": hours, "within_limit": (hours is not None and hours <= DISABLE_HOURS) if separated_at else None,
        })
    separated = [r for r in rows if r["separated_at"]]
    late = [r for r in separated if r["within_limit"] is False or (r["sign_in"] == "active")]
    summary = {"people": len(rows), "separated": len(separated), "late": len(late),
               "limit": DISABLE_HOURS}
    accounts = _account_rows(scope)
    summary.update(accounts=len(accounts), accounts_late=sum(1 for a in accounts if a["is_late"]))
    chunks = list(chunked(rows, scope.chunk_rows)) or [[]]
    for index, chunk in enumerate(chunks):
        yield {"rows": chunk, "summary": summary if index == 0 else None}
    if not accounts:
        yield {"accounts": [], "accounts_missing": "No state-system accounts are recorded in LEDS Admin for these "
                                                   "people."}
    for index, chunk in enumerate(chunked(accounts, scope.chunk_rows)):
        yield {"accounts": chunk, "accounts_continued": index > 0, "limit": DISABLE_HOURS}


# --- 4. background checks ----------------------------------------------------------------------------------

def background_parts(scope: PacketScope) -> Iterator[dict]:
    """R-AU-1 / R-BG-1..2: fingerprint-based check dates and outcomes; never criminal-history text."""

    outcomes = dict(FingerprintCheck.Outcome.choices)
    checks = defaultdict(list)
    # dates and outcomes only: no denial reason, no reference numbers (R-PE-1)
    for row in FingerprintCheck.objects.filter(person__in=scope.roster, voided_at__isnull=True).order_by(
            "submitted_on").values("person_id", "taken_on", "submitted_on", "result_on", "outcome",
                                   "exception_decided_on"):
        row["outcome"] = outcomes.get(row["outcome"], row["outcome"])
        checks[row["person_id"]].append(row)
    rows = []
    for person in _roster_rows(scope):
        found = checks.get(person["pk"]) or [None]
        for check in found:
            rows.append({"employee_id": person["employee_id"], "name": _name(person), "check": check})
    for chunk in chunked(rows, scope.chunk_rows):
        yield {"rows": chunk, "without": sum(1 for r in rows if r["check"] is None)}


# --- 5. certification and security awareness ---------------------------------------------------------------

def training_parts(scope: PacketScope) -> Iterator[dict]:
    """R-AU-1: certification and security-awareness records of the last 3 years, one row per person."""

    since = add_months(scope.end, -12 * TRAINING_YEARS)
    people = scope.roster
    passes, guides, awareness = defaultdict(list), defaultdict(list), defaultdict(list)
    for pid, on, level, score in CertificationResult.objects.filter(
            person__in=people, voided_at__isnull=True, passed_on__range=(since, scope.end)).order_by(
            "passed_on").values_list("person_id", "passed_on", "level__name", "score"):
        passes[pid].append(f"{in_words(on)} {level}" + (f" ({score})" if score is not None else ""))
    for pid, issued, completed in TrainingGuideIssue.objects.filter(
            person__in=people, voided_at__isnull=True, issued_on__lte=scope.end).order_by("issued_on").values_list(
            "person_id", "issued_on", "completed_on"):
        if (completed or issued) >= since:
            guides[pid].append(f"issued {in_words(issued)}, " + (f"completed {in_words(completed)}" if completed
                                                                 else "not completed"))
    for pid, on, tier in SecurityAwarenessCompletion.objects.filter(
            person__in=people, voided_at__isnull=True, completed_on__range=(since, scope.end)).order_by(
            "completed_on").values_list("person_id", "completed_on", "tier"):
        awareness[pid].append(f"{in_words(on)} (tier {tier})")
    rows = [{"employee_id": p["employee_id"], "name": _name(p), "certifications": passes.get(p["pk"], []),
             "guides": guides.get(p["pk"], []), "awareness": awareness.get(p["pk"], [])}
            for p in _roster_rows(scope)]
    for chunk in chunked(rows, max(1, scope.chunk_rows // 2)):  # these rows are taller
        yield {"rows": chunk, "since": since}


# --- 6. validations ----------------------------------------------------------------------------------------

def validation_parts(scope: PacketScope) -> Iterator[dict]:
    """R-AU-1 / R-VA: the validation cycles of the last 12 months, per-entry outcomes and contact logs."""

    since = add_months(scope.end, -VALIDATION_MONTHS)
    cycles = cycles_for_audit(agency=scope.agency, start=since, end=scope.end)
    if not cycles:
        yield {"since": since, "cycles": [], "missing": f"No validation cycles were received from {in_words(since)} "
                                                      f"to {in_words(scope.end)}."}
        return
    outcomes = dict(ValidationEntry.Outcome.choices)
    yield {"since": since, "cycles": cycles, "overview": True}
    for cycle in cycles:
        entries = list(cycle.entries.all())
        for index, chunk in enumerate(list(chunked(entries, scope.chunk_rows)) or [[]]):
            yield {"since": since, "cycle": cycle, "entries": chunk, "outcomes": outcomes, "cycle_continued": index > 0}
        cycle._prefetched_objects_cache.pop("entries", None)  # let a rendered cycle's entries go


# --- 7. access reviews -------------------------------------------------------------------------------------

def access_review_parts(scope: PacketScope) -> Iterator[dict]:
    """R-AU-1 / R-AC-4: the reviews of who holds access to the state systems."""
    from django.db.models import Count, Q

    start_at, end_at = scope.bounds
    reviews = list(AccessReview.objects.filter(agency=scope.agency, started_at__lte=end_at).filter(
        Q(signed_at__isnull=True) | Q(signed_at__gte=start_at)).select_related("signed_by").annotate(
        item_count=Count("items"), confirmed_count=Count("items", filter=Q(items__decision="confirmed")),
        disable_count=Count("items", filter=Q(items__decision="disable")),
        pending_count=Count("items", filter=Q(items__decision="pending"))).order_by("started_at"))
    if not reviews:
        yield {"missing": f"No access review was started or signed from {in_words(scope.start)} to "
                          f"{in_words(scope.end)}."}
        return
    statuses = dict(StateAccount.Status.choices)
    marked = [{"review_started": scope.local(started), "person": f"{last}, {first}", "system": system,
               "decided_at": scope.local(decided), "status": statuses.get(status, status),
               "disabled_at": scope.local(disabled)}
              for started, last, first, system, decided, status, disabled in AccessReviewItem.objects.filter(
                  review__in=[r.pk for r in reviews], decision="disable").order_by(
                  "review__started_at", "account__person__last_name", "account__person__first_name").values_list(
                  "review__started_at", "account__person__last_name", "account__person__first_name",
                  "account__system__name", "decided_at", "account__status", "account__disabled_at")]
    yield {"reviews": reviews, "marked": marked}


def _account_rows(scope: PacketScope) -> list[dict]:
    """R-AC-2: every state-system account of the roster with its disablement timing (state_access.selectors)."""

    _, end_at = scope.bounds
    roster = set(scope.roster.values_list("pk", flat=True))
    rows = []
    for holder in agency_accounts(agency=scope.agency, now=min(timezone.now(), end_at), with_actors=False):
        if holder.person.pk not in roster:
            continue
        for timing in holder.accounts:
            account = timing.account
            rows.append({
                "employee_id": holder.person.employee_id, "name": str(holder.person), "system": account.system.name,
                "status": account.get_status_display(), "activated_at": scope.local(account.activated_at),
                "ended_at": scope.local(holder.access_ended_at), "due_at": scope.local(timing.due_at),
                "disabled_at": scope.local(account.disabled_at), "hours_late": timing.hours_late,
                "is_late": timing.hours_late > 0,
            })
    return rows


# --- 7b. account requests to OSP (issue 21) -------------------------------------------------------------------

def osp_request_parts(scope: PacketScope) -> Iterator[dict]:
    """R-AC-1 / R-AC-2: the batches of account requests sent to OSP in the period, and OSP's answers."""

    lines = list(AccountRequest.objects.filter(batch__agency=scope.agency, batch__sent_on__gte=scope.start,
                                               batch__sent_on__lte=scope.end).select_related("batch")
                 .order_by("batch__sent_on", "batch__number", "system_name", "person_name"))
    if not lines:
        yield {"missing": f"No batch of account requests was sent to OSP from {in_words(scope.start)} to "
                          f"{in_words(scope.end)}."}
        return
    for index, chunk in enumerate(chunked(lines, scope.chunk_rows)):
        yield {"lines": chunk, "batches": len({line.batch_id for line in lines}), "total": len(lines),
               "unanswered": sum(1 for line in lines if not line.outcome), "continued": index > 0}


# --- 8. prior findings -------------------------------------------------------------------------------------

def findings_parts(scope: PacketScope) -> Iterator[dict]:
    """R-AU-1: prior audits, their findings and what was done about them."""
    from django.db.models import Prefetch

    audits = list(Audit.objects.filter(agency=scope.agency, voided_at__isnull=True, audited_on__lte=scope.end)
                  .prefetch_related(Prefetch("findings", queryset=Finding.objects.filter(voided_at__isnull=True)))
                  .order_by("-audited_on"))
    yield {"audits": audits}


# --- 9. change history -------------------------------------------------------------------------------------

HISTORY_COLUMNS = ["when", "who", "record", "record_id", "person", "change", "fields", "reason"]
HISTORY_TYPES = {"+": "Created", "~": "Changed", "-": "Deleted"}
_META = {"history_id", "history_date", "history_change_reason", "history_type", "history_user", "history_user_id",
         "history_relation", "id", "created_at", "updated_at", "recorded_at"}
AGENCY_RECORDS = "Agency records (no one person)"


@dataclass(frozen=True)
class HistoryRow:
    """One change as the person history page shows it: names and human labels, never ids or field names."""

    when: datetime
    who: str
    person: str  # "Last, First (employee ID)", or AGENCY_RECORDS
    kind: str  # "Training guide", "Certification", ...
    record: str  # the record in words: "Full Access passed 2025-03-01"
    record_id: int
    change: str  # Created / Changed / Deleted
    changes: tuple[str, ...]  # "Completed on: — → 2025-02-20"
    reason: str

    @property
    def group(self) -> tuple:
        return (self.person == AGENCY_RECORDS, self.person, self.kind, self.record, self.record_id)


def _history_sources():
    """Every historical model of a compliance record that can be narrowed to one agency."""
    from simple_history.models import registered_models

    for model in list(registered_models.values()):
        if model._meta.app_label not in HISTORY_APPS:
            continue
        scoping = getattr(model, "scoping", None)
        if isinstance(scoping, Scoping):
            yield model, scoping


def _kind_labels() -> dict:
    """The labels the person history page uses (people/history.py), else the model's own name."""

    return {source.model: source.label for source in _SOURCES}


class _Words:
    """Turns stored values into what a reader understands: choice labels, the related record's name, dates.

    Related records are loaded in bulk, one query per foreign key of a model, whatever the number of rows."""

    def __init__(self, model, records: list[dict]):
        self.model = model
        self.related: dict[str, dict] = {}
        for model_field in model._meta.concrete_fields:
            if model_field.many_to_one and model_field.related_model is not None:
                attname = model_field.attname
                ids = {r[attname] for r in records if r.get(attname) is not None}
                self.related[attname] = model_field.related_model._default_manager.in_bulk(ids) if ids else {}
        self.fields = {f.attname: f for f in model._meta.concrete_fields}

    def label(self, attname: str) -> str:
        model_field = self.fields.get(attname)
        name = model_field.verbose_name if model_field is not None else attname.replace("_", " ")
        return str(name).capitalize()

    def value(self, attname: str, value) -> str:
        if value in (None, ""):
            return "—"
        model_field = self.fields.get(attname)
        if model_field is not None and model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if attname in self.related:
            found = self.related[attname].get(value)
            return str(found) if found is not None else "a record since removed"
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, datetime):
            return in_words(timezone.localtime(value) if timezone.is_aware(value) else value)
        if isinstance(value, date):
            return in_words(value)
        return str(value)

    def describe(self, record: dict, kind: str) -> str:
        """The record in words (its ``__str__``), from the stored values, related records from the bulk load."""
        try:
            instance = self.model(**{k: v for k, v in record.items() if k in self.fields})
            for attname, objects in self.related.items():
                if record.get(attname) in objects:
                    self.fields[attname].set_cached_value(instance, objects[record[attname]])
            return str(instance)
        except Exception:  # a __str__ that needs more than the row holds: the kind alone still reads
            return kind


def _history_rows(scope: PacketScope, model, scoping: Scoping, start_at, end_at, kinds: dict) -> list[HistoryRow]:
    historical = model.history.model
    agency_filter = {f"{scoping.agency}_id" if scoping.agency else "id": scope.agency.pk}
    person_path = scoping.person
    name_fields = []
    if person_path == "":
        name_fields = ["last_name", "first_name", "employee_id"]
    elif person_path and "__" not in person_path and person_path != "people":
        name_fields = [f"{person_path}__last_name", f"{person_path}__first_name", f"{person_path}__employee_id"]
    tracked = [f.attname for f in historical._meta.concrete_fields if f.attname not in _META
               and not f.name.startswith("history_")]
    kind = kinds.get(model) or str(model._meta.verbose_name).capitalize()
    try:
        records = list(historical.objects.filter(**agency_filter, history_date__lte=end_at).order_by(
            "id", "history_date", "history_id").values(
            "id", "history_date", "history_type", "history_change_reason", "history_user__username",
            "history_user__first_name", "history_user__last_name", *name_fields, *tracked))
    except FieldError:
        return []  # a model whose agency path the historical table cannot follow
    words = _Words(model, records)
    last = {record["id"]: record for record in records}  # the record as it stands (or stood) last
    described = {pk: words.describe(record, kind) for pk, record in last.items()}
    rows, previous = [], {}
    for record in records:
        before = previous.get(record["id"])
        previous[record["id"]] = record
        if record["history_date"] < start_at:
            continue
        changes = tuple(f"{words.label(k)}: {words.value(k, before[k])} → {words.value(k, record[k])}"
                        for k in tracked if before is not None and before[k] != record[k])
        if name_fields and record[name_fields[0]]:
            person = f"{record[name_fields[0]]}, {record[name_fields[1]]} ({record[name_fields[2]]})"
        else:
            person = AGENCY_RECORDS
        who = (f"{record['history_user__first_name']} {record['history_user__last_name']}".strip()
               or record["history_user__username"] or "LEDS Admin (system)")
        rows.append(HistoryRow(record["history_date"], who, person, kind, described[record["id"]], record["id"],
                               HISTORY_TYPES.get(record["history_type"], record["history_type"]), changes,
                               record["history_change_reason"] or ""))
    return rows


def history_parts(scope: PacketScope) -> Iterator[dict]:
    """R-AU-2: every change to the agency's compliance records in the period (who, when, what, why), read like the
    person history page: grouped by person and record, in names and human labels."""
    start_at, end_at = scope.bounds
    kinds = _kind_labels()
    rows: list[HistoryRow] = []
    for model, scoping in _history_sources():
        rows.extend(_history_rows(scope, model, scoping, start_at, end_at, kinds))
    rows.sort(key=lambda r: (*r.group, r.when))
    by_kind = Counter((r.kind, r.change) for r in rows)
    summary = sorted(((kind, change, n) for (kind, change), n in by_kind.items()), key=lambda x: (x[0], x[1]))
    if len(rows) <= scope.history_pdf_rows:
        for index, chunk in enumerate(list(chunked(rows, scope.chunk_rows)) or [[]]):
            display = [{"when": scope.local(r.when), "who": r.who, "person": r.person, "record": f"{r.kind}: {r.record}"
                        if r.record != r.kind else r.kind, "change": r.change, "changes": r.changes,
                        "reason": r.reason} for r in chunk]
            yield {"rows": display, "total": len(rows), "summary": summary if index == 0 else None, "attached": None}
        return
    import hashlib

    path = scope.workdir / "change-history.csv"
    digest = hashlib.sha256()
    with path.open("w", newline="", encoding="utf-8") as handle:
        write_csv(handle, HISTORY_COLUMNS,  # formulas neutralised (a name or a reason may start with "=")
                  ([scope.local(r.when).isoformat(timespec="seconds"), r.who, f"{r.kind}: {r.record}", r.record_id,
                    r.person, r.change, "; ".join(r.changes), r.reason] for r in rows))
    digest.update(path.read_bytes())
    name = f"change-history-{scope.agency.ori}-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}.csv"
    scope.attachments.append((name, path, f"The change history of {len(rows)} rows (R-AU-2)"))
    users = Counter(r.who for r in rows).most_common(10)
    first, last = min(r.when for r in rows), max(r.when for r in rows)
    yield {"rows": [], "total": len(rows), "summary": summary, "limit": scope.history_pdf_rows,
           "attached": {"name": name, "sha256": digest.hexdigest(), "first": scope.local(first),
                        "last": scope.local(last), "users": users}}


SECTIONS = [
    Section("agreements", "Agreements and their reviews", "pdf/audit/agreements.html", agreements_parts),
    Section("policies", "Policies on file", "pdf/audit/policies.html", policies_parts),
    Section("roster", "Personnel roster, account status and disablement", "pdf/audit/roster.html", roster_parts),
    Section("background", "Background checks (dates and outcomes)", "pdf/audit/background.html", background_parts),
    Section("training", "Certification and security-awareness records (3 years)", "pdf/audit/training.html",
            training_parts),
    Section("validations", "Validations of the last 12 months", "pdf/audit/validations.html", validation_parts),
    Section("access_reviews", "Access reviews", "pdf/audit/access_reviews.html", access_review_parts),
    Section("osp_requests", "Account requests to OSP and OSP's answers", "pdf/audit/osp_requests.html",
            osp_request_parts),
    Section("findings", "Prior findings and corrective actions", "pdf/audit/findings.html", findings_parts),
    Section("history", "Change history of compliance records", "pdf/audit/history.html", history_parts),
]
