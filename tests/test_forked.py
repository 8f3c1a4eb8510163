"""kb.forked: a function run in a forked child, its answer or its failure brought back."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from kb.forked import ChildError, call_in_child, can_fork

pytestmark = pytest.mark.skipif(not can_fork(), reason="this system cannot fork")


def _pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value * 2


def _fail(message: str) -> None:
    raise ValueError(message)


def _die() -> None:
    os._exit(3)


def _grandchild_exit_code() -> int | None:
    """Start a process of its own, as the site build's page workers do."""
    grandchild = multiprocessing.get_context("fork").Process(target=os._exit, args=(0,))
    grandchild.start()
    grandchild.join()
    return grandchild.exitcode


def _allocate(megabytes: int) -> int:
    block = bytearray(megabytes * 1024 * 1024)
    block[::4096] = b"x" * len(block[::4096])  # touch every page, so it is really held
    return len(block)


def _high_water_mark() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM in /proc/self/status")


def test_the_function_runs_in_another_process_and_its_answer_comes_back() -> None:
    pid, doubled = call_in_child(_pid_and, 21)
    assert doubled == 42
    assert pid != os.getpid()


def test_an_exception_in_the_child_comes_back_with_its_traceback() -> None:
    with pytest.raises(ChildError, match="_fail failed in a child process") as raised:
        call_in_child(_fail, "the reason")
    assert "ValueError: the reason" in str(raised.value)


def test_a_child_that_dies_without_answering_is_an_error_not_a_hang() -> None:
    with pytest.raises(ChildError, match=r"ended without an answer \(exit 3\)"):
        call_in_child(_die)


def test_the_child_may_start_processes_of_its_own() -> None:
    assert call_in_child(_grandchild_exit_code) == 0


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs Linux's /proc")
def test_memory_the_child_uses_is_never_the_parents() -> None:
    before = _high_water_mark()
    assert call_in_child(_allocate, 300) == 300 * 1024 * 1024
    assert _high_water_mark() - before < 50 * 1024 * 1024
