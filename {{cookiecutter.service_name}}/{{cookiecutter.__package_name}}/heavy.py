"""The heavy work that runs off the request path: replace it with your own.

`validate` turns a request body into the job's parameters, or refuses it;
`run` does the work in a job process and returns a JSON-ready result.

A job may run more than once: when a dyno restarts mid-job, the job is put back
on the queue and starts again from the beginning. Make `run` safe to repeat,
for example by writing its effects under the job's parameters, not appending.
"""

import math

from .errors import InvalidInput

N_MIN = 1
N_MAX = 50_000_000


def validate(body):
    """Return the parameters of a job from its JSON body, or raise InvalidInput."""
    for field in body:
        if field != "n":
            raise InvalidInput(field, 'is not accepted: send only "n"')
    if "n" not in body:
        raise InvalidInput("n", f"is required: an integer from {N_MIN} to {N_MAX}")

    n = body["n"]
    if isinstance(n, bool) or not isinstance(n, int) or not N_MIN <= n <= N_MAX:
        rule = f"must be an integer from {N_MIN} to {N_MAX}"
        raise InvalidInput("n", rule, value=n)
    return {"n": n}


def run(params):
    """Do the job's work and return its result."""
    return {"n": params["n"], "primes_below_n": count_primes(params["n"])}


def count_primes(n):
    """Count the primes below `n` with a sieve over the odd numbers.

    The marking loop is plain Python on purpose: the stub should keep a CPU
    busy for seconds, like real heavy work, to show that the web stays quick.
    """
    if n < 3:
        return 0
    odd_is_prime = bytearray([1]) * (n // 2)  # index i stands for 2 * i + 1
    odd_is_prime[0] = 0
    for i in range(1, (math.isqrt(n - 1) - 1) // 2 + 1):
        if odd_is_prime[i]:
            step = 2 * i + 1
            for multiple in range(step * step // 2, len(odd_is_prime), step):
                odd_is_prime[multiple] = 0
    return odd_is_prime.count(1) + 1  # and 2, the even prime
