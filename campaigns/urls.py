from django.urls import path

from campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.CampaignListView.as_view(), name="list"),
    path("new/", views.CampaignCreateView.as_view(), name="create"),
    path("<int:pk>/", views.CampaignDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.CampaignEditView.as_view(), name="edit"),
    path("<int:pk>/publish/", views.CampaignPublishView.as_view(), name="publish"),
    path("<int:pk>/close/", views.CampaignCloseView.as_view(), name="close"),
    path("<int:pk>/read/", views.CampaignReadView.as_view(), name="read"),
    path("<int:pk>/milestones/new/", views.MilestoneCreateView.as_view(), name="milestone_add"),
    path("<int:pk>/categories/", views.CategoriesEditView.as_view(), name="categories"),
    path("milestones/<int:pk>/edit/", views.MilestoneEditView.as_view(), name="milestone_edit"),
    # teams
    path("teams/", views.TeamListView.as_view(), name="team_list"),
    path("teams/new/", views.TeamCreateView.as_view(), name="team_create"),
    path("teams/export/", views.TeamRosterExportView.as_view(), name="team_export"),
    path("teams/<int:pk>/", views.TeamDetailView.as_view(), name="team_detail"),
    path("teams/<int:pk>/edit/", views.TeamEditView.as_view(), name="team_edit"),
    path("teams/<int:pk>/members/", views.TeamMembersView.as_view(), name="team_members"),
    path(
        "teams/<int:pk>/activities/new/",
        views.ActivityCreateView.as_view(),
        name="activity_create",
    ),
    # projects
    path("projects/", views.ProjectListView.as_view(), name="project_list"),
    path("projects/new/", views.ProjectCreateView.as_view(), name="project_create"),
    path("projects/export/", views.ProjectExportView.as_view(), name="project_export"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("projects/<int:pk>/edit/", views.ProjectEditView.as_view(), name="project_edit"),
    path("projects/<int:pk>/approve/", views.ProjectApproveView.as_view(), name="project_approve"),
    path("projects/<int:pk>/start/", views.ProjectStartView.as_view(), name="project_start"),
    path("projects/<int:pk>/close/", views.ProjectCloseView.as_view(), name="project_close"),
    # activities
    path("activities/", views.ActivityListView.as_view(), name="activity_list"),
    path("activities/export/", views.ActivityExportView.as_view(), name="activity_export"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    path("activities/<int:pk>/edit/", views.ActivityEditView.as_view(), name="activity_edit"),
    path(
        "activities/<int:pk>/hours/",
        views.ParticipationHoursView.as_view(),
        name="participation_hours",
    ),
    path("photos/<int:pk>/delete/", views.PhotoDeleteView.as_view(), name="photo_delete"),
    # hours, ledger, certificates
    path("service/", views.HoursListView.as_view(), name="hours"),
    path("service/export/", views.HoursExportView.as_view(), name="hours_export"),
    path("service/<int:pk>/", views.ServiceView.as_view(), name="service"),
    path("service/<int:pk>/export/", views.ServiceExportView.as_view(), name="service_export"),
    path(
        "service/<int:pk>/certificate/",
        views.CertificateIssueView.as_view(),
        name="certificate_issue",
    ),
    path(
        "certificates/<int:pk>/", views.CertificateDetailView.as_view(), name="certificate_detail"
    ),
    path("certificates/<int:pk>/pdf/", views.CertificatePdfView.as_view(), name="certificate_pdf"),
]
