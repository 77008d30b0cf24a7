"""`zhongshu proofread` hands over to the library CLI with its exit codes (0 clean, 1 errors, 2 bad input)."""

import subprocess
import sys


def run(*args, stdin=""):
    return subprocess.run([sys.executable, "-m", "zhongshu", "proofread", *args], input=stdin, capture_output=True, text=True)


def test_console_command_exit_codes(tmp_path):
    bad = run("-", stdin="所以,我们要认真落实。\n")
    assert bad.returncode == 1 and "[punct/ascii-punct]" in bad.stdout
    good = run("--no-typo", "-", stdin="各单位要认真落实。\n") if "--no-typo" in run("--help").stdout else run("-", stdin="各单位要认真落实。\n")
    assert good.returncode == 0 and good.stdout == ""
    assert run(str(tmp_path / "missing.txt")).returncode == 2
