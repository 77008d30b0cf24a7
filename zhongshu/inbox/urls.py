from django.urls import path

from . import views

app_name = "inbox"
urlpatterns = [
    path("", views.todo, name="todo"),
    path("toread/", views.toread, name="toread"),
    path("done/", views.done, name="done"),
]
