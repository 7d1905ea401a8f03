"""Wrong answers for notebook 03 (see README.md in this folder)."""

WRONG_ANSWERS = {
    "3.1": [
        # the example: copies the counts from before, never adds anything up
        "totals_after = counts_before",
        # only the training split
        "def class_totals(split_counts):\n"
        '    return dict(split_counts["train"])\n'
        "\n"
        "\n"
        "totals_after = class_totals(counts_after)",
        # one total per split instead of per class
        "def class_totals(split_counts):\n"
        "    return {name: sum(per_class.values()) for name, per_class in split_counts.items()}\n"
        "\n"
        "\n"
        "totals_after = class_totals(counts_after)",
        # the function is right, but totals_after is not its result
        "def class_totals(split_counts):\n"
        "    totals = {}\n"
        "    for per_class in split_counts.values():\n"
        "        for name, count in per_class.items():\n"
        "            totals[name] = totals.get(name, 0) + count\n"
        "    return totals\n"
        "\n"
        "\n"
        'totals_after = counts_after["train"]',
    ],
    "3.2": [
        # finds nothing, ever
        "def leaked(split_dir):\n    return set()",
        # every training file, leaked or not
        "def leaked(split_dir):\n"
        '    return {(p.parent.name, p.name) for p in Path(split_dir, "train").glob("*/*")}',
        # a list, not a set
        "def leaked(split_dir):\n"
        "    split_dir = Path(split_dir)\n"
        '    train = {(p.parent.name, p.name) for p in (split_dir / "train").glob("*/*")}\n'
        '    val = {(p.parent.name, p.name) for p in (split_dir / "val").glob("*/*")}\n'
        "    return sorted(train & val)",
    ],
    "3.3": [
        # the planted bug itself: old files stay in the output folder
        "fresh_split = fresh_split_with_bug",
        # empties only the training folder: old validation files stay
        "def fresh_split(source, output, seed):\n"
        '    shutil.rmtree(Path(output) / "train", ignore_errors=True)\n'
        "    splitfolders.ratio(str(source), output=str(output), seed=seed, ratio=RATIO)\n"
        "    return count_per_split(output)",
        # makes sure the folder exists, which changes nothing
        "def fresh_split(source, output, seed):\n"
        "    Path(output).mkdir(parents=True, exist_ok=True)\n"
        "    splitfolders.ratio(str(source), output=str(output), seed=seed, ratio=RATIO)\n"
        "    return count_per_split(output)",
    ],
}
