"""Certificates and transcripts on the person page and the class page (issue 21)."""

from django import template

from people.permissions import MANAGE_PEOPLE, has_role, may_act_on

from .. import selectors

register = template.Library()


@register.inclusion_tag("paperwork/_person_documents.html", takes_context=True)
def person_documents(context, person):
    request = context["request"]
    if not request.can.read_paperwork:
        return {"show": False}
    documents = list(selectors.documents_for(user=request.user, person=person))
    return {"show": True, "person": person, "documents": documents,
            "can_issue": has_role(request, MANAGE_PEOPLE) and may_act_on(request, person),
            "csrf_token": context.get("csrf_token"), "request": request}


@register.inclusion_tag("paperwork/_class_certificates.html", takes_context=True)
def class_certificates(context, certification_class):
    request = context["request"]
    if not request.can.read_paperwork:
        return {"show": False}
    documents = selectors.class_certificates(user=request.user, certification_class=certification_class)
    return {"show": True, "certification_class": certification_class, "documents": documents,
            "can_issue": has_role(request, MANAGE_PEOPLE) and not certification_class.is_cancelled,
            "csrf_token": context.get("csrf_token"), "request": request}
