from django.urls import path

from relief.views import common, donations, files, grants, visits, wall, warmth, wishes

app_name = "relief"

urlpatterns = [
    path("", common.ReliefIndexView.as_view(), name="index"),
    path("files/", files.FileListView.as_view(), name="file_list"),
    path("files/unpaired/", files.FileListView.as_view(unpaired_only=True), name="unpaired"),
    path("files/new/", files.FileCreateView.as_view(), name="file_create"),
    path("files/<int:pk>/", files.FileDetailView.as_view(), name="file_detail"),
    path("files/<int:pk>/edit/", files.FileUpdateView.as_view(), name="file_edit"),
    path("files/<int:pk>/pair/", files.PairCreateView.as_view(), name="pair"),
    path("files/<int:pk>/grants/new/", grants.GrantCreateView.as_view(), name="grant_create"),
    path("pairings/<int:pk>/end/", files.PairingEndView.as_view(), name="pairing_end"),
    path("grants/", grants.GrantListView.as_view(), name="grant_list"),
    path("grants/<int:pk>/edit/", grants.GrantUpdateView.as_view(), name="grant_edit"),
    path("grants/<int:pk>/approve/", grants.GrantApproveView.as_view(), name="grant_approve"),
    path("grants/<int:pk>/reverse/", grants.GrantReverseView.as_view(), name="grant_reverse"),
    path("visits/", visits.VisitListView.as_view(), name="visit_list"),
    path("visits/new/", visits.VisitFormView.as_view(), name="visit_create"),
    path("visits/<int:pk>/edit/", visits.VisitFormView.as_view(), name="visit_edit"),
    path("donations/", donations.DonationListView.as_view(), name="donation_list"),
    path("donations/new/", donations.DonationFormView.as_view(), name="donation_create"),
    path("donations/<int:pk>/edit/", donations.DonationFormView.as_view(), name="donation_edit"),
    path("stats/", warmth.WarmthStatsView.as_view(), name="warmth_stats"),
    path("stats/xlsx/", warmth.WarmthStatsView.as_view(download=True), name="warmth_stats_xlsx"),
    path("wishes/", wishes.WishListView.as_view(), name="wish_list"),
    path("wishes/new/", wishes.WishCreateView.as_view(), name="wish_create"),
    path("wishes/<int:pk>/", wishes.WishDetailView.as_view(), name="wish_detail"),
    path("wishes/<int:pk>/fulfil/", wishes.WishFulfilView.as_view(), name="wish_fulfil"),
    path(
        "wishes/<int:pk>/confirm/",
        wishes.WishActionView.as_view(action="confirm"),
        name="wish_confirm",
    ),
    path(
        "wishes/<int:pk>/release/",
        wishes.WishActionView.as_view(action="release"),
        name="wish_release",
    ),
    path(
        "wishes/<int:pk>/cancel/",
        wishes.WishActionView.as_view(action="cancel"),
        name="wish_cancel",
    ),
    # The public wish wall: no login; wishes are addressed by an unguessable token.
    path("wall/", wall.WishWallView.as_view(), name="wall"),
    path("wall/<uuid:token>/claim/", wall.WishClaimView.as_view(), name="wish_claim"),
]
