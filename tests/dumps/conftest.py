import pytest

from tests.dumps import write_dump


@pytest.fixture
def mini(tmp_path):
    """The small dump of ``tests.dumps.mini_rows`` in ``tmp_path/mini`` (site key "mini")."""
    return write_dump(tmp_path / "mini")
