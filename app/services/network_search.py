"""Dutch full-text search of a network's practices, on both databases.

Words are compared in their Snowball Dutch stem (the `dutch` stemmer of `snowballstemmer`,
the Kraaij-Pohlmann variant that also takes off "ge-"), and a query's stems match as prefixes:
"lezen" and "gelezen" both stem to "lees", so "lezen" finds "gelezen", "leest" and the compound
"leesmaatjes" (stem "leesmaa"). A practice keeps its stemmed words in `search_text`.

- SQLite: an FTS5 table `practice_search` (rowid = practice id) holds `search_text`; the query
  is its stems as prefix terms (`"lees"*`), all of them required.
- PostgreSQL: `to_tsvector('dutch', …) @@ plainto_tsquery('dutch', q)` on the practice's own
  words, or the same stems as prefixes (`lees:*`) on `to_tsvector('simple', search_text)`:
  PostgreSQL's own `dutch` dictionary is the older stemmer, which keeps "gelez" apart from "lez".
"""

import re
from functools import cache

import snowballstemmer
from sqlalchemy import ColumnElement, func, literal_column, or_, text
from sqlmodel import Session, col

from app.models.network import Practice

WORD = re.compile(r"[^\W_]+")  # letters and digits: safe inside FTS5 and tsquery syntax
MAX_TERMS = 8


@cache
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("dutch")


def stems(words: str) -> list[str]:
    found = [w for w in WORD.findall(words.lower()) if not w.isdigit() or len(w) > 1]
    return [s for s in _stemmer().stemWords(found) if s]


def words_of(practice: Practice) -> str:
    parts = (practice.title, practice.text, practice.strength, practice.needs, practice.theme)
    return " ".join(parts)


def index(session: Session, practice: Practice) -> None:
    """Keep the practice's stems; on SQLite also in the FTS5 table (a new practice only)."""
    practice.search_text = " ".join(stems(words_of(practice)))[:20000]
    if _dialect(session) == "sqlite":
        session.flush()
        session.exec(  # type: ignore[call-overload]
            text("INSERT INTO practice_search (rowid, words) VALUES (:id, :words)"),
            params={"id": practice.id, "words": practice.search_text},
        )


def matches(session: Session, query: str) -> ColumnElement[bool] | None:
    """A condition on Practice for the query, or None when it has no words to look for."""
    terms = list(dict.fromkeys(stems(query)))[:MAX_TERMS]
    if not terms:
        return None
    if _dialect(session) == "sqlite":
        fts = " ".join(f'"{term}"*' for term in terms)  # stems are letters and digits only
        found = text("SELECT rowid FROM practice_search WHERE practice_search MATCH :q")
        return col(Practice.id).in_(found.bindparams(q=fts))
    body = func.concat_ws(" ", Practice.title, Practice.text, Practice.strength, Practice.theme)
    dutch = func.to_tsvector(literal_column("'dutch'"), body).op("@@")(
        func.plainto_tsquery(literal_column("'dutch'"), query)
    )
    prefixes = " & ".join(f"{term}:*" for term in terms)
    stemmed = func.to_tsvector(literal_column("'simple'"), Practice.search_text).op("@@")(
        func.to_tsquery(literal_column("'simple'"), prefixes)
    )
    return or_(dutch, stemmed)


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name
