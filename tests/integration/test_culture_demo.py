"""The demo Pemkot fills the culture map plausibly: complete lenses for every submitted
response, units that differ, and limiting behaviours where the Likert indices run low."""

from __future__ import annotations

import statistics

import sqlalchemy as sa

from surveyapp.models import CultureChoice, Period, Response
from surveyapp.services import culture_results, demo


def test_the_demo_culture_map_differs_by_unit_and_follows_the_likert_climate(session):
    demo.seed(employees=600, seed_value=11)
    closed = session.scalar(sa.select(Period).where(Period.state == "closed"))
    assert culture_results.catalogue(closed) is not None  # the demo uses the culture version
    # Every submitted response holds exactly ten per lens; a draft at most ten in "self" only.
    per_lens = session.execute(
        sa.select(Response.state, CultureChoice.lens, sa.func.count())
        .join(CultureChoice, CultureChoice.response_id == Response.id)
        .group_by(Response.id, Response.state, CultureChoice.lens)
    ).all()
    assert {(s, lens, n) for s, lens, n in per_lens if s == "submitted"} == {
        ("submitted", lens, 10) for lens in ("self", "current", "desired")
    }
    assert {lens for s, lens, _n in per_lens if s == "draft"} <= {"self"}
    rows = [r for r in culture_results.unit_rows(closed) if r.culture is not None]
    assert len(rows) >= 8
    energy = [r.culture.positive_energy for r in rows]
    likert = [r.unit.overall.mean for r in rows]
    assert statistics.pstdev(energy) > 5  # units differ
    assert len({r.culture.band.label_id for r in rows}) >= 2
    # Where the Likert index is low, more of today's votes go to limiting behaviours.
    assert statistics.correlation(likert, energy) > 0.3
    low = min(rows, key=lambda r: r.unit.overall.mean)
    assert low.culture.limiting_current  # limiting behaviours show up there
