"""The admin's page for a version's culture map: a draft's limiting behaviours and N change,
a frozen version's never do."""

from __future__ import annotations

from surveyapp.models import CultureBehaviour, CultureMap
from surveyapp.services import culture_map, questionnaires


def _form(section, pick, changes=None):
    data = {"pick": str(pick)}
    limiting = [b for b in section.behaviours if b.limiting]
    for n, b in enumerate(limiting):
        text_id, text_en = (changes or {}).get(b.code, (b.text_id, b.text_en or ""))
        data[f"limiting-{n}-behaviour_id"] = str(b.id)
        data[f"limiting-{n}-text_id"] = text_id
        data[f"limiting-{n}-text_en"] = text_en
    return data


def test_a_frozen_version_is_shown_read_only_and_refuses_a_save(admin_client, build, session):
    frozen = build.culture_version()
    section = culture_map.section(frozen)
    page = admin_client.get(f"/admin/questions/{frozen.id}/culture")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Saling menyalahkan" in text
    assert 'name="limiting-0-text_id"' not in text
    refused = admin_client.post(
        f"/admin/questions/{frozen.id}/culture",
        data=_form(section, 8, {"L01": ("Diubah", "Changed")}),
    )
    assert refused.status_code == 409
    session.expire_all()
    assert session.get(CultureMap, frozen.id).pick == 10
    assert {b.text_id for b in culture_map.section(frozen).behaviours} >= {"Saling menyalahkan"}


def test_the_admin_edits_adds_and_removes_limiting_behaviours_of_a_draft(
    admin_client, build, session, org
):
    draft = questionnaires.new_draft(build.culture_version(), actor=org.admin)
    session.commit()
    section = culture_map.section(draft)
    saved = admin_client.post(
        f"/admin/questions/{draft.id}/culture",
        data=_form(section, 8, {"L01": ("Saling lempar tanggung jawab", "Passing the buck")}),
    )
    assert saved.status_code == 303
    session.expire_all()
    rows = {b.code: b for b in culture_map.section(draft).behaviours}
    assert rows["L01"].text_id == "Saling lempar tanggung jawab"
    assert culture_map.section(draft).pick == 8
    bad = admin_client.post(f"/admin/questions/{draft.id}/culture", data=_form(section, 0))
    assert bad.status_code == 422
    added = admin_client.post(
        f"/admin/questions/{draft.id}/culture/limiting",
        data={"text_id": "Rapat tanpa keputusan", "text_en": "Meetings without decisions"},
    )
    assert added.status_code == 303
    gone = rows["L02"].id
    removed = admin_client.post(
        f"/admin/questions/{draft.id}/culture/limiting/{gone}/remove", data={}
    )
    assert removed.status_code == 303
    session.expire_all()
    codes = {b.code: b.text_id for b in culture_map.section(draft).behaviours}
    assert codes["L15"] == "Rapat tanpa keputusan" and "L02" not in codes
    assert session.get(CultureBehaviour, gone) is None
    page = admin_client.get(f"/admin/questions/{draft.id}/culture").get_data(as_text=True)
    assert 'name="limiting-0-text_id"' in page and "Rapat tanpa keputusan" in page


def test_a_draft_without_the_section_gets_the_default_list(admin_client, build, session, org):
    draft = questionnaires.new_draft(build.default_version(), actor=org.admin)
    session.commit()
    assert admin_client.post(f"/admin/questions/{draft.id}/culture/add-section").status_code == 303
    session.expire_all()
    assert len(culture_map.section(draft).behaviours) == 35
