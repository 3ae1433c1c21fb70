"""The process around a command: standard streams that may be closed, full or not UTF-8, and
the signals that end a run.

Set up by `main()` before anything else, so that a run ends the same way whatever the
environment does to it: one line on stderr and an exit code, never a traceback.
"""

from __future__ import annotations

import codecs
import errno
import os
import signal
import sys
import unicodedata
from types import FrameType
from typing import Any

STOPPING_SIGNALS = {
    signal.SIGINT: "interrupted",
    signal.SIGTERM: "terminated (SIGTERM)",
    signal.SIGHUP: "stopped: the terminal hung up (SIGHUP)",
}
"""The signals that end a run, and how the run says it ended. The exit code is 128 + the
signal's number, as a shell reports a program a signal killed: 130, 143, 129."""


class Stopped(BaseException):
    """A signal ended the run. Raised where the program is, so that every `finally` and `with`
    runs on the way out: no temporary file is left, no worker process survives. A
    BaseException, so that no `except Exception` takes it for a failure."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        _cancel_pending()  # on its way out now: a re-delivery would only break a cleanup

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    @property
    def message(self) -> str:
        return f"inaction: {STOPPING_SIGNALS.get(signal.Signals(self.signum), 'stopped')}"


_main_pid = 0
_received: int | None = None


def stop_on_signals() -> None:
    """Turn SIGINT, SIGHUP and SIGTERM into `Stopped` in this process (SIGTERM last: once it is
    handled, all three are)."""
    global _main_pid, _unraisable_hook
    _main_pid = os.getpid()
    _unraisable_hook = sys.unraisablehook
    sys.unraisablehook = _stop_where_it_counts
    for signum in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM):
        signal.signal(signum, _stop)


_unraisable_hook = sys.unraisablehook


def _stop_where_it_counts(unraisable: Any) -> None:
    """A `Stopped` raised where Python cannot let an exception out (a weakref callback during
    an import, a `__del__`) would be printed with a traceback and lost, and the run would go
    on. Deliver it again a few milliseconds later instead, from a timer: by then the program
    is back on an ordinary line, and if it is not, this hook takes it again."""
    stopped = unraisable.exc_value
    if isinstance(stopped, Stopped):
        _deliver_later(stopped.signum)
        return
    _unraisable_hook(unraisable)


_pending: int | None = None


def _deliver_later(signum: int) -> None:
    """Raise `Stopped(signum)` again from SIGALRM in 5 ms. Raising the signal itself at once
    (`signal.raise_signal`) would run its handler inside this hook, where it is lost again."""
    global _pending
    _pending = signum
    signal.signal(signal.SIGALRM, _deliver)
    signal.setitimer(signal.ITIMER_REAL, 0.005)


def _deliver(number: int, frame: FrameType | None) -> None:
    if _pending is not None:
        raise Stopped(_pending)


def _cancel_pending() -> None:
    """No re-delivery: the signal is being handled by now."""
    global _pending
    if _pending is not None:
        _pending = None
        signal.setitimer(signal.ITIMER_REAL, 0)


def stopped_within(error: BaseException) -> Stopped | None:
    """The `Stopped` an error wraps, if one does: Python turns an exception raised while a
    class is built (`__set_name__`, pydantic's model construction) into a RuntimeError whose
    cause is the signal's. Any error once a signal is stopping the run is what the signal
    broke on its way, not a bug."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, Stopped):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    if _received is not None and isinstance(error, Exception):
        return Stopped(_received)
    return None


def received() -> int | None:
    """The signal that is stopping the run, if one is."""
    return _received


def _stop(signum: int, frame: FrameType | None) -> None:
    global _received
    if os.getpid() != _main_pid:  # a worker forked before it set its own handlers
        os._exit(128 + signum)
    if _received is not None:  # a second signal while the first winds down: stop at once
        os._exit(128 + _received)
    _received = signum
    raise Stopped(signum)


def exit_quietly_on_signals() -> None:
    """Once the run is over, a late signal ends the process with its code, silently (and a
    lost one waiting for its timer is too late: the run finished first)."""
    _cancel_pending()
    signal.signal(signal.SIGALRM, signal.SIG_IGN)
    for signum in STOPPING_SIGNALS:
        signal.signal(signum, lambda number, frame: os._exit(128 + number))


# --- standard streams ----------------------------------------------------------------------


class TolerantStream:
    """stderr that survives being full or gone: a diagnostic that cannot be written is lost,
    not a reason to crash, and the run remembers it (its exit code then says so)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.lost = False

    def write(self, text: str) -> int:
        try:
            written: int = self._stream.write(text)
            self._stream.flush()
        except (OSError, ValueError):
            self.lost = True
            return len(text)
        return written

    def flush(self) -> None:
        try:
            self._stream.flush()
        except (OSError, ValueError):
            self.lost = True

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class ClosedStdout:
    """What stands for stdout when the caller closed it (`>&-`): writing to it fails, so that
    whatever a command would print, help and version included, is an output lost, not a
    silent success."""

    encoding = "utf-8"
    errors = "strict"

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "stdout is closed")

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise OSError(errno.EBADF, "stdout is closed")


def stdout_closed() -> bool:
    """Whether the caller closed stdout."""
    return sys.stdout is None or isinstance(sys.stdout, ClosedStdout)


def prepare_streams() -> TolerantStream | None:
    """Make the three standard streams safe to use, whatever the caller left open.

    A closed descriptor is opened on /dev/null, so that no file the command opens later takes
    its number (a report written to "stdout" would land in it); Python leaves `sys.stdin` or
    `sys.stdout` None for a closed one, and the commands read that as closed. stderr becomes
    tolerant of a full disk. stdout in an encoding that cannot write Unicode (cp1252, ASCII)
    gets ASCII rules and currency codes instead of failing."""
    for descriptor in (0, 1, 2):
        try:
            os.fstat(descriptor)
        except OSError:
            opened = os.open(os.devnull, os.O_RDONLY if descriptor == 0 else os.O_WRONLY)
            if opened != descriptor:
                os.dup2(opened, descriptor)
                os.close(opened)
    if sys.stdout is None:
        sys.stdout = ClosedStdout()
    tolerant = None
    if sys.stderr is not None:
        tolerant = TolerantStream(sys.stderr)
        sys.stderr = tolerant
    stdout: Any = sys.stdout
    if not stdout_closed() and not writes_unicode(stdout):
        from inaction_cli.render.money import use_currency_codes

        stdout.reconfigure(errors=ASCII_FALLBACK)
        use_currency_codes()
    return tolerant


def discard_stdout() -> None:
    """After stdout failed: drop what is still buffered for it, so that Python's own flush on
    the way out neither fails again nor reports it."""
    descriptor = os.open(os.devnull, os.O_WRONLY)
    os.dup2(descriptor, 1)
    os.close(descriptor)


def writes_unicode(stream: Any) -> bool:
    """Whether a text stream's encoding can write any character (UTF-8, -16, -32)."""
    try:
        return codecs.lookup(stream.encoding or "ascii").name.startswith("utf")
    except LookupError:
        return False


ASCII_FALLBACK = "inaction-ascii"
"""The encoding error handler for a stdout that cannot write Unicode."""
_ASCII = {
    **dict.fromkeys("─━═╌┄", "-"),
    **dict.fromkeys("│┃║╎┆", "|"),
    **dict.fromkeys("┌┐└┘├┤┬┴┼╭╮╯╰┏┓┗┛┣┫┳┻╋╔╗╚╝╠╣╦╩╬", "+"),
    **dict.fromkeys("█▉▊▋▌▍▎▏▐", "#"),
    **dict.fromkeys("—–‒−", "-"),
    **dict.fromkeys("‘’‚′", "'"),
    **dict.fromkeys("“”„″", '"'),
    **dict.fromkeys("\u00a0\u202f\u2009\u2007", " "),
    "…": "...",
    "·": "-",
    "•": "*",
    "●": "*",
    "◀": "<",
    "▶": ">",
    "→": "->",
    "←": "<-",
    "±": "+/-",
    "×": "x",
    "÷": "/",
    "≥": ">=",
    "≤": "<=",
    "≈": "~",
    "≠": "!=",
    "✓": "ok",
    "✅": "ok",
    "✗": "x",
    "❌": "x",
    "ρ": "rho",
    "Ω": "Omega",
    "Σ": "sum",
    "Π": "prod",
    "μ": "mu",
    "σ": "sigma",
    "α": "alpha",
    "β": "beta",
    "§": "s.",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
}


def ascii_text(character: str) -> str:
    """An ASCII stand-in for a character: a rule for a rule, `e` for `é`, else `?`."""
    if character in _ASCII:
        return _ASCII[character]
    plain = unicodedata.normalize("NFKD", character).encode("ascii", "ignore").decode("ascii")
    return plain or "?"


def _ascii_fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    piece = error.object[error.start : error.end]
    return "".join(ascii_text(character) for character in piece), error.end


codecs.register_error(ASCII_FALLBACK, _ascii_fallback)
