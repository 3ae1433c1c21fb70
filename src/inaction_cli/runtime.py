"""Process settings for a run of many small numpy computations, applied before numpy loads."""

from __future__ import annotations

import os
import sys


def tune_process() -> None:
    """Settle the process for many small numpy runs; call before numpy is imported.

    The engine is elementwise numpy and its only matrices are a few inputs wide, so BLAS
    threads buy nothing; in `batch --jobs` workers, forked from a process that loaded OpenBLAS,
    they cost a third of the run in contention. pydantic scans every installed package for
    plugins before it builds its first validator; inaction uses none.
    """
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    _keep_freed_memory()


def _keep_freed_memory() -> None:
    """Let glibc reuse freed memory instead of returning it to the system at once.

    A default run's arrays (20,000 samples, 160 KB) sit just above glibc's 128 KB threshold
    for mapping memory apart: each temporary was mapped, touched page by page and unmapped,
    which cost a batch of 1,000 profiles two million page faults and a third of its time.
    Arrays above 32 MiB are still mapped apart and given back. Elsewhere, a no-op.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc (musl, for one, has no mallopt)
        return
    m_trim_threshold, m_mmap_threshold = -1, -3
    mallopt(m_mmap_threshold, 32 * 1024 * 1024)
    mallopt(m_trim_threshold, 128 * 1024 * 1024)
