import pytest

from {{ cookiecutter.__package_name }} import heavy


@pytest.mark.parametrize(
    ("n", "count"),
    [(1, 0), (2, 0), (3, 1), (4, 2), (10, 4), (100, 25), (7920, 1000), (10**6, 78498)],
)
def test_count_primes_below_n(n, count):
    assert heavy.count_primes(n) == count


@pytest.mark.parametrize("n", [heavy.N_MIN, 1000, heavy.N_MAX])
def test_validate_accepts_n_in_range(n):
    assert heavy.validate({"n": n}) == {"n": n}
