"""The baked service's gunicorn settings, without its job consumer."""

worker_class = "gthread"
threads = 4
timeout = 20
graceful_timeout = 20
keepalive = 95
preload_app = True
accesslog = "-"
errorlog = "-"
control_socket_disable = True
