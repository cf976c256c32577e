"""The answers and culture-map choices stored at submit as bit masks (ResponseScore), and the
snapshot counting them: the same counts as the answers and choices themselves, which `verify`
recounts; a version the masks cannot hold is counted from the rows."""

from __future__ import annotations

import random

import sqlalchemy as sa

from surveyapp.models import (
    MASK_POSITIONS,
    Answer,
    CultureBehaviour,
    CultureChoice,
    Item,
    ResponseScore,
)
from surveyapp.services import culture_map, periods, responses, results, snapshots


def _submit_with_choices(period, person, rng, codes) -> int:
    """Through the services, as the pages do: Likert answers, three lenses of `pick`, submit."""
    values = {item.code: rng.randint(1, 5) for item in period.version.items}
    response, _ = responses.save_by_code(period, person, values)
    pick = period.version.culture_map.pick
    for lens in ("self", "current", "desired"):
        culture_map.save_lens(period, person, lens, set(rng.sample(codes, pick)))
    assert responses.submit(response)
    return response.id


def _period_with_choices(build, org, session, rng, people=8):
    staff = [build.employee(org.bidang_a1) for _ in range(people // 2)]
    staff += [build.employee(org.dinas_b) for _ in range(people - people // 2)]
    period = build.period([org.root], version=build.culture_version())  # its roster: staff
    behaviours = culture_map.catalogue(period.version)
    codes = [b.code for b in behaviours]
    submitted = [_submit_with_choices(period, p, rng, codes) for p in staff]
    return period, behaviours, submitted


def test_submit_stores_each_lens_as_the_bits_of_its_positions(build, org, session):
    rng = random.Random(11)
    period, behaviours, submitted = _period_with_choices(build, org, session, rng, people=3)
    position = {b.id: b.position for b in behaviours}
    for response_id in submitted:
        row = session.get(ResponseScore, response_id)
        for lens in ("self", "current", "desired"):
            chosen = session.scalars(
                sa.select(CultureChoice.behaviour_id).where(
                    CultureChoice.response_id == response_id, CultureChoice.lens == lens
                )
            ).all()
            assert len(chosen) == period.version.culture_map.pick
            # By hand: the behaviour at list position p is bit p - 1.
            assert getattr(row, f"{lens}_mask") == sum(1 << (position[b] - 1) for b in chosen)


def test_the_snapshot_counts_the_masks_and_verify_recounts_the_choices(build, org, session, runner):
    rng = random.Random(12)
    period, _behaviours, _ = _period_with_choices(build, org, session, rng)
    from_masks = results.culture_by_group(period)
    from_choices = results.culture_by_group(period, results.FROM_ANSWERS)
    assert from_masks == from_choices
    assert sum(from_masks[results.ORGANISATION]["self"].values()) == 8 * 10
    # A submitted response without its masks (not expected) makes it count the choices.
    first = session.scalar(sa.select(ResponseScore).order_by(ResponseScore.response_id).limit(1))
    kept, first.current_mask = first.current_mask, None
    session.flush()
    assert results._culture_counts_from_masks(period, results.period_units(period)) is None
    assert results.culture_by_group(period) == from_choices
    first.current_mask = kept
    session.flush()
    periods.close_period(period)
    session.flush()
    assert snapshots.verify(period) == []
    # The snapshot reads the masks: with the choices gone behind the app's back a rebuild
    # still counts them, and verify, which recounts the choices, names the difference.
    session.execute(sa.delete(CultureChoice))
    snapshots.build(period)
    session.flush()
    assert snapshots.load(period).tree.culture == from_choices
    assert any(p.startswith("culture of /:") for p in snapshots.verify(period))


def test_a_list_longer_than_the_masks_is_counted_from_the_choices(build, org, session):
    rng = random.Random(13)
    version = build.culture_version()
    last = max(b.position for b in version.culture_map.behaviours)
    extra = CultureBehaviour(
        version_id=version.id,
        code="L99",
        kind="limiting",
        text_id="Perilaku ke-63",
        position=MASK_POSITIONS + 1,
    )
    session.add(extra)
    session.flush()
    assert last < MASK_POSITIONS < extra.position
    session.expire(version.culture_map)
    person = build.employee(org.bidang_a1)
    period = build.period([org.root], version=version)
    codes = [b.code for b in culture_map.catalogue(version) if b.code != "L99"]
    response_id = _submit_with_choices(period, person, rng, ["L99", *codes[:12]])
    row = session.get(ResponseScore, response_id)
    masks = [row.self_mask, row.current_mask, row.desired_mask]
    chose_extra = session.scalars(
        sa.select(CultureChoice.lens).where(
            CultureChoice.response_id == response_id, CultureChoice.behaviour_id == extra.id
        )
    ).all()
    assert chose_extra  # the sample of ten from thirteen takes it at least once
    assert None in masks
    assert results.culture_by_group(period) == results.culture_by_group(
        period, results.FROM_ANSWERS
    )
    periods.close_period(period)
    session.flush()
    assert snapshots.verify(period) == []


def test_submit_stores_each_answer_as_one_bit_of_its_item_and_point(build, org, session):
    rng = random.Random(14)
    period, _behaviours, submitted = _period_with_choices(build, org, session, rng, people=3)
    version = period.version
    points = version.scale_max - version.scale_min + 1
    for response_id in submitted:
        rows = session.execute(
            sa.select(Item.position, Answer.value)
            .join(Item, Item.id == Answer.item_id)
            .where(Answer.response_id == response_id)
        ).all()
        assert len(rows) == 28
        # By hand: answer a to the item at position p is bit (p - 1) * points + a - min.
        want = sum(1 << ((p - 1) * points + a - version.scale_min) for p, a in rows)
        row = session.get(ResponseScore, response_id)
        masks = [row.answer_mask_0, row.answer_mask_1, row.answer_mask_2, row.answer_mask_3]
        # 28 items x 5 points = 140 bits: 62 + 62 + 16, the fourth column empty.
        assert sum(m << (62 * i) for i, m in enumerate(masks)) == want
        assert masks[3] == 0


def test_the_snapshot_counts_answer_masks_and_verify_recounts_the_answers(build, org, session):
    rng = random.Random(15)
    period, _behaviours, _ = _period_with_choices(build, org, session, rng)
    info = results._load_version(period.version)
    from_masks = results._unit_sums(period, info)[1]
    assert from_masks == results._answer_counts_by_path(period, info)
    periods.close_period(period)
    session.flush()
    assert snapshots.verify(period) == []
    stored = snapshots.load(period).tree.counts
    item = period.version.items[0]
    assert sum(stored[results.ORGANISATION][item.id].values()) == 8
    # With one answer changed behind the app's back a rebuild still counts the stored bits,
    # and verify, which recounts the answers, names the item's difference.
    answer = session.scalar(sa.select(Answer).where(Answer.item_id == item.id).limit(1))
    answer.value = 1 if answer.value != 1 else 5
    session.flush()
    snapshots.build(period)
    session.flush()
    assert snapshots.load(period).tree.counts == stored
    assert any(p.startswith("counts of /:") for p in snapshots.verify(period))


def test_a_version_the_answer_masks_cannot_hold_is_counted_from_the_answers(
    build, org, session, monkeypatch
):
    rng = random.Random(16)
    period, _behaviours, _ = _period_with_choices(build, org, session, rng, people=4)
    monkeypatch.setattr(results, "ANSWER_MASK_COLUMNS", 1)  # 62 bits: 12 items of 5 points
    info = results._load_version(period.version)
    assert results._unit_sums(period, info)[1] is None
    periods.close_period(period)
    session.flush()
    assert snapshots.verify(period) == []
