import datetime

import pytest
from django.urls import reverse

from audit import selectors, services
from audit.models import Audit, Finding

pytestmark = pytest.mark.django_db


def _audit(world, on=datetime.date(2024, 5, 14), auditor=Audit.Auditor.OSP):
    return services.record_audit(agency=world.agency, actor=world.users["leds_rep"], audited_on=on, auditor=auditor)


def test_r_au_1_status_next_audit_and_open_corrective_actions(world):
    audit = _audit(world)
    _audit(world, on=datetime.date(2025, 1, 10), auditor=Audit.Auditor.FBI)  # the state's clock ignores FBI audits
    done = services.add_finding(audit=audit, actor=None, summary="Visitor log incomplete",
                                due_on=datetime.date(2024, 8, 1))
    services.complete_corrective_action(finding=done, actor=None, completed_on=datetime.date(2024, 7, 20))
    services.add_finding(audit=audit, actor=None, summary="Terminal not locked", due_on=datetime.date(2024, 9, 1))
    status = selectors.audit_status(audits=Audit.objects.filter(agency=world.agency), today=datetime.date(2026, 11, 23))
    assert status.last_audit == audit and status.next_due_on == datetime.date(2027, 5, 14)
    assert [f.summary for f in status.open_findings] == ["Terminal not locked"]
    assert len(status.overdue_findings) == 1 and not status.is_overdue


def test_completing_twice_is_refused(world):
    finding = services.add_finding(audit=_audit(world), actor=None, summary="X")
    services.complete_corrective_action(finding=finding, actor=None, completed_on=datetime.date(2024, 6, 1))
    with pytest.raises(Exception, match="Already completed"):
        services.complete_corrective_action(finding=finding, actor=None, completed_on=datetime.date(2024, 6, 2))


def test_rep_records_audit_and_finding_through_pages(world, login, client):
    login(world.users["leds_rep"])
    response = client.post(reverse("audit:create"), {"audited_on": "2025-04-02", "auditor": "osp",
                                                     "auditor_name": "J. Auditor"})
    audit = Audit.objects.get()
    assert response.status_code == 302
    client.post(reverse("audit:finding_add", args=[audit.pk]), {
        "summary": "Access review not documented", "corrective_action": "Quarterly review", "due_on": "2025-07-01"})
    finding = Finding.objects.get()
    client.post(reverse("audit:finding_complete", args=[finding.pk]), {"completed_on": "2025-06-15"})
    finding.refresh_from_db()
    assert finding.completed_on == datetime.date(2025, 6, 15)
    assert finding.history.first().history_change_reason == "Corrective action completed"
    page = client.get(reverse("compliance:dashboard")).content.decode()
    assert 'Next state audit due <time datetime="2028-04-02">Apr 2, 2028</time>' in page
    assert "No open corrective actions" in page


def test_auditors_read_audits_but_cannot_record(world, login, client):
    audit = _audit(world)
    for who in ("agency_auditor", "state_auditor"):
        login(world.users[who])
        assert client.get(reverse("audit:detail", args=[audit.pk])).status_code == 200
        assert client.post(reverse("audit:finding_add", args=[audit.pk]), {"summary": "x"}).status_code == 403
    assert not Finding.objects.exists()


def test_audit_status_reads_in_three_queries_at_any_size(world, django_assert_num_queries):
    audit = _audit(world)
    services.add_finding(audit=audit, actor=None, summary="one")
    with django_assert_num_queries(3):  # rule table, last state audit, open findings
        selectors.audit_status(audits=Audit.objects.filter(agency=world.agency), today=datetime.date(2026, 11, 23))
    for n in range(20):
        services.add_finding(audit=_audit(world, on=datetime.date(2023, 1, 1 + n)), actor=None, summary=f"f{n}")
    with django_assert_num_queries(3):
        status = selectors.audit_status(audits=Audit.objects.filter(agency=world.agency),
                                        today=datetime.date(2026, 11, 23))
    assert len(status.open_findings) == 21


def test_the_audit_list_pages_by_50_and_a_failed_completion_keeps_its_row(world, login, client):
    """Issue 19: a table that can grow past 50 rows is paged; the per-row "mark complete" form comes from the form
    renderer with its own ids, and a refused date is shown on that row with what was typed."""
    for n in range(51):
        _audit(world, on=datetime.date(2020, 1, 1) + datetime.timedelta(days=n))
    login(world.users["leds_rep"])
    first = client.get(reverse("audit:list")).content.decode()
    rows = first.split('id="audits"')[1].split("</table>")[0]
    assert rows.count("<tr>") == 51 and "Page 1 of 2" in first  # the head row and 50 audits
    second = client.get(reverse("audit:list"), {"page": 2}).content.decode()
    assert "Page 2 of 2" in second and "Jan 1, 2020" in second  # newest first: the oldest is last
    audit = Audit.objects.order_by("audited_on").first()
    finding = services.add_finding(audit=audit, actor=None, summary="Visitor log incomplete")
    other = services.add_finding(audit=audit, actor=None, summary="Terminal not locked")
    response = client.post(reverse("audit:finding_complete", args=[finding.pk]),
                           {"completed_on": "13/45/2020", "note": "typed note"})
    page = response.content.decode()
    assert response.status_code == 400
    assert f'id="finding-{finding.pk}-completed_on"' in page and f'id="finding-{other.pk}-completed_on"' in page
    assert 'value="typed note"' in page and 'role="alert"' in page
