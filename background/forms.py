from django import forms

from people.forms import DateInput

from .models import FingerprintCheck
from .rules import allowed_outcomes


class FingerprintSubmissionForm(forms.Form):
    submitted_on = forms.DateField(label="Date submitted", widget=DateInput())
    taken_on = forms.DateField(label="Date taken", widget=DateInput(), required=False)

    def clean(self):
        data = super().clean()
        if data.get("taken_on") and data.get("submitted_on") and data["taken_on"] > data["submitted_on"]:
            self.add_error("taken_on", "Fingerprints cannot be taken after they were submitted.")
        return data


class AdjudicationForm(forms.Form):
    outcome = forms.ChoiceField(label="Next step")
    on = forms.DateField(label="Date", widget=DateInput())
    denial_reason = forms.ChoiceField(label="Denial reason (R-BG-2)", required=False)
    notice_sent_on = forms.DateField(label="Written denial notice sent", required=False, widget=DateInput())
    reference = forms.CharField(label="Authorization reference", required=False, max_length=80)

    def __init__(self, *args, check, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(FingerprintCheck.Outcome.choices)
        self.fields["outcome"].choices = [(o, labels[o]) for o in allowed_outcomes(check.outcome)]
        self.fields["denial_reason"].choices = [("", "—"), *(
            c for c in FingerprintCheck.DenialReason.choices if c[0] != FingerprintCheck.DenialReason.NOT_RECORDED)]
