"""What every download shares: a file name that says what it holds, and the header that gives it.

Browsers read `filename*` (RFC 5987, UTF-8), so "overzicht-één-school" arrives as written; the
plain `filename` beside it is the ASCII fallback for clients that know only that one.
"""

import re
import unicodedata
from datetime import date
from urllib.parse import quote

SLUG_LENGTH = 60


def slug(text: str) -> str:
    """'Groep 5/6 – De Vlinder' → 'groep-5-6-de-vlinder': letters and digits, joined by dashes."""
    plain = unicodedata.normalize("NFKC", text).casefold()
    words = re.findall(r"\w+", plain.replace("_", " "))
    return "-".join(words)[:SLUG_LENGTH].strip("-")


def file_name(kind: str, subject: str, when: date | str, extension: str) -> str:
    """`kind-subject-when.ext`: 'acties-teambord-2026-11-30.xlsx', 'bordsessie-x-2026-W48.md'
    (a subject of only signs is left out)."""
    stamp = when.isoformat() if isinstance(when, date) else when
    return "-".join(part for part in (kind, slug(subject), stamp) if part) + f".{extension}"


def attachment(name: str) -> dict[str, str]:
    """The Content-Disposition header that saves the answer as `name`."""
    fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    fallback = re.sub(r"[^A-Za-z0-9._-]", "_", fallback) or "download"
    return {
        "Content-Disposition": f'attachment; filename="{fallback}"; '
        f"filename*=UTF-8''{quote(name, safe='')}"
    }
