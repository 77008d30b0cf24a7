from django.urls import path

from . import views, views_handling

app_name = "incoming"
urlpatterns = [
    path("", views.incoming_list, name="list"),
    path("register/", views.incoming_register, name="register"),
    path("mine/", views_handling.mine, name="mine"),
    path("stats/", views_handling.stats, name="stats"),
    path("<int:pk>/", views.incoming_detail, name="detail"),
    path("<int:pk>/file.<str:kind>", views.incoming_file, name="file"),
    path("<int:pk>/sender-files/<int:apk>/", views.incoming_sender_attachment, name="sender_file"),
    path("<int:pk>/sign-in/", views.incoming_sign_in, name="sign_in"),
    path("<int:pk>/return/", views.incoming_return, name="return"),
    path("<int:pk>/review/", views_handling.review, name="review"),
    path("<int:pk>/start/", views.incoming_start, name="start"),
    path("<int:pk>/plan/", views_handling.plan, name="plan"),
    path("<int:pk>/undertakings/<int:upk>/accept/", views_handling.accept, name="accept"),
    path("<int:pk>/undertakings/<int:upk>/hand-to/", views_handling.hand_to, name="hand_to"),
    path("<int:pk>/undertakings/<int:upk>/reply/", views_handling.reply, name="reply"),
    path("<int:pk>/undertakings/<int:upk>/return/", views_handling.reply_return, name="reply_return"),
    path("<int:pk>/undertakings/<int:upk>/record-paper/", views_handling.record_paper, name="record_paper"),
    path("<int:pk>/undertakings/<int:upk>/chase/", views_handling.chase, name="chase"),
    path("<int:pk>/undertakings/<int:upk>/extension/", views_handling.extension, name="extension"),
    path("<int:pk>/extensions/<int:rpk>/decide/", views_handling.extension_decide, name="extension_decide"),
    path("<int:pk>/close/", views_handling.close, name="close"),
    path("<int:pk>/circulate/", views_handling.circulate, name="circulate"),
    path("<int:pk>/circulation/<int:spk>/read/", views_handling.read, name="read"),
    path("<int:pk>/circulation/<int:spk>/redirect/", views_handling.redirect_slot, name="redirect"),
    path("<int:pk>/recall/", views_handling.recall, name="recall"),
    path("<int:pk>/slip.pdf", views.incoming_slip, name="slip"),
]
