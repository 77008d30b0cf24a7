from django.urls import include, path

from zhongshu.ops.views import healthz, metrics

urlpatterns = [
    path("", include("zhongshu.web.urls")),
    path("accounts/", include("zhongshu.accounts.urls")),
    path("org/", include("zhongshu.org.urls")),
    path("notices/", include("zhongshu.notices.urls")),
    path("proofread/", include("zhongshu.proofing.urls")),
    path("outgoing/", include("zhongshu.outgoing.urls")),
    path("incoming/", include("zhongshu.incoming.urls")),
    path("archives/", include("zhongshu.archives.urls")),
    path("seals/", include("zhongshu.seals.urls")),
    path("flow/", include("zhongshu.flow.urls")),
    path("inbox/", include("zhongshu.inbox.urls")),
    path("supervision/", include("zhongshu.supervision.urls")),
    path("meetings/", include("zhongshu.meetings.urls")),
    path("agenda/", include("zhongshu.agenda.urls")),
    path("audit/", include("zhongshu.audit.urls")),
    path("access/", include("zhongshu.access.urls")),
    path("calendar/", include("zhongshu.workdays.urls")),
    path("notifications/", include("zhongshu.notify.urls")),
    path("api/v1/", include("zhongshu.api.urls")),
    path("ops/", include("zhongshu.ops.urls")),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
]

handler400 = "zhongshu.web.errors.bad_request"
handler403 = "zhongshu.web.errors.permission_denied"
handler404 = "zhongshu.web.errors.page_not_found"
handler500 = "zhongshu.web.errors.server_error"
