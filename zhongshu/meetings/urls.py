from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/notify/", views.meeting_notify, name="notify"),
    path("<int:pk>/reply/", views.meeting_reply, name="reply"),
    path("<int:pk>/remind/", views.meeting_remind, name="remind"),
    path("<int:pk>/invite/", views.meeting_invite, name="invite"),
    path("<int:pk>/agenda/", views.agenda_add, name="agenda"),
    path("<int:pk>/materials/", views.material_add, name="materials"),
    path("<int:pk>/materials/<int:mid>/issue/", views.copy_issue, name="copy_issue"),
    path("<int:pk>/copies/<int:cid>/return/", views.copy_return, name="copy_return"),
    path("<int:pk>/attendees/<int:aid>/decide-leave/", views.leave_decide, name="decide_leave"),
    path("<int:pk>/attendees/<int:aid>/checkin/", views.checkin_manual, name="checkin_manual"),
    path("<int:pk>/record/", views.record_save, name="record"),
    path("<int:pk>/decisions/", views.decision_add, name="decisions"),
    path("<int:pk>/to-supervision/", views.to_supervision, name="to_supervision"),
    path("<int:pk>/outgoing-notice/", views.outgoing_notice, name="outgoing_notice"),
    path("<int:pk>/outgoing-minutes/", views.outgoing_minutes, name="outgoing_minutes"),
    path("<int:pk>/close/", views.meeting_close, name="close"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/qr.svg", views.checkin_qr, name="qr"),
    path("checkin/<str:token>/", views.checkin, name="checkin"),
    path("rooms/", views.rooms, name="rooms"),
    path("rooms/new/", views.room_create, name="room_create"),
    path("rooms/stats/", views.room_stats, name="room_stats"),
    path("rooms/<int:pk>/", views.room_detail, name="room"),
    path("rooms/<int:pk>/edit/", views.room_edit, name="room_edit"),
    path("rooms/<int:pk>/book/", views.room_book, name="book"),
    path("rooms/<int:pk>/series/", views.room_series, name="series"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/move/", views.booking_move, name="booking_move"),
    path("categories/", views.categories, name="categories"),
]
