from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("search/", views.search, name="search"),
    path("files/<int:pk>/", views.attachment, name="attachment"),
]
