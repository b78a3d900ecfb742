"""What a fresh machine installs: the app's requirements apart from the test tools."""

from pathlib import Path

ROOT = Path(__file__).parent.parent


def _names(path: Path) -> set[str]:
    lines = [line.split("#")[0].strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return {line.split("==")[0].lower() for line in lines if line and not line.startswith("-r")}


def test_runtime_requirements_hold_no_test_tools():
    runtime = _names(ROOT / "requirements.txt")
    assert {"whoosh3", "jieba", "flask", "numpy"} <= runtime
    assert not {"pytest", "playwright", "hypothesis"} & runtime


def test_test_requirements_add_to_the_runtime_ones():
    text = (ROOT / "requirements-test.txt").read_text(encoding="utf-8")
    assert "-r requirements.txt" in text and {"pytest", "playwright"} <= _names(ROOT / "requirements-test.txt")


def test_every_pin_is_exact():
    for name in ("requirements.txt", "requirements-test.txt"):
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            line = line.split("#")[0].strip()
            assert not line or line.startswith("-r") or "==" in line, line


def test_readme_and_ci_install_what_they_run():
    readme = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    commands = [line for line in readme[:8] if "pip install" in line]
    assert commands[0] == "pip install -r requirements.txt && python -m webapp"
    assert "requirements-test.txt" in commands[1] and commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
