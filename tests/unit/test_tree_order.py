"""Issue 18: the unit tree as HR sees it: children by name under their parent, not in the
text order of internal id paths."""

from __future__ import annotations

from dataclasses import dataclass

from surveyapp.services.reports import tree_order


@dataclass
class Row:
    code: str
    name: str
    depth: int


def test_children_by_name_each_followed_by_its_subtree():
    by_path = [  # the order of paths /1/, /1/3/, /1/3/9/, /1/3/10/, /1/4/, /1/4/5/
        Row("PEMKOT", "Pemerintah Kota", 0),
        Row("DISKOMINFO", "Dinas Komunikasi dan Informatika", 1),
        Row("D-2", "Bidang Statistik", 2),
        Row("D-1", "Bidang Aplikasi", 2),
        Row("SETDA", "Sekretariat Daerah", 1),
        Row("S-1", "bagian Umum", 2),
        Row("S-2", "Bagian Pemerintahan", 2),
        Row("DINKES", "Dinas Kesehatan", 1),
    ]
    assert [r.code for r in tree_order(by_path)] == [
        "PEMKOT",
        "DINKES",
        "DISKOMINFO",
        "D-1",
        "D-2",
        "SETDA",
        "S-2",
        "S-1",  # case does not count: "bagian Umum" after "Bagian Pemerintahan"
    ]


def test_several_roots_and_a_tie_by_code():
    rows = [Row("B", "Sama", 0), Row("B-1", "x", 1), Row("A", "Sama", 0)]
    assert [r.code for r in tree_order(rows)] == ["A", "B", "B-1"]
    assert tree_order([]) == []
