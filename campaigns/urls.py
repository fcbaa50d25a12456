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
    path("<int:pk>/addressees/", views.AddresseeListView.as_view(), name="addressees"),
    path("<int:pk>/milestones/new/", views.MilestoneCreateView.as_view(), name="milestone_add"),
    path("<int:pk>/categories/", views.CategoriesEditView.as_view(), name="categories"),
    path("milestones/<int:pk>/edit/", views.MilestoneEditView.as_view(), name="milestone_edit"),
]
