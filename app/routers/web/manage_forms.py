"""Form messages of the school-management pages (teams, boards, schools): what a service's
refusal or a field's rule says, in the words of the people who fill the forms in."""

from app import i18n
from app.errors import Invalid
from app.routers.web import forms
from app.routers.web.forms import N_

# The services' messages (English, as the API gives them) and what the page says instead.
SERVICE_MESSAGES = {
    "a team with this name exists": N_("Er is al een team met deze naam."),
    "a school with this slug exists": N_("Er is al een school met dit webadres."),
    "a school with this brin exists": N_("Er is al een school met deze BRIN-code."),
    "only an IB'er can create a care board": N_(
        "Een zorgbord hoort bij een IB'er: vul het e-mailadres van de IB'er in."
    ),
    "no IB'er of this school has this email": N_(
        "Geen IB'er van deze school heeft dit e-mailadres."
    ),
    "only a leader names the IB'er of a care board": N_(
        "Alleen een schoolleider kiest de IB'er van een zorgbord."
    ),
    "may not be empty": forms.REQUIRED,
}
# Fields whose rule a general message would not explain.
FIELD_MESSAGES = {
    "brin": N_("Een BRIN-code is 2 cijfers en dan 2 letters of cijfers, bijvoorbeeld 12AB."),
    "slug": N_("Gebruik alleen kleine letters, cijfers en streepjes, bijvoorbeeld de-vlinder."),
    "time_zone": N_("Kies een tijdzone uit de lijst."),
}


def form_errors(
    exc: forms.FormErrors | Invalid, locale: str, shown: tuple[str, ...]
) -> dict[str, str]:
    """Messages keyed by field (forms.GENERAL for the form as a whole)."""
    if isinstance(exc, Invalid):
        message = SERVICE_MESSAGES.get(exc.message, forms.BAD_VALUE)
        return forms.translate({exc.field: (message, {})}, locale, shown)
    errors = dict(exc.errors)
    required = i18n.gettext(locale, forms.REQUIRED)
    for field, message in FIELD_MESSAGES.items():
        if field in errors and errors[field] != required:
            errors[field] = i18n.gettext(locale, message)
    return errors
