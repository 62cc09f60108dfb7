"""Reading a pasted list of colleagues: one a line, "Naam <adres>", "adres, naam", "naam;adres"
or just the address, as people copy them from a spreadsheet or a mail client."""

import re

MAX_LINES = 200
# Stricter than RFC 5322 on purpose: what a school's mail address looks like, with a dot in
# the domain, and none of the characters that separate the parts of a pasted line.
ADDRESS = re.compile(r"^[^@\s<>,;()\"'\[\]]+@[^@\s<>,;()\"'\[\]]+\.[^@\s<>,;()\"'\[\].]+$")
ANGLE = re.compile(r'^\s*"?([^"<]*?)"?\s*<([^<>]*)>\s*[,;]?\s*$')


def is_address(text: str) -> bool:
    return bool(ADDRESS.match(text)) and len(text) <= 254


def parse_line(line: str) -> tuple[str, str | None]:
    """(name, address); the address is None when the line holds none, or more than one."""
    if match := ANGLE.match(line):
        return match[1].strip(), match[2].strip()
    parts = [p.strip() for p in re.split(r"[;,\t]", line) if p.strip()]
    if len(parts) == 1:
        parts = line.split()
    addresses = [p for p in parts if "@" in p]
    if len(addresses) != 1:
        return " ".join(parts), None
    name = " ".join(p for p in parts if p is not addresses[0])
    return name.strip(" \"'"), addresses[0]


def parse_list(text: str) -> list[tuple[int, str, str | None]]:
    """(line number, name, address) for every line that is not blank."""
    return [
        (number, *parse_line(line))
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]


def name_from(address: str) -> str:
    """A name to start with when the list gave none: "anna.de.vries@…" → "Anna De Vries"."""
    return re.sub(r"[._-]+", " ", address.split("@", 1)[0]).strip().title() or address
