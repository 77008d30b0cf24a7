from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("organizations/", views.organization_list, name="organizations"),
    path("organizations/new/", views.organization_edit, name="organization_create"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("organizations/<int:org_pk>/positions/", views.positions, name="positions"),
    path("departments/", views.departments, name="my_departments"),
    path("organizations/<int:org_pk>/departments/", views.departments, name="departments"),
    path("organizations/<int:org_pk>/departments/new/", views.department_edit, name="department_create"),
    path("organizations/<int:org_pk>/departments/<int:pk>/edit/", views.department_edit, name="department_edit"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_edit, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/reset-password/", views.person_reset_password, name="person_reset_password"),
    path("people/<int:pk>/clearance/", views.person_clearance, name="person_clearance"),
    path("people/<int:pk>/tokens/<int:token_pk>/revoke/", views.person_token_revoke, name="person_token_revoke"),
    path("resets/", views.resets, name="resets"),
    path("resets/<int:pk>/approve/", views.reset_approve, name="reset_approve"),
    path("resets/<int:pk>/reject/", views.reset_reject, name="reset_reject"),
    path("resets/<int:pk>/envelope/", views.reset_envelope, name="reset_envelope"),
    path("resets/<int:pk>/handover/", views.reset_handover, name="reset_handover"),
    path("address-book/", views.address_book, name="address_book"),
    path("address-book/new/", views.organ_edit, name="organ_create"),
    path("address-book/<int:pk>/edit/", views.organ_edit, name="organ_edit"),
    path("delegations/", views.delegations, name="delegations"),
    path("delegations/<int:pk>/revoke/", views.delegation_revoke, name="delegation_revoke"),
    path("import/", views.import_view, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
]
