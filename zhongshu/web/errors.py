"""Error pages: Chinese HTML for people, the API's JSON shape under /api/."""

from django.http import JsonResponse
from django.shortcuts import render

MESSAGES = {
    400: ("请求格式不正确。", "bad_request"),
    403: ("您没有执行此操作的权限。", "permission_denied"),
    404: ("对象不存在或您无权查看。", "not_found"),
    500: ("系统出现错误，已记录，请稍后重试或联系管理员。", "server_error"),
}


def _respond(request, status: int):
    message, code = MESSAGES[status]
    if request.path.startswith("/api/"):
        return JsonResponse({"error": message, "code": code, "fields": {}}, status=status)
    return render(request, f"{status}.html", status=status)


def bad_request(request, exception=None):
    return _respond(request, 400)


def permission_denied(request, exception=None):
    return _respond(request, 403)


def page_not_found(request, exception=None):
    return _respond(request, 404)


def server_error(request):
    return _respond(request, 500)
