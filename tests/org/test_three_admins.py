"""三员分立: system, security and audit administration never meet in one account."""

import pytest
from django.db import IntegrityError, transaction

from zhongshu.access.permissions import user_permissions
from zhongshu.core.errors import PermissionDenied, ServiceError
from zhongshu.org import services
from zhongshu.org.models import User
from zhongshu.org.roles import AdminRole, Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("first,second", [(a, b) for a in AdminRole.values for b in AdminRole.values if a != b])
def test_one_account_never_holds_two_admin_roles(people, first, second):
    u = services.user_create(actor=people.admin, organization=people.admin.organization, username=f"x{first[:3]}{second[:3]}", real_name="测试")
    services.user_set_admin_role(actor=None, user=u, admin_role=first)
    with pytest.raises(ServiceError, match="三员不得由同一账号兼任"):
        services.user_set_admin_role(actor=None, user=u, admin_role=second)
    u.refresh_from_db()
    assert u.admin_role == first


def test_the_database_holds_one_admin_role_per_account(people):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=people.clerk.pk).update(admin_role="system,audit")


def test_admin_accounts_take_no_business_role(people):
    with pytest.raises(ServiceError, match="不得兼任业务角色"):
        services.user_set_roles(actor=people.admin, user=people.auditor, roles=[Role.LEADER])
    with pytest.raises(ServiceError, match="持有业务角色"):
        services.user_set_admin_role(actor=None, user=people.clerk, admin_role=AdminRole.AUDIT)


def test_admin_roles_are_not_business_roles(people):
    with pytest.raises(ServiceError, match="三员角色不能作为业务角色"):
        services.user_set_roles(actor=people.admin, user=people.clerk, roles=["audit"])


def test_each_admin_does_only_their_own_job(people):
    admin, secadmin, auditor, clerk = people.admin, people.secadmin, people.auditor, people.clerk
    # security administration: only secadmin sets clearance
    with pytest.raises(PermissionDenied):
        services.user_set_clearance(actor=admin, user=clerk, clearance=3, reason="x")
    with pytest.raises(PermissionDenied):
        services.user_set_clearance(actor=auditor, user=clerk, clearance=3, reason="x")
    services.user_set_clearance(actor=secadmin, user=clerk, clearance=3, reason="经审查")
    # system administration: only admin manages accounts
    for actor in (secadmin, auditor):
        with pytest.raises(PermissionDenied):
            services.user_create(actor=actor, organization=clerk.organization, username="newbie", real_name="新人")
    # the system administrator cannot make himself another administrator
    with pytest.raises(ServiceError):
        services.user_set_admin_role(actor=admin, user=admin, admin_role=AdminRole.AUDIT)
    assert "audit.view" in user_permissions(auditor)
    assert "audit.view" not in user_permissions(admin) and "audit.view" not in user_permissions(secadmin)
    assert "security.manage" not in user_permissions(admin)
    assert "org.manage" not in user_permissions(secadmin)


def test_auditor_sees_the_other_two_admins_actions(people, api):
    admin, secadmin, auditor = people.admin, people.secadmin, people.auditor
    services.user_update(actor=admin, user=people.clerk, phone="0000-1")
    services.user_set_clearance(actor=secadmin, user=people.clerk, clearance=3, reason="经审查")
    rows = api(auditor).get("/api/v1/audit/", {"size": 5}).json()["results"]
    actions = [(r["actor_name"], r["action"]) for r in rows]
    assert ("范春燕", "org.user_set_clearance") in actions and ("邓建国", "org.user_update") in actions
