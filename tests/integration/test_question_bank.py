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
    # the next number of the questionnaire (migration 0009 published version 2)
    numbers = [v.number for v in base.questionnaire.versions if v.id != draft.id]
    assert draft.status == "draft" and draft.number == max(numbers) + 1
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


def _full_form(version, **changes):
    """Everything the editor posts: items with their order, scale, bands and weights."""
    data = {**_form(version), **_settings_form(version)}
    for item in version.items:
        data[f"item-{item.id}-position"] = str(item.position)
    data.update(changes)
    return data


def _snapshot(session, version):
    session.expire_all()
    return (
        version.lock_version,
        version.min_group_size,
        version.scale_min,
        version.scale_max,
        version.scale_labels,
        version.bands,
        dict(version.weights or {}),
        [(i.code, i.text_id, i.text_en, i.reverse, i.position) for i in version.items],
    )


def test_item_order_is_edited_and_the_preview_follows_it(build, admin_client, session):
    draft = _draft(build, admin_client, session)
    bp_items = [i for i in draft.items if i.core_value.code == "BP"]
    first, last = bp_items[0], bp_items[-1]
    reply = admin_client.post(
        f"/admin/questions/{draft.id}",
        data=_full_form(draft, **{f"item-{last.id}-position": "1"}),
    )
    assert reply.status_code == 303
    session.expire_all()
    assert [i.position for i in draft.items] == list(range(1, len(draft.items) + 1))
    assert draft.items[0].id == last.id and draft.items[1].id == first.id
    page = admin_client.get(f"/admin/questions/{draft.id}/preview/1").get_data(as_text=True)
    assert page.index(last.text_id) < page.index(first.text_id)
    entry = session.scalar(
        sa.select(AuditLog).where(AuditLog.action == "version_edited").order_by(AuditLog.id.desc())
    )
    assert last.code in entry.after["moved"]


def test_an_order_that_is_not_a_whole_number_is_refused_and_nothing_changes(
    build, admin_client, session
):
    draft = _draft(build, admin_client, session)
    item = draft.items[3]
    before = _snapshot(session, draft)
    for bad in ("dua", "0", "10001"):
        reply = admin_client.post(
            f"/admin/questions/{draft.id}",
            data=_full_form(
                draft, **{f"item-{item.id}-position": bad, f"item-{item.id}-text_id": "Baru"}
            ),
        )
        assert reply.status_code == 422
        assert "bilangan bulat" in reply.get_data(as_text=True)
        assert _snapshot(session, draft) == before


def test_scale_range_change_asks_for_the_new_words_then_saves(build, admin_client, session):
    draft = _draft(build, admin_client, session)
    before = _snapshot(session, draft)
    # 1-5 becomes 1-7: the two new points have no words yet; refused, the form comes back
    # with empty rows for 6 and 7 and the admin's other input kept.
    first = draft.items[0]
    data = _full_form(draft, scale_max="7", **{f"item-{first.id}-text_id": "Teks baru saya"})
    reply = admin_client.post(f"/admin/questions/{draft.id}", data=data)
    assert reply.status_code == 422
    page = reply.get_data(as_text=True)
    assert 'name="label-id-7"' in page and "Teks baru saya" in page
    assert _snapshot(session, draft) == before
    data.update({"label-id-6": "Hampir selalu", "label-en-6": "Almost always"})
    data.update({"label-id-7": "Selalu sekali", "label-en-7": "Always, without fail"})
    assert admin_client.post(f"/admin/questions/{draft.id}", data=data).status_code == 303
    session.expire_all()
    assert (draft.scale_min, draft.scale_max) == (1, 7)
    assert draft.scale_label(7, "id") == "Selalu sekali" and draft.scale_label(7, "en")
    preview = admin_client.get(f"/admin/questions/{draft.id}/preview/1").get_data(as_text=True)
    assert "Selalu sekali" in preview and "Hampir selalu" in preview


def test_a_band_is_added_in_the_spare_row_and_removed_by_clearing_it(build, admin_client, session):
    draft = _draft(build, admin_client, session)
    n = len(draft.bands)
    spare = {f"band-{n}-lower": "95", f"band-{n}-id": "Istimewa", f"band-{n}-en": "Outstanding"}
    # The spare row is the last one on the page; bands are re-sorted from the top by the rule
    # "highest first", so an out-of-order addition is refused rather than guessed.
    reply = admin_client.post(f"/admin/questions/{draft.id}", data=_full_form(draft, **spare))
    assert reply.status_code == 422
    ordered = _full_form(draft)
    rows = [("95", "Istimewa", "Outstanding")] + [
        (str(b["lower"]), b["label_id"], b["label_en"]) for b in draft.bands
    ]
    for k, (lower, name_id, name_en) in enumerate(rows):
        ordered.update({f"band-{k}-lower": lower, f"band-{k}-id": name_id, f"band-{k}-en": name_en})
    assert admin_client.post(f"/admin/questions/{draft.id}", data=ordered).status_code == 303
    session.expire_all()
    assert [b["lower"] for b in draft.bands] == [95, 85, 70, 55, 0]
    cleared = _full_form(draft, **{"band-0-lower": "", "band-0-id": "", "band-0-en": ""})
    assert admin_client.post(f"/admin/questions/{draft.id}", data=cleared).status_code == 303
    session.expire_all()
    assert [b["lower"] for b in draft.bands] == [85, 70, 55, 0]


def test_weights_that_are_not_numbers_are_refused_and_nothing_changes(build, admin_client, session):
    draft = _draft(build, admin_client, session)
    before = _snapshot(session, draft)
    for bad in ("berat", "0", "-1", "101"):
        reply = admin_client.post(
            f"/admin/questions/{draft.id}", data=_full_form(draft, **{"weight-KO": bad})
        )
        assert reply.status_code == 422
        assert _snapshot(session, draft) == before


def test_an_empty_item_text_or_group_size_is_refused_and_nothing_changes(
    build, admin_client, session
):
    draft = _draft(build, admin_client, session)
    item = draft.items[0]
    before = _snapshot(session, draft)
    for change in (
        {f"item-{item.id}-text_id": "   "},
        {f"item-{item.id}-text_id": "x" * 1001},
        {"min_group_size": "0"},
        {"min_group_size": "lima"},
    ):
        reply = admin_client.post(f"/admin/questions/{draft.id}", data=_full_form(draft, **change))
        assert reply.status_code == 422
        assert _snapshot(session, draft) == before


def test_s23_conflict_shows_back_every_field_and_what_is_saved_now(
    build, admin_client, app, login, org, session
):
    draft = _draft(build, admin_client, session)
    item = draft.items[0]
    stale = _full_form(draft)
    other = login(build.employee(org.root, admin=True), app.test_client())
    other.post(
        f"/admin/questions/{draft.id}", data={**stale, f"item-{item.id}-text_id": "Teks admin A"}
    )
    saved = _snapshot(session, draft)
    mine = {
        **stale,
        f"item-{item.id}-text_id": "Teks admin B",
        "min_group_size": "9",
        "band-0-lower": "88",
        "band-0-id": "Unggul",
        "weight-KL": "3",
        "label-id-3": "Kadang saja",
    }
    reply = admin_client.post(f"/admin/questions/{draft.id}", data=mine)
    assert reply.status_code == 409
    page = reply.get_data(as_text=True)
    for shown in ("Teks admin B", 'value="9"', 'value="88"', "Unggul", 'value="3"', "Kadang saja"):
        assert shown in page
    assert "Tersimpan sekarang: Teks admin A" in page
    assert _snapshot(session, draft) == saved  # the first save stands, untouched
    # Saving again from the page shown (it carries the new counter) keeps B's version.
    new_lock = str(draft.lock_version)
    assert f'name="lock_version" value="{new_lock}"' in page
    again = admin_client.post(
        f"/admin/questions/{draft.id}", data={**mine, "lock_version": new_lock}
    )
    assert again.status_code == 303
    session.expire_all()
    assert item.text_id == "Teks admin B" and draft.min_group_size == 9


def test_s23_adding_or_removing_an_item_makes_an_open_editor_stale(build, admin_client, session):
    draft = _draft(build, admin_client, session)
    victim = draft.items[1]
    stale = _full_form(draft, **{f"item-{victim.id}-text_id": "Suntingan yang akan hilang"})
    admin_client.post(f"/admin/questions/{draft.id}/items/{victim.id}/delete")
    reply = admin_client.post(f"/admin/questions/{draft.id}", data=stale)
    assert reply.status_code == 409
    stale = _full_form(draft)
    admin_client.post(
        f"/admin/questions/{draft.id}/items",
        data={"value": "HA", "behaviour": "1", "text_id": "Saya menghargai rekan kerja."},
    )
    assert admin_client.post(f"/admin/questions/{draft.id}", data=stale).status_code == 409


def test_s23_publishing_a_draft_changed_since_it_was_opened_is_refused(
    build, admin_client, session
):
    draft = _draft(build, admin_client, session)
    seen = draft.lock_version
    admin_client.post(f"/admin/questions/{draft.id}", data=_full_form(draft))
    reply = admin_client.post(
        f"/admin/questions/{draft.id}/publish", data={"lock_version": str(seen)}
    )
    page = admin_client.get(reply.headers["Location"]).get_data(as_text=True)
    assert "mengubah draf ini" in page
    session.expire_all()
    assert draft.status == "draft"


def test_s23_stale_orm_write_is_a_conflict_not_an_overwrite(build, admin_client, org, session):
    """The version counter in the ORM: a publish whose row changed underneath is refused."""
    draft = _draft(build, admin_client, session)
    session.execute(
        sa.update(QuestionnaireVersion)
        .where(QuestionnaireVersion.id == draft.id)
        .values(lock_version=QuestionnaireVersion.lock_version + 1)
        .execution_options(synchronize_session=False)
    )
    try:
        questionnaires.publish(draft, actor=org.admin)
    except questionnaires.QuestionnaireError as error:
        assert str(error) == "conflict"
    else:
        raise AssertionError("a stale publish went through")


def test_a_frozen_version_refuses_every_change_and_writes_nothing(
    build, admin_client, org, session
):
    version = build.default_version()
    build.period([org.root], version=version)
    before = _snapshot(session, version)
    audit_before = session.scalar(sa.select(sa.func.count(AuditLog.id)))
    item = version.items[0]
    posts = [
        (f"/admin/questions/{version.id}", _full_form(version, min_group_size="7")),
        (f"/admin/questions/{version.id}/items", {"value": "BP", "behaviour": "1", "text_id": "X"}),
        (f"/admin/questions/{version.id}/items/{item.id}/delete", {}),
        (f"/admin/questions/{version.id}/publish", {}),
    ]
    for url, data in posts:
        admin_client.post(url, data=data)
    assert _snapshot(session, version) == before
    assert session.scalar(sa.select(sa.func.count(AuditLog.id))) == audit_before
    page = admin_client.get(f"/admin/questions/{version.id}").get_data(as_text=True)
    assert "dibekukan" in page


def test_a_question_edit_after_a_period_started_leaves_its_version_and_answers_untouched(
    build, admin_client, org, session
):
    """The way to change questions mid-year is a new draft; the running period keeps its own
    version, item texts and every answer given so far."""
    period = build.period([org.root])
    version = period.version
    build.response(period, org.employee, 4)
    build.response(period, org.colleague, 2, submitted=False)
    answers_before = sorted(
        session.execute(sa.select(Answer.response_id, Answer.item_id, Answer.value)).all()
    )
    items_before = [(i.id, i.code, i.text_id, i.reverse, i.position) for i in version.items]
    draft = _draft(build, admin_client, session)
    first = draft.items[0]
    data = _full_form(
        draft,
        **{f"item-{first.id}-text_id": "Butir yang ditulis ulang", f"item-{first.id}-reverse": "1"},
    )
    assert admin_client.post(f"/admin/questions/{draft.id}", data=data).status_code == 303
    admin_client.post(f"/admin/questions/{draft.id}/items/{draft.items[1].id}/delete")
    session.expire_all()
    assert period.version_id == version.id
    assert [(i.id, i.code, i.text_id, i.reverse, i.position) for i in version.items] == (
        items_before
    )
    assert (
        sorted(session.execute(sa.select(Answer.response_id, Answer.item_id, Answer.value)).all())
        == answers_before
    )


def test_preview_pages_follow_the_employee_layout_in_both_languages(build, admin_client):
    version = build.default_version()
    kl = [i for i in version.items if i.core_value.code == "KL"]
    page = admin_client.get(f"/admin/questions/{version.id}/preview/7").get_data(as_text=True)
    assert "Halaman 7 dari 7" in page and 'class="survey-progress"' in page
    assert page.count('<fieldset class="item" disabled>') == len(kl)
    assert all(i.text_id in page for i in kl)
    assert "<form" not in page.split('<main id="main"')[1]  # nothing to submit
    admin_client.post("/locale", data={"lang": "en", "next": "/"})
    english = admin_client.get(f"/admin/questions/{version.id}/preview/7").get_data(as_text=True)
    assert "Page 7 of 7" in english and kl[0].text_en in english and "Always" in english
    assert admin_client.get(f"/admin/questions/{version.id}/preview/8").status_code == 404
