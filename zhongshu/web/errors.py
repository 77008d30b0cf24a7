"""Error pages: Chinese HTML for people, the API's JSON shape under /api/."""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string

MESSAGES = {
    400: ("请求格式不正确。", "bad_request"),
    403: ("您没有执行此操作的权限。", "permission_denied"),
    404: ("对象不存在或您无权查看。", "not_found"),
    500: ("系统出现错误，已记录，请稍后重试或联系管理员。", "server_error"),
}
HEADINGS = {400: "请求无效", 403: "无权访问", 404: "页面不存在", 500: "系统错误"}
PAGE_MESSAGES = {
    400: "请求格式不正确，请返回上一页检查后重试。",
    403: "您没有执行此操作的权限。",
    404: "您访问的页面不存在，或您无权查看。",
    500: MESSAGES[500][0],
}


def _respond(request, status: int):
    message, code = MESSAGES[status]
    if request.path.startswith("/api/"):
        return JsonResponse({"error": message, "code": code, "fields": {}}, status=status)
    if status == 500:  # nothing that could fail again: no request context, no database, no navigation
        return HttpResponse(render_to_string("500.html"), status=status)
    context = {"status": status, "heading": HEADINGS[status], "message": PAGE_MESSAGES[status]}
    return render(request, f"{status}.html", context, status=status)


def bad_request(request, exception=None):
    return _respond(request, 400)


def permission_denied(request, exception=None):
    return _respond(request, 403)


def page_not_found(request, exception=None):
    return _respond(request, 404)


def server_error(request):
    return _respond(request, 500)
