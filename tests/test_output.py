"""Where output goes: `create_new`, the file `inaction init` writes, whole and never over
anything already there."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from inaction_cli.cli import output
from inaction_cli.errors import InputError


def test_a_new_file_is_written_whole_with_the_usual_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        output.create_new(tmp_path / "profile.yaml", b"ours\n")
    finally:
        os.umask(umask)
    assert (tmp_path / "profile.yaml").read_bytes() == b"ours\n"
    assert (tmp_path / "profile.yaml").stat().st_mode & 0o777 == 0o644
    assert os.listdir(tmp_path) == ["profile.yaml"], "no temporary file is left behind"


def test_an_existing_file_is_kept(tmp_path: Path) -> None:
    (tmp_path / "profile.yaml").write_bytes(b"theirs\n")
    with pytest.raises(InputError, match="already exists: choose another path or delete it"):
        output.create_new(tmp_path / "profile.yaml", b"ours\n")
    assert (tmp_path / "profile.yaml").read_bytes() == b"theirs\n"


def test_a_file_created_meanwhile_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "profile.yaml"
    written_beside = output._written_beside

    def racing(path: Path, data: bytes) -> str:
        target.write_text("theirs\n", encoding="utf-8")  # another process, between the checks
        return written_beside(path, data)

    monkeypatch.setattr(output, "_written_beside", racing)
    with pytest.raises(InputError, match="already exists"):
        output.create_new(target, b"ours\n")
    assert target.read_text(encoding="utf-8") == "theirs\n"
    assert os.listdir(tmp_path) == ["profile.yaml"]


def test_without_hard_links_the_file_is_created_exclusively(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(source: str, target: Path) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    output.create_new(tmp_path / "profile.yaml", b"ours\n")
    assert (tmp_path / "profile.yaml").read_bytes() == b"ours\n"
    assert os.listdir(tmp_path) == ["profile.yaml"]
    with pytest.raises(InputError, match="already exists"):
        output.create_new(tmp_path / "profile.yaml", b"again\n")
