from django.urls import path

from . import views

app_name = "proofing"
urlpatterns = [
    path("", views.proofread_page, name="index"),
    path("docx/fixed", views.docx_fixed, name="docx_fixed"),
    path("settings/", views.settings_page, name="settings"),
]
