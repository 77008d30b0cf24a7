"""/api/v1/: one router; each app's api.py holds its handlers."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from zhongshu.accounts import api as accounts_api
from zhongshu.archives import api as archives_api
from zhongshu.audit import api as audit_api
from zhongshu.incoming import api as incoming_api
from zhongshu.meetings import api as meetings_api
from zhongshu.notices import api as notices_api
from zhongshu.notify import api as notify_api
from zhongshu.org import api as org_api
from zhongshu.outgoing import api as outgoing_api
from zhongshu.proofing import api as proofing_api
from zhongshu.seals import api as seals_api
from zhongshu.search import api as search_api
from zhongshu.supervision import api as supervision_api
from zhongshu.workdays import api as workdays_api

router = DefaultRouter(trailing_slash=True)
router.register("organizations", org_api.OrganizationViewSet, basename="organization")
router.register("departments", org_api.DepartmentViewSet, basename="department")
router.register("people", org_api.PersonViewSet, basename="person")
router.register("address-book", org_api.ExternalOrganViewSet, basename="external-organ")
router.register("delegations", org_api.DelegationViewSet, basename="delegation")
router.register("notices", notices_api.NoticeViewSet, basename="notice")
router.register("notifications", notify_api.NotificationViewSet, basename="notification")
router.register("audit", audit_api.AuditEntryViewSet, basename="audit")
router.register("outgoing", outgoing_api.OutgoingViewSet, basename="outgoing")
router.register("outgoing-register", outgoing_api.RegisterViewSet, basename="outgoing-register")
router.register("incoming", incoming_api.IncomingViewSet, basename="incoming")
router.register("archives/items", archives_api.ItemViewSet, basename="archive-item")
router.register("archives/loans", archives_api.LoanViewSet, basename="archive-loan")
router.register("seals/requests", seals_api.UseRequestViewSet, basename="seal-request")
router.register("seals/records", seals_api.UseRecordViewSet, basename="seal-record")
router.register("seals/loans", seals_api.SealLoanViewSet, basename="seal-loan")
router.register("seals/letters", seals_api.IntroLetterViewSet, basename="seal-letter")
router.register("seals", seals_api.SealViewSet, basename="seal")
router.register("supervision/items", supervision_api.ItemViewSet, basename="supervision-item")
router.register("supervision/tasks", supervision_api.TaskViewSet, basename="supervision-task")
router.register("meetings/rooms", meetings_api.RoomViewSet, basename="meeting-room")
router.register("meetings/bookings", meetings_api.BookingViewSet, basename="meeting-booking")
router.register("meetings/categories", meetings_api.CategoryViewSet, basename="meeting-category")
router.register("meetings", meetings_api.MeetingViewSet, basename="meeting")

urlpatterns = [
    path("auth/token", accounts_api.token, name="api-token"),
    path("auth/tokens", accounts_api.tokens, name="api-tokens"),
    path("auth/tokens/<int:pk>", accounts_api.token_detail, name="api-token-detail"),
    path("auth/logout", accounts_api.logout, name="api-logout"),
    path("auth/logout-all", accounts_api.logout_all, name="api-logout-all"),
    path("me", accounts_api.me, name="api-me"),
    path("workdays/deadline", workdays_api.workday_deadline, name="api-workday-deadline"),
    path("audit-verify", audit_api.audit_verify, name="api-audit-verify"),
    path("proofread", proofing_api.proofread_text, name="api-proofread"),
    path("proofread/docx", proofing_api.proofread_docx, name="api-proofread-docx"),
    path("search", search_api.search_api, name="api-search"),
    path("schema", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs", SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html"), name="api-docs"),
    path("flow/", include("zhongshu.flow.api")),
    path("inbox/", include("zhongshu.inbox.api")),
    path("supervision/statistics", supervision_api.statistics, name="api-supervision-statistics"),
    path("", include(router.urls)),
]
