"""The heavy work that runs off the request path: replace it with your own.

`JobInput` declares what a request body holds: the API refuses any other
body with a 400 that names the field, and documents it in /openapi.json.
`run` does the work in a job process and returns a JSON-ready result.

A job may run more than once: when a dyno restarts mid-job, the job is put back
on the queue and starts again from the beginning. Make `run` safe to repeat,
for example by writing its effects under the job's parameters, not appending.
"""

import math

from pydantic import BaseModel, ConfigDict, Field, field_validator

N_MIN = 1
N_MAX = 50_000_000


class JobInput(BaseModel):
    """The body of `POST /jobs`; the API checks every request against it."""

    model_config = ConfigDict(extra="forbid", strict=True)

    n: int = Field(
        ge=N_MIN, le=N_MAX, description="Count the primes below this number."
    )

    @field_validator("n", mode="before")
    @classmethod
    def whole_number(cls, value):
        # JSON Schema, and so /openapi.json, counts 12.0 as an integer too.
        is_whole = isinstance(value, float) and value.is_integer()
        return int(value) if is_whole else value


def run(params):
    """Do the job's work, given `JobInput` as a dict, and return its result."""
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
