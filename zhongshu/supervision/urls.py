from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "supervision"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="supervision:ledger"), name="home"),
    path("ledger/", views.ledger, name="ledger"),
    path("new/", views.create, name="create"),
    path("tasks/", views.tasks, name="tasks"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("bulletin/", views.bulletin, name="bulletin"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/", views.item_action, name="act"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/act/", views.task_action, name="task_act"),
    path("reminders/<int:pk>/file.<str:kind>", views.reminder_file, name="reminder_file"),
]
