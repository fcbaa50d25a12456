from django.urls import path

from volunteers import views

app_name = "volunteers"

urlpatterns = [
    path("", views.RosterView.as_view(), name="roster"),
    path("<int:pk>/", views.VolunteerDetailView.as_view(), name="detail"),
]
