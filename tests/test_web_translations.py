"""The English catalog covers every Dutch source string, and the compiled .mo matches the .po."""

from io import BytesIO
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "app/translations/en/LC_MESSAGES/messages.po"
MO = PO.with_suffix(".mo")


def _plain(value):
    return tuple(value) if isinstance(value, list | tuple) else value


def _messages(catalog) -> dict:
    return {_plain(m.id): _plain(m.string) for m in catalog if m.id}


def _extracted() -> set:
    with open(ROOT / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    return {msg for _f, _l, msg, _c, _ctx in extract_from_dir(ROOT, method_map, options_map)}


def test_every_source_string_is_in_the_english_catalog():
    with open(PO, "rb") as f:
        catalog = read_po(f)
    missing = _extracted() - set(_messages(catalog))
    assert not missing, (
        f"run pybabel extract/update: not in messages.po: {sorted(map(str, missing))}"
    )


def test_every_message_has_an_english_translation():
    with open(PO, "rb") as f:
        catalog = read_po(f)
    untranslated = [
        m.id
        for m in catalog
        if m.id and (m.fuzzy or not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    assert untranslated == []


def test_compiled_catalog_is_up_to_date():
    with open(PO, "rb") as f:
        from_po = read_po(f)
    buffer = BytesIO()
    write_mo(buffer, from_po)
    buffer.seek(0)
    with open(MO, "rb") as f:
        committed = read_mo(f)
    assert _messages(committed) == _messages(read_mo(buffer)), (
        "messages.mo is stale: run pybabel compile -d app/translations"
    )


def test_dates_and_weeks_are_written_as_dutch_teachers_write_them():
    from datetime import date

    from app import formatting

    assert formatting.day(date(2026, 11, 23), "nl") == "ma 23 nov"
    assert formatting.day(date(2026, 11, 23), "en") == "Mon 23 Nov"
    assert formatting.week_number(date(2026, 11, 23)) == 48


# --- `_()` in the templates (app/templating.quick_gettext) -----------------------------------

SAYINGS = [
    ("Te laat", {}),  # a plain string, translated
    ("%(pct)s%% van het doel bereikt", {"pct": 40}),  # with a value, and a literal %
    ("%(pct)s%% van het doel bereikt", {"pct": "<b>40</b>"}),  # a value is escaped
    ("Niet vertaald: <b>&</b> 100%%", {}),  # no catalog entry: the source, formatted
]


def _said(env, source: str, message: str, values: dict) -> str:
    return env.from_string(source).render(message=message, values=values)


def test_underscore_says_what_the_extensions_gettext_says():
    """Escaped in an HTML template, plain in a text one, formatted with its values, translated,
    whether asked once or again (the translation without values is kept)."""
    from app.templating import templates_for

    for locale in ("nl", "en"):
        env = templates_for(locale).env
        for message, values in SAYINGS:
            for autoescape in ("true", "false"):
                block = "{%% autoescape %s %%}{{ %s(message, **values) }}{%% endautoescape %%}"
                ours, theirs = block % (autoescape, "_"), block % (autoescape, "gettext")
                expected = _said(env, theirs, message, values)
                assert _said(env, ours, message, values) == expected
                assert _said(env, ours, message, values) == expected
    english = templates_for("en").env
    assert _said(english, "{{ _(message) }}", "Te laat", {}) == "Late"
    escaped = _said(english, "{{ _(message, pct=values) }}", "%(pct)s%% blij", "<i>")
    assert escaped == "&lt;i&gt;% happy"
