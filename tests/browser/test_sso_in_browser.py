"""An invited colleague signs in with the school's own account in Chromium, through the real
provider's login and consent pages, and lands on Bord signed in; logging out ends it."""

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from app import clock
from app.config import OidcProvider
from app.models import IdentityLink, Invitation, Role, SchoolSignIn
from tests.factories import Factory
from tests.oidc_provider import provider

ACCOUNTS = {"anna": {"email": "anna@deklimop.nl", "email_verified": True, "name": "Anna Bakker"}}


@pytest.fixture
def issuer(restartable_server):
    callback = f"{restartable_server.url}/login/sso/callback"
    with provider(ACCOUNTS, redirect_uri=callback) as url:
        yield url


def test_an_invited_colleague_signs_in_with_the_school_account(
    page: Page, app, live_server, issuer
):
    app.state.settings.oidc_providers["klimop"] = OidcProvider(
        title="De Klimop", issuer=issuer, client_id="bord", client_secret="bord-secret"
    )
    factory = Factory(app, None)  # type: ignore[arg-type]
    school = factory.school("De Klimop", "de-klimop")
    factory._save(SchoolSignIn(school_id=school.id, provider="klimop", domains="deklimop.nl"))
    factory._save(
        Invitation(
            school_id=school.id,
            email="anna@deklimop.nl",
            name="Anna",
            role=Role.teacher,
            token_hash="x",
            expires_at=clock.now() + timedelta(days=3),
        )
    )

    page.goto(f"{live_server}/login")
    page.get_by_label("Je e-mailadres op school").fill("anna@deklimop.nl")
    page.get_by_role("button", name="Inloggen met je schoolaccount").click()
    page.locator("input[name=login]").fill("anna")
    page.locator("input[name=password]").fill("wat-dan-ook")
    page.locator("button[type=submit]").click()
    page.locator("button[type=submit]").click()  # the provider's consent: continue
    expect(page).to_have_url(f"{live_server}/")
    expect(page.locator(".user-name")).to_have_text("Anna Bakker")
    assert [link.subject for link in factory.all(IdentityLink)] == ["anna"]

    page.get_by_role("button", name="Uitloggen").click()
    expect(page).to_have_url(f"{live_server}/login")
    page.goto(f"{live_server}/")
    expect(page).to_have_url(f"{live_server}/login?next=/")
