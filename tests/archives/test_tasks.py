"""档案 in the one 待办 (issue 15 leftover 4): a loan in progress is the borrower's 归还 task, due on its due date,
and once overdue the archivists' task too; a 销毁清册 is the head's 批准销毁 and then the archivists' 监销销毁."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from tests.archives.test_management import _expire
from zhongshu.archives import disposal, services
from zhongshu.archives.models import ArchiveItem, Loan
from zhongshu.inbox.models import Task
from zhongshu.inbox.registry import acting
from zhongshu.inbox.selectors import done_for, todo_for

pytestmark = pytest.mark.django_db


def _open(user, kind):
    return todo_for(user).filter(kind=kind)


def test_loan_return_is_the_borrowers_task_and_overdue_the_archivists(people, web):
    clerk, archivist = people.clerk, people.archivist
    item = ArchiveItem.objects.get(outgoing__title__contains="元旦春节期间")
    loan = Loan.objects.get(item=item, borrower=clerk, status="pending")
    assert not _open(clerk, "archives.return").exists()
    with acting(archivist):
        loan = services.loan_decide(actor=archivist, loan=loan, approve=True, note="同意")
    task = _open(clerk, "archives.return").get()
    assert task.deadline == timezone.localdate(loan.due_at) and item.title in task.title and task.action == "到期前归还"
    assert not _open(archivist, "archives.return").exists()  # not overdue: nothing for the archivist yet
    assert item.title in web(clerk).get("/inbox/?kind=archives.return").content.decode()

    # past the due time the daily scan makes it the archivists' task too, overdue (red)
    with time_machine.travel(loan.due_at + datetime.timedelta(days=1)):
        assert "提醒 1 条" in services.loan_overdue_scan()
        chase = _open(archivist, "archives.return").get()
        assert chase.action == "催还并确认归还" and chase.deadline < timezone.localdate()
        assert todo_for(archivist).filter(kind="archives.return", deadline__lt=timezone.localdate()).exists()
        with acting(archivist):
            services.loan_return(actor=archivist, loan=loan)
    assert not Task.objects.filter(kind="archives.return", object_id=loan.pk, status="open").exists()
    assert done_for(archivist).filter(kind="archives.return", object_id=loan.pk).exists()  # the archivist's 已办
    assert not done_for(clerk).filter(kind="archives.return", object_id=loan.pk).exists()


def test_borrower_returning_closes_his_task_as_done(people):
    clerk = people.clerk
    item = ArchiveItem.objects.get(outgoing__title__contains="元旦春节期间")
    loan = services.loan_decide(actor=people.archivist, loan=Loan.objects.get(item=item, borrower=clerk, status="pending"), approve=True)
    assert _open(clerk, "archives.return").exists()
    services.loan_return(actor=clerk, loan=loan)  # no request context: the borrower is who returned
    assert done_for(clerk).filter(kind="archives.return", object_id=loan.pk).exists()


def test_destruction_is_the_heads_then_the_archivists_task(people, distributed):
    archivist, leader = people.archivist, people.leader
    item = services.item_file_outgoing(actor=archivist, document=distributed(), retention="D10")
    _expire(item)
    disposal.item_appraise(actor=archivist, item=item, decision="destroy", opinion="已无保存价值")
    d = disposal.destruction_create(actor=archivist, items=[item], reason="保管期满，经鉴定无保存价值")
    ask = _open(leader, "archives.destruction").get()
    assert ask.action == "批准销毁" and ask.url == d.get_absolute_url()
    assert not _open(people.director, "archives.destruction").exists()  # the office does not approve
    assert not _open(archivist, "archives.destruction").exists()
    with acting(leader):
        disposal.destruction_approve(actor=leader, destruction=d)
    assert done_for(leader).filter(kind="archives.destruction", object_id=d.pk).exists()
    execute = _open(archivist, "archives.destruction").get()
    assert execute.action.startswith("监销销毁")
    with acting(archivist):
        disposal.destruction_execute(actor=archivist, destruction=d, supervisors=[people.director, people.clerk])
    assert not Task.objects.filter(kind="archives.destruction", object_id=d.pk, status="open").exists()
    assert done_for(archivist).filter(kind="archives.destruction", object_id=d.pk).exists()
