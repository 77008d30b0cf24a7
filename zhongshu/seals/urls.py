from django.urls import path

from . import views

app_name = "seals"
urlpatterns = [
    path("", views.seal_list, name="list"),
    path("new/", views.seal_apply, name="apply"),
    path("<int:pk>/", views.seal_detail, name="detail"),
    path("<int:seal_pk>/use/", views.request_create, name="use"),
    path("<int:pk>/loan/", views.loan_create, name="loan_create"),
    path("<int:pk>/<slug:action>/", views.seal_action, name="action"),
    path("requests/", views.request_list, name="requests"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/stamp/", views.request_stamp, name="stamp"),
    path("requests/<int:pk>/phone-approve/", views.request_phone_approve, name="phone_approve"),
    path("records/", views.record_list, name="records"),
    path("records/stats/", views.record_stats, name="stats"),
    path("loans/", views.loan_list, name="loans"),
    path("loans/<int:pk>/", views.loan_detail, name="loan"),
    path("loans/<int:pk>/decide/", views.loan_decide, name="loan_decide"),
    path("loans/<int:pk>/return/", views.loan_return, name="loan_return"),
    path("letters/", views.letter_list, name="letters"),
    path("letters/new/", views.letter_create, name="letter_create"),
    path("letters/<int:pk>/", views.letter_detail, name="letter"),
    path("letters/<int:pk>/print/", views.letter_print, name="letter_print"),
    path("letters/<int:pk>/use/", views.letter_use, name="letter_use"),
    path("letters/<int:pk>/void/", views.letter_void, name="letter_void"),
]
