"""The executed lessons, made ready for the website: solutions folded, alt text, links.

`prepare_notebook` turns a notebook executed by `helpers.plumbing.runner` into the page the
site shows; `alt_text` describes each figure from the code that drew it and the sentence
before it.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from helpers.plumbing.editions import cell_source
from helpers.plumbing.site_pages import rewrite_links

__all__ = ["alt_text", "prepare_notebook"]

#: What each plotting helper draws, for alt text.
_DRAWINGS = {
    "plot_memory": "Line chart of peak memory (MB) against the number of images, for a list "
    "of decoded images and for a generator",
    "plot_benchmark": "Bar chart of images per second for each image loader, fastest at the top",
    "plot_history": "Learning curves: loss and accuracy per epoch, training against validation",
    "plot_confusion_matrix": "Confusion matrix: counts of test images per true class (rows) "
    "and predicted class (columns)",
    "show_generator_images": "A batch of images from the iterator, each titled with its class",
    "show_batch": "A batch of images, each titled with its class",
    "show_images": "Images in a grid",
}


def _titles(code: str) -> list[str]:
    """Literal titles in a cell's code: ``titles=[...]``, ``set_title(...)``, ``title(...)``."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    found: list[str] = []

    def literal(node: ast.AST) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.JoinedStr):  # f-string: keep it if it is mostly text
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            return text.strip(" :") + " …" if len(text.strip()) > 8 else None
        return None

    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", getattr(node.func, "id", ""))
        candidates: list[ast.AST] = []
        if name in ("set_title", "title", "suptitle") and node.args:
            candidates.append(node.args[0])
        for keyword in node.keywords:
            if keyword.arg == "titles" and isinstance(keyword.value, ast.List | ast.Tuple):
                candidates += keyword.value.elts
        second = node.args[1] if len(node.args) > 1 else None
        if name == "show_images" and isinstance(second, ast.List | ast.Tuple):
            candidates += second.elts
        found += [text for text in map(literal, candidates) if text]
    return list(dict.fromkeys(found))


def _closest_sentence(markdown: str) -> str:
    """The last sentence of a Markdown cell (the one just above a figure), or its heading."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)  # links: keep their text
    text = re.sub(r"[*`]", "", text)
    lines = text.splitlines()
    headings = [line.lstrip("#").strip() for line in lines if line.startswith("#")]
    body = "\n".join("" if line.startswith("#") else line for line in lines)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
    prose = [p for p in paragraphs if not p.startswith(("|", "-", ">"))]
    if not prose:
        return re.sub(r"^[\d.]+\s*", "", headings[-1]) + "." if headings else ""
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(prose[-1].split()))
    sentence = sentences[-1]
    if len(sentence) < 50 and len(sentences) > 1 and len(sentences[-2]) < 190:
        sentence = f"{sentences[-2]} {sentence}"
    return sentence if len(sentence) <= 240 else sentence[:237] + "..."


def alt_text(code: str, context: str = "") -> str:
    """Alt text for the figures a code cell draws: what is drawn, its titles, and why.

    Parameters
    ----------
    code : str
        The cell's source.
    context : str, optional
        The Markdown cell before it; its last sentence (or its heading) introduces the figure.

    Returns
    -------
    str
        One or two sentences, never empty.

    Examples
    --------
    >>> code = 'plotting.show_images([a, b], titles=["BGR (wrong)", "RGB (right)"])'
    >>> print(alt_text(code, "`cv2.cvtColor` puts the channels in the order Matplotlib expects:"))
    ... # doctest: +NORMALIZE_WHITESPACE
    Images in a grid, titled: BGR (wrong); RGB (right). cv2.cvtColor puts the channels in the order
    Matplotlib expects:
    >>> alt_text("fig = plotting.plot_history(history.history)")
    'Learning curves: loss and accuracy per epoch, training against validation.'
    """
    called = re.findall(r"\b(\w+)\(", code)
    kinds = [_DRAWINGS[name] for name in _DRAWINGS if name in called]
    kind = kinds[0] if kinds else "Figure"
    if not kinds and "imshow" in called:
        kind = "An image"
    titles = _titles(code)
    text = kind + (", titled: " + "; ".join(titles) if titles else "") + "."
    sentence = _closest_sentence(context)
    return f"{text} {sentence}".strip() if sentence else text


def prepare_notebook(executed: Path, target: Path) -> int:
    """Copy an executed lesson into the site's sources, ready for myst-nb.

    The papermill cell with the run's parameters is removed, each ``solution`` cell is
    folded into a closed dropdown titled "Solution" (a model answer in words, tagged
    ``solution-text``, into one titled "Model answer"), every cell with figures gets alt text
    (`alt_text`), and relative links are pointed at site pages (`rewrite_links`). The
    notebook in ``notebooks/`` is never changed.

    Parameters
    ----------
    executed : pathlib.Path
        A notebook executed by `helpers.plumbing.runner`.
    target : pathlib.Path
        Where to write the prepared copy.

    Returns
    -------
    int
        The number of image outputs in the notebook.

    Examples
    --------
    >>> nb = {"cells": [{"cell_type": "code", "metadata": {"tags": ["solution"]},
    ...        "source": "x = 1", "outputs": [], "execution_count": 1}],
    ...       "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    >>> _ = (tmp_path / "in.ipynb").write_text(json.dumps(nb))
    >>> prepare_notebook(tmp_path / "in.ipynb", tmp_path / "out.ipynb")
    0
    >>> json.loads((tmp_path / "out.ipynb").read_text())["cells"][0]["metadata"]["tags"]
    ['solution', 'hide-cell']
    >>> nb["cells"] = [{"cell_type": "markdown", "metadata": {"tags": ["solution-text"]},
    ...                 "source": "**Model answer.** Because."}]
    >>> _ = (tmp_path / "in.ipynb").write_text(json.dumps(nb))
    >>> _ = prepare_notebook(tmp_path / "in.ipynb", tmp_path / "out.ipynb")
    >>> print(json.loads((tmp_path / "out.ipynb").read_text())["cells"][0]["source"])
    <details>
    <summary>Model answer</summary>
    <BLANKLINE>
    **Model answer.** Because.
    <BLANKLINE>
    </details>
    """
    notebook = json.loads(executed.read_text(encoding="utf-8"))
    source = f"notebooks/{executed.name}"
    images, context = 0, ""
    for cell in notebook["cells"]:
        metadata = cell.setdefault("metadata", {})
        tags = metadata.setdefault("tags", [])
        if cell["cell_type"] == "markdown":
            context = cell_source(cell)
            cell["source"] = rewrite_links(context, source)
            if "solution-text" in tags:  # raw HTML around Markdown: blank lines keep it Markdown
                cell["source"] = (
                    f"<details>\n<summary>Model answer</summary>\n\n{cell['source']}\n\n</details>"
                )
            continue
        if cell["cell_type"] != "code":
            continue
        if "injected-parameters" in tags:
            tags.append("remove-cell")  # the build machine's paths, not part of the lesson
        if "solution" in tags:
            tags.append("hide-cell")
            metadata["mystnb"] = {
                "code_prompt_show": "Solution",
                "code_prompt_hide": "Hide the solution",
            }
        count = sum(
            any(kind.startswith("image/") for kind in output.get("data", {}))
            for output in cell.get("outputs", [])
        )
        if count:
            images += count
            metadata.setdefault("mystnb", {})["image"] = {
                "alt": alt_text(cell_source(cell), context)
            }
    target.write_text(json.dumps(notebook, indent=1, ensure_ascii=False), encoding="utf-8")
    return images
