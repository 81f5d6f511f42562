"""Shape the baked project to the answers: optional files, licence, git."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

# The answers are rendered once, as one JSON object: JSON escapes every quote
# and backslash, so any answer stays data inside this raw string.
ANSWERS = json.loads(r"""{{ cookiecutter | tojson }}""")
LICENSE = ANSWERS["license"]
GITHUB_ACTIONS = ANSWERS["github_actions"]
GIT_INIT = ANSWERS["git_init"]
AUTHOR_NAME = ANSWERS["author_name"]
AUTHOR_EMAIL = ANSWERS["author_email"]

# Paths that an answer keeps; each is removed when its answer is no.
OPTIONAL_PATHS = {
    ".github": GITHUB_ACTIONS,
}
LICENSES = Path("licenses")


def remove_unchosen(root):
    """Delete every optional path whose answer was no."""
    for path, chosen in OPTIONAL_PATHS.items():
        if not chosen:
            shutil.rmtree(root / path)


def place_license(root, choice):
    """Keep the chosen licence text as LICENSE and drop the others."""
    if choice != "none":
        (root / LICENSES / choice).replace(root / "LICENSE")
    shutil.rmtree(root / LICENSES)


def git_init(root, name, email):
    """Make a repository with a first commit; return an error message or None."""
    identity = ["-c", f"user.name={name}", "-c", f"user.email={email}"]
    steps = [
        ["git", "init", "--quiet", "--initial-branch=main"],
        ["git", "add", "--all"],
        ["git", *identity, "commit", "--quiet", "--message", "Bake the service"],
    ]
    for step in steps:
        try:
            done = subprocess.run(step, cwd=root, capture_output=True, text=True)
        except OSError as error:
            return f"could not run git ({error.strerror})"
        if done.returncode != 0:
            detail = (done.stderr or done.stdout).strip().splitlines()
            return f"'{' '.join(step[:2])}' failed: {detail[-1] if detail else '?'}"
    return None


def main():
    root = Path.cwd()
    try:
        remove_unchosen(root)
        place_license(root, LICENSE)
    except OSError as error:
        print(f"Error: could not finish the project: {error}", file=sys.stderr)
        return 1

    if GIT_INIT:
        problem = git_init(root, AUTHOR_NAME, AUTHOR_EMAIL)
        if problem:
            # git is a convenience: the project is complete without it.
            print(
                f"Warning: the project is ready but has no git repository: "
                f"{problem}; run 'git init' in {root} yourself.",
                file=sys.stderr,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
