"""A leader's overview shows the leernetwerken their schools' people take part in: per school,
the practices shared and adopted (counts and titles), nothing else of the network."""

import pytest

from app.models import Membership, Role
from tests.test_networks import API, PRIVATE, Net


@pytest.fixture
def net(client, factory) -> Net:
    return Net(client, factory)


QUESTION = "MARKER-VRAAG-3381: wie heeft tips?"


def fill(client, net: Net) -> dict:
    """De Regenboog's teacher shares two practices; De Klimop adopts one; a question is asked."""
    w = net.w
    practice = net.share(title="Leesmaatjes", text=f"Groep 7 leest met groep 3. {PRIVATE}")
    net.share(title="Rekenmuur", text="Een muur vol rekendoelen.")
    r = client.post(
        f"{API}/practices/{practice['id']}/adopt",
        json={"board_id": w.other_board.id},
        headers=net.h(w.other_teacher),
    )
    assert r.status_code == 201
    r = client.post(
        f"{API}/networks/{net.id}/questions", json={"text": QUESTION}, headers=net.h(w.teacher)
    )
    assert r.status_code == 201
    return practice


def test_a_schools_overview_counts_what_it_shared_and_adopted_per_network(client, net):
    w = net.w
    fill(client, net)
    r = client.get(f"{API}/schools/{w.school.id}/overview", headers=net.h(w.leader))
    assert r.status_code == 200
    [line] = r.json()["networks"]
    assert line["name"] == "Leesnetwerk regio"
    [mine] = line["schools"]
    assert mine["school_id"] == w.school.id
    assert (mine["shared"], mine["adopted"]) == (2, 0)
    assert mine["shared_titles"] == ["Rekenmuur", "Leesmaatjes"]
    r = client.get(f"{API}/schools/{w.other_school.id}/overview", headers=net.h(w.other_leader))
    [klimop] = r.json()["networks"][0]["schools"]
    assert (klimop["shared"], klimop["adopted"]) == (0, 1)
    assert klimop["adopted_titles"] == ["Leesmaatjes"]
    for answer in (r, client.get(f"{API}/schools/{w.school.id}/overview", headers=net.h(w.leader))):
        assert PRIVATE not in answer.text and "MARKER-VRAAG" not in answer.text
    # on the page
    net.f.login(w.leader)
    page = client.get(f"/schools/{w.school.id}/overview").text
    section = page.split('id="ov-networks"')[1].split("</section>")[0]
    assert "Leesnetwerk regio" in section and "Leesmaatjes" in section
    assert PRIVATE not in page and "MARKER-VRAAG" not in page


def test_a_bestuur_sees_each_network_by_school(client, net):
    w = net.w
    fill(client, net)
    # the Regenboog's leader is also the Klimop's: a bestuur of two schools
    net.f._save(Membership(user_id=w.leader.id, school_id=w.other_school.id, role=Role.leader))
    net.f.login(w.leader)
    page = client.get("/overview")
    assert page.status_code == 200
    table = page.text.split('id="ov-networks"')[1].split("</section>")[0]
    rows = table.split("<tr>")[2:]
    assert [r.split('scope="row">')[1].split("<")[0] for r in rows] == ["De Klimop", "De Regenboog"]
    klimop, regenboog = rows
    assert "<td>0</td>\n        <td>1</td>" in klimop and "Leesmaatjes" in klimop
    assert "<td>2</td>\n        <td>0</td>" in regenboog and "Rekenmuur" in regenboog
    assert PRIVATE not in page.text and "MARKER-VRAAG" not in page.text


def test_no_network_no_line_and_others_see_no_overview(client, net):
    w = net.w
    fill(client, net)
    lone = net.f.school("De Vlinder")
    leader = net.f.user(lone, Role.leader, name="Vera Vlinder")
    r = client.get(f"{API}/schools/{lone.id}/overview", headers=net.h(leader))
    assert r.status_code == 200 and r.json()["networks"] == []
    net.f.login(leader)
    assert "Leesnetwerk regio" not in client.get("/overview").text
    # a member of the network who leads nothing has no overview; nor does an outsider's leader
    assert (
        client.get(f"{API}/schools/{w.school.id}/overview", headers=net.h(w.teacher)).status_code
        == 404
    )
    r = client.get(f"{API}/schools/{w.school.id}/overview", headers=net.h(w.other_leader))
    assert r.status_code == 404
