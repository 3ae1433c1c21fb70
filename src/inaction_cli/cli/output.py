"""Where a command's output goes: stdout, or `-o FILE` written atomically, never over an input."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

import typer

from inaction_cli.errors import InputError
from inaction_cli.render import Drawing, Rendered


def spare_inputs(inputs: Iterable[str], *outputs: Path | None) -> None:
    """Refuse to write a report over a file the command reads (`-o sme.yaml` for `-o sme.txt`
    would replace the profile with its own estimate)."""
    for output in outputs:
        if output is None or not output.is_file():
            continue
        for path in inputs:
            if path != "-" and os.path.isfile(path) and os.path.samefile(path, output):
                raise InputError.single(
                    str(output),
                    "refused: this file is also an input of the command, and writing the "
                    "report there would destroy it",
                )


def spare_folders(folders: Iterable[str], output: Path | None, suffixes: tuple[str, ...]) -> None:
    """Refuse to write a report as a scenario of a folder the command reads: the next run
    would take it for one."""
    if output is None or not output.name.endswith(suffixes):
        return
    parent = output.absolute().parent
    for folder in folders:
        if parent.is_dir() and os.path.samefile(parent, folder):
            raise InputError.single(
                str(output),
                f"refused: {folder} is compared scenario by scenario, and a {output.suffix} file "
                "written there would be read as a scenario next time; write it elsewhere",
            )


def emit(rendered: Rendered, output: Path | None) -> None:
    """Text, bytes or a drawing to stdout, or to the output file atomically."""
    if isinstance(rendered, Drawing):
        _emit_drawing(rendered, output)
    else:
        emit_text(rendered, output)


def emit_text(text: str | bytes, output: Path | None) -> None:
    """Data (text in UTF-8, or bytes as they are) to stdout, or to the output file
    atomically."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if output is not None:
        try:
            write_atomically(output, data)
        except OSError as error:
            raise InputError.single(str(output), f"cannot write: {error.strerror}") from None
        return
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.flush()


def _emit_drawing(drawing: Drawing, output: Path | None) -> None:
    """A rich renderable to the terminal; as plain text to a pipe or the output file."""
    from inaction_cli.render.console import plain_text, stdout_console

    renderable, soft_wrap = drawing.renderable, drawing.soft_wrap
    if output is not None:
        emit_text(plain_text(renderable, soft_wrap=soft_wrap), output)
        return
    console = stdout_console(renderable)
    if console.is_terminal:
        console.print(renderable, soft_wrap=soft_wrap)
    else:  # a pipe or a file: the same text, without the spaces rich pads every line with
        typer.echo(plain_text(renderable, console.width, soft_wrap=soft_wrap), nl=False)


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder, then rename.

    A reader sees the old file or the new one, never a mix; if anything fails, the old file
    is left byte for byte as it was.
    """
    temporary = _written_beside(path, data)
    try:
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _written_beside(path: Path, data: bytes) -> str:
    """A temporary file in `path`'s folder holding `data`, on disk, with `path`'s mode."""
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, _mode_for(path))
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return temporary


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0666 less the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def create_new(path: Path, data: bytes) -> None:
    """Write `data` as a new file at `path`, whole or not at all, never over anything there:
    an existing file, link, device or pipe is refused with InputError (exit code 2)."""
    _refuse_existing(path)
    try:
        temporary = _written_beside(path, data)
    except OSError as error:
        raise InputError.single(str(path), f"cannot write: {error.strerror}") from None
    try:
        # A hard link is made only where no name is, so a file created meanwhile is kept too.
        os.link(temporary, path)
    except FileExistsError:
        _refuse_existing(path)
        raise
    except OSError:  # a file system without hard links: create it exclusively instead
        _create_exclusively(path, data)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _refuse_existing(path: Path) -> None:
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as error:
        raise InputError.single(str(path), f"cannot write: {error.strerror}") from None
    if stat.S_ISREG(found.st_mode) or stat.S_ISLNK(found.st_mode):
        message = "already exists: choose another path or delete it"
    else:
        message = "exists and is not a regular file: choose another path, or - for stdout"
    raise InputError.single(str(path), message)


def _create_exclusively(path: Path, data: bytes) -> None:
    try:
        with open(path, "xb") as handle:
            try:
                handle.write(data)
            except BaseException:
                os.unlink(path)  # ours, and half written
                raise
    except FileExistsError:
        _refuse_existing(path)
        raise
    except OSError as error:
        raise InputError.single(str(path), f"cannot write: {error.strerror}") from None
