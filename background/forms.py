from django import forms

from people.forms import DateInput


class FingerprintSubmissionForm(forms.Form):
    submitted_on = forms.DateField(label="Date submitted", widget=DateInput())
    taken_on = forms.DateField(label="Date taken", widget=DateInput(), required=False)

    def clean(self):
        data = super().clean()
        if data.get("taken_on") and data.get("submitted_on") and data["taken_on"] > data["submitted_on"]:
            self.add_error("taken_on", "Fingerprints cannot be taken after they were submitted.")
        return data
