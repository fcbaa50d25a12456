from django.urls import path

from volunteers.views import imports, inbox, links, public, quotas, roster, volunteer

app_name = "volunteers"

urlpatterns = [
    path("", roster.RosterView.as_view(), name="roster"),
    path("new/", volunteer.VolunteerCreateView.as_view(), name="create"),
    path("search-id/", roster.SearchIdView.as_view(), name="search_id"),
    path("inbox/", inbox.InboxView.as_view(), name="inbox"),
    path("export/roster/", quotas.RosterSheetView.as_view(), name="export_roster"),
    path("import/", imports.ImportView.as_view(), name="import"),
    path("import/confirm/", imports.ImportConfirmView.as_view(), name="import_confirm"),
    path("apply/", public.apply, name="apply"),
    path("apply/done/", public.apply_done, name="apply_done"),
    path("apply/unions/", public.union_search, name="apply_unions"),
    path("apply/status/", public.apply_status, name="apply_status"),
    path("apply-link/", links.ApplyLinkView.as_view(), name="apply_link"),
    path("apply-link/<int:pk>/qr.svg", links.ApplyLinkQrView.as_view(), name="apply_link_svg"),
    path(
        "apply-link/<int:pk>/qr.png",
        links.ApplyLinkQrView.as_view(kind="png"),
        name="apply_link_png",
    ),
    path("apply-link/<int:pk>/print/", links.ApplyLinkPrintView.as_view(), name="apply_link_print"),
    path("quotas/<int:pk>/", quotas.QuotaView.as_view(), name="quotas"),
    path("quotas/<int:pk>/edit/", quotas.QuotaEditView.as_view(), name="quotas_edit"),
    path("quotas/<int:pk>/xlsx/", quotas.QuotaSheetView.as_view(), name="quotas_xlsx"),
    path("<int:pk>/", volunteer.VolunteerDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", volunteer.VolunteerUpdateView.as_view(), name="edit"),
    path("<int:pk>/resubmit/", volunteer.VolunteerResubmitView.as_view(), name="resubmit"),
    path("<int:pk>/review/", volunteer.VolunteerReviewView.as_view(), name="review"),
    path("<int:pk>/print/", volunteer.RegistrationPrintView.as_view(), name="print"),
    path("<int:pk>/xlsx/", volunteer.RegistrationSheetView.as_view(), name="xlsx"),
]
