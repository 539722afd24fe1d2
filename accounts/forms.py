"""Forms for the security log page and user administration; errors say what to do."""

from django import forms

from .models import SecurityEvent


class SecurityLogFilterForm(forms.Form):
    event = forms.ChoiceField(label="Event", required=False, choices=[("", "Any event"), *SecurityEvent.Kind.choices])
    outcome = forms.ChoiceField(
        label="Outcome", required=False, choices=[("", "Any outcome"), *SecurityEvent.Outcome.choices]
    )
    username = forms.CharField(label="User name", required=False, max_length=150)
    target = forms.CharField(label="About", required=False, max_length=200)
    ip_address = forms.GenericIPAddressField(label="IP address", required=False)
    since = forms.DateField(label="From (date)", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="To (date)", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "usa-select" if isinstance(field, forms.ChoiceField) else "usa-input"
            field.widget.attrs.setdefault("class", css)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "The end date is before the start date.")
        return data


class SecurityLogReviewForm(forms.Form):
    notes = forms.CharField(
        label="Notes", required=False, max_length=4000,
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}),
        help_text="Anything unusual you found and what you did about it. Leave empty if nothing stood out.",
    )
