from django.urls import path

from . import views, views_manage

app_name = "archives"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("pending/", views.pending, name="pending"),
    path("pending/<slug:kind>/<int:pk>/file/", views.file_document, name="file_document"),
    path("catalogue/", views.catalogue_export, name="catalogue"),
    path("batches/", views.batches, name="batches"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/progress/", views.batch_progress, name="batch_progress"),
    path("loans/", views_manage.loans, name="loans"),
    path("loans/<int:pk>/<slug:action>/", views_manage.loan_action, name="loan_action"),
    path("appraisal/", views_manage.appraisal, name="appraisal"),
    path("appraisal/<int:pk>/", views_manage.appraise, name="appraise"),
    path("destructions/", views_manage.destructions, name="destructions"),
    path("destructions/<int:pk>/", views_manage.destruction_detail, name="destruction"),
    path("destructions/<int:pk>/<slug:action>/", views_manage.destruction_action, name="destruction_action"),
    path("transfers/", views_manage.transfers, name="transfers"),
    path("transfers/<int:pk>.zip", views_manage.transfer_zip, name="transfer_zip"),
    path("settings/", views_manage.settings_page, name="settings"),
    path("<int:pk>/", views.item_detail, name="detail"),
    path("<int:pk>/files/<int:file_pk>/", views.file_view, name="file"),
]
