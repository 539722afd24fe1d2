from django import forms

from common.widgets import PersonSearch
from people.forms import DateInput


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
        from .models import FingerprintCheck
        from .rules import allowed_outcomes

        super().__init__(*args, **kwargs)
        labels = dict(FingerprintCheck.Outcome.choices)
        self.fields["outcome"].choices = [(o, labels[o]) for o in allowed_outcomes(check.outcome)]
        self.fields["denial_reason"].choices = [("", "—"), *(
            c for c in FingerprintCheck.DenialReason.choices if c[0] != FingerprintCheck.DenialReason.NOT_RECORDED)]


# --- state systems and accounts (R-AC-1..5): dates, times and references only -----------------------------------

class TimeInput(forms.TimeInput):
    input_type = "time"


class MomentForm(forms.Form):
    """A date and a time in the agency's zone (the page says which zone)."""

    on = forms.DateField(label="Date", widget=DateInput())
    at = forms.TimeField(label="Time (agency time)", widget=TimeInput(format="%H:%M"))

    def __init__(self, *args, agency, **kwargs):
        from django.utils import timezone

        super().__init__(*args, **kwargs)
        self.agency = agency
        if not self.is_bound:
            now = timezone.localtime(timezone=agency.zone)
            self.initial.setdefault("on", now.date())
            self.initial.setdefault("at", now.strftime("%H:%M"))

    def moment(self):
        from datetime import datetime

        return datetime.combine(self.cleaned_data["on"], self.cleaned_data["at"], tzinfo=self.agency.zone)


class AccountRequestForm(MomentForm):
    system = forms.ModelChoiceField(label="System", queryset=None)
    username = forms.CharField(label="User name on the system (if known)", max_length=80, required=False)
    field_order = ["system", "username", "on", "at"]

    def __init__(self, *args, systems, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = systems
        self.fields["on"].label = "Requested on"


class AccountStepForm(MomentForm):
    to = forms.ChoiceField(label="Step")
    username = forms.CharField(label="User name on the system", max_length=80, required=False,
                               help_text="When activating, if not recorded yet.")
    field_order = ["to", "on", "at", "username"]

    def __init__(self, *args, account, **kwargs):
        from .models import StateAccount
        from .rules import allowed_account_steps

        super().__init__(*args, **kwargs)
        labels = {"active": "Mark active (created on the system)", "disable_requested": "Request disablement",
                  "disabled": "Mark disabled"}
        self.fields["to"].choices = [(s, labels[s]) for s in allowed_account_steps(account.status)]
        if account.status != StateAccount.Status.REQUESTED or account.username:
            del self.fields["username"]


class TransferForm(forms.Form):
    transferred_on = forms.DateField(label="Transfer date", widget=DateInput())
    transferred_time = forms.TimeField(
        label="Transfer time (agency time)", required=False, widget=TimeInput(format="%H:%M"),
        help_text="Leave empty when only the date is known: it then counts from the end of that day.")


class StateSystemForm(forms.Form):
    name = forms.CharField(label="System name", max_length=60)
    description = forms.CharField(label="Description", max_length=200, required=False)


class PasswordResetForm(MomentForm):
    person = forms.ModelChoiceField(label="Who asked", queryset=None, widget=PersonSearch(scope="active"))
    system = forms.ModelChoiceField(label="System", queryset=None)
    field_order = ["person", "system", "on", "at"]

    def __init__(self, *args, people, systems, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["system"].queryset = systems
        self.fields["on"].label = "Reset on"


class ActivityUploadForm(forms.Form):
    """The account-activity import's choice besides the file (common.imports: kept with the upload)."""

    system = forms.ModelChoiceField(label="System", queryset=None)

    def __init__(self, *args, systems, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = systems


class VoidReasonForm(forms.Form):
    """Why a record made by mistake is voided (kept in history); one per record on a page (``auto_id``)."""

    reason = forms.CharField(label="Why is this record voided? (kept in history)", max_length=300)
