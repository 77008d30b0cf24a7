from django.urls import path

from . import views

app_name = "agenda"
urlpatterns = [
    path("", views.calendar_page, name="calendar"),
    path("export.ics", views.export_ics, name="export"),
    path("subscription/", views.subscription, name="subscription"),
    path("subscription/revoke/", views.subscription_revoke, name="subscription_revoke"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
]
