"""Shared fixtures; the instance builders themselves live in ``builders.py``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from builders import TINY_PATH, write_instance


@pytest.fixture
def tiny_path() -> Path:
    """The shipped example instance (Jalali dates, Persian names)."""
    return TINY_PATH


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[..., Path]:
    """``write_file(data, name="instance.json")``: data as a JSON file, bytes as they are."""

    def write(data: Any, name: str = "instance.json") -> Path:
        path = tmp_path / name
        if isinstance(data, bytes):
            path.write_bytes(data)
            return path
        return write_instance(path, data)

    return write
