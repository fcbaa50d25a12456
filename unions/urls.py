from django.urls import path

from unions import views

app_name = "unions"

urlpatterns = [
    path("", views.UnionTreeView.as_view(), name="tree"),
    path("search/", views.union_search, name="search"),
    path("<int:pk>/", views.UnionDetailView.as_view(), name="detail"),
    path("<int:pk>/tree/", views.UnionTreeLevelView.as_view(), name="tree_level"),
    path("<int:pk>/edit/", views.UnionUpdateView.as_view(), name="edit"),
    path("<int:pk>/move/", views.UnionMoveView.as_view(), name="move"),
    path("<int:pk>/children/new/", views.UnionChildCreateView.as_view(), name="create_child"),
    path("<int:pk>/members/new/", views.MemberCreateView.as_view(), name="member_create"),
    path("members/<int:pk>/edit/", views.MemberUpdateView.as_view(), name="member_edit"),
]
