"""Page forms of validations; the import's per-row form lives in importers.py."""

from django import forms

from common.widgets import PersonSearch

from .models import ContactLog, RecordType, RegisteredEntry, ValidationEntry

DATE_WIDGET = forms.DateInput(attrs={"type": "date", "class": "usa-input"})
USA_INPUT = {"class": "usa-input"}


class ListUploadForm(forms.Form):
    received_on = forms.DateField(label="Received on", widget=DATE_WIDGET,
                                  help_text="The day the state's list arrived; the certification is due 30 days later.")


class AssignForm(forms.Form):
    SELECTED, UNASSIGNED = "selected", "unassigned"

    validator = forms.ModelChoiceField(queryset=None, label="Validator", widget=PersonSearch(scope="validators"),
                                       help_text="Active, LEDS-certified staff with a sign-in (R-CE-4).")
    scope = forms.ChoiceField(choices=[(SELECTED, "The entries ticked below"),
                                       (UNASSIGNED, "Unassigned entries, of one record type or all")],
                              initial=SELECTED, widget=forms.RadioSelect(attrs={"class": "usa-radio__input"}))
    mke = forms.ChoiceField(label="Record type", required=False, widget=forms.Select(attrs={"class": "usa-select"}))
    limit = forms.IntegerField(label="At most", required=False, min_value=1,
                               widget=forms.NumberInput(attrs=USA_INPUT),
                               help_text="Leave empty for every unassigned entry of that type.")
    entries = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())

    def __init__(self, *args, validators, mkes, entry_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["validator"].queryset = validators
        self.fields["mke"].choices = [("", "All record types"), *[(m, m) for m in mkes]]
        self.fields["entries"].choices = [(pk, pk) for pk in entry_ids]

    def clean_entries(self):
        return self.cleaned_data["entries"]

    def clean(self):
        data = super().clean()
        if data.get("scope") == self.SELECTED and not data.get("entries"):
            self.add_error("scope", "Tick at least one entry, or assign unassigned entries by type.")
        return data


class ValidationForm(forms.Form):
    """R-VA-4: the review against the case file and the outcome (the service checks them together)."""

    is_reviewed_against_case_file = forms.BooleanField(
        label="Reviewed against the case file", required=False,
        widget=forms.CheckboxInput(attrs={"class": "usa-checkbox__input"}))
    outcome = forms.ChoiceField(choices=[("", "No outcome yet"), *ValidationEntry.Outcome.choices], required=False,
                                widget=forms.Select(attrs={"class": "usa-select"}))
    outcome_detail = forms.CharField(label="What changed / why retained", required=False,
                                     widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}))
    outcome_on = forms.DateField(label="Date of the outcome", required=False, widget=DATE_WIDGET)

    @classmethod
    def for_entry(cls, entry: ValidationEntry, *, today):
        return cls(initial={"is_reviewed_against_case_file": entry.is_reviewed_against_case_file,
                            "outcome": entry.outcome, "outcome_detail": entry.outcome_detail,
                            "outcome_on": entry.outcome_on or today})


class AmendmentForm(forms.Form):
    outcome = forms.ChoiceField(choices=ValidationEntry.Outcome.choices,
                                widget=forms.Select(attrs={"class": "usa-select"}))
    outcome_detail = forms.CharField(label="What changed / why retained", required=False,
                                     widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}))
    outcome_on = forms.DateField(label="Date of the outcome", widget=DATE_WIDGET)
    reason = forms.CharField(label="Why the certified list is corrected", max_length=300,
                             widget=forms.TextInput(attrs=USA_INPUT))


class ContactForm(forms.ModelForm):
    class Meta:
        model = ContactLog
        fields = ["who", "method", "contacted_on", "result"]
        widgets = {"who": forms.TextInput(attrs=USA_INPUT), "method": forms.Select(attrs={"class": "usa-select"}),
                   "contacted_on": DATE_WIDGET, "result": forms.TextInput(attrs=USA_INPUT)}


class VoidForm(forms.Form):
    reason = forms.CharField(label="Why void it", max_length=300,
                             widget=forms.TextInput(attrs={**USA_INPUT, "placeholder": "Why void it"}))


class ProcedureVoidForm(forms.Form):
    reason = forms.CharField(label="Why is this version voided?", max_length=300,
                             help_text="Kept in the history and shown beside the voided version.",
                             widget=forms.TextInput(attrs=USA_INPUT))


class CertifyForm(forms.Form):
    name = forms.CharField(label="Typed name (your signature)", max_length=120, widget=forms.TextInput(attrs=USA_INPUT))
    title = forms.CharField(max_length=120, widget=forms.TextInput(attrs=USA_INPUT))
    signed_on = forms.DateField(label="Date", widget=DATE_WIDGET)
    is_affirmed = forms.BooleanField(
        label="I certify that every entry on this list was validated as recorded here (R-VA-3, R-VA-4).",
        widget=forms.CheckboxInput(attrs={"class": "usa-checkbox__input"}))


class ProcedureForm(forms.Form):
    title = forms.CharField(max_length=200, initial="Validation procedure", widget=forms.TextInput(attrs=USA_INPUT))
    version = forms.CharField(max_length=20, widget=forms.TextInput(attrs=USA_INPUT))
    effective_on = forms.DateField(label="Effective on", widget=DATE_WIDGET)
    document = forms.FileField(help_text="PDF or Word, at most 10 MB.",
                               widget=forms.ClearableFileInput(attrs={"class": "usa-file-input",
                                                                      "accept": ".pdf,.docx,.doc"}))


class RegisteredEntryForm(forms.ModelForm):
    """R-VA-2: a record the agency entered, put on its register before any list brings it."""

    class Meta:
        model = RegisteredEntry
        fields = ["nic", "ori", "oca", "record_type", "dte", "subject", "operator"]
        widgets = {"nic": forms.TextInput(attrs=USA_INPUT), "ori": forms.TextInput(attrs=USA_INPUT),
                   "oca": forms.TextInput(attrs=USA_INPUT), "record_type": forms.Select(attrs={"class": "usa-select"}),
                   "dte": DATE_WIDGET, "subject": forms.TextInput(attrs=USA_INPUT),
                   "operator": forms.TextInput(attrs=USA_INPUT)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_type"].queryset = RecordType.objects.filter(is_active=True)

    def clean_nic(self):
        return self.cleaned_data["nic"].strip().upper()

    def clean_ori(self):
        return self.cleaned_data["ori"].strip().upper()
