from django.urls import path

from . import views

app_name = "incoming"
urlpatterns = [
    path("", views.incoming_list, name="list"),
    path("register/", views.incoming_register, name="register"),
    path("<int:pk>/", views.incoming_detail, name="detail"),
    path("<int:pk>/file.<str:kind>", views.incoming_file, name="file"),
    path("<int:pk>/sign-in/", views.incoming_sign_in, name="sign_in"),
    path("<int:pk>/return/", views.incoming_return, name="return"),
    path("<int:pk>/start/", views.incoming_start, name="start"),
    path("<int:pk>/slip.pdf", views.incoming_slip, name="slip"),
]
