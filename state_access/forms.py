"""State systems and accounts (R-AC-1..5): dates, times and references only."""

from datetime import datetime

from django import forms
from django.utils import timezone

from common.widgets import PersonSearch
from people.forms import DateInput

from .models import StateAccount
from .rules import allowed_account_steps


class TimeInput(forms.TimeInput):
    input_type = "time"


class MomentForm(forms.Form):
    """A date and a time in the agency's zone (the page says which zone)."""

    on = forms.DateField(label="Date", widget=DateInput())
    at = forms.TimeField(label="Time (agency time)", widget=TimeInput(format="%H:%M"))

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        if not self.is_bound:
            now = timezone.localtime(timezone=agency.zone)
            self.initial.setdefault("on", now.date())
            self.initial.setdefault("at", now.strftime("%H:%M"))

    def moment(self):
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
