"""A closed period's results, computed once and stored (docs/design.md "Results").

Closing a period builds the snapshot from the per-response sums stored at submit; pages,
workbooks, trends and comparisons read it (services/results.published). `verify` recomputes
everything from the raw answers, by a second path through the SQL, and lists every difference:
`flask results verify --period CODE` exits 1 on any.
"""

from __future__ import annotations

from collections import OrderedDict

import sqlalchemy as sa

from .. import scoring
from ..extensions import db
from ..models import Period, ResultSnapshot, utcnow
from . import results

_LOADED: OrderedDict[tuple, results.Published] = OrderedDict()
_LOADED_MAX = 16  # periods kept parsed per process; a snapshot is read once, then served


def build(period: Period, progress=None) -> results.Tree:
    """Compute and store the period's snapshot, replacing any older one."""
    tree = results.build_tree(period, results.FROM_SUMS, progress)
    db.session.execute(sa.delete(ResultSnapshot).where(ResultSnapshot.period_id == period.id))
    db.session.add(ResultSnapshot(period_id=period.id, built_at=utcnow(), data=to_json(tree)))
    db.session.flush()
    if progress is not None:
        progress(results.TREE_STEPS, results.TREE_STEPS)
    return tree


def load(period: Period) -> results.Published | None:
    """The stored snapshot as published numbers; None when there is none or it was made for
    another version or privacy setting. Parsed once per process: later requests read only
    its time stamp (one small statement)."""
    built_at = db.session.scalar(
        sa.select(ResultSnapshot.built_at).where(ResultSnapshot.period_id == period.id)
    )
    if built_at is None:
        return None
    key = (period.id, built_at, period.version_id, bool(period.hide_individuals))
    found = _LOADED.get(key)
    if found is None:
        data = db.session.scalar(
            sa.select(ResultSnapshot.data).where(ResultSnapshot.period_id == period.id)
        )
        tree = from_json(data)
        if tree.version_id != period.version_id or tree.hide != bool(period.hide_individuals):
            return None
        found = results.Published.of(tree, results.rules_for(period.version))
        _LOADED[key] = found
        while len(_LOADED) > _LOADED_MAX:
            _LOADED.popitem(last=False)
    _LOADED.move_to_end(key)
    return found


def verify(period: Period) -> list[str]:
    """Every difference between the stored snapshot and sums and a recomputation from the raw
    answers; an empty list when they agree to the last digit."""
    data = db.session.scalar(
        sa.select(ResultSnapshot.data).where(ResultSnapshot.period_id == period.id)
    )
    if data is None:
        return [f"period {period.code}: no snapshot"]
    stored = from_json(data)
    fresh = results.build_tree(period, results.FROM_ANSWERS)
    problems = []
    if (stored.version_id, stored.hide) != (fresh.version_id, fresh.hide):
        problems.append("snapshot made for another version or privacy setting")
    if stored.units != fresh.units:
        problems.append("unit tree differs")
    for name in ("tallies", "moments", "counts", "hidden", "culture", "daily"):
        have, want = to_json(stored)[name] or {}, to_json(fresh)[name] or {}
        for group in sorted(set(have) | set(want)):
            if have.get(group) != want.get(group):
                problems.append(
                    f"{name} of {group}: stored {have.get(group)}, answers {want.get(group)}"
                )
    by_sums = results.person_results(period, source=results.FROM_SUMS)
    by_answers = results.person_results(period, source=results.FROM_ANSWERS)
    for employee_id in sorted(set(by_sums) | set(by_answers)):
        a, b = by_sums.get(employee_id), by_answers.get(employee_id)
        if a is None or b is None or (a.value_indices, a.flags) != (b.value_indices, b.flags):
            problems.append(f"stored sums of employee {employee_id} differ from the answers")
    return problems


def to_json(tree: results.Tree) -> dict:
    return {
        "version_id": tree.version_id,
        "hide": tree.hide,
        "units": tree.units,
        "tallies": {g: [t.eligible, t.submitted, t.drafts] for g, t in tree.tallies.items()},
        "moments": {
            g: {
                "n": m.n,
                "sums": dict(sorted(m.sums.items())),
                "products": {f"{a}|{b}": v for (a, b), v in sorted(m.products.items())},
            }
            for g, m in tree.moments.items()
        },
        "counts": {
            g: {
                str(item): {str(answer): n for answer, n in sorted(by_answer.items())}
                for item, by_answer in sorted(by_item.items())
            }
            for g, by_item in tree.counts.items()
        },
        "hidden": dict(sorted(tree.hidden.items())),
        "culture": {
            g: {
                lens: {str(b): n for b, n in sorted(by_behaviour.items())}
                for lens, by_behaviour in sorted(by_lens.items())
            }
            for g, by_lens in tree.culture.items()
        },
        "daily": None
        if tree.daily is None
        else {g: dict(sorted(by_day.items())) for g, by_day in tree.daily.items()},
    }


def from_json(data: dict) -> results.Tree:
    return results.Tree(
        version_id=data["version_id"],
        hide=data["hide"],
        units=data["units"],
        tallies={g: results.Tally(*t) for g, t in data["tallies"].items()},
        moments={
            g: scoring.Moments(
                m["n"],
                dict(m["sums"]),
                {tuple(k.split("|")): v for k, v in m["products"].items()},
            )
            for g, m in data["moments"].items()
        },
        counts={
            g: {
                int(item): {int(answer): n for answer, n in by_answer.items()}
                for item, by_answer in by_item.items()
            }
            for g, by_item in data["counts"].items()
        },
        hidden=dict(data["hidden"]),
        culture={
            g: {
                lens: {int(b): n for b, n in by_behaviour.items()}
                for lens, by_behaviour in by_lens.items()
            }
            for g, by_lens in data.get("culture", {}).items()
        },
        daily=data.get("daily"),
    )
