from django.urls import path

from . import views

app_name = "outgoing"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("new/", views.document_create, name="create"),
    path("register/", views.register, name="register"),
    path("register/void/", views.number_void, name="number_void"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/edit/", views.document_edit, name="edit"),
    path("<int:pk>/submit/", views.document_submit, name="submit"),
    path("<int:pk>/sign/", views.document_sign, name="sign"),
    path("<int:pk>/number/", views.document_number, name="number"),
    path("<int:pk>/file.<str:kind>", views.document_file, name="file"),
    path("<int:pk>/package.zip", views.document_package, name="package"),
    path("<int:pk>/print-set.<str:kind>", views.document_print_set, name="print_set"),
    path("<int:pk>/joint/<int:jpk>/sign/", views.document_joint_sign, name="joint_sign"),
    path("<int:pk>/joint/<int:jpk>/confirm/", views.document_joint_confirm, name="joint_confirm"),
    path("<int:pk>/correct/", views.document_correct, name="correct"),
    path("<int:pk>/<slug:step>/", views.document_advance, name="advance"),
]
