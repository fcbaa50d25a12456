from django.urls import path

from volunteers import views

app_name = "volunteers"

urlpatterns = [
    path("", views.RosterView.as_view(), name="roster"),
    path("new/", views.VolunteerCreateView.as_view(), name="create"),
    path("search-id/", views.SearchIdView.as_view(), name="search_id"),
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("export/roster/", views.RosterSheetView.as_view(), name="export_roster"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("import/confirm/", views.ImportConfirmView.as_view(), name="import_confirm"),
    path("apply/", views.apply, name="apply"),
    path("apply/done/", views.apply_done, name="apply_done"),
    path("apply/unions/", views.union_search, name="apply_unions"),
    path("quotas/<int:pk>/", views.QuotaView.as_view(), name="quotas"),
    path("quotas/<int:pk>/edit/", views.QuotaEditView.as_view(), name="quotas_edit"),
    path("quotas/<int:pk>/xlsx/", views.QuotaSheetView.as_view(), name="quotas_xlsx"),
    path("<int:pk>/", views.VolunteerDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.VolunteerUpdateView.as_view(), name="edit"),
    path("<int:pk>/resubmit/", views.VolunteerResubmitView.as_view(), name="resubmit"),
    path("<int:pk>/review/", views.VolunteerReviewView.as_view(), name="review"),
    path("<int:pk>/print/", views.RegistrationPrintView.as_view(), name="print"),
    path("<int:pk>/xlsx/", views.RegistrationSheetView.as_view(), name="xlsx"),
]
