"""The accessibility statement: public, in both languages, reachable from every page."""

from app.models import User


def test_anyone_can_read_the_statement_in_dutch(client):
    answer = client.get("/toegankelijkheid")
    assert answer.status_code == 200
    html = answer.text
    assert '<html lang="nl">' in html
    assert "<h1>Toegankelijkheidsverklaring</h1>" in html
    for said in ("WCAG 2.2 niveau AA", "EN 301 549", "axe-core", "Bekende beperkingen"):
        assert said in html
    assert "Feedback en contact" in html


def test_the_statement_in_english_without_changing_the_language_for_later(client):
    html = client.get("/toegankelijkheid?lang=en").text
    assert '<html lang="en">' in html
    assert "<h1>Accessibility statement</h1>" in html
    assert "Known limitations" in html
    assert "bord_lang" not in client.cookies
    assert '<html lang="nl">' in client.get("/toegankelijkheid").text


def test_the_login_page_and_every_page_footer_link_to_it(client, factory):
    login = client.get("/login").text
    assert login.count('href="/toegankelijkheid"') == 2  # the login card and the footer
    w = factory.world()
    factory.login(w.teacher)
    for path in ("/", f"/boards/{w.board.id}", "/me"):
        html = client.get(path).text
        assert '<footer class="site-footer">' in html
        assert 'href="/toegankelijkheid">Toegankelijkheid</a>' in html, path


def test_someone_who_chose_english_reads_it_in_english(client, factory):
    w = factory.world()
    with factory.session() as s:
        teacher = s.get(User, w.teacher.id)
        teacher.locale = "en"
        s.add(teacher)
        s.commit()
    factory.login(w.teacher)
    html = client.get("/toegankelijkheid").text
    assert "<h1>Accessibility statement</h1>" in html
    assert 'href="/toegankelijkheid">Accessibility</a>' in html
