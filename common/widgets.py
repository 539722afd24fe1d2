"""The person picker: a search-as-you-type field instead of a ``<select>`` of the whole agency (issue 23).

Every form field that chooses people uses it (``ModelChoiceField``/``ModelMultipleChoiceField`` over Person, or a
field posting a person pk); the field name and the posted value (the person's pk) stay what they were. The page
renders only the people already chosen; typing asks ``people:search`` (htmx) for at most 20 matches, scoped like
every read and narrowed by ``scope`` (a name people/selectors.py knows: active, supervisors, validators…). The
field's queryset still validates what is posted. static/common/person_search.js makes the options choosable
(click, arrow keys, Enter, Escape); the markup uses the USWDS combo box's classes.
"""

from __future__ import annotations

from django import forms
from django.urls import reverse


class PersonSearch(forms.Widget):
    template_name = "components/_person_search.html"
    allow_multiple_selected = False

    def __init__(self, attrs=None, *, scope: str = "active", placeholder: str = "Type a name or employee ID"):
        super().__init__(attrs)
        self.scope = scope
        self.placeholder = placeholder
        self.choices = ()  # set by ModelChoiceField; only the chosen people are ever read from it

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.choices = self.choices
        return copy

    def _values(self, value) -> list[str]:
        if value is None or value == "":
            return []
        values = value if isinstance(value, (list, tuple)) else [value]
        return [str(getattr(v, "pk", v)) for v in values if v not in (None, "")]

    def chosen(self, value) -> list[tuple[str, str]]:
        """(pk, label) of the chosen people: one query, whatever the size of the agency."""
        pks = [v for v in self._values(value) if v.isdigit()]
        queryset = getattr(self.choices, "queryset", None)
        if not pks or queryset is None:
            return []
        people = queryset.filter(pk__in=pks).only("pk", "last_name", "first_name", "employee_id")
        return [(str(p.pk), f"{p.last_name}, {p.first_name} ({p.employee_id})") for p in people]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = self.chosen(value)
        context["widget"].update({
            "chosen": chosen, "multiple": self.allow_multiple_selected, "scope": self.scope,
            "placeholder": self.placeholder, "search_url": reverse("people:search"),
            "label": chosen[0][1] if chosen and not self.allow_multiple_selected else "",
            "pk": chosen[0][0] if chosen and not self.allow_multiple_selected else "",
        })
        return context

    def render(self, name, value, attrs=None, renderer=None):
        """With the project's template loader, whatever the form renderer (the template is ours, not Django's)."""
        from django.template.loader import render_to_string
        from django.utils.safestring import mark_safe

        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))  # noqa: S308

    def value_from_datadict(self, data, files, name):
        if self.allow_multiple_selected:
            return data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False if self.allow_multiple_selected else name not in data


class PeopleSearch(PersonSearch):
    """Several people (e.g. everyone involved in an incident): each chosen one is a ticked checkbox."""

    allow_multiple_selected = True
