"""What the article's template did: one bare process per heavy request.

Run under gunicorn's defaults; `heavy` does the baked stub's work so that the
two designs are compared on the same load.
"""

import multiprocessing
import os

from flask import Flask

app = Flask(__name__)


def heavy():
    stub = __import__(os.environ["STUB_PACKAGE"] + ".heavy", fromlist=["count_primes"])
    stub.count_primes(int(os.environ.get("HEAVY_N", "50000000")))


@app.get("/")
def greet():
    return "hello"


@app.get("/heavy")
def start_heavy():
    multiprocessing.Process(target=heavy, daemon=True).start()
    return "process has started"
