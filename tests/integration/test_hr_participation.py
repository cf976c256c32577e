"""HR participation: the dashboard, the list of who has not submitted and its download (S03,
S20)."""

from __future__ import annotations

import html
import io
import re

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from surveyapp.models import AuditLog
from tests.factories import download_export


@pytest.fixture
def period(build, org):
    period = build.period([org.root])
    build.response(period, org.employee)  # Bidang A1, submitted
    build.response(period, org.colleague, submitted=False)  # Bidang A1, draft
    build.response(period, org.other)  # Dinas B, submitted
    return period  # hr_a, hr_b and admin have not started


def _rows(page: str) -> dict[str, list[str]]:
    """Table rows by their first cell's unit code, numbers as shown."""
    found = {}
    for row in re.findall(r"<tr>(.*?)</tr>", page, re.S):
        code = re.search(r'<span class="muted">([^<]+)</span>', row)
        if code:
            found[code.group(1)] = [
                re.sub(r"<[^>]+>", "", c).strip()
                for c in re.findall(r'<td class="num"[^>]*>(.*?)</td>', row, re.S)
            ]
    return found


def test_dashboard_counts_the_hr_subtree(hr_client, period):
    page = hr_client.get(f"/hr/?period={period.id}").get_data(as_text=True)
    rows = _rows(page)
    # eligible, submitted, draft, not started, participation
    assert rows["DINAS-A"] == ["3", "1", "1", "1", "33,3%"]
    assert rows["A-1"] == ["2", "1", "1", "0", "50,0%"]
    assert "DINAS-B" not in rows and "Dinas B" not in page and "Made Wirawan" not in page
    total = re.search(r"<tfoot>(.*?)</tfoot>", page, re.S).group(1)
    assert [
        re.sub(r"<[^>]+>", "", c).strip()
        for c in re.findall(r'<td class="num"[^>]*>(.*?)</td>', total)
    ] == ["3", "1", "1", "1", "33,3%"]


def test_admin_dashboard_covers_the_whole_organisation(admin_client, period):
    page = admin_client.get(f"/hr/?period={period.id}").get_data(as_text=True)
    rows = _rows(page)
    assert rows["ROOT"] == ["6", "2", "1", "3", "33,3%"]
    assert rows["DINAS-B"] == ["2", "1", "0", "1", "50,0%"]


def test_dashboard_sorts_by_a_column(admin_client, period):
    page = admin_client.get(f"/hr/?period={period.id}&sort=eligible&dir=asc").get_data(as_text=True)
    assert list(_rows(page)) == ["A-1", "DINAS-B", "DINAS-A", "ROOT"]
    assert 'aria-sort="ascending"' in page


def test_non_respondents_lists_drafts_and_not_started_in_scope(hr_client, period, org):
    page = hr_client.get(f"/hr/periods/{period.id}/non-respondents").get_data(as_text=True)
    assert "Budi Santoso" in page and "Draf" in page  # the colleague's draft
    assert "Rina HR A" in page and "Belum mulai" in page
    assert "Siti Rahmawati" not in page  # submitted
    assert "Made Wirawan" not in page and "Agus HR B" not in page  # Dinas B
    assert "2 orang belum mengirim." in page


def test_non_respondents_filter_by_unit(hr_client, period, org):
    page = hr_client.get(f"/hr/periods/{period.id}/non-respondents?unit={org.bidang_a1.id}")
    text = page.get_data(as_text=True)
    assert "Budi Santoso" in text and "Rina HR A" not in text


def _pager_link(page: str, rel: str) -> str | None:
    found = re.search(rf'<a rel="{rel}" href="([^"]+)"', page.split('class="pager"')[1])
    return html.unescape(found.group(1)) if found else None


def test_non_respondents_a_hundred_a_page_with_links_that_keep_the_unit(build, org, hr_client):
    unit = build.unit("A-2", "Bidang A2", org.dinas_a)
    for n in range(105):
        build.employee(
            unit, name=f"Pegawai Uji {n:03d}", nip=f"199002022015032{n:03d}", password=None
        )
    period = build.period([org.root])
    url = f"/hr/periods/{period.id}/non-respondents?unit={unit.id}"
    first = hr_client.get(url).text
    assert "105 orang belum mengirim." in first and "Halaman 1 dari 2" in first
    assert first.count('<th scope="row">Pegawai Uji ') == 100 and "Pegawai Uji 099" in first
    assert "Pegawai Uji 100" not in first
    assert _pager_link(first, "prev") is None
    assert _pager_link(first, "next") == f"{url}&page=2"
    second = hr_client.get(f"{url}&page=2").text
    assert "Halaman 2 dari 2" in second and second.count('<th scope="row">Pegawai Uji ') == 5
    assert '<th scope="row">Pegawai Uji 100</th>' in second  # the 101st in the list's order
    assert "Pegawai Uji 099" not in second
    assert _pager_link(second, "prev") == f"{url}&page=1"
    assert _pager_link(second, "next") is None
    # A page past the last (a link kept while people submitted) shows the last page.
    past = hr_client.get(f"{url}&page=9").text
    assert "Halaman 2 dari 2" in past and '<th scope="row">Pegawai Uji 100</th>' in past


@pytest.mark.parametrize("suffix", ["non-respondents", "non-respondents.xlsx"])
def test_s03_hr_cannot_list_another_dinas_by_query_string(hr_client, period, org, suffix):
    for unit in (org.dinas_b.id, org.root.id, "abc", "-1", f"{org.dinas_a.id}x", "999999"):
        url = f"/hr/periods/{period.id}/{suffix}"
        if suffix.endswith(".xlsx"):  # the export is a POST form (it starts a job)
            response = hr_client.post(url, data={"unit": unit})
        else:
            response = hr_client.get(f"{url}?unit={unit}")
        assert response.status_code == 404, unit
        assert b"Made Wirawan" not in response.data and b"Dinas B" not in response.data
    assert not _audit_entries()


def test_s03_hr_of_a_parent_sees_the_subtree_not_above(build, org, login, app, period):
    hr_root_child = build.employee(org.dinas_a, hr_unit=org.bidang_a1)
    client = login(hr_root_child, app.test_client())
    page = client.get(f"/hr/?period={period.id}").get_data(as_text=True)
    assert list(_rows(page)) == ["A-1"]
    assert (
        client.get(f"/hr/periods/{period.id}/non-respondents?unit={org.dinas_a.id}").status_code
        == 404
    )


def test_s03_draft_or_unknown_period_is_not_found(build, org, hr_client):
    draft = build.period([org.root], state="draft")
    assert hr_client.get(f"/hr/periods/{draft.id}/non-respondents").status_code == 404
    assert hr_client.post("/hr/periods/999999/non-respondents.xlsx").status_code == 404
    assert hr_client.post(f"/hr/periods/{draft.id}/non-respondents.xlsx").status_code == 404


def _audit_entries():
    from surveyapp.extensions import db

    return list(
        db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "report_downloaded"))
    )


def test_s20_non_respondent_download_headers_content_and_audit(hr_client, period, org):
    response = download_export(hr_client, f"/hr/periods/{period.id}/non-respondents.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(
        rf"attachment; filename=belum-mengisi-{period.code.lower()}-dinas-a-\d{{8}}\.xlsx",
        disposition,
    )
    assert response.headers["Cache-Control"] == "no-store"
    sheet = load_workbook(io.BytesIO(response.data)).active
    names = sorted(sheet.cell(r, 2).value for r in range(3, sheet.max_row + 1))
    assert names == ["Budi Santoso", "Rina HR A"]
    nip = sheet.cell(3, 1)
    assert nip.data_type == "s" and len(nip.value) == 18
    (entry,) = _audit_entries()
    assert entry.actor_id == org.hr_a.id and entry.object_id == str(period.id)
    assert entry.after["kind"] == "non_respondents" and entry.after["unit"] == "DINAS-A"
