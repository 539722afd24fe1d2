"""The compliance report: every person of an agency with every obligation, as JSON-ready data."""

from __future__ import annotations

import io
import json
from datetime import date

from common.exports import write_csv
from people.models import Agency, Person

from .selectors import agency_compliance


def compliance_report(*, agency: Agency, today: date | None = None) -> list[dict]:
    """Every person of the agency (sorted by employee_id) with every obligation, including not_required."""
    results = agency_compliance(people=Person.objects.filter(agency=agency), agency=agency, today=today)
    report = []
    for result in sorted(results, key=lambda r: r.person.employee_id):
        obligations = []
        for item in result.obligations:
            entry = {"rule": item.rule_id, "obligation": item.obligation, "status": item.status,
                     "due": item.due.isoformat() if item.due else None}
            if item.extra.get("system"):  # one account_disable / account_inactive per state account (issue 8)
                entry["system"] = item.extra["system"]
            obligations.append(entry)
        verdict = result.verdict
        # R-PE-3: "reasons" lists the rule IDs behind a verdict other than eligible (empty for eligible, separated)
        report.append({"employee_id": result.person.employee_id, "name": result.person.name,
                       "eligible": verdict.eligible if verdict.applicable else None,
                       "verdict": verdict.code, "reasons": list(verdict.reason_ids),
                       "obligations": obligations})
    return report


def as_json(report: list[dict]) -> str:
    return json.dumps(report, indent=2)


def as_csv(report: list[dict]) -> str:
    buffer = io.StringIO()
    rows = ([person["employee_id"], person["name"], item["rule"], item["obligation"], item["status"], item["due"] or "",
             person["verdict"], " ".join(person["reasons"])]
            for person in report for item in person["obligations"])
    write_csv(buffer, ["employee_id", "name", "rule", "obligation", "status", "due", "verdict", "reasons"],
              rows)  # formulas neutralised
    return buffer.getvalue()
