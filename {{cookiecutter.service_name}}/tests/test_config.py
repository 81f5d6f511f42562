import pytest

from {{ cookiecutter.__package_name }}.config import ConfigError, Settings


def test_defaults_need_no_environment():
    settings = Settings.from_env({})

    assert settings.redis_url is None
    assert settings.job_backend == "sqlite"
    assert settings.job_workers == 1
    assert not settings.on_heroku


def test_redis_url_switches_the_backend():
    settings = Settings.from_env({"REDIS_URL": "rediss://:secret@example.com:6380"})

    assert settings.job_backend == "redis"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("JOB_WORKERS", "zero"),
        ("JOB_WORKERS", "0"),
        ("JOB_GRACE_PERIOD", "30"),
        ("MAX_BODY_BYTES", "-1"),
        ("LOG_LEVEL", "LOUD"),
        ("REDIS_URL", "http://example.com"),
    ],
)
def test_bad_value_is_refused_naming_variable_and_value(name, value):
    with pytest.raises(ConfigError) as refusal:
        Settings.from_env({name: value})

    assert f"{name}=" in str(refusal.value)
    assert repr(value) in str(refusal.value)


def test_redis_password_is_not_shown_in_the_refusal():
    with pytest.raises(ConfigError) as refusal:
        Settings.from_env({"REDIS_URL": "http://user:hunter2@example.com"})

    assert "hunter2" not in str(refusal.value)
