"""Who a name on a card means. An action's owner ("Wie") and a plan item's `who` are names typed
on the board, not links to users; this is the one rule that reads them as a user.
"""

import re

from app.models import User

# "Ans en Piet", "Ans, Piet", "Ans & Piet", "Ans/Piet", "Ans + Piet", "Ans and Piet"
_SEPARATORS = re.compile(r"\s*(?:[,;/&+]|\ben\b|\band\b)\s*", re.IGNORECASE)


def names_me(text: str, user: User) -> bool:
    """Whether `text` names `user`: one of the names it lists (split at commas, "en", "&" and the
    like) reads as the user's full name or first name, ignoring case and surrounding spaces. As
    on the start page (services/home.py), two colleagues with one first name on one board are
    both named: better asked twice than forgotten. An empty name names nobody."""
    full = " ".join(user.name.split()).casefold()
    if not full:
        return False
    mine = {full, full.split()[0]}
    return any(" ".join(name.split()).casefold() in mine for name in _SEPARATORS.split(text))
