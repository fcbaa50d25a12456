from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest
from django.urls import include, path
from django.views.i18n import set_language
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite

from unionvol import files, views
from volunteers.views import public as volunteers_public


class UnionvolAdminSite(OTPAdminSite):  # type: ignore[misc]  # django-otp has no types
    """The admin site requires a verified OTP device unless UNIONVOL_ADMIN_OTP is off.

    The setting is read on every request, so tests (and operators) can switch it.
    """

    @property
    def login_form(self) -> type[AuthenticationForm] | None:
        return OTPAdminAuthenticationForm if settings.UNIONVOL_ADMIN_OTP else None

    @property
    def login_template(self) -> str | None:
        return "otp/admin111/login.html" if settings.UNIONVOL_ADMIN_OTP else None

    def has_permission(self, request: HttpRequest) -> bool:
        if settings.UNIONVOL_ADMIN_OTP:
            return bool(super().has_permission(request))
        return admin.AdminSite.has_permission(self, request)


# Keep the one default site (every app registers its models on it); only its class changes.
admin.site.__class__ = UnionvolAdminSite

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("ping", views.ping, name="ping"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("exports/<int:pk>/", views.ExportJobView.as_view(), name="export_job"),
    path(
        "exports/<int:pk>/download/",
        views.ExportJobDownloadView.as_view(),
        name="export_download",
    ),
    # The short address of a union's application form, printed as a QR code.
    path("j/<str:code>/", volunteers_public.apply_by_link, name="apply_short"),
    path("unions/", include("unions.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("service/", include("service.urls")),
    path("volunteers/", include("volunteers.urls")),
    path("relief/", include("relief.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
    # Uploaded files, by permission only (never a public /media/, not even in DEBUG).
    path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", files.serve, name="private_file"),
]

handler400 = "unionvol.views.error_400"
handler403 = "unionvol.views.error_403"
handler404 = "unionvol.views.error_404"
handler500 = "unionvol.views.error_500"
