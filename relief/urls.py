from django.urls import path

from relief import views

app_name = "relief"

urlpatterns = [
    path("", views.ReliefIndexView.as_view(), name="index"),
    path("files/", views.FileListView.as_view(), name="file_list"),
    path("files/unpaired/", views.FileListView.as_view(unpaired_only=True), name="unpaired"),
    path("files/new/", views.FileCreateView.as_view(), name="file_create"),
    path("files/<int:pk>/", views.FileDetailView.as_view(), name="file_detail"),
    path("files/<int:pk>/edit/", views.FileUpdateView.as_view(), name="file_edit"),
    path("files/<int:pk>/pair/", views.PairCreateView.as_view(), name="pair"),
    path("files/<int:pk>/grants/new/", views.GrantCreateView.as_view(), name="grant_create"),
    path("pairings/<int:pk>/end/", views.PairingEndView.as_view(), name="pairing_end"),
    path("grants/", views.GrantListView.as_view(), name="grant_list"),
    path("grants/<int:pk>/edit/", views.GrantUpdateView.as_view(), name="grant_edit"),
    path("grants/<int:pk>/approve/", views.GrantApproveView.as_view(), name="grant_approve"),
    path("grants/<int:pk>/reverse/", views.GrantReverseView.as_view(), name="grant_reverse"),
    path("visits/", views.VisitListView.as_view(), name="visit_list"),
    path("visits/new/", views.VisitFormView.as_view(), name="visit_create"),
    path("visits/<int:pk>/edit/", views.VisitFormView.as_view(), name="visit_edit"),
    path("donations/", views.DonationListView.as_view(), name="donation_list"),
    path("donations/new/", views.DonationFormView.as_view(), name="donation_create"),
    path("donations/<int:pk>/edit/", views.DonationFormView.as_view(), name="donation_edit"),
    path("stats/", views.WarmthStatsView.as_view(), name="warmth_stats"),
    path("stats/xlsx/", views.WarmthStatsView.as_view(download=True), name="warmth_stats_xlsx"),
    path("wishes/", views.WishListView.as_view(), name="wish_list"),
    path("wishes/new/", views.WishCreateView.as_view(), name="wish_create"),
    path("wishes/<int:pk>/", views.WishDetailView.as_view(), name="wish_detail"),
    path("wishes/<int:pk>/fulfil/", views.WishFulfilView.as_view(), name="wish_fulfil"),
    path(
        "wishes/<int:pk>/confirm/",
        views.WishActionView.as_view(action="confirm"),
        name="wish_confirm",
    ),
    path(
        "wishes/<int:pk>/release/",
        views.WishActionView.as_view(action="release"),
        name="wish_release",
    ),
    path(
        "wishes/<int:pk>/cancel/", views.WishActionView.as_view(action="cancel"), name="wish_cancel"
    ),
    # The public wish wall: no login; wishes are addressed by an unguessable token.
    path("wall/", views.WishWallView.as_view(), name="wall"),
    path("wall/<uuid:token>/claim/", views.WishClaimView.as_view(), name="wish_claim"),
]
