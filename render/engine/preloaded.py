"""Render workers forked from an interpreter that has already imported Manim and SciPy.

A render worker spends about 2.1 s of CPU importing Manim, NumPy and SciPy before it draws
anything, and our own modules and the scene registry add only 0.15 s. A batch of seven scenes
paid those imports seven times, a sharded render once per shard, and the watch loop once per
beat it renders again. So the first local render starts one preloading process
(``python -P -m render.engine.preloaded``), which imports those libraries and then only forks:
each worker is a fork of it, and runs :func:`render.engine.watched_worker.main` as
``python -P -m render.engine.watched_worker JOB`` would. A fork starts with the libraries loaded
and nothing else: of ours only this module and the two small ones it needs
(:mod:`render.tools.proc`, :mod:`render.core.errors`), no scene, no Manim configuration touched.
The scenes and the engine are imported by the fork itself, from disk, so an edited scene is seen
by the next render, as with a fresh interpreter.

A fork is only equivalent to a fresh interpreter that sees the same working folder and
environment: Manim reads ``manim.cfg`` from the working folder when it is imported, and the
environment chooses, for instance, whether the Manim replacements are installed. A render asked
for in another folder or environment starts a fresh interpreter, as does every render when the
preloading process cannot start.

Lifetimes: the preloading process exits when its socket to the process that started it closes
(that process ended, even by ``kill -9``), and kills its forks first; each fork also dies with
it (``PR_SET_PDEATHSIG``). A process that ends normally closes the socket and waits for it, so
the CPU time of every worker still counts in its children's, as it did with fresh interpreters.
It ignores Ctrl-C; its forks get Ctrl-C from the terminal and stop, as workers always have.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import selectors
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Protocol

from render.tools.proc import die_with_parent

# What every worker imports before it draws (Manim brings NumPy), and SciPy's stats and
# optimize, which five of the seven scene models use.
PRELOADED = ("manim", "scipy.stats", "scipy.optimize")
WORKER_MODULE = "render.engine.watched_worker"
SWITCH = "MATHREEL_PRELOADED"
_MESSAGE = 4096


class Worker(Protocol):
    """What a render worker offers its caller: its pid, the lines it prints, its exit status."""

    pid: int
    stdout: IO[str] | None

    def wait(self) -> int: ...


def start_worker(job_file: Path, stderr: IO[str]) -> Worker:
    """A worker rendering ``job_file``: forked from the preloaded interpreter when it can be,
    otherwise a fresh ``python -P -m render.engine.watched_worker``. Its stdout is a pipe to
    read progress from; its stderr goes to ``stderr``."""
    forked = _PRELOADED.fork(job_file, stderr) if wanted() else None
    if forked is not None:
        return forked
    return subprocess.Popen(
        # -P: the working folder is not put on sys.path, so a render/ or scenes/ package of
        # the user's own there cannot shadow ours.
        [sys.executable, "-P", "-m", WORKER_MODULE, str(job_file)],
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        preexec_fn=die_with_parent,
    )


def wanted() -> bool:
    """Whether workers are forked (unless ``$MATHREEL_PRELOADED`` is ``off``: fresh interpreters,
    the reference side of a comparison, or a way to rule the forks out)."""
    return os.environ.get(SWITCH, "").strip().lower() != "off"


class ForkedWorker:
    """A worker forked by the preloading process, which reports its exit status."""

    def __init__(self, pid: int, stdout: IO[str], status: socket.socket) -> None:
        self.pid = pid
        self.stdout: IO[str] | None = stdout
        self._status = status

    def wait(self) -> int:
        with self._status:
            reply = self._status.recv(_MESSAGE)
        if self.stdout is not None:
            self.stdout.close()
        # No status: the preloading process died, and the fork with it.
        return int(reply) if reply else -signal.SIGKILL


class PreloadedInterpreter:
    """The preloading process of this process, started on first use; one per process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._control: socket.socket | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._started_in: tuple[str, dict[str, str]] | None = None
        self._unusable = False
        atexit.register(self.stop)

    def fork(self, job_file: Path, stderr: IO[str]) -> ForkedWorker | None:
        """A fork rendering ``job_file``, or None when a fresh interpreter must do it."""
        here = (os.getcwd(), dict(os.environ))
        with self._lock:
            if self._unusable:
                return None
            if self._process is None or self._process.poll() is not None:
                self._start(here)
            if self._started_in != here or self._control is None:
                return None
            status, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            read, write = os.pipe()
            try:
                message = os.fsencode(job_file)
                socket.send_fds(self._control, [message], [theirs.fileno(), write, stderr.fileno()])
            except OSError:
                status.close()
                os.close(read)
                self._unusable = True
                return None
            finally:
                theirs.close()
                os.close(write)
        pid = status.recv(_MESSAGE)  # sent once the fork exists
        if not pid:
            status.close()
            os.close(read)
            self._unusable = True  # it could not preload: fresh interpreters from now on
            return None
        return ForkedWorker(int(pid), os.fdopen(read, "r"), status)

    def _start(self, here: tuple[str, dict[str, str]]) -> None:
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        with theirs:
            try:
                self._process = subprocess.Popen(
                    [sys.executable, "-P", "-m", __name__, str(theirs.fileno())],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    pass_fds=(theirs.fileno(),),
                )
            except OSError:
                mine.close()
                self._unusable = True
                return
        if self._control is not None:
            self._control.close()
        self._control, self._started_in = mine, here

    def stop(self) -> None:
        """End the preloading process and wait for it, so that its CPU time and its forks' count
        in this process's children (``getrusage``), as a worker's always did."""
        with self._lock:
            if self._control is not None:
                self._control.close()  # it sees the socket close and exits
                self._control = None
            if self._process is not None:
                try:
                    self._process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self._process.kill()
                    self._process.wait()
                self._process = None


_PRELOADED = PreloadedInterpreter()


# -- the preloading process ----------------------------------------------------------------------


def serve(control: socket.socket) -> None:
    """Preload, then fork a worker for every job sent on ``control`` until it closes."""
    for name in PRELOADED:
        __import__(name)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    wake, woken = socket.socketpair()
    wake.setblocking(False)
    signal.set_wakeup_fd(wake.fileno())
    signal.signal(signal.SIGCHLD, lambda _signum, _frame: None)
    forks: dict[int, socket.socket] = {}
    selector = selectors.DefaultSelector()
    selector.register(control, selectors.EVENT_READ)
    selector.register(woken, selectors.EVENT_READ)
    try:
        while True:
            for key, _ in selector.select():
                if key.fileobj is woken:
                    woken.recv(_MESSAGE)
                    _report_exits(forks)
                    continue
                message, fds, _flags, _address = socket.recv_fds(control, _MESSAGE, 3)
                if not message:
                    return  # the process that started us has gone
                status = socket.socket(fileno=fds[0])
                pid = os.fork()
                if pid == 0:
                    run_fork(os.fsdecode(message), fds[1], fds[2])
                os.close(fds[1])
                os.close(fds[2])
                forks[pid] = status
                with contextlib.suppress(OSError):
                    status.send(str(pid).encode())
    finally:
        for pid in forks:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for pid in forks:  # collected, so that their CPU time counts in ours
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


def _report_exits(forks: dict[int, socket.socket]) -> None:
    for pid, wait_status in _exited():
        status = forks.pop(pid, None)
        if status is not None:
            with status, contextlib.suppress(OSError):
                status.send(str(os.waitstatus_to_exitcode(wait_status)).encode())


def _exited() -> Iterator[tuple[int, int]]:
    while True:
        try:
            pid, wait_status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        yield pid, wait_status


def run_fork(job_file: str, stdout: int, stderr: int) -> None:
    """In the fork: become ``python -P -m render.engine.watched_worker JOB`` and exit."""
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    die_with_parent()
    os.dup2(stdout, 1)
    os.dup2(stderr, 2)
    os.closerange(3, os.sysconf("SC_OPEN_MAX"))  # the sockets of the preloading process
    sys.argv = [WORKER_MODULE, job_file]
    code = 1
    try:
        from render.engine.watched_worker import main

        code = main([job_file])
    except SystemExit as exit_request:
        code = _exit_code(exit_request.code)
    except KeyboardInterrupt:
        sys.excepthook(*sys.exc_info())
        _end(lambda: os.kill(os.getpid(), signal.SIGINT))  # as Python ends on Ctrl-C
    except BaseException:
        sys.excepthook(*sys.exc_info())
    _end(lambda: os._exit(code))


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def _end(exit_now: Callable[[], object]) -> None:
    """Run what an interpreter runs when it ends, then ``exit_now``; never returns."""
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    exit_now()
    os._exit(1)


if __name__ == "__main__":
    serve(socket.socket(fileno=int(sys.argv[1])))
