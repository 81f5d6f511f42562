"""The API's description: /openapi.json, and Swagger UI at /docs.

Swagger UI's files come with the flask-openapi3-swagger package and are served
from here, so the page loads nothing from any other site.
"""

import copy
from pathlib import Path

import flask_openapi3_swagger
from flask import Blueprint, current_app, render_template_string
from flask_openapi3_swagger.templates import swagger_html_string

ASSETS = Path(flask_openapi3_swagger.__file__).parent / "templates" / "swagger"

# Swagger UI runs inline scripts and styles; everything else stays same-origin.
DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'"
)

blueprint = Blueprint(
    "docs", __name__, static_folder=ASSETS, static_url_path="/swagger"
)


def describe(app):
    """Return the OpenAPI document of `app`, as /openapi.json serves it."""
    spec = copy.deepcopy(app.api_doc)
    # flask-openapi3 lists a 400 for its validation errors on every operation;
    # only those that validate a body answer one, and they declare it themselves.
    for operations in spec["paths"].values():
        for operation in operations.values():
            if _is_listed_by_the_library(operation["responses"].get("400", {})):
                del operation["responses"]["400"]
    # It also writes "securitySchemes": null, which OpenAPI does not allow.
    if spec.get("components", {}).get("securitySchemes") is None:
        spec.get("components", {}).pop("securitySchemes", None)
    return spec


def _is_listed_by_the_library(response):
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    return schema.get("type") == "array"


@blueprint.get("/openapi.json")
def openapi():
    return describe(current_app)


@blueprint.get("/docs")
def docs():
    page = render_template_string(
        swagger_html_string,
        doc_url="/openapi.json",
        swagger_config={"validatorUrl": None},
        oauth_config=None,
    )
    return page, 200, {"Content-Security-Policy": DOCS_POLICY}
