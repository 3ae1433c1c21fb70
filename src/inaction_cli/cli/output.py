"""Where a command's output goes: stdout, or `-o FILE`, never over an input.

A regular file is replaced atomically (through its link, if it is one); anything else (a
device such as /dev/null, a named pipe, /dev/stdout, a shell's process substitution) is
written through, never replaced. What cannot be written is one line and exit code 74, or 2
when the path itself is wrong.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

import typer

from inaction_cli.cli.exits import OutputError
from inaction_cli.cli.process import (
    ASCII_FALLBACK,
    discard_stdout,
    stdout_closed,
    writes_unicode,
)
from inaction_cli.errors import InputError
from inaction_cli.render import Drawing, Rendered
from inaction_cli.text import cut

STDOUT = "-"

_DESCRIPTOR = re.compile(r"^/(?:dev/fd|proc/(self|thread-self|\d+)(?:/task/\d+)?/fd)/(\d+)$")
"""A path that names an open file descriptor: /dev/fd/N, /proc/self/fd/N, /proc/PID/fd/N."""
_PATH_ERRORS = {
    errno.ENOENT: "no such folder",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EISDIR: "is a folder",
    errno.EROFS: "the file system is read-only",
    errno.ELOOP: "too many levels of symbolic links",
    errno.ENXIO: "nothing can be written there (a socket, or a device without a driver)",
}
"""Errors of a path the user chose: bad usage (exit code 2), not a failed write."""


def spare_inputs(inputs: Iterable[str], *outputs: Path | None) -> None:
    """Refuse to write a report over a file the command reads (`-o sme.yaml` for `-o sme.txt`
    would replace the profile with its own estimate). And when an input is stdin and stdin is
    a terminal, say how to end what is typed, rather than seem to hang."""
    inputs = list(inputs)
    for output in outputs:
        if output is None or str(output) == STDOUT or not output.is_file():
            continue
        for path in inputs:
            if path != "-" and os.path.isfile(path) and os.path.samefile(path, output):
                raise InputError.single(
                    str(output),
                    "refused: this file is also an input of the command, and writing the "
                    "report there would destroy it",
                )
    if "-" in inputs and sys.stdin is not None and sys.stdin.isatty():
        typer.echo(
            "inaction: reading a profile from the terminal: type or paste it, then press "
            "Ctrl-D on a line of its own (or name a file instead of -)",
            err=True,
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


def distinct_outputs(*outputs: tuple[str, Path | None]) -> None:
    """Refuse one path for two outputs (`-o report.html --export-html report.html`): the
    second would replace the first. Each output is (what it is, its path); None is stdout."""
    seen: list[tuple[object, str]] = []
    for what, path in outputs:
        if path is None:
            continue
        identity = _identity(path)
        for other_identity, other in seen:
            if identity == other_identity:
                raise InputError.single(
                    str(path),
                    f"refused: {other} and {what} would both be written here; give each "
                    "output a path of its own",
                )
        seen.append((identity, what))


def _identity(path: Path) -> object:
    if str(path) == STDOUT:
        return ("descriptor", 1)
    descriptor = _descriptor(path)
    if descriptor is not None:
        return ("descriptor", descriptor)
    try:
        status = os.stat(path)
    except OSError:
        return os.path.realpath(path)
    return (status.st_dev, status.st_ino)


def emit(rendered: Rendered, output: Path | None) -> None:
    """Text, bytes or a drawing to stdout, or to the output file."""
    if isinstance(rendered, Drawing):
        _emit_drawing(rendered, output)
    else:
        emit_text(rendered, output)


def emit_text(text: str | bytes, output: Path | None) -> None:
    """Data (text in UTF-8, or bytes as they are) to stdout (`None` or `-`), or to the output
    file."""
    if output is None or str(output) == STDOUT:
        to_stdout(text)
    else:
        write_output(output, text)


def _emit_drawing(drawing: Drawing, output: Path | None) -> None:
    """A rich renderable to the terminal; as plain text to a pipe or the output file."""
    from inaction_cli.render.console import plain_text, stdout_console

    renderable, soft_wrap = drawing.renderable, drawing.soft_wrap
    if output is not None and str(output) != STDOUT:
        write_output(output, plain_text(renderable, soft_wrap=soft_wrap))
        return
    _check_stdout()
    console = stdout_console(renderable)
    if console.is_terminal:
        try:
            console.print(renderable, soft_wrap=soft_wrap)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise _stdout_error(error) from None
    else:  # a pipe or a file: the same text, without the spaces rich pads every line with
        text = plain_text(renderable, console.width, soft_wrap=soft_wrap)
        to_stdout(text, for_people=True)


def to_stdout(text: str | bytes, *, for_people: bool = False) -> None:
    """Write to stdout: data as UTF-8 always (JSON, CSV and Markdown are read by programs),
    bytes as they are; text `for_people` in the terminal's encoding, in ASCII where it cannot
    show a character."""
    stream = _check_stdout()
    if isinstance(text, bytes):
        data = text
    elif for_people and not writes_unicode(stream):
        data = text.encode(stream.encoding, errors=ASCII_FALLBACK)
    else:
        data = text.encode("utf-8")
    try:
        stream.flush()
        stream.buffer.write(data)
        stream.flush()
    except BrokenPipeError:
        raise
    except OSError as error:
        raise _stdout_error(error) from None


def _check_stdout() -> TextIO:
    stream = sys.stdout
    if stream is None or stdout_closed():
        raise OutputError(
            "inaction: stdout is closed, so the output would be lost: leave it open, or give "
            "-o FILE"
        )
    return stream


def _stdout_error(error: OSError) -> OutputError:
    discard_stdout()
    return OutputError(f"inaction: cannot write the output to stdout: {_reason(error)}")


def _reason(error: OSError) -> str:
    if error.errno == errno.ENOSPC:
        return "no space left on the device"
    return (error.strerror or str(error)).lower()


def write_output(path: Path, text: str | bytes) -> None:
    """Write `text` (in UTF-8; bytes as they are) to `path`: through it when it is no regular
    file (a device, a pipe, a descriptor such as /dev/stdout), else atomically, replacing the
    file a link points to and keeping the link. Raise InputError for a wrong path, OutputError
    for a failed write."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        descriptor = _descriptor(path)
        if descriptor == 1:
            to_stdout(text)
        elif descriptor is not None:
            _write_all(descriptor, data)
        elif _is_special(path):
            _write_through(path, data)
        else:
            write_atomically(Path(os.path.realpath(path)), data)
    except BrokenPipeError:
        raise
    except OSError as error:
        raise _write_error(path, error) from None


def _descriptor(path: Path) -> int | None:
    """The open descriptor of this process that `path` names, following links to it
    (/dev/stdout is /proc/self/fd/1): written to as it is, at its offset, in its mode."""
    current = os.path.abspath(path)
    for _ in range(40):
        found = _DESCRIPTOR.match(current)
        if found is not None:
            pid, number = found.group(1), int(found.group(2))
            if pid is not None and pid.isdigit() and int(pid) != os.getpid():
                return None  # another process's descriptor: a path like any other
            try:
                os.fstat(number)
            except OSError:
                raise InputError.single(
                    str(path), f"cannot write: no file descriptor {number} is open"
                ) from None
            return number
        try:
            link = os.readlink(current)
        except OSError:
            return None
        current = os.path.normpath(os.path.join(os.path.dirname(current), link))
    return None


def _is_special(path: Path) -> bool:
    """Whether `path` exists and is no regular file (a device, a named pipe, a socket)."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:
        return False


def _write_through(path: Path, data: bytes) -> None:
    """Open what is there and write to it: never create, never replace (as root, replacing
    /dev/null with a regular file would break the system)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    try:
        _write_all(descriptor, data)
    finally:
        os.close(descriptor)


def _write_all(descriptor: int, data: bytes) -> None:
    if descriptor == 2 and sys.stderr is not None:
        sys.stderr.flush()
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]


def _write_error(path: Path, error: OSError) -> Exception:
    """A path the user got wrong is bad usage (2); a write that failed is an output lost (74)."""
    shown = cut(str(path), 80)
    if error.errno == errno.ENAMETOOLONG:
        longest = max((len(os.fsencode(part)) for part in path.parts), default=0)
        return InputError.single(
            shown,
            f"cannot write: the file name is too long ({longest:,} bytes; a name has at most "
            "255 on most systems)",
        )
    if error.errno in _PATH_ERRORS:
        return InputError.single(shown, f"cannot write: {_PATH_ERRORS[error.errno]}")
    return OutputError(f"{shown}: cannot write: {_reason(error)}")


def write_atomically(path: Path, data: bytes | str) -> None:
    """Write `data` to `path` through a temporary file in the same folder, then rename.

    A reader sees the old file or the new one, never a mix; if anything fails, the old file
    is left byte for byte as it was. A file the user may not write is not replaced, though
    its folder would allow the rename.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    if path.exists() and not os.access(path, os.W_OK):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))
    temporary = _written_beside(path, data)
    try:
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _written_beside(path: Path, data: bytes) -> str:
    """A temporary file in `path`'s folder holding `data`, on disk, with `path`'s mode."""
    # A short prefix: the temporary name must fit where a name of 255 bytes fits.
    prefix = f".{path.name[:32]}."
    descriptor, temporary = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
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
        raise _write_error(path, error) from None
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
        raise _write_error(path, error) from None
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
        raise _write_error(path, error) from None
