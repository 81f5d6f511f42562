import pytest

from {{ cookiecutter.__package_name }} import heavy


@pytest.mark.parametrize(
    ("n", "count"),
    [(1, 0), (2, 0), (3, 1), (4, 2), (10, 4), (100, 25), (7920, 1000), (10**6, 78498)],
)
def test_count_primes_below_n(n, count):
    assert heavy.count_primes(n) == count


@pytest.mark.parametrize("n", [heavy.N_MIN, 1000, heavy.N_MAX])
def test_job_input_accepts_n_in_range(n):
    assert heavy.JobInput.model_validate({"n": n}).model_dump() == {"n": n}


def test_job_input_takes_a_whole_float_as_the_integer_it_is():
    assert heavy.JobInput.model_validate({"n": 12.0}).n == 12
