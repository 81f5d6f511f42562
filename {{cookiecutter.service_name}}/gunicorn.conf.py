"""gunicorn's settings for Heroku, read by gunicorn from this file by itself.

gunicorn also reads PORT (it binds 0.0.0.0:$PORT) and WEB_CONCURRENCY (the
number of workers) from the environment, so neither is repeated here.
"""

import os
import sys
import tempfile

from {{ cookiecutter.__package_name }} import embedded, logs
from {{ cookiecutter.__package_name }}.config import SERVICE_NAME, ConfigError, Settings

try:
    settings = Settings.from_env()
except ConfigError as error:
    sys.exit(f"{SERVICE_NAME}: {error}")

wsgi_app = "{{ cookiecutter.__package_name }}.app:create_app()"

# Threads let a worker keep answering while a request waits on the queue.
worker_class = "gthread"
threads = 4

# Heroku's router gives up on a request after 30 s: restart a stuck worker first.
timeout = 20
# Heroku sends SIGKILL 30 s after SIGTERM; workers must be gone by then.
graceful_timeout = 20
# The router reuses idle connections far longer than gunicorn's default 2 s.
keepalive = 95

# Load the app once, in the master: workers start by forking it, already loaded,
# and share the memory its modules take instead of loading them each.
preload_app = True

accesslog = "-"
errorlog = "-"
# gunicorn's usual line, and the request's ID to find its other log lines.
access_log_format = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" '
    "request_id=%({x-request-id}o)s"
)

# gunicorn's default control socket is one per user; make it one per service
# and port, so that two services on one machine never answer for each other.
control_socket = os.path.join(
    tempfile.gettempdir(), f"gunicorn-{SERVICE_NAME}-{os.environ.get('PORT', 8000)}.ctl"
)


def when_ready(server):
    logs.configure(settings.log_level)
    embedded.start(settings)


def on_exit(server):
    embedded.stop()
