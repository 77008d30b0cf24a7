from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from zhongshu.access.permissions import has_perm
from zhongshu.core.classification import Classification
from zhongshu.web.lists import Column, ListPage, local

from .actions import label
from .filters import AuditFilter
from .selectors import entries_for
from .services import record, verify

COLUMNS = [
    Column("seq", "序号", lambda e: e.seq, sort="seq"),
    Column("time", "时间", lambda e: local(e.created_at, "Y-m-d H:i:s"), sort="created_at"),
    Column("actor", "操作人", lambda e: e.actor_name + (f" 代 {e.on_behalf_of_name}" if e.on_behalf_of_name else ""), sort="actor_name"),
    Column("ip", "IP", lambda e: e.ip),
    Column("action", "操作", lambda e: label(e.action), sort="action"),
    Column("target", "对象", lambda e: e.target_repr),
    Column("classification", "密级", lambda e: Classification(e.classification).label if e.classification else ""),
    Column("change", "变更", lambda e: _change(e)),
    Column("note", "说明", lambda e: e.note),
]


def _change(e) -> str:
    if not e.after and not e.before:
        return ""
    keys = sorted(set((e.before or {}).keys()) | set((e.after or {}).keys()))
    return "；".join(f"{k}: {(e.before or {}).get(k, '')} → {(e.after or {}).get(k, '')}" for k in keys)[:300]


@login_required
def audit_list(request):
    if not has_perm(request.user, "audit.view"):
        raise Http404
    listing = ListPage(request, entries_for(request.user), COLUMNS, filterset_class=AuditFilter, default_sort="-seq", page_size=50)
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
