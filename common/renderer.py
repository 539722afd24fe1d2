"""The one form renderer (settings.FORM_RENDERER): every field of every form in USWDS markup.

``{{ form }}`` renders ``forms/form.html`` and ``{{ form.field.as_field_group }}`` renders ``forms/field.html``:
label, required marker, hint, error message (``role="alert"``) and the control. The bound field below gives each
control its USWDS class and turns every date field into a ``usa-date-picker``; templates never hand-write a field
(tests/common/test_form_renderer.py greps for that).
"""

import copy
import datetime

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

_CLASS_FOR_WIDGET = (
    (forms.CheckboxInput, "usa-checkbox__input"),
    (forms.RadioSelect, "usa-radio__input"),
    (forms.CheckboxSelectMultiple, "usa-checkbox__input"),
    (forms.Select, "usa-select"),
    (forms.SelectMultiple, "usa-select"),
    (forms.ClearableFileInput, "usa-file-input"),
    (forms.FileInput, "usa-file-input"),
    (forms.Textarea, "usa-textarea"),
)


def widget_class(widget) -> str:
    for kind, css in _CLASS_FOR_WIDGET:
        if isinstance(widget, kind):
            return css
    return "usa-input"


def is_date_picker(widget) -> bool:
    return isinstance(widget, forms.DateInput) and not isinstance(widget, forms.DateTimeInput)


class USWDSBoundField(BoundField):
    """A bound field whose control carries its USWDS class, error state and hint/error ``aria-describedby``."""

    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        classes = [widget_class(widget)]
        if self.errors and classes[0] in ("usa-input", "usa-select", "usa-textarea"):
            classes.append(f"{classes[0]}--error")
        existing = (attrs.get("class") or widget.attrs.get("class") or "").split()
        attrs["class"] = " ".join(dict.fromkeys(existing + classes))
        return attrs

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        widget = widget or self.field.widget
        if is_date_picker(widget) and widget.input_type != "text":
            # the USWDS date picker enhances a text input (it posts MM/DD/YYYY; ISO is read too)
            widget = copy.copy(widget)
            widget.input_type = "text"
        return super().as_widget(widget, attrs, only_initial)

    @property
    def is_date_picker(self) -> bool:
        return is_date_picker(self.field.widget)

    @property
    def hint_has_link(self) -> bool:
        """A hint holding a link goes after the control, so Tab moves from field to field."""
        return "<a " in str(self.help_text or "")

    @property
    def is_checkbox(self) -> bool:
        return isinstance(self.field.widget, forms.CheckboxInput)

    @property
    def iso_value(self) -> str:
        """The field's date as YYYY-MM-DD for the date picker's ``data-default-value`` ('' when none/invalid)."""
        value = self.value()
        if isinstance(value, datetime.date):
            return value.isoformat()
        if value:
            try:
                return self.field.to_python(value).isoformat()
            except (forms.ValidationError, AttributeError, TypeError, ValueError):
                return ""
        return ""


class USWDSFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = USWDSBoundField


class DateListWidget(forms.Widget):
    """Several dates under one field name, each in a USWDS date picker, with "Add a day" / "Remove" (ledsadmin.js).

    The form receives the dates one per line, as from the text box this replaces, so the field's ``clean_…``
    reads both (MM/DD/YYYY from the picker, YYYY-MM-DD from scripts and tests).
    """

    template_name = "forms/widgets/date_list.html"
    use_fieldset = True
    formats = ("%m/%d/%Y", "%Y-%m-%d")

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        lines = [line.strip() for value in values if value for line in str(value).splitlines()]
        return "\n".join(line for line in lines if line)

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def _iso(self, text):
        for fmt in self.formats:
            try:
                return datetime.datetime.strptime(text, fmt).date().isoformat()
            except ValueError:
                continue
        return ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if isinstance(value, (list, tuple)):
            lines = [d.isoformat() if isinstance(d, datetime.date) else str(d) for d in value]
        else:
            lines = [line.strip() for line in str(value or "").splitlines() if line.strip()]
        base_id = context["widget"]["attrs"].get("id", f"id_{name}")
        context["widget"]["days"] = [
            {"number": number, "id": base_id if number == 1 else f"{base_id}_{number}", "text": text,
             "iso": self._iso(text)}
            for number, text in enumerate(lines or [""], start=1)
        ]
        return context
