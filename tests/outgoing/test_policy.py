"""OutgoingPolicy.allowed_actions, state by state and person by person, and the detail page shows exactly those
buttons (parsed from the HTML: each action's form or link)."""

import re

import pytest

from tests.outgoing.test_joint import joint_setup
from tests.outgoing.test_outgoing import approve_all, draft
from zhongshu.core.errors import PermissionDenied
from zhongshu.org.models import User
from zhongshu.outgoing import services
from zhongshu.outgoing.models import OutgoingDocument
from zhongshu.outgoing.policy import OutgoingPolicy

pytestmark = pytest.mark.django_db

READ = {"download_pdf", "download_docx"}
OFFICE_EDIT = READ | {"edit"}
PERSONAS = ("clerk", "director", "leader", "deputy", "archivist", "liaison", "admin", "secadmin", "auditor")

# state → persona → actions. Not listed: none. (clerk drafted every document; the demo flow is 部门负责人核稿 →
# 办公室审核 → 分管领导签发, so the deputy signs.)
EXPECTED = {
    "draft": {"clerk": READ | {"edit", "submit"}},
    "reviewing": {"clerk": OFFICE_EDIT, "director": OFFICE_EDIT, "leader": READ},
    "signed": {"clerk": OFFICE_EDIT | {"number"}, "director": OFFICE_EDIT | {"number"}, "leader": READ, "deputy": READ},
    "numbered": {"clerk": OFFICE_EDIT | {"download_print", "print", "void_number"}, "director": OFFICE_EDIT | {"download_print", "print", "void_number"},
                 "leader": READ, "deputy": READ},
    "printed": {"clerk": READ | {"download_print", "seal", "void_number", "correct"}, "director": READ | {"download_print", "seal", "void_number", "correct"}, "leader": READ, "deputy": READ},
    "sealed": {"clerk": READ | {"download_print", "distribute", "void_number", "download_package", "correct"},
               "director": READ | {"download_print", "distribute", "void_number", "download_package", "correct"}, "leader": READ, "deputy": READ},
    "distributed": {"clerk": READ | {"download_print", "file", "download_package"}, "director": READ | {"download_print", "file", "download_package"},
                    "leader": READ, "deputy": READ, "archivist": READ | {"file"}},  # the archives read what is handed over
    "filed": {"clerk": READ | {"download_print", "download_package"}, "director": READ | {"download_print", "download_package"}, "leader": READ, "deputy": READ,
              "archivist": READ},
}


def at(people, state: str) -> OutgoingDocument:
    doc = draft(people, title=f"某县人民政府办公室关于{state}状态测试的通知", copies=3)
    if state == "draft":
        return doc
    doc = services.outgoing_submit(actor=people.clerk, document=doc)
    if state == "reviewing":
        return doc
    doc = approve_all(doc)
    clerk = people.clerk
    steps = [services.outgoing_assign_number, services.outgoing_print, services.outgoing_seal, services.outgoing_distribute, services.outgoing_file]
    order = ["signed", "numbered", "printed", "sealed", "distributed", "filed"]
    for step in steps[: order.index(state)]:
        step(actor=clerk, document=doc)
    doc.refresh_from_db()
    assert doc.status == state
    return doc


# The page's form or link for each action (void_number lives on the register page).
def page_actions(html: str, pk: int) -> set[str]:
    urls = set(re.findall(rf'(?:href|action)="(/outgoing/{pk}/[^"#?]*)"', html))
    found = set()
    names = {"edit/": "edit", "submit/": "submit", "sign/": "sign", "number/": "number", "print/": "print", "seal/": "seal",
             "distribute/": "distribute", "file/": "file", "file.pdf": "download_pdf", "file.docx": "download_docx",
             "package.zip": "download_package", "correct/": "correct",
             "print-set.zip": "download_print", "print-set.pdf": "download_print"}
    for url in urls:
        rest = url[len(f"/outgoing/{pk}/"):]
        if rest in names:
            found.add(names[rest])
        elif re.fullmatch(r"joint/\d+/sign/", rest):
            found.add("joint_sign")
        elif re.fullmatch(r"joint/\d+/confirm/", rest):
            found.add("joint_confirm")
        elif rest:
            raise AssertionError(f"unexpected link {url}")
    return found


@pytest.mark.parametrize("state", list(EXPECTED))
def test_allowed_actions_per_state_and_person_and_the_buttons_shown(people, client, state):
    doc = at(people, state)
    for login in PERSONAS:
        user = people[login]
        expected = EXPECTED[state].get(login, set())
        assert OutgoingPolicy.allowed_actions(user, doc) == expected, (state, login)
        client.force_login(user)
        resp = client.get(f"/outgoing/{doc.pk}/")
        if not expected:  # may do nothing: may not read it either (the 三员 are sent to their second factor first)
            assert resp.status_code == (404 if login not in ("admin", "secadmin", "auditor") else 302), (state, login)
            continue
        assert resp.status_code == 200
        assert page_actions(resp.content.decode(), doc.pk) == expected - {"void_number"}, (state, login)


def test_joint_organs_get_only_their_joint_action(people, client):
    doc, finance, union, finance_leader = joint_setup(people)
    finance_clerk = User.objects.get(organization=finance.platform_organization, role_assignments__role="clerk")
    assert OutgoingPolicy.allowed_actions(finance_leader, doc) == {"download_pdf", "joint_sign"}
    assert OutgoingPolicy.allowed_actions(finance_clerk, doc) == {"download_pdf"}  # sees, does not handle (0004)
    # the lead office: 线下会签 for the organ outside the platform, no numbering before every organ agreed
    assert OutgoingPolicy.allowed_actions(people.clerk, doc) == OFFICE_EDIT | {"joint_confirm"}
    client.force_login(finance_leader)
    assert page_actions(client.get(f"/outgoing/{doc.pk}/").content.decode(), doc.pk) == {"download_pdf", "joint_sign"}


def test_delegate_signs_for_the_leader_only_while_the_delegation_runs(people):
    from django.utils import timezone

    from zhongshu.flow.models import FlowDefinition

    FlowDefinition.objects.filter(organization=people.clerk.organization, business_type="outgoing").update(status="retired")
    doc = draft(people)
    doc = services.outgoing_submit(actor=people.clerk, document=doc)
    assert doc.status == "reviewing"
    director = people.director  # not a leader
    assert "sign" not in OutgoingPolicy.allowed_actions(director, doc)
    assert "sign" in OutgoingPolicy.allowed_actions(people.deputy, doc)  # no flow: any leader signs directly
    today = timezone.localdate()
    from zhongshu.org.services import delegation_create

    # The deputy (重要涉密人员) is away; the director, cleared as high, signs for him — and only for him.
    delegation_create(actor=people.deputy, delegator=people.deputy, delegate=director, start_date=today, end_date=today, reason="出差")
    director = User.objects.get(pk=director.pk)
    assert "sign" in OutgoingPolicy.allowed_actions(director, doc)
    with pytest.raises(PermissionDenied):  # only for the one who delegated
        services.outgoing_sign_off(actor=director, document=doc, on_behalf_of=people.leader)
    doc = services.outgoing_sign_off(actor=director, document=doc, on_behalf_of=people.deputy)
    assert list(doc.signers.all()) == [people.deputy]
