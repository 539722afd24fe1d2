"""``{{ field|uswds_widget }}``: a form field's widget with its USWDS class, for allauth's forms we do not own."""

from django import forms, template

register = template.Library()


@register.filter
def uswds_widget(bound_field):
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "usa-checkbox__input"
    elif isinstance(widget, forms.Select):
        css = "usa-select"
    elif isinstance(widget, forms.Textarea):
        css = "usa-textarea"
    else:
        css = "usa-input"
    if bound_field.errors:
        css += " usa-input--error"
    existing = widget.attrs.get("class", "")
    return bound_field.as_widget(attrs={"class": f"{existing} {css}".strip()})
