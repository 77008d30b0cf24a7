"""The 发文 builder of the access matrix (tests/access/matrix/build_outgoing.py) runs with any `w` that has
`.people` and `.title(kind)`, and creates what the matrix needs: every level, states, other organization, joint."""

import importlib.util
import pathlib

import pytest

from zhongshu.core.classification import Classification
from zhongshu.outgoing.models import NumberRecord, OutgoingDocument

pytestmark = pytest.mark.django_db

PATH = pathlib.Path(__file__).resolve().parents[1] / "access" / "matrix" / "build_outgoing.py"


def load():
    spec = importlib.util.spec_from_file_location("build_outgoing", PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Stub:
    def __init__(self, people):
        self.people = people
        self.n = 0

    def title(self, kind):
        self.n += 1
        return f"{kind}测试标题矩阵{self.n:04d}号"


def test_builder_creates_levels_states_other_organization_and_joint(people):
    w = Stub(people)
    load().build(w)
    docs = OutgoingDocument.objects.filter(title__contains="矩阵")
    assert all("矩阵" in d.body for d in docs)
    mine = docs.filter(organization=people.clerk.organization)
    for level in (Classification.INTERNAL, Classification.SECRET, Classification.CONFIDENTIAL):
        states = set(mine.filter(classification=level).values_list("status", flat=True))
        assert {"draft", "reviewing", "signed", "numbered", "distributed", "filed"} <= states, level
    assert docs.exclude(organization=people.clerk.organization).filter(status="signed").exists()  # another organization
    assert mine.filter(joint_issuers__isnull=False, status="signed").exists()
    assert mine.filter(joint_issuers__isnull=False, status="numbered").exists()
    assert NumberRecord.objects.filter(reason__contains="矩阵", status="voided").exists()
