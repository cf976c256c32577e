"""The culture map section of a version: seeded by migration 0009 into a new version of the
default questionnaire, copied into drafts, editable only in a draft."""

import pytest
import sqlalchemy as sa

from surveyapp import content
from surveyapp.models import CultureBehaviour, CultureMap, QuestionnaireVersion
from surveyapp.services import culture_map, questionnaires
from surveyapp.services.questionnaires import QuestionnaireError


def test_0009_publishes_a_new_default_version_with_the_culture_map_and_leaves_v1(build, session):
    v1 = build.default_version()
    v2 = build.culture_version()
    assert (v1.number, v2.number) == (1, 2)
    assert v2.status == "published" and v2.questionnaire_id == v1.questionnaire_id
    assert culture_map.section(v1) is None
    assert [(i.code, i.text_id, i.reverse) for i in v2.items] == [
        (i.code, i.text_id, i.reverse) for i in v1.items
    ]
    assert len(v1.items) == 28
    found = culture_map.section(v2)
    assert found.pick == 10
    kinds = [b.kind for b in found.behaviours]
    assert kinds.count("value") == 21
    assert kinds.count("limiting") == len(content.LIMITING_BEHAVIOURS) == 14
    first = found.behaviours[0]
    assert (first.code, first.text_id) == ("BP-1", "Memahami dan memenuhi kebutuhan masyarakat")
    blame = next(b for b in found.behaviours if b.code == "L01")
    assert (blame.text_id, blame.text_en) == ("Saling menyalahkan", "Blaming one another")


def test_a_limiting_behaviour_edited_in_a_draft_never_changes_the_frozen_version(
    build, session, org
):
    frozen = build.culture_version()
    before = [(b.code, b.text_id, b.text_en) for b in culture_map.section(frozen).behaviours]
    draft = questionnaires.new_draft(frozen, actor=org.admin)
    copied = culture_map.section(draft)
    assert [(b.code, b.text_id, b.text_en) for b in copied.behaviours] == before
    blame = next(b for b in copied.behaviours if b.code == "L01")
    culture_map.save_section(
        draft,
        8,
        [culture_map.LimitingEdit(blame.id, "Saling lempar kesalahan", "Passing the blame")],
        actor=org.admin,
    )
    culture_map.add_limiting(
        draft, "Rapat tanpa keputusan", "Meetings without decisions", actor=org.admin
    )
    removed = next(b for b in copied.behaviours if b.code == "L14")
    culture_map.remove_limiting(draft, removed, actor=org.admin)
    session.expire_all()
    assert [
        (b.code, b.text_id, b.text_en) for b in culture_map.section(frozen).behaviours
    ] == before
    assert culture_map.section(frozen).pick == 10
    after = {b.code: b.text_id for b in culture_map.section(draft).behaviours}
    assert after["L01"] == "Saling lempar kesalahan"
    assert after["L15"] == "Rapat tanpa keputusan"
    assert "L14" not in after
    assert culture_map.section(draft).pick == 8


def test_a_frozen_section_refuses_every_edit_and_writes_nothing(build, session, org):
    frozen = build.culture_version()
    blame = next(b for b in culture_map.section(frozen).behaviours if b.code == "L01")
    with pytest.raises(QuestionnaireError, match="frozen"):
        culture_map.save_section(
            frozen, 10, [culture_map.LimitingEdit(blame.id, "Lain", "Other")], actor=org.admin
        )
    with pytest.raises(QuestionnaireError, match="frozen"):
        culture_map.add_limiting(frozen, "Baru", "New", actor=org.admin)
    with pytest.raises(QuestionnaireError, match="frozen"):
        culture_map.remove_limiting(frozen, blame, actor=org.admin)
    session.expire_all()
    assert session.get(CultureBehaviour, blame.id).text_id == "Saling menyalahkan"


def test_periods_take_only_published_versions_so_a_period_never_sees_a_draft_list(
    build, session, org
):
    from surveyapp.services.periods import PeriodError

    draft = questionnaires.new_draft(build.culture_version(), actor=org.admin)
    with pytest.raises(PeriodError):
        build.period([org.root], version=draft, state="draft")


def test_bad_edits_to_a_draft_are_refused_whole(build, session, org):
    draft = questionnaires.new_draft(build.culture_version(), actor=org.admin)
    rows = culture_map.section(draft).behaviours
    blame = next(b for b in rows if b.code == "L01")
    value = next(b for b in rows if b.code == "BP-1")
    for pick, edits, rule in (
        (0, [], "bad_pick"),
        (10, [culture_map.LimitingEdit(blame.id, " ", "x")], "bad_text"),
        (10, [culture_map.LimitingEdit(value.id, "Bukan", "Not")], "bad_item"),
        (10, [culture_map.LimitingEdit(blame.id, "x" * 301, "")], "bad_text"),
    ):
        with pytest.raises(QuestionnaireError, match=rule):
            culture_map.save_section(draft, pick, edits, actor=org.admin)
    session.expire_all()
    assert session.get(CultureBehaviour, blame.id).text_id == "Saling menyalahkan"
    assert session.get(CultureMap, draft.id).pick == 10


def test_a_new_draft_can_get_the_section_with_the_default_list(build, session, org):
    draft = questionnaires.new_draft(build.default_version(), actor=org.admin)
    assert culture_map.section(draft) is None
    culture_map.add_section(draft, actor=org.admin, pick=7)
    found = culture_map.section(draft)
    assert found.pick == 7 and len(found.behaviours) == 35
    assert session.scalar(sa.select(sa.func.count()).select_from(QuestionnaireVersion)) >= 3
