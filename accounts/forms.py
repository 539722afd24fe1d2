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


class InvitationForm(forms.Form):
    username = forms.CharField(
        label="User name", max_length=150, help_text="What the person types to sign in, e.g. jsmith.",
        widget=forms.TextInput(attrs={"class": "usa-input", "autocomplete": "off"}),
    )
    email = forms.EmailField(label="E-mail", help_text="The invitation link goes here.",
                             widget=forms.EmailInput(attrs={"class": "usa-input"}))
    role = forms.ChoiceField(label="Role", help_text="What the person may see; more roles can be added later.",
                             widget=forms.Select(attrs={"class": "usa-select"}))

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles

    def clean_username(self):
        from django.contrib.auth.validators import UnicodeUsernameValidator

        value = self.cleaned_data["username"].strip()
        UnicodeUsernameValidator()(value)
        return value


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", widget=forms.Select(attrs={"class": "usa-select"}))
    is_alternate = forms.BooleanField(label="Alternate (for a LEDS Representative)", required=False,
                                      widget=forms.CheckboxInput(attrs={"class": "usa-checkbox__input"}))

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Reason", max_length=500, help_text="Kept in the security log.",
                             widget=forms.TextInput(attrs={"class": "usa-input"}))


class AcceptInvitationForm(forms.Form):
    password1 = forms.CharField(
        label="New password", strip=False,
        widget=forms.PasswordInput(attrs={"class": "usa-input", "autocomplete": "new-password"}),
        help_text="At least 8 characters. A few ordinary words with spaces make a good one; no symbols required.",
    )
    password2 = forms.CharField(
        label="New password again", strip=False,
        widget=forms.PasswordInput(attrs={"class": "usa-input", "autocomplete": "new-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        from django.contrib.auth.password_validation import validate_password
        from django.core.exceptions import ValidationError

        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ; type the same password twice.")
        elif first:
            try:
                validate_password(first, self.user)
            except ValidationError as error:
                self.add_error("password1", error)
        return data
