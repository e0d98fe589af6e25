"""The README's Python tour runs as written (so the README stays true)."""
import pathlib
import re

README = pathlib.Path(__file__).resolve().parents[2] / "README.md"


def test_python_tour_runs():
    text = README.read_text()
    tour = text.split("## A short tour in Python", 1)[1]
    code = re.search(r"```python\n(.*?)```", tour, re.S).group(1)
    namespace = {}
    exec(compile(code, "README tour", "exec"), namespace)  # noqa: S102
    x = namespace["x"]
    assert x[1].tolist() == [-1.0] * 4   # the write through the view landed
    assert namespace["a"][0] == 5.0       # from_numpy shares memory
