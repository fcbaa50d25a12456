from django.urls import path

from service.views import activities, hours, projects, teams

app_name = "service"

urlpatterns = [
    # teams
    path("teams/", teams.TeamListView.as_view(), name="team_list"),
    path("teams/new/", teams.TeamCreateView.as_view(), name="team_create"),
    path("teams/export/", teams.TeamRosterExportView.as_view(), name="team_export"),
    path("teams/search/", teams.team_search, name="team_search"),
    path("teams/<int:pk>/", teams.TeamDetailView.as_view(), name="team_detail"),
    path("teams/<int:pk>/edit/", teams.TeamEditView.as_view(), name="team_edit"),
    path("teams/<int:pk>/members/", teams.TeamMembersView.as_view(), name="team_members"),
    path("teams/<int:pk>/candidates/", teams.TeamCandidatesView.as_view(), name="team_candidates"),
    path(
        "teams/<int:pk>/activities/new/",
        activities.ActivityCreateView.as_view(),
        name="activity_create",
    ),
    # projects
    path("projects/", projects.ProjectListView.as_view(), name="project_list"),
    path("projects/new/", projects.ProjectCreateView.as_view(), name="project_create"),
    path("projects/export/", projects.ProjectExportView.as_view(), name="project_export"),
    path("projects/<int:pk>/", projects.ProjectDetailView.as_view(), name="project_detail"),
    path("projects/<int:pk>/edit/", projects.ProjectEditView.as_view(), name="project_edit"),
    path(
        "projects/<int:pk>/approve/", projects.ProjectApproveView.as_view(), name="project_approve"
    ),
    path("projects/<int:pk>/start/", projects.ProjectStartView.as_view(), name="project_start"),
    path("projects/<int:pk>/close/", projects.ProjectCloseView.as_view(), name="project_close"),
    # activities
    path("activities/", activities.ActivityListView.as_view(), name="activity_list"),
    path("activities/export/", activities.ActivityExportView.as_view(), name="activity_export"),
    path("activities/<int:pk>/", activities.ActivityDetailView.as_view(), name="activity_detail"),
    path("activities/<int:pk>/edit/", activities.ActivityEditView.as_view(), name="activity_edit"),
    path(
        "activities/<int:pk>/hours/",
        activities.ParticipationHoursView.as_view(),
        name="participation_hours",
    ),
    path("photos/<int:pk>/delete/", activities.PhotoDeleteView.as_view(), name="photo_delete"),
    # hours, ledger, certificates
    path("hours/", hours.HoursListView.as_view(), name="hours"),
    path("hours/export/", hours.HoursExportView.as_view(), name="hours_export"),
    path("hours/<int:pk>/", hours.ServiceView.as_view(), name="service"),
    path("hours/<int:pk>/export/", hours.ServiceExportView.as_view(), name="service_export"),
    path(
        "hours/<int:pk>/certificate/",
        hours.CertificateIssueView.as_view(),
        name="certificate_issue",
    ),
    path(
        "certificates/<int:pk>/", hours.CertificateDetailView.as_view(), name="certificate_detail"
    ),
    path("certificates/<int:pk>/pdf/", hours.CertificatePdfView.as_view(), name="certificate_pdf"),
]
