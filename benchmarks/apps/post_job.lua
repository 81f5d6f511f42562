-- wrk script: every request submits a trivial job.
wrk.method = "POST"
wrk.body = '{"n": 10}'
wrk.headers["Content-Type"] = "application/json"
