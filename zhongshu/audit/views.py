from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from zhongshu.access.permissions import has_perm
from zhongshu.web.lists import Column, ListPage, local

from .display import Presenter
from .filters import AuditFilter
from .selectors import entries_for
from .services import record, verify


def columns(presenter: Presenter) -> list[Column]:
    """The auditor's columns: names and Chinese labels, content of entries above the reader's clearance hidden."""
    p = presenter
    return [
        Column("seq", "序号", lambda e: e.seq, sort="seq"),
        Column("time", "时间", lambda e: local(e.created_at, "Y-m-d H:i:s"), sort="created_at"),
        Column("actor", "操作人", p.actor, sort="actor_name"),
        Column("ip", "IP", lambda e: e.ip),
        Column("action", "操作", p.action, sort="action"),
        Column("target_type", "对象类型", p.target_type),
        Column("target", "对象", p.target),
        Column("classification", "密级", p.classification),
        Column("change", "变更", p.change_text),
        Column("note", "说明", p.note),
    ]


@login_required
def audit_list(request):
    if not has_perm(request.user, "audit.view"):
        raise Http404
    listing = ListPage(request, entries_for(request.user), columns(Presenter(request.user)), filterset_class=AuditFilter, default_sort="-seq", page_size=50)
    if listing.wants_export():
        record(actor=request.user, action="audit.export", note=request.GET.urlencode()[:300])
        return listing.export("审计日志.xlsx")
    return TemplateResponse(request, "audit/list.html", {"title": "审计日志", "listing": listing, "can_export": True})


@login_required
@require_POST
def audit_verify(request):
    if not has_perm(request.user, "audit.view"):
        raise Http404
    result = verify()
    record(actor=request.user, action="audit.verify", note=("完整" if result.ok else result.problem)[:300])
    if result.ok:
        messages.success(request, f"审计链完整：已校验 {result.checked} 条记录，未发现篡改或缺失。")
    else:
        messages.error(request, f"审计链异常：{result.problem}（已校验 {result.checked} 条）")
    return redirect("audit:list")
