from django.urls import path

from . import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar_view, name="calendar"),
    path("manage/", views.manage, name="manage"),
    path("manage/<int:pk>/delete/", views.day_delete, name="day_delete"),
]
