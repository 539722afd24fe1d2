"""Forms of the agreements register; they keep what the user typed and say what is wrong in plain words."""

from django import forms

from common.widgets import PersonSearch
from people.models import Person

from .models import Agreement, AgreementParty, AgreementReview, AgreementSignatory

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["kind", "title", "effective_on", "ends_on", "notes"]
        widgets = {"effective_on": DATE, "ends_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}


class PartyForm(forms.ModelForm):
    class Meta:
        model = AgreementParty
        fields = ["name", "ori"]

    def clean_ori(self):
        return self.cleaned_data["ori"].strip().upper()


class _PeopleOfAgency:
    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.person_fields:
            self.fields[name].widget = PersonSearch(scope="")  # a search field, never a list of everyone (issue 23)
            self.fields[name].queryset = people if people is not None else Person.objects.none()


class SignatoryForm(_PeopleOfAgency, forms.ModelForm):
    person_fields = ("person",)

    class Meta:
        model = AgreementSignatory
        fields = ["person", "name", "signer_title", "signed_on", "is_signing_official"]
        widgets = {"signed_on": DATE}
        labels = {"name": "Name (another party's signatory)"}

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("person") and not cleaned.get("name", "").strip():
            self.add_error("name", "Choose one of the agency's people, or type the other party's signatory's name.")
        return cleaned


class ReviewForm(_PeopleOfAgency, forms.ModelForm):
    person_fields = ("reviewed_by",)

    class Meta:
        model = AgreementReview
        fields = ["reviewed_on", "reviewed_by", "notes"]
        widgets = {"reviewed_on": DATE}


class DocumentForm(forms.Form):
    document = forms.FileField(label="Signed document", help_text="PDF, PNG or JPEG, at most 10 MB.",
                               widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))


class VoidForm(forms.Form):
    reason = forms.CharField(max_length=300, label="Why is this agreement voided?")
