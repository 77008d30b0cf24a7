from django.urls import path

from . import views, views_admin

app_name = "flow"
urlpatterns = [
    path("", views.todo, name="todo"),
    path("toread/", views.toread, name="toread"),
    path("done/", views.done, name="done"),
    path("started/", views.started, name="started"),
    path("toread/read/", views.bulk_read, name="bulk_read"),
    path("start/", views.start, name="start"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/<slug:action>/", views.item_act, name="item_act"),
    path("instances/<int:pk>/", views.instance_detail, name="instance"),
    path("instances/<int:pk>/<slug:action>/", views.instance_act, name="instance_act"),
    path("definitions/", views_admin.definition_list, name="definitions"),
    path("definitions/new/", views_admin.definition_create, name="definition_create"),
    path("definitions/<int:pk>/", views_admin.definition_detail, name="definition"),
    path("definitions/<int:pk>/steps/", views_admin.definition_steps, name="definition_steps"),
    path("definitions/<int:pk>/publish/", views_admin.definition_publish, name="definition_publish"),
    path("definitions/<int:pk>/new-version/", views_admin.definition_new_version, name="definition_new_version"),
]
