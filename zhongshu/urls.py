from django.urls import include, path

from zhongshu.web.views import healthz

urlpatterns = [
    path("", include("zhongshu.web.urls")),
    path("accounts/", include("zhongshu.accounts.urls")),
    path("org/", include("zhongshu.org.urls")),
    path("notices/", include("zhongshu.notices.urls")),
    path("audit/", include("zhongshu.audit.urls")),
    path("calendar/", include("zhongshu.workdays.urls")),
    path("notifications/", include("zhongshu.notify.urls")),
    path("api/v1/", include("zhongshu.api.urls")),
    path("healthz", healthz, name="healthz"),
]
