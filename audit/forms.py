"""Forms of the audit app; they keep what the user typed and say what is wrong in plain words."""

from django import forms

from .models import Audit, Finding

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditForm(forms.ModelForm):
    class Meta:
        model = Audit
        fields = ["audited_on", "auditor", "auditor_name", "summary"]
        widgets = {"audited_on": DATE, "summary": forms.Textarea(attrs={"rows": 3})}


class FindingForm(forms.ModelForm):
    class Meta:
        model = Finding
        fields = ["summary", "requirement", "corrective_action", "due_on"]
        widgets = {"due_on": DATE, "summary": forms.Textarea(attrs={"rows": 2}),
                   "corrective_action": forms.Textarea(attrs={"rows": 2})}


class CompleteForm(forms.Form):
    completed_on = forms.DateField(label="Completed on", widget=DATE)
    note = forms.CharField(label="Note", required=False, max_length=60)


class VoidForm(forms.Form):
    reason = forms.CharField(max_length=300, label="Why is this audit voided?")


class PacketForm(forms.Form):
    period_start_on = forms.DateField(label="Period from", widget=DATE,
                                      help_text="Default: the last audit; at most 3 years before the end.")
    period_end_on = forms.DateField(label="Period to", widget=DATE)
