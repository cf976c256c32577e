"""Question bank: drafts are edited, published, copied; frozen versions stay as they were."""

from __future__ import annotations

import sqlalchemy as sa

from surveyapp.models import Answer, AuditLog, QuestionnaireVersion
from surveyapp.services import questionnaires


def _item_form(version, item, **changes):
    """What an item's page posts when saved unchanged."""
    siblings = [i for i in version.items if i.core_value_id == item.core_value_id]
    data = {
        "lock_version": str(version.lock_version),
        "text_id": item.text_id,
        "text_en": item.text_en or "",
        "behaviour": str(item.behaviour),
        "order": str(siblings.index(item) + 1),
    }
    if item.reverse:
        data["reverse"] = "y"
    data.update(changes)
    return data


def _save_item(client, version, item, **changes):
    return client.post(
        f"/admin/questions/{version.id}/items/{item.id}", data=_item_form(version, item, **changes)
    )


def _draft(build, admin_client, session):
    base = build.default_version()
    reply = admin_client.post(f"/admin/questions/{base.id}/copy")
    assert reply.status_code == 303
    return session.scalar(
        sa.select(QuestionnaireVersion).order_by(QuestionnaireVersion.id.desc()).limit(1)
    )


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


# --- the editor: a list, one item per page, the settings on their own page ---------------------


def _snapshot(session, version):
    """Everything a version holds, items included, read fresh from the database."""
    session.expire_all()
    return (
        version.lock_version,
        version.status,
        version.min_group_size,
        version.scale_min,
        version.scale_max,
        version.scale_labels,
        version.bands,
        dict(version.weights or {}),
        [
            (
                i.id,
                i.code,
                i.core_value_id,
                i.behaviour,
                i.text_id,
                i.text_en,
                i.reverse,
                i.position,
            )
            for i in version.items
        ],
    )


def _audit_count(session):
    return session.scalar(sa.select(sa.func.count(AuditLog.id)))


def test_the_draft_is_a_list_of_items_by_value_with_behaviour_names(build, admin_client, session):
    draft = _draft(build, admin_client, session)
    page = admin_client.get(f"/admin/questions/{draft.id}").get_data(as_text=True)
    assert "<textarea" not in page  # no longer one form of every item
    first = draft.items[0]
    assert first.text_id in page and (first.text_en or "") not in page
    assert f"/admin/questions/{draft.id}/items/{first.id}" in page
    behaviour = first.core_value.behaviour(first.behaviour, "id")
    assert f"Perilaku: {behaviour}" in page
    reverse = next(i for i in draft.items if i.reverse)
    listed = page.split(f'id="item-{reverse.id}"')[1].split("</li>")[0]
    assert "Terbalik" in listed
    # The settings in short, in Indonesian numbers.
    assert "Sangat Baik mulai 85;" in page and "85.0" not in page


def test_saving_one_item_changes_that_item_and_nothing_else(build, admin_client, session):
    draft = _draft(build, admin_client, session)
    item = draft.items[5]
    before = _snapshot(session, draft)
    reply = _save_item(
        admin_client, draft, item, text_id="Saya melayani dengan ramah.", text_en="I serve kindly."
    )
    assert reply.status_code == 303
    after = _snapshot(session, draft)
    # The counter moved by one; every other field of the version and every other item is as
    # it was; the item changed in its two texts only.
    assert after[0] == before[0] + 1
    assert after[1:8] == before[1:8]
    changed = [(b, a) for b, a in zip(before[8], after[8], strict=True) if b != a]
    old = next(row for row in before[8] if row[0] == item.id)
    assert changed == [
        (old, (*old[:4], "Saya melayani dengan ramah.", "I serve kindly.", *old[6:]))
    ]
    entry = session.scalar(
        sa.select(AuditLog).where(AuditLog.action == "item_edited").order_by(AuditLog.id.desc())
    )
    assert entry.before == {"code": item.code, "text_id": old[4], "text_en": old[5]}
    assert entry.after["text_id"] == "Saya melayani dengan ramah."
    base = build.default_version()
    assert "Saya melayani dengan ramah." not in [i.text_id for i in base.items]


def test_saving_an_item_unchanged_writes_nothing(build, admin_client, session):
    draft = _draft(build, admin_client, session)
    before, audits = _snapshot(session, draft), _audit_count(session)
    assert _save_item(admin_client, draft, draft.items[2]).status_code == 303
    assert _snapshot(session, draft) == before and _audit_count(session) == audits


def test_the_behaviour_is_chosen_by_name_and_the_code_follows(build, admin_client, session):
    draft = _draft(build, admin_client, session)
    item = next(i for i in draft.items if i.code == "BP-1a")
    page = admin_client.get(f"/admin/questions/{draft.id}/items/{item.id}").get_data(as_text=True)
    for n in (1, 2, 3):
        assert (
            f'<option {"selected " if n == 1 else ""}value="{n}">'
            f"{item.core_value.behaviour(n, 'id')}</option>" in page
        )
    assert _save_item(admin_client, draft, item, behaviour="3").status_code == 303
    session.expire_all()
    taken = [i.code for i in draft.items if i.id != item.id and i.code.startswith("BP-3")]
    assert item.behaviour == 3 and item.code.startswith("BP-3") and item.code not in taken


def test_reverse_flag_and_place_within_the_value(build, admin_client, session):
    draft = _draft(build, admin_client, session)
    bp = [i for i in draft.items if i.core_value.code == "BP"]
    last = bp[-1]
    other_values = [(i.id, i.position) for i in draft.items if i.core_value.code != "BP"]
    reply = _save_item(admin_client, draft, last, order="1", reverse="y")
    assert reply.status_code == 303
    session.expire_all()
    now = sorted((i for i in draft.items if i.core_value.code == "BP"), key=lambda i: i.position)
    assert [i.id for i in now] == [last.id] + [i.id for i in bp[:-1]]
    assert last.reverse is True
    assert [(i.id, i.position) for i in draft.items if i.core_value.code != "BP"] == other_values
    page = admin_client.get(f"/admin/questions/{draft.id}/preview/1").get_data(as_text=True)
    assert page.index(last.text_id) < page.index(bp[0].text_id)


def test_s23_a_stale_item_save_is_409_with_the_input_shown_back(
    build, admin_client, app, login, org, session
):
    draft = _draft(build, admin_client, session)
    item = draft.items[0]
    stale = _item_form(draft, item)  # both admins opened the same item
    other = login(build.employee(org.root, admin=True), app.test_client())
    first = other.post(
        f"/admin/questions/{draft.id}/items/{item.id}", data={**stale, "text_id": "Versi A"}
    )
    assert first.status_code == 303
    saved = _snapshot(session, draft)
    audits = _audit_count(session)
    mine = {**stale, "text_id": "Versi B", "text_en": "Version B", "order": "2"}
    second = admin_client.post(f"/admin/questions/{draft.id}/items/{item.id}", data=mine)
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert "Versi B" in page and "Version B" in page and 'value="2"' in page
    assert "menyimpan draf ini" in page and "Tersimpan sekarang: Versi A" in page
    assert _snapshot(session, draft) == saved and _audit_count(session) == audits
    # The page carries the new counter: saving again from it keeps B's version.
    assert f'name="lock_version" type="hidden" value="{draft.lock_version}"' in page
    again = admin_client.post(
        f"/admin/questions/{draft.id}/items/{item.id}",
        data={**mine, "lock_version": str(draft.lock_version)},
    )
    assert again.status_code == 303
    session.expire_all()
    assert item.text_id == "Versi B"


def test_s23_adding_or_removing_an_item_makes_an_open_item_page_stale(build, admin_client, session):
    draft = _draft(build, admin_client, session)
    victim, kept = draft.items[1], draft.items[0]
    stale = _item_form(draft, kept, text_id="Suntingan yang akan hilang")
    admin_client.post(f"/admin/questions/{draft.id}/items/{victim.id}/delete")
    reply = admin_client.post(f"/admin/questions/{draft.id}/items/{kept.id}", data=stale)
    assert reply.status_code == 409
    stale = _item_form(draft, kept, text_id="Suntingan yang akan hilang")
    admin_client.post(
        f"/admin/questions/{draft.id}/items/new",
        data={"behaviour": "HA-1", "text_id": "Saya menghargai rekan kerja."},
    )
    reply = admin_client.post(f"/admin/questions/{draft.id}/items/{kept.id}", data=stale)
    assert reply.status_code == 409
    session.expire_all()
    assert kept.text_id != "Suntingan yang akan hilang"


def test_bad_item_input_says_why_and_writes_nothing(build, admin_client, session):
    draft = _draft(build, admin_client, session)
    item = next(i for i in draft.items if i.core_value.code == "KO")
    count = len([i for i in draft.items if i.core_value_id == item.core_value_id])
    before, audits = _snapshot(session, draft), _audit_count(session)
    cases = [
        ({"text_id": "   "}, "wajib diisi"),
        ({"text_id": "x" * 1001}, "1000"),
        ({"order": "dua"}, "bilangan bulat"),
        ({"order": "٣"}, "bilangan bulat"),
        ({"order": "0"}, "Urutan"),
        ({"order": str(count + 1)}, "Urutan"),
        ({"behaviour": "4"}, "Pilihan tidak valid"),
        ({"lock_version": "x"}, ""),
    ]
    for change, words in cases:
        reply = _save_item(admin_client, draft, item, **change, text_en="Tidak tersimpan")
        assert reply.status_code == 422, change
        page = reply.get_data(as_text=True)
        assert words in page, change
        assert "Tidak tersimpan" in page  # the input is shown back
        assert _snapshot(session, draft) == before and _audit_count(session) == audits


def test_items_are_added_by_behaviour_name_and_removed_in_a_draft_only(
    build, admin_client, session
):
    draft = _draft(build, admin_client, session)
    count = len(draft.items)
    page = admin_client.get(f"/admin/questions/{draft.id}/items/new").get_data(as_text=True)
    ko = next(i for i in draft.items if i.core_value.code == "KO").core_value
    assert f'<optgroup label="{ko.name_id}">' in page
    assert f'<option value="KO-2">{ko.behaviour(2, "id")}</option>' in page
    reply = admin_client.post(
        f"/admin/questions/{draft.id}/items/new",
        data={"behaviour": "KO-2", "text_id": "Saya belajar hal baru tiap bulan."},
    )
    assert reply.status_code == 303
    session.refresh(draft)
    added = next(i for i in draft.items if i.text_id == "Saya belajar hal baru tiap bulan.")
    assert added.code.startswith("KO-2") and len(draft.items) == count + 1
    admin_client.post(f"/admin/questions/{draft.id}/items/{added.id}/delete")
    session.refresh(draft)
    assert len(draft.items) == count
    before, audits = _snapshot(session, draft), _audit_count(session)
    for bad in ({"behaviour": "XX-1", "text_id": "A"}, {"behaviour": "KO-2", "text_id": " "}):
        reply = admin_client.post(f"/admin/questions/{draft.id}/items/new", data=bad)
        assert reply.status_code == 422
        assert _snapshot(session, draft) == before and _audit_count(session) == audits
    frozen = build.default_version()
    build.period([build.unit()], version=frozen)
    reply = admin_client.post(
        f"/admin/questions/{frozen.id}/items/new",
        data={"behaviour": "KO-2", "text_id": "Tidak boleh masuk."},
    )
    assert reply.status_code == 409
    session.refresh(frozen)
    assert all(i.text_id != "Tidak boleh masuk." for i in frozen.items)


def _settings_form(version, **changes):
    """What the settings page posts when saved unchanged."""
    data = {
        "lock_version": str(version.lock_version),
        "scale_min": str(version.scale_min),
        "scale_max": str(version.scale_max),
        "min_group_size": str(version.min_group_size),
    }
    for n, point in enumerate(range(version.scale_min, version.scale_max + 1)):
        data[f"points-{n}-point"] = str(point)
        data[f"points-{n}-word_id"] = version.scale_label(point, "id")
        data[f"points-{n}-word_en"] = version.scale_label(point, "en")
    for n, band in enumerate(version.bands):
        data[f"bands-{n}-lower"] = str(band["lower"])
        data[f"bands-{n}-name_id"] = band["label_id"]
        data[f"bands-{n}-name_en"] = band["label_en"]
    for n, code in enumerate(("BP", "AK", "KO", "HA", "LO", "AD", "KL")):
        data[f"weights-{n}"] = str((version.weights or {}).get(code, 1))
    data.update(changes)
    return data


def _save_settings(client, version, **changes):
    return client.post(
        f"/admin/questions/{version.id}/settings", data=_settings_form(version, **changes)
    )


def test_settings_page_shows_numbers_as_indonesians_write_them(build, admin_client, session):
    draft = _draft(build, admin_client, session)
    assert _save_settings(admin_client, draft, **{"weights-2": "1,5"}).status_code == 303
    page = admin_client.get(f"/admin/questions/{draft.id}/settings").get_data(as_text=True)
    assert 'value="85"' in page and 'value="1,5"' in page
    assert "85.0" not in page and 'value="1.0"' not in page
    assert "Kata dalam bahasa Indonesia" in page and "Jawaban terendah" in page
    admin_client.post("/locale", data={"lang": "en", "next": "/"})
    english = admin_client.get(f"/admin/questions/{draft.id}/settings").get_data(as_text=True)
    assert 'value="1.5"' in english and "Word in Indonesian" in english


def test_bands_weights_and_scale_words_are_saved_without_touching_items(
    build, admin_client, session
):
    draft = _draft(build, admin_client, session)
    before = _snapshot(session, draft)
    reply = _save_settings(
        admin_client,
        draft,
        **{
            "bands-0-lower": "90",
            "weights-0": "2",
            "weights-1": "1.5",
            "points-4-word_id": "Selalu sekali",
            "min_group_size": "7",
        },
    )
    assert reply.status_code == 303
    after = _snapshot(session, draft)
    assert draft.bands[0]["lower"] == 90 and draft.weights["BP"] == 2
    assert draft.weights["AK"] == 1.5 and draft.min_group_size == 7
    assert draft.scale_label(5, "id") == "Selalu sekali"
    assert after[8] == before[8]  # every item as it was
    entry = session.scalar(
        sa.select(AuditLog).where(AuditLog.action == "version_edited").order_by(AuditLog.id.desc())
    )
    assert entry.before["min_group_size"] == 5 and entry.after["min_group_size"] == 7
    assert "scale" not in entry.after  # only what changed is logged


def test_bad_settings_say_why_and_write_nothing(build, admin_client, session):
    draft = _draft(build, admin_client, session)
    before, audits = _snapshot(session, draft), _audit_count(session)
    cases = [
        ({"bands-1-lower": "95"}, "Batas kategori"),
        ({"bands-0-lower": "delapan"}, "Tulis angka"),
        ({"bands-3-lower": "5"}, "Batas kategori"),  # the lowest band must start at 0
        ({"bands-0-name_en": ""}, "Batas kategori"),
        ({"weights-2": "berat"}, "Tulis angka"),
        ({"weights-2": "0"}, "Bobot"),
        ({"weights-2": "101"}, "Bobot"),
        ({"weights-2": "-1"}, "Tulis angka"),
        ({"min_group_size": "0"}, "1 dan 1000"),
        ({"min_group_size": "lima"}, "bilangan bulat"),
        ({"scale_max": "11"}, "Skala"),
        ({"points-0-word_id": ""}, "Skala"),
    ]
    for change, words in cases:
        reply = _save_settings(admin_client, draft, **change)
        assert reply.status_code == 422, change
        assert words in reply.get_data(as_text=True), change
        assert _snapshot(session, draft) == before and _audit_count(session) == audits


def test_scale_range_change_asks_for_the_new_words_then_saves(build, admin_client, session):
    draft = _draft(build, admin_client, session)
    before = _snapshot(session, draft)
    # 1-5 becomes 1-7: the two new points have no words yet; refused, the form comes back
    # with empty rows for 6 and 7 and the admin's other input kept.
    data = _settings_form(draft, scale_max="7", **{"bands-0-name_id": "Unggul sekali"})
    reply = admin_client.post(f"/admin/questions/{draft.id}/settings", data=data)
    assert reply.status_code == 422
    page = reply.get_data(as_text=True)
    assert 'name="points-6-word_id"' in page and "Unggul sekali" in page
    assert _snapshot(session, draft) == before
    data.update({"points-5-point": "6", "points-6-point": "7"})
    data.update({"points-5-word_id": "Hampir selalu", "points-5-word_en": "Almost always"})
    data.update({"points-6-word_id": "Selalu sekali", "points-6-word_en": "Always, always"})
    reply = admin_client.post(f"/admin/questions/{draft.id}/settings", data=data)
    assert reply.status_code == 303
    session.expire_all()
    assert (draft.scale_min, draft.scale_max) == (1, 7)
    assert draft.scale_label(7, "id") == "Selalu sekali" and draft.scale_label(6, "en")
    preview = admin_client.get(f"/admin/questions/{draft.id}/preview/1").get_data(as_text=True)
    assert "Selalu sekali" in preview and "Hampir selalu" in preview


def test_a_band_is_added_in_the_spare_row_and_removed_by_clearing_it(build, admin_client, session):
    draft = _draft(build, admin_client, session)
    n = len(draft.bands)
    page = admin_client.get(f"/admin/questions/{draft.id}/settings").get_data(as_text=True)
    assert f'name="bands-{n}-lower"' in page  # one spare row
    rows = [("95", "Istimewa", "Outstanding")] + [
        (str(b["lower"]), b["label_id"], b["label_en"]) for b in draft.bands
    ]
    ordered = _settings_form(draft)
    for k, (lower, name_id, name_en) in enumerate(rows):
        ordered.update(
            {
                f"bands-{k}-lower": lower,
                f"bands-{k}-name_id": name_id,
                f"bands-{k}-name_en": name_en,
            }
        )
    assert (
        admin_client.post(f"/admin/questions/{draft.id}/settings", data=ordered).status_code == 303
    )
    session.expire_all()
    assert [b["lower"] for b in draft.bands] == [95, 85, 70, 55, 0]
    cleared = _settings_form(
        draft, **{"bands-0-lower": "", "bands-0-name_id": "", "bands-0-name_en": ""}
    )
    assert (
        admin_client.post(f"/admin/questions/{draft.id}/settings", data=cleared).status_code == 303
    )
    session.expire_all()
    assert [b["lower"] for b in draft.bands] == [85, 70, 55, 0]


def test_s23_a_stale_settings_save_is_409_with_the_input_shown_back(
    build, admin_client, app, login, org, session
):
    draft = _draft(build, admin_client, session)
    stale = _settings_form(draft)
    other = login(build.employee(org.root, admin=True), app.test_client())
    other.post(f"/admin/questions/{draft.id}/settings", data={**stale, "min_group_size": "8"})
    saved, audits = _snapshot(session, draft), _audit_count(session)
    mine = {**stale, "min_group_size": "9", "bands-0-lower": "88", "bands-0-name_id": "Unggul"}
    reply = admin_client.post(f"/admin/questions/{draft.id}/settings", data=mine)
    assert reply.status_code == 409
    page = reply.get_data(as_text=True)
    for shown in ('value="9"', 'value="88"', 'value="Unggul"'):
        assert shown in page
    assert "Tersimpan sekarang" in page and "8 orang" in page
    assert _snapshot(session, draft) == saved and _audit_count(session) == audits


def test_a_frozen_version_refuses_every_change_and_writes_nothing(
    build, admin_client, org, session
):
    version = build.default_version()
    build.period([org.root], version=version)
    before, audits = _snapshot(session, version), _audit_count(session)
    item = version.items[0]
    posts = [
        (f"/admin/questions/{version.id}/items/{item.id}", _item_form(version, item, text_id="X")),
        (f"/admin/questions/{version.id}/settings", _settings_form(version, min_group_size="7")),
        (f"/admin/questions/{version.id}/items/new", {"behaviour": "BP-1", "text_id": "X"}),
        (f"/admin/questions/{version.id}/items/{item.id}/delete", {}),
        (f"/admin/questions/{version.id}/publish", {}),
    ]
    for url, data in posts:
        reply = admin_client.post(url, data=data)
        assert reply.status_code in (303, 409), url
    assert _snapshot(session, version) == before and _audit_count(session) == audits
    page = admin_client.get(f"/admin/questions/{version.id}").get_data(as_text=True)
    assert "dibekukan" in page
    item_page = admin_client.get(f"/admin/questions/{version.id}/items/{item.id}")
    assert '<fieldset class="plain" disabled>' in item_page.get_data(as_text=True)


def test_s23_publishing_a_draft_changed_since_it_was_opened_is_refused(
    build, admin_client, session
):
    draft = _draft(build, admin_client, session)
    seen = draft.lock_version
    _save_item(admin_client, draft, draft.items[0], text_id="Diubah sebelum terbit")
    reply = admin_client.post(
        f"/admin/questions/{draft.id}/publish", data={"lock_version": str(seen)}
    )
    page = admin_client.get(reply.headers["Location"]).get_data(as_text=True)
    assert "mengubah draf ini" in page
    session.expire_all()
    assert draft.status == "draft"


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
    before = _snapshot(session, version)
    draft = _draft(build, admin_client, session)
    reply = _save_item(
        admin_client, draft, draft.items[0], text_id="Butir yang ditulis ulang", reverse="y"
    )
    assert reply.status_code == 303
    admin_client.post(f"/admin/questions/{draft.id}/items/{draft.items[1].id}/delete")
    assert period.version_id == version.id
    assert _snapshot(session, version) == before
    assert (
        sorted(session.execute(sa.select(Answer.response_id, Answer.item_id, Answer.value)).all())
        == answers_before
    )
