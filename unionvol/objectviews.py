"""Generic views about one scoped object: a form about it, or a state change on it.

Both resolve the object through the user's scope first (404 outside it) and check
the capability after (403), so an outsider learns nothing and a reader cannot write.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views import View
from django.views.generic import FormView
from django.views.generic.detail import SingleObjectMixin

from unionvol.scoping import ScopedViewMixin


def form_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class ObjectFormView(ScopedViewMixin, SingleObjectMixin, FormView):
    """A form about one scoped object (the URL's pk): 404 outside scope, 403 without capability."""

    template_name = "unionvol/object_form.html"
    title = ""
    root_crumbs: tuple[tuple[Any, str | None], ...] = ()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = self.title
        ctx["breadcrumbs"] = self.crumbs()
        return ctx

    def crumbs(self) -> list[tuple[Any, str | None]]:
        return [
            *self.root_crumbs,
            (str(self.object), self.object.get_absolute_url()),
            (self.title, None),
        ]


class ObjectActionView(ScopedViewMixin, SingleObjectMixin, View):
    """A state change on one scoped object, by POST; a GET (404 outside the scope)
    just leads back to the object."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return redirect(self.get_object().get_absolute_url())

    def act(self, obj: Any) -> None:
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        try:
            self.act(obj)
        except ValidationError as exc:
            for msg in exc.messages:
                messages.error(request, msg)
        else:
            messages.success(request, self.done_message)
        return redirect(obj.get_absolute_url())

    done_message = ""
