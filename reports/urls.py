from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("campaigns/<int:pk>/", views.CampaignReportsView.as_view(), name="campaign"),
    path("campaigns/<int:pk>/dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("campaigns/<int:pk>/export/", views.CampaignExportView.as_view(), name="export"),
    path("submissions/<int:pk>/", views.SubmissionView.as_view(), name="submission"),
    path("submissions/<int:pk>/review/", views.SubmissionReviewView.as_view(), name="review"),
    path("submissions/<int:pk>/reopen/", views.SubmissionReopenView.as_view(), name="reopen"),
    path("submissions/<int:pk>/photos/", views.SubmissionPhotoView.as_view(), name="photo_add"),
    path("submissions/<int:pk>/xlsx/", views.SubmissionXlsxView.as_view(), name="submission_xlsx"),
    path("submissions/<int:pk>/import/", views.SubmissionImportView.as_view(), name="import"),
    path("photos/<int:pk>/delete/", views.PhotoDeleteView.as_view(), name="photo_delete"),
]
