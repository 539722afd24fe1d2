"""The statewide page's filter form and the audit calendar's "record an audit" form."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from audit.models import Audit

from .selectors import FILTERS, SORTS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StatewideFilter(forms.Form):
    q = forms.CharField(label="Agency name or ORI", required=False, max_length=100)
    flag = forms.MultipleChoiceField(label="Show only agencies with", required=False,
                                     choices=[(key, label) for key, (label, _test) in FILTERS.items()],
                                     widget=forms.CheckboxSelectMultiple)
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in SORTS] + [(f"-{k}", k) for k in SORTS],
                             widget=forms.HiddenInput)


class RecordAuditForm(forms.Form):
    """The state auditor records the day a state audit was held (R-AU-1); the 3-year clock restarts there."""

    audited_on = forms.DateField(label="Audit date", widget=DATE)
    auditor_name = forms.CharField(label="Lead auditor", required=False, max_length=120)
    summary = forms.CharField(label="Summary", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_audited_on(self):
        audited_on = self.cleaned_data["audited_on"]
        if audited_on > timezone.localdate() + timedelta(days=1):  # a day's grace for the agencies east of here
            raise forms.ValidationError("An audit is recorded once it is held; this date is in the future.")
        return audited_on

    def service_arguments(self) -> dict:
        return {**self.cleaned_data, "auditor": Audit.Auditor.OSP}
