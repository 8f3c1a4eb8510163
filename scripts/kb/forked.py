"""Run a function in a forked child process and take back what it returns.

When the child ends, all the memory it used goes back to the system, which a Python process
cannot do for itself. `kb build` builds the site this way: mkdocs holds about 350 MB for 10,000
case studies (pages, nav, templates), which Pagefind needs next. Forking, not starting a fresh
interpreter, lets the child use what the parent already has, such as the checked case studies.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

Result = TypeVar("Result")


class ChildError(RuntimeError):
    """The function raised in the child, or the child ended without an answer."""


def can_fork() -> bool:
    """Whether this system starts processes by forking (Linux and macOS; not Windows)."""
    return "fork" in multiprocessing.get_all_start_methods()


def call_in_child(function: Callable[..., Result], *args: Any) -> Result:
    """`function(*args)` in a forked child; its return value, which must pickle.

    An exception in the child is raised here as ChildError, with the child's traceback. Where
    the system cannot fork, the function runs in this process instead.
    """
    if not can_fork():
        return function(*args)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    # Not daemonic: the function may start processes of its own (the plugin's page workers).
    child = context.Process(target=_answer, args=(send, function, args), daemon=False)
    child.start()
    send.close()
    try:
        ok, value = receive.recv()
    except EOFError:
        ok, value = False, None
    finally:
        receive.close()
        child.join()
    if ok:
        return value
    if value is None:
        raise ChildError(f"the child process ended without an answer (exit {child.exitcode})")
    raise ChildError(f"{function.__name__} failed in a child process:\n{value}")


def _answer(send: Connection, function: Callable[..., Any], args: tuple) -> None:
    try:
        answer = (True, function(*args))
    except BaseException:
        answer = (False, traceback.format_exc())
    send.send(answer)
    send.close()
