from django import forms

from .models import AccountRequest


class OspAnswerForm(forms.Form):
    """OSP's answer to one line of a batch."""

    outcome = forms.ChoiceField(label="Answer", choices=AccountRequest.Outcome.choices)
    answered_on = forms.DateField(label="On", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="Reason, if rejected", max_length=300, required=False)
