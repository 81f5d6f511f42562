"""Helpers that run baked services the way Heroku does, on 127.0.0.1 only."""

import contextlib
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent.parent
CACHE = TEMPLATE / ".cache"
OFFERED_PYTHONS = json.loads((TEMPLATE / "cookiecutter.json").read_text())[
    "python_version"
]

# Variables that would change how a baked service runs; tests set their own.
SERVICE_VARIABLES = {
    "DYNO",
    "GUNICORN_CMD_ARGS",
    "JOB_DATABASE",
    "PORT",
    "REDIS_URL",
    "WEB_CONCURRENCY",
}


def free_port():
    """Return a TCP port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def find_python(version):
    """Return the path of a working `python<version>`, or None."""
    candidates = [shutil.which(f"python{version}")]
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates += sorted(pyenv.glob(f"versions/{version}.*/bin/python{version}"))
    for candidate in filter(None, candidates):
        done = subprocess.run(
            [candidate, "-c", "import sys; print(sys.version_info[:2])"],
            capture_output=True,
            text=True,
        )
        if done.returncode == 0 and done.stdout.strip() == str(
            tuple(int(part) for part in version.split("."))
        ):
            return str(candidate)
    return None


def service_venv(python, project):
    """Return a virtual environment with `project`'s pinned requirements.

    Environments are kept under .cache/, one per interpreter and set of pins,
    so that bakes whose requirements are equal share one.
    """
    pins = b"".join(
        (project / name).read_bytes()
        for name in ("requirements.txt", "requirements-test.txt")
    )
    key = hashlib.sha256(pins + python.encode()).hexdigest()[:12]
    venv = CACHE / "venvs" / f"{Path(python).name}-{key}"
    if (venv / "ready").exists():
        return venv

    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([python, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [
            str(venv / "bin" / "pip"),
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
            "requirements-test.txt",
        ],
        cwd=project,
        check=True,
    )
    (venv / "ready").touch()
    return venv


def procfile_command(project, process_type):
    """Return the command of `process_type` in the project's Procfile."""
    for line in (project / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if name.strip() == process_type:
            return command.strip()
    raise LookupError(f"no {process_type!r} line in {project / 'Procfile'}")


def request(method, url, body=None, headers=None, timeout=10):
    """Send one HTTP request; return (status, headers, decoded JSON or text)."""
    headers = dict(headers or {})
    data = body
    if body is not None and not isinstance(body, bytes):
        data = json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json")
    call = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(call, timeout=timeout) as response:
            status, answer, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, answer, raw = error.code, error.headers, error.read()
    try:
        return status, answer, json.loads(raw)
    except ValueError:
        return status, answer, raw.decode(errors="replace")


def command_line(pid):
    """Return the command line of process `pid` as one string."""
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def parent_pid(pid):
    """Return the pid of the parent of process `pid`."""
    return int(Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[1])


def processes_in_group(pgid):
    """Return the pids of live (not zombie) processes in process group `pgid`."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        state, group = fields[0], int(fields[2])
        if group == pgid and state != "Z":
            found.append(int(stat.parent.name))
    return found


class Service:
    """A Procfile line of a baked project, started through `bash -c`."""

    def __init__(self, project, venv, process_type="web", command=None, **env):
        self.project = project
        self.venv = venv
        self.process_type = process_type
        self.command = command or procfile_command(project, process_type)
        self.port = free_port()
        self.env = env
        self.log_path = project / f".{process_type}-{self.port}.log"
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
        env.update(
            PATH=f"{self.venv / 'bin'}:{env['PATH']}",
            PORT=str(self.port),
            WEB_CONCURRENCY="2",
            PYTHONUNBUFFERED="true",
        )
        env.update(self.env)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                ["bash", "-c", self.command],
                cwd=self.project,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def wait_until_up(self, timeout=30):
        """Poll GET / until it answers 200; return the seconds it took."""
        began = time.monotonic()
        while time.monotonic() - began < timeout:
            if self.process.poll() is not None:
                raise AssertionError(f"{self.process_type} exited:\n{self.log()}")
            try:
                if request("GET", self.url + "/", timeout=2)[0] == 200:
                    return time.monotonic() - began
            except OSError:
                pass
            time.sleep(0.02)
        raise AssertionError(f"{self.process_type} did not answer:\n{self.log()}")

    def log(self):
        return self.log_path.read_text(errors="replace")

    def group(self):
        return processes_in_group(self.process.pid)

    def send(self, signum):
        """Send `signum` to every process of the service, as Heroku does."""
        os.killpg(self.process.pid, signum)

    def stop(self, signum=signal.SIGTERM, timeout=40):
        """Signal the group; return the seconds until no process of it is left."""
        if self.process is None:
            return 0.0
        began = time.monotonic()
        with contextlib.suppress(ProcessLookupError):
            self.send(signum)
        while time.monotonic() - began < timeout:
            self.process.poll()
            if not self.group():
                return time.monotonic() - began
            time.sleep(0.05)
        left = self.group()
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        raise AssertionError(f"still running after {timeout} s: {left}\n{self.log()}")

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        if self.process is not None and self.group():
            self.stop(signal.SIGKILL)


def wait_for_job(url, job_id, statuses, timeout=60):
    """Poll a job until its status is one of `statuses`; return the job."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        status, _, job = request("GET", f"{url}/jobs/{job_id}")
        assert status == 200, job
        if job["status"] in statuses:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still {job['status']} after {timeout} s")


class RedisServer:
    """A real redis-server on a free port of 127.0.0.1, with no persistence."""

    def __init__(self, folder, tls=False):
        self.folder = folder
        self.port = free_port()
        self.tls = tls
        self.process = None

    @property
    def url(self):
        scheme = "rediss" if self.tls else "redis"
        return f"{scheme}://127.0.0.1:{self.port}/0"

    def start(self):
        command = [
            "redis-server",
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(self.folder),
        ]
        if self.tls:
            cert, key = self._self_signed_certificate()
            command += [
                "--port",
                "0",
                "--tls-port",
                str(self.port),
                "--tls-cert-file",
                str(cert),
                "--tls-key-file",
                str(key),
                "--tls-ca-cert-file",
                str(cert),
                "--tls-auth-clients",
                "no",
            ]
        else:
            command += ["--port", str(self.port)]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def _self_signed_certificate(self):
        cert, key = self.folder / "redis.crt", self.folder / "redis.key"
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=localhost",
                "-keyout",
                str(key),
                "-out",
                str(cert),
            ],
            check=True,
            capture_output=True,
        )
        return cert, key

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def redis_command(port, *words):
    """Send one command to redis on 127.0.0.1:`port`; return the raw reply."""
    message = f"*{len(words)}\r\n" + "".join(
        f"${len(word.encode())}\r\n{word}\r\n" for word in words
    )
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(message.encode())
        return connection.recv(65536).decode()
