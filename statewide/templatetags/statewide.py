"""Template helpers of the statewide pages: sortable headers, and the navigation's statewide links."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_header(context, key: str, label: str, sort: str):
    """A column header that sorts the table by ``key`` (again: reversed); keeps the filters."""
    request = context["request"]
    params = request.GET.copy()
    params.pop("page", None)
    params["sort"] = f"-{key}" if sort == key else key
    aria = ' aria-sort="ascending"' if sort == key else (' aria-sort="descending"' if sort == f"-{key}" else "")
    mark = " ▲" if sort == key else (" ▼" if sort == f"-{key}" else "")
    url = f"?{params.urlencode()}"
    return format_html('<th scope="col"{}><a href="{}" hx-get="{}" hx-target="#statewide-table" '
                       'hx-push-url="true">{}{}</a></th>', mark_safe(aria),  # noqa: S308 - our constant
                       url, url, label, mark)
