"""The culture-map pages: one page per lens after the seven value pages, a stored shuffled
order, saving by click and by the plain form, and submit only with exactly N in every lens."""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa

from surveyapp.models import CultureChoice, CultureOrder, Response, ResponseScore
from surveyapp.services import culture_map

FIRST_LENS_PAGE = 8  # after the seven value pages


@pytest.fixture
def period(build, org):
    return build.period([org.root], version=build.culture_version())


def _codes_on(page) -> list[str]:
    return re.findall(r'name="choice" value="([^"]+)"', page.get_data(as_text=True))


def _click(client, period, lens, code, chosen=True):
    return client.post(
        f"/survey/{period.code}/culture",
        data=json.dumps({"lens": lens, "behaviour": code, "chosen": chosen}),
        headers={"Content-Type": "application/json", "X-Autosave": "1"},
    )


def _stored(session, period, employee) -> dict[str, set[str]]:
    response = session.scalar(
        sa.select(Response).where(
            Response.period_id == period.id, Response.employee_id == employee.id
        )
    )
    return culture_map.choices(response)


def test_three_lens_pages_follow_the_values_in_an_order_of_ones_own_kept_on_reload(
    app, period, org, login, session
):
    me = login(org.employee, app.test_client())
    other = login(org.colleague, app.test_client())
    last_value = me.get(f"/survey/{period.code}/page/7").get_data(as_text=True)
    assert 'value="next"' in last_value  # the values lead on to the culture map
    pages = [me.get(f"/survey/{period.code}/page/{n}") for n in (8, 9, 10)]
    assert [p.status_code for p in pages] == [200, 200, 200]
    assert "Diri saya" in pages[0].get_data(as_text=True)
    assert "Unit saya saat ini" in pages[1].get_data(as_text=True)
    assert "Unit saya yang saya harapkan" in pages[2].get_data(as_text=True)
    assert "0 dari 10 dipilih" in pages[0].get_data(as_text=True)
    assert me.get(f"/survey/{period.code}/page/11").status_code == 404
    order = _codes_on(pages[0])
    assert len(order) == 35 and len(set(order)) == 35
    assert _codes_on(me.get(f"/survey/{period.code}/page/8")) == order  # reload
    assert _codes_on(pages[2]) == order  # the same order in every lens
    theirs = _codes_on(other.get(f"/survey/{period.code}/page/8"))
    assert sorted(theirs) == sorted(order) and theirs != order
    canonical = [b.code for b in culture_map.section(period.version).behaviours]
    assert order != canonical
    # The first choice stores the order; the page keeps showing it.
    assert _click(me, period, "self", order[0]).status_code == 200
    stored = session.scalar(sa.select(CultureOrder.codes))
    assert stored == order
    assert _codes_on(me.get(f"/survey/{period.code}/page/9")) == order


def test_clicks_save_at_once_and_an_eleventh_is_refused(app, period, org, login, session):
    me = login(org.employee, app.test_client())
    order = _codes_on(me.get(f"/survey/{period.code}/page/9"))
    for code in order[:10]:
        reply = _click(me, period, "current", code)
        assert reply.status_code == 200
    assert reply.get_json()["count"] == 10
    refused = _click(me, period, "current", order[10])
    assert refused.status_code == 422 and refused.get_json()["error"] == "too_many"
    assert _stored(session, period, org.employee)["current"] == set(order[:10])
    assert _click(me, period, "current", order[0], chosen=False).get_json()["count"] == 9
    assert _click(me, period, "current", order[10]).get_json()["count"] == 10
    assert "10 dari 10 dipilih" in me.get(f"/survey/{period.code}/page/9").get_data(as_text=True)
    assert _click(me, period, "nowhere", order[0]).status_code == 400
    assert _click(me, period, "self", "XX-9").status_code == 404


def test_the_plain_form_refuses_too_many_whole_and_keeps_fewer_with_a_warning(
    app, period, org, login, session
):
    me = login(org.employee, app.test_client())
    order = _codes_on(me.get(f"/survey/{period.code}/page/8"))
    too_many = me.post(f"/survey/{period.code}/page/8", data={"choice": order[:12], "go": "stay"})
    assert too_many.status_code == 422
    text = too_many.get_data(as_text=True)
    assert "Anda mencentang 12 perilaku; pilih tepat 10" in text
    assert text.count("checked") >= 12  # the boxes as the person left them, to untick two
    assert session.scalar(sa.select(sa.func.count()).select_from(CultureChoice)) == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0
    fewer = me.post(
        f"/survey/{period.code}/page/8",
        data={"choice": order[:7], "go": "next"},
        follow_redirects=True,
    )
    assert "7 dari 10 dipilih" in fewer.get_data(as_text=True)
    assert "Pilih 3 lagi" in fewer.get_data(as_text=True)
    assert _stored(session, period, org.employee)["self"] == set(order[:7])
    exact = me.post(f"/survey/{period.code}/page/8", data={"choice": order[3:13], "go": "stay"})
    assert exact.status_code == 303
    assert _stored(session, period, org.employee)["self"] == set(order[3:13])


def _complete(client, period, order, *, skip_last_in=None):
    for lens in ("self", "current", "desired"):
        chosen = order[:10] if lens != skip_last_in else order[:9]
        for code in chosen:
            assert _click(client, period, lens, code).status_code == 200


def test_fewer_than_n_in_a_lens_cannot_submit_and_writes_nothing(
    app, period, org, login, session, build
):
    build.response(period, org.employee, 4, submitted=False)  # every Likert item answered
    me = login(org.employee, app.test_client())
    order = _codes_on(me.get(f"/survey/{period.code}/page/8"))
    _complete(me, period, order, skip_last_in="desired")
    review = me.get(f"/survey/{period.code}/review").get_data(as_text=True)
    assert "Peta budaya belum lengkap" in review and "9 dari 10 dipilih" in review
    assert "Kirim jawaban saya" not in review  # no send button while a lens is short
    sent = me.post(f"/survey/{period.code}/submit", data={"confirm": "1"}, follow_redirects=True)
    text = sent.get_data(as_text=True)
    assert "Pilih tepat 10 perilaku di setiap bagian peta budaya" in text
    assert "Unit saya yang saya harapkan: 9 dari 10" in text
    response = session.scalar(sa.select(Response))
    assert response.state == "draft" and response.submitted_at is None
    assert session.get(ResponseScore, response.id) is None
    assert _click(me, period, "desired", order[9]).status_code == 200
    sent = me.post(f"/survey/{period.code}/submit", data={"confirm": "1"})
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/result")
    session.expire_all()
    assert session.scalar(sa.select(Response)).state == "submitted"
    # Sent is sent: no more clicks.
    assert _click(me, period, "self", order[0], chosen=False).status_code == 409
    assert _stored(session, period, org.employee)["self"] == set(order[:10])


def test_home_and_progress_count_a_complete_lens_as_one_answer(app, period, org, login):
    me = login(org.employee, app.test_client())
    order = _codes_on(me.get(f"/survey/{period.code}/page/8"))
    for code in order[:10]:
        reply = _click(me, period, "self", code)
    assert (reply.get_json()["answered"], reply.get_json()["total"]) == (1, 28 + 3)
    assert "1 dari 31 terjawab" in me.get(f"/survey/{period.code}/page/1").get_data(as_text=True)


def test_a_version_without_the_culture_map_has_no_culture_pages(app, build, org, login):
    plain = build.period([org.root])
    me = login(org.employee, app.test_client())
    assert me.get(f"/survey/{plain.code}/page/8").status_code == 404
    assert _click(me, plain, "self", "BP-1").status_code == 404
