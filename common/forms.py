"""Form helpers every app's views share."""

from django.core.exceptions import ValidationError


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's validation error on the form (on its field where there is one), keeping what was typed."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def error_text(error: ValidationError) -> str:
    """A service's refusal as one line for a message (every message, field errors included)."""
    return " ".join(error.messages)


def call_service(form, service, /, **arguments):
    """Validate ``form``, then call ``service(**arguments, **form.cleaned_data)``.

    Returns ``(True, what the service returned)``, or ``(False, None)`` when the form or the service refused:
    the errors are then on the form (on their field where there is one), with what the user typed.
    """
    if not form.is_valid():
        return False, None
    try:
        return True, service(**arguments, **form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return False, None
