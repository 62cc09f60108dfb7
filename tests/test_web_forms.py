"""Web forms speak the reader's language: refusals by pydantic's error type (never its English
wording), decimals read and numbers shown as the reader's locale writes them."""

import re

import pytest
from pydantic import BaseModel, field_validator
from pydantic_core import PydanticCustomError

from app import formatting
from app.errors import Invalid
from app.models import Action, Measurement, ScreenLink
from app.models.notes import IdeaCreate
from app.web import forms
from tests.factories import form_token

HX = {"HX-Request": "true"}


def speak(client, csrf: str, locale: str) -> None:
    """The language switch in the page header, as the user clicks it."""
    answer = client.post(
        "/locale", data={"locale": locale, "next": "/", "csrf_token": csrf}, follow_redirects=False
    )
    assert answer.status_code == 303


def field_error(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}-error">([^<]*)<', html)
    assert found, html
    return found.group(1)


def add_goal(client, factory, board_id: int, lead: dict, unit: str = "%") -> int:
    answer = client.post(
        f"/api/v1/boards/{board_id}/goals", json={"title": "Lezen", "unit": unit}, headers=lead
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


# --- refusals in the reader's language ----------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "dutch", "english"),
    [
        ({"title": "  "}, "Vul dit veld in.", "Please fill in this field."),
        (
            {"title": "x" * 201},
            "Dit is te lang: hoogstens 200 tekens.",
            "This is too long: at most 200 characters.",
        ),
        (
            {"title": "Lezen", "due": "31-02-2026"},
            "Vul een geldige datum in.",
            "Please enter a valid date.",
        ),
        (
            {"title": "Lezen", "due": "1999-12-31"},
            "Kies een datum tussen 2000 en 2100.",
            "Choose a date between 2000 and 2100.",
        ),
    ],
)
def test_the_same_bad_input_is_refused_in_dutch_and_in_english(
    client, factory, data, dutch, english
):
    w = factory.world()
    csrf = factory.login(w.teacher)
    field = "due" if "due" in data else "title"
    for locale, expected in (("nl", dutch), ("en", english)):
        speak(client, csrf, locale)
        answer = client.post(
            f"/boards/{w.board.id}/actions", data=data, headers={**HX, "X-CSRF-Token": csrf}
        )
        assert answer.status_code == 422
        assert field_error(answer.text, f"add-actions-{field}") == expected
    assert factory.all(Action) == []


def test_the_message_follows_the_error_type_whatever_pydantic_says():
    """Pydantic's `msg` may read anything: the message comes from the type and its ctx."""
    too_long = {
        "type": "string_too_long",
        "loc": ("title",),
        "msg": "Zorgflanz wibbel: some future wording",
        "ctx": {"max_length": 2000},
    }
    assert forms.message(too_long, "nl") == "Dit is te lang: hoogstens 2.000 tekens."
    assert forms.message(too_long, "en") == "This is too long: at most 2,000 characters."
    custom = {"type": "date_out_of_range", "loc": ("due",), "msg": "???"}
    assert forms.message(custom, "en") == "Choose a date between 2000 and 2100."
    unknown = {"type": "never_heard_of", "loc": ("due",), "msg": "Choose a date"}
    assert forms.message(unknown, "en") == "This value is not right."


def test_a_custom_error_type_of_a_model_is_translated_and_its_wording_ignored():
    class Odd(BaseModel):
        text: str

        @field_validator("text")
        @classmethod
        def refuse(cls, value: str) -> str:
            raise PydanticCustomError("text_nul", "Vul een getal in (misleading wording)")

    with pytest.raises(forms.FormErrors) as refused:
        forms.parse(Odd, {"text": "a"}, "en", ("text",))  # type: ignore[arg-type]
    assert refused.value.errors == {"text": "This text contains a character that is not allowed."}


def test_a_field_may_have_its_own_message_and_a_hidden_field_reports_on_the_form():
    with pytest.raises(forms.FormErrors) as refused:
        forms.parse(
            IdeaCreate,
            {"text": ""},
            "nl",
            ("text",),
            overrides={"text": forms.NOT_A_NAME},
        )
    assert refused.value.errors == {"text": forms.NOT_A_NAME}
    with pytest.raises(forms.FormErrors) as refused:
        forms.parse(IdeaCreate, {"text": "bad\x00"}, "en", ("text",), shown=())
    assert refused.value.errors == {
        forms.GENERAL: "This text contains a character that is not allowed."
    }


def test_a_services_refusal_is_translated_by_its_kind_not_its_text():
    refusal = Invalid("goal_id", "any English the API may say", "unknown_goal")
    assert forms.from_invalid(refusal, "nl", ("goal_id",)) == {
        "goal_id": "Dat doel staat niet op dit bord."
    }
    assert forms.from_invalid(refusal, "en", ("goal_id",)) == {
        "goal_id": "That goal is not on this board."
    }


def test_a_password_refusal_is_translated_by_its_kind_on_every_page_that_sets_one():
    too_long = Invalid("new_password", "at least 8 characters", "password_too_long")
    assert forms.from_invalid(too_long, "nl", ("new_password",)) == {
        "new_password": "Dit wachtwoord is te lang."
    }
    too_short = Invalid("password", "at most 1024 characters", "password_too_short")
    assert forms.from_invalid(too_short, "en", ("password",)) == {
        "password": "Choose a password of at least 8 characters."
    }


def test_the_login_form_names_each_empty_field_in_its_own_words_in_english(client):
    token = form_token(client, "/login?lang=en")
    answer = client.post("/login", data={"email": " ", "password": "", "csrf_token": token})
    assert answer.status_code == 422
    assert field_error(answer.text, "login-email") == "Please enter your email address."
    assert field_error(answer.text, "login-password") == "Please enter your password."
    answer = client.post(
        "/login", data={"email": "x" * 255, "password": "secret", "csrf_token": token}
    )
    assert answer.status_code == 422
    assert field_error(answer.text, "login-email") == "This is too long: at most 254 characters."


def test_a_screen_link_with_a_bad_label_is_refused_by_its_form_in_the_readers_language(
    client, factory
):
    w = factory.world()
    csrf = factory.login(w.teacher)
    headers = {**HX, "X-CSRF-Token": csrf}
    for locale, expected in (
        ("nl", "Deze tekst bevat een teken dat niet kan."),
        ("en", "This text contains a character that is not allowed."),
    ):
        speak(client, csrf, locale)
        answer = client.post(
            f"/boards/{w.board.id}/screens", data={"label": "Tv\x00"}, headers=headers
        )
        assert answer.status_code == 422
        assert field_error(answer.text, "screen-label") == expected
    too_long = client.post(
        f"/boards/{w.board.id}/screens", data={"label": "x" * 121}, headers=headers
    )
    assert field_error(too_long.text, "screen-label") == "This is too long: at most 120 characters."
    elsewhere = client.post(
        f"/boards/{w.other_board.id}/screens", data={"label": "Tv\x00"}, headers=headers
    )
    assert elsewhere.status_code == 404
    assert factory.all(ScreenLink) == []


# --- decimals in and out ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "typed", "stored"),
    [("nl", "7,5", 7.5), ("en", "7.5", 7.5), ("nl", "1.234,5", 1234.5), ("en", "-3", -3.0)],
)
def test_a_measurement_is_read_as_the_readers_locale_writes_it(
    client, factory, locale, typed, stored
):
    w = factory.world()
    goal = add_goal(client, factory, w.board.id, factory.api(w.leader), unit="boeken")
    csrf = factory.login(w.teacher)
    speak(client, csrf, locale)
    answer = client.post(
        f"/goals/{goal}/measurements",
        data={"value": typed, "date": "2026-11-20"},
        headers={**HX, "X-CSRF-Token": csrf},
    )
    assert answer.status_code == 200, answer.text
    assert [m.value for m in factory.all(Measurement)] == [stored]


@pytest.mark.parametrize(
    ("locale", "typed", "message"),
    [
        # a Dutch dot groups thousands: "7.5" is refused, never read as 75
        ("nl", "7.5", "Vul een getal in, bijvoorbeeld 7 of 7,5."),
        ("en", "7,5", "Please enter a number, for example 7 or 7.5."),
        ("en", "seven", "Please enter a number, for example 7 or 7.5."),
        ("en", "", "Please fill in this field."),
    ],
)
def test_a_measurement_not_written_as_the_locale_writes_numbers_is_refused(
    client, factory, locale, typed, message
):
    w = factory.world()
    goal = add_goal(client, factory, w.board.id, factory.api(w.leader), unit="boeken")
    csrf = factory.login(w.teacher)
    speak(client, csrf, locale)
    answer = client.post(
        f"/goals/{goal}/measurements",
        data={"value": typed, "date": "2026-11-20"},
        headers={**HX, "X-CSRF-Token": csrf},
    )
    assert answer.status_code == 422
    assert field_error(answer.text, f"measure-{goal}-value") == message
    assert factory.all(Measurement) == []


def test_the_overview_shows_a_decimal_as_the_leaders_language_writes_it(client, factory):
    w = factory.world()
    lead = factory.api(w.leader)
    goal = add_goal(client, factory, w.board.id, lead)
    answer = client.post(
        f"/api/v1/goals/{goal}/measurements",
        json={"date": "2026-11-20", "value": 7.5},
        headers=lead,
    )
    assert answer.status_code == 201
    csrf = factory.login(w.leader)
    for locale, shown in (("nl", "7,5 %"), ("en", "7.5 %")):
        speak(client, csrf, locale)
        page = client.get(f"/schools/{w.school.id}/overview")
        assert page.status_code == 200
        assert f'<span class="ov-goal-value">{shown}' in page.text


def test_one_formatter_for_numbers_in_each_language():
    assert formatting.number(1234.5, "nl") == "1.234,5"
    assert formatting.number(1234.5, "en") == "1,234.5"
    assert formatting.number(80.0, "nl") == "80"
    assert formatting.number(None, "en") == "–"
    assert formatting.decimal(3, "nl") == "3,0"  # a mood average keeps its one decimal
    assert formatting.decimal(4.5, "en") == "4.5"
    assert formatting.parse_decimal(" 1.234,5 ", "nl") == 1234.5
    with pytest.raises(ValueError):
        formatting.parse_decimal("NaN", "en")
