"""The {{ cookiecutter.service_name }} service: heavy work off the request path.

The web app is built by `app.create_app`; jobs are defined in `tasks` and the
work they do lives in `heavy`, the module to replace with your own code.
"""
