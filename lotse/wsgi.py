import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotse.settings")
application = get_wsgi_application()

# A server whose keys do not open the stored notes refuses to start (decision 0025).
from lotse.core.crypto import verify_keys  # noqa: E402  (needs the settings above)

verify_keys()
