"""Question bank: drafts are edited, published, copied; frozen versions stay as they were."""

from __future__ import annotations

import sqlalchemy as sa

from surveyapp.models import Answer, AuditLog, QuestionnaireVersion
from surveyapp.services import questionnaires


def _form(version, **changes):
    data = {"lock_version": str(version.lock_version), "min_group_size": "5"}
    for item in version.items:
        data[f"item-{item.id}-text_id"] = item.text_id
        data[f"item-{item.id}-text_en"] = item.text_en or ""
        if item.reverse:
            data[f"item-{item.id}-reverse"] = "1"
    data.update(changes)
    return data


def _draft(build, admin_client, session):
    base = build.default_version()
    reply = admin_client.post(f"/admin/questions/{base.id}/copy")
    assert reply.status_code == 303
    return session.scalar(
        sa.select(QuestionnaireVersion).order_by(QuestionnaireVersion.id.desc()).limit(1)
    )


def test_new_draft_copies_every_item_and_can_be_edited(build, admin_client, org, session):
    draft = _draft(build, admin_client, session)
    base = build.default_version()
    assert draft.status == "draft" and draft.number == base.number + 1
    assert [i.code for i in draft.items] == [i.code for i in base.items]
    first = draft.items[0]
    saved = admin_client.post(
        f"/admin/questions/{draft.id}",
        data=_form(draft, **{f"item-{first.id}-text_id": "Saya melayani dengan ramah."}),
    )
    assert saved.status_code == 303
    session.refresh(first)
    assert first.text_id == "Saya melayani dengan ramah."
    assert base.items[0].text_id != "Saya melayani dengan ramah."  # the original is untouched


def test_s23_second_admin_saving_the_same_draft_gets_a_conflict(
    build, admin_client, app, login, org, session
):
    draft = _draft(build, admin_client, session)
    item = draft.items[0]
    stale = _form(draft)  # both admins opened the same draft
    other = login(build.employee(org.root, admin=True), app.test_client())
    first = other.post(
        f"/admin/questions/{draft.id}", data={**stale, f"item-{item.id}-text_id": "Versi A"}
    )
    assert first.status_code == 303
    second = admin_client.post(
        f"/admin/questions/{draft.id}", data={**stale, f"item-{item.id}-text_id": "Versi B"}
    )
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert "Versi B" in page  # their input is shown back, not lost
    assert "menyimpan draf ini" in page
    session.refresh(item)
    assert item.text_id == "Versi A"


def test_a_version_used_by_a_period_is_frozen_and_answers_stay(build, admin_client, org, session):
    period = build.period([org.root])
    build.response(period, org.employee, 4)
    version = period.version
    before = sorted(session.execute(sa.select(Answer.item_id, Answer.value)).all())
    texts = [i.text_id for i in version.items]
    item = version.items[0]
    reply = admin_client.post(
        f"/admin/questions/{version.id}", data=_form(version, **{f"item-{item.id}-text_id": "X"})
    )
    assert reply.status_code == 409
    session.expire_all()
    assert [i.text_id for i in version.items] == texts
    assert sorted(session.execute(sa.select(Answer.item_id, Answer.value)).all()) == before
    assert period.version_id == version.id


def test_publish_needs_items_for_every_value_and_warns_about_behaviours(
    build, admin_client, org, session
):
    draft = _draft(build, admin_client, session)
    for item in [i for i in draft.items if i.core_value.code == "KL"]:
        session.delete(item)
    session.flush()
    session.refresh(draft)
    errors, warnings = questionnaires.publish_problems(draft)
    assert errors == ["KL"]
    admin_client.post(f"/admin/questions/{draft.id}/publish")
    session.refresh(draft)
    assert draft.status == "draft"
    # Remove one behaviour's items of BP only: publishable, with a warning.
    other = _draft(build, admin_client, session)
    for item in [i for i in other.items if i.core_value.code == "BP" and i.behaviour == 3]:
        session.delete(item)
    session.flush()
    session.refresh(other)
    reply = admin_client.post(f"/admin/questions/{other.id}/publish")
    assert reply.status_code == 303
    session.refresh(other)
    assert other.status == "published"
    entry = session.scalar(sa.select(AuditLog).where(AuditLog.action == "version_published"))
    assert entry.after["warnings"] == ["BP-3"]


def test_preview_shows_the_items_as_an_employee_sees_them(build, admin_client):
    version = build.default_version()
    page = admin_client.get(f"/admin/questions/{version.id}/preview/1").get_data(as_text=True)
    assert version.items[0].text_id in page and "Tidak pernah" in page and "disabled" in page


def _settings_form(version, **changes):
    data = {"scale_min": "1", "scale_max": "5"}
    for point in range(1, 6):
        data[f"label-id-{point}"] = version.scale_label(point, "id")
        data[f"label-en-{point}"] = version.scale_label(point, "en")
    for n, band in enumerate(version.bands):
        data[f"band-{n}-lower"] = str(band["lower"])
        data[f"band-{n}-id"] = band["label_id"]
        data[f"band-{n}-en"] = band["label_en"]
    data.update(changes)
    return data


def test_bands_weights_and_scale_words_are_edited_in_a_draft(build, admin_client, session):
    draft = _draft(build, admin_client, session)
    data = {
        **_form(draft),
        **_settings_form(
            draft, **{"band-0-lower": "90", "weight-BP": "2", "label-id-5": "Selalu sekali"}
        ),
    }
    assert admin_client.post(f"/admin/questions/{draft.id}", data=data).status_code == 303
    session.refresh(draft)
    assert draft.bands[0]["lower"] == 90 and draft.weights["BP"] == 2
    assert draft.scale_label(5, "id") == "Selalu sekali"


def test_bands_out_of_order_are_refused_and_nothing_changes(build, admin_client, session):
    draft = _draft(build, admin_client, session)
    before = (list(draft.bands), dict(draft.weights or {}), draft.lock_version)
    data = {**_form(draft), **_settings_form(draft, **{"band-1-lower": "95"})}
    reply = admin_client.post(f"/admin/questions/{draft.id}", data=data)
    assert reply.status_code == 422
    assert "Batas kategori" in reply.get_data(as_text=True)
    session.expire_all()
    assert (draft.bands, dict(draft.weights or {}), draft.lock_version) == before


def test_items_are_added_and_removed_in_a_draft_only(build, admin_client, session):
    draft = _draft(build, admin_client, session)
    count = len(draft.items)
    admin_client.post(
        f"/admin/questions/{draft.id}/items",
        data={"value": "KO", "behaviour": "2", "text_id": "Saya belajar hal baru tiap bulan."},
    )
    session.refresh(draft)
    added = next(i for i in draft.items if i.text_id == "Saya belajar hal baru tiap bulan.")
    assert added.code.startswith("KO-2") and len(draft.items) == count + 1
    admin_client.post(f"/admin/questions/{draft.id}/items/{added.id}/delete")
    session.refresh(draft)
    assert len(draft.items) == count
    frozen = build.default_version()
    build.period([build.unit()], version=frozen)
    admin_client.post(
        f"/admin/questions/{frozen.id}/items",
        data={"value": "KO", "behaviour": "2", "text_id": "Tidak boleh masuk."},
    )
    session.refresh(frozen)
    assert all(i.text_id != "Tidak boleh masuk." for i in frozen.items)


def test_items_go_to_excel_and_come_back_into_a_draft(build, admin_client, session):
    import io

    from openpyxl import load_workbook

    draft = _draft(build, admin_client, session)
    exported = admin_client.get(f"/admin/questions/{draft.id}/items.xlsx")
    assert exported.headers["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(exported.data))
    sheet = book.active
    assert [c.value for c in sheet[1]] == [
        "Kode",
        "Nilai",
        "Perilaku",
        "Teks (id)",
        "Teks (en)",
        "Terbalik",
        "Urutan",
    ]
    sheet.cell(2, 4).value = "Saya selalu ramah (diedit di Excel)"
    sheet.delete_rows(3)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    count = len(draft.items)
    admin_client.post(
        f"/admin/questions/{draft.id}/items.xlsx",
        data={"file": (buffer, "butir.xlsx")},
        content_type="multipart/form-data",
    )
    from surveyapp.models import Item

    rows = session.scalars(
        sa.select(Item).where(Item.version_id == draft.id).order_by(Item.position)
    ).all()
    assert len(rows) == count - 1
    assert rows[0].text_id == "Saya selalu ramah (diedit di Excel)"


def test_items_from_excel_with_errors_change_nothing(build, admin_client, session):
    from tests.integration.test_imports import xlsx

    draft = _draft(build, admin_client, session)
    texts = [i.text_id for i in draft.items]
    bad = xlsx(
        [["BP-1a", "XX", 1, "Teks", "", "Ya", 1], ["BP-1b", "BP", 5, "Teks", "", "mungkin", 2]],
        header=["Kode", "Nilai", "Perilaku", "Teks (id)", "Teks (en)", "Terbalik", "Urutan"],
    )
    reply = admin_client.post(
        f"/admin/questions/{draft.id}/items.xlsx",
        data={"file": (bad, "butir.xlsx")},
        content_type="multipart/form-data",
    )
    page = admin_client.get(reply.headers["Location"]).get_data(as_text=True)
    assert "row 2, column B" in page and "row 3, column C" in page and "row 3, column F" in page
    session.expire_all()
    assert [i.text_id for i in draft.items] == texts
