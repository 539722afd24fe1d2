"""The compliance dashboard's agreements-and-audits panel and the person page's investigation-export link."""

from django import template

from agreements import selectors as agreement_selectors
from agreements.models import Agreement
from audit import selectors
from audit.models import Audit
from compliance.selectors import agency_today
from people.permissions import READ_AGENCY, has_role

register = template.Library()


@register.inclusion_tag("audit/_dashboard_panel.html", takes_context=True)
def audit_dashboard_panel(context):
    """R-AGR-2 re-sign countdowns and reviews due; R-AU-1 next audit due and open corrective actions."""
    request = context["request"]
    agency = request.agency
    today = agency_today(agency)
    show_audits = has_role(request, READ_AGENCY)
    agreements = Agreement.objects.for_user(request.user).in_agency(agency)
    return {
        "request": request,
        "today": today,
        "show_audits": show_audits,
        "status": selectors.audit_status(audits=Audit.objects.for_user(request.user).in_agency(agency), today=today)
        if show_audits else None,
        "agreement_rows": [(row, row.standing.days_left(today))
                           for row in agreement_selectors.needing_attention(agreements=agreements, today=today)],
    }


@register.inclusion_tag("audit/_person_investigation.html", takes_context=True)
def person_investigation_export(context, person):
    """The LEDS Representative's 'export for an investigation' button on the person page."""
    request = context["request"]
    return {"person": person, "can_export": request.can.export_investigations, "request": request}
