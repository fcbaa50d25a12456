"""WSGI entry point (gunicorn unionvol.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionvol.settings")
application = get_wsgi_application()
