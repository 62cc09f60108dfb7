"""Form messages of the school-management pages (teams, boards, schools): the rule of a field
that a general message would not explain, keyed by field and error type like every message."""

from app.errors import Invalid
from app.web import forms
from app.web.forms import N_

BRIN_RULE = N_("Een BRIN-code is 2 cijfers en dan 2 letters of cijfers, bijvoorbeeld 12AB.")
SLUG_RULE = N_("Gebruik alleen kleine letters, cijfers en streepjes, bijvoorbeeld de-vlinder.")

# A refusal of the field's form is explained by its rule; being empty or taken says so.
OVERRIDES: forms.Overrides = {
    "brin": BRIN_RULE,
    ("brin", "missing"): forms.REQUIRED,
    ("brin", "brin_taken"): forms.BRIN_TAKEN,
    "slug": SLUG_RULE,
    ("slug", "missing"): forms.REQUIRED,
    ("slug", "slug_taken"): forms.SLUG_TAKEN,
    ("leader_email", "string_pattern_mismatch"): forms.BAD_ADDRESS,
}


def form_errors(
    exc: forms.FormErrors | Invalid, locale: str, shown: tuple[str, ...]
) -> dict[str, str]:
    """Messages keyed by field (forms.GENERAL for the form as a whole)."""
    if isinstance(exc, Invalid):
        return forms.from_invalid(exc, locale, shown, OVERRIDES)
    return exc.errors
