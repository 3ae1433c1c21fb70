"""Hostile flags: refused in the profile's words, with exit code 2, never misread."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import inaction_cli
from inaction_cli import batch
from inaction_cli.cli import app
from support import SCENARIOS

runner = CliRunner()
SME = str(SCENARIOS / "sme.yaml")


@pytest.mark.parametrize("command", ["estimate", "batch"])
def test_percentiles_that_collide_once_written_are_refused(command: str) -> None:
    result = runner.invoke(app, [command, SME, "--percentiles", "12.34561,12.34562,50"])
    assert result.exit_code == 2
    assert "12.34561 and 12.34562 are the same percentile once written (p12.3456)" in (
        result.stderr
    )


def test_the_python_api_refuses_colliding_percentiles() -> None:
    with pytest.raises(inaction_cli.InputError) as refused:
        inaction_cli.estimate(SME, percentiles=[12.34561, 12.34562, 50])
    assert "are the same percentile once written (p12.3456)" in str(refused.value)


def test_close_percentiles_that_stay_apart_are_fine() -> None:
    result = runner.invoke(
        app,
        ["estimate", SME, "--samples", "200", "-f", "json", "--percentiles", "12.3456,12.3457,50"],
    )
    assert result.exit_code == 0, result.stderr
    assert '"p12.3456"' in result.stdout
    assert '"p12.3457"' in result.stdout


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["estimate", SME, "--samples", "١٠٠٠"], "'١٠٠٠'"),  # Arabic-Indic digits
        (["estimate", SME, "--seed", "４２"], "'４２'"),  # full-width digits
        (["estimate", SME, "--horizon", "१२"], "'१२'"),  # Devanagari digits
        (["estimate", SME, "--discount-rate", "０.０８"], "'０.０８'"),
        (["estimate", SME, "--percentiles", "٥,٥٠,٩٥"], "'٥,٥٠,٩٥'"),
        (["estimate", SME, "--delays", "٣"], "'٣'"),
        (["batch", SME, "--jobs", "٢"], "'٢'"),
        (["diff", SME, SME, "--fail-above", "５%"], "'５%'"),
    ],
)
def test_digits_other_than_ascii_are_refused(args: list[str], shown: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.stdout
    assert f"in the digits 0-9, got {shown}" in result.stderr
    assert result.stdout == ""


def test_a_flag_of_hundreds_of_digits_is_shown_by_its_size() -> None:
    result = runner.invoke(app, ["estimate", SME, "--samples", "9" * 400])
    assert result.exit_code == 2
    assert "must be at most 10,000,000, got 999999999999… (400 digits: too large)" in (
        result.stderr
    )


def test_jobs_are_bounded_by_the_cpus_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "available_cpus", lambda: 2)
    used: list[int] = []
    real = batch.run_files

    def spy(files, overrides, jobs=1, on_done=None):  # type: ignore[no-untyped-def]
        used.append(jobs)
        return real(files, overrides, 1, on_done)

    monkeypatch.setattr(batch, "run_files", spy)
    result = runner.invoke(app, ["batch", SME, "--jobs", "1000", "-f", "csv"])
    assert result.exit_code == 0, result.stderr
    assert used == [2]
    assert result.stderr == (
        "note: --jobs 1000 is more than the 2 CPUs this process may use: estimating in 2 "
        "processes\n"
    )
    quiet = runner.invoke(app, ["batch", SME, "--jobs", "1000", "-f", "csv", "-q"])
    assert quiet.stderr == ""
    assert runner.invoke(app, ["batch", SME, "--jobs", "0"]).exit_code == 2
