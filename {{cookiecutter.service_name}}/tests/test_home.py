from {{ cookiecutter.__package_name }} import tasks


def test_root_says_hello(client):
    response = client.get("/")

    assert response.status_code == 200
    assert "hello" in response.get_json()["message"]


def test_health_reports_the_job_queue(client):
    response = client.get("/health")

    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok",
        "jobs": {"backend": tasks.settings.job_backend, "queued": 0},
    }


def test_unknown_path_answers_json_404(client):
    response = client.get("/no-such-page")

    assert response.status_code == 404
    assert response.is_json
    assert response.get_json()["error"]["status"] == 404


def test_wrong_method_answers_json_405_with_allow(client):
    response = client.delete("/")

    assert response.status_code == 405
    assert response.is_json
    assert "GET" in response.headers["Allow"]


def test_unexpected_failure_answers_json_500_without_a_traceback(app):
    def broken():
        raise RuntimeError("secret detail")

    app.add_url_rule("/broken", view_func=broken)

    response = app.test_client().get("/broken")

    assert response.status_code == 500
    assert response.is_json
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and "secret detail" not in body
