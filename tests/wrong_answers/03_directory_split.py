"""Wrong answers for notebook 03 (see README.md in this folder)."""

_RIGHT_TOTALS = (
    "def class_totals(split_counts):\n"
    "    totals = {}\n"
    "    for per_class in split_counts.values():\n"
    "        for name, count in per_class.items():\n"
    "            totals[name] = totals.get(name, 0) + count\n"
    "    return totals\n"
)
_LEAKED = "def leaked(split_dir):\n    split_dir = Path(split_dir)\n"
_FRESH = "def fresh_split(source, output, seed):\n"
_RATIO = "    splitfolders.ratio(str(source), output=str(output), seed=seed, ratio=RATIO)\n"

WRONG_ANSWERS = {
    "3.2": [
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
        _RIGHT_TOTALS + "\n\n" + 'totals_after = counts_after["train"]',
        # train and val only: the test split is left out
        "def class_totals(split_counts):\n"
        "    totals = {}\n"
        '    for subset in ("train", "val"):\n'
        "        for name, count in split_counts.get(subset, {}).items():\n"
        "            totals[name] = totals.get(name, 0) + count\n"
        "    return totals\n"
        "\n\n"
        "totals_after = class_totals(counts_after)",
        # the classes of the first split only: a class missing there is lost
        "def class_totals(split_counts):\n"
        "    totals = {}\n"
        "    first = list(split_counts.values())[0]\n"
        "    for name in first:\n"
        "        totals[name] = 0\n"
        "        for per_class in split_counts.values():\n"
        "            totals[name] += per_class.get(name, 0)\n"
        "    return totals\n"
        "\n\n"
        "totals_after = class_totals(counts_after)",
        # starts from the train dictionary itself, and so changes the counts it was given
        "def class_totals(split_counts):\n"
        '    totals = split_counts["train"]\n'
        "    for subset, per_class in split_counts.items():\n"
        '        if subset != "train":\n'
        "            for name, count in per_class.items():\n"
        "                totals[name] = totals.get(name, 0) + count\n"
        "    return totals\n"
        "\n\n"
        "totals_after = class_totals(counts_after)",
        # the last count of each class overwrites the others instead of adding up
        "def class_totals(split_counts):\n"
        "    totals = {}\n"
        "    for per_class in split_counts.values():\n"
        "        for name, count in per_class.items():\n"
        "            totals[name] = count\n"
        "    return totals\n"
        "\n\n"
        "totals_after = class_totals(counts_after)",
    ],
    "3.1": [
        # finds nothing, ever
        "def leaked(split_dir):\n    return set()",
        # every training file, leaked or not
        "def leaked(split_dir):\n"
        '    return {(p.parent.name, p.name) for p in Path(split_dir, "train").glob("*/*")}',
        # a list, not a set
        _LEAKED
        + '    train = {(p.parent.name, p.name) for p in (split_dir / "train").glob("*/*")}\n'
        '    val = {(p.parent.name, p.name) for p in (split_dir / "val").glob("*/*")}\n'
        "    return sorted(train & val)",
        # compares file names only: the same name in two classes is not a leak
        _LEAKED + '    val_names = {p.name for p in (split_dir / "val").glob("*/*")}\n'
        "    found = set()\n"
        '    for p in (split_dir / "train").glob("*/*"):\n'
        "        if p.name in val_names:\n"
        "            found.add((p.parent.name, p.name))\n"
        "    return found",
        # only .jpg files: .png, .jpeg and .JPG leaks are missed
        _LEAKED
        + '    train = {(p.parent.name, p.name) for p in (split_dir / "train").glob("*/*.jpg")}\n'
        '    val = {(p.parent.name, p.name) for p in (split_dir / "val").glob("*/*.jpg")}\n'
        "    return train & val",
        # section 4a's relative paths, not (class name, file name) pairs
        _LEAKED + "    train = set()\n"
        '    for path in (split_dir / "train").rglob("*.*"):\n'
        '        train.add(path.relative_to(split_dir / "train"))\n'
        "    val = set()\n"
        '    for path in (split_dir / "val").rglob("*.*"):\n'
        '        val.add(path.relative_to(split_dir / "val"))\n'
        "    return train & val",
        # the lesson's class names only: other datasets' classes are never looked at
        _LEAKED + "    found = set()\n"
        "    for name in CLASS_NAMES:\n"
        '        train = {p.name for p in (split_dir / "train" / name).glob("*")}\n'
        '        val = {p.name for p in (split_dir / "val" / name).glob("*")}\n'
        "        for file_name in train & val:\n"
        "            found.add((name, file_name))\n"
        "    return found",
        # always the lesson's raw_split, whatever folder it is given
        "def leaked(split_dir):\n"
        '    train = {(p.parent.name, p.name) for p in (raw_split / "train").glob("*/*")}\n'
        '    val = {(p.parent.name, p.name) for p in (raw_split / "val").glob("*/*")}\n'
        "    return train & val",
    ],
    "3.3": [
        # the planted bug itself: old files stay in the output folder
        "fresh_split = fresh_split_with_bug",
        # empties only the training folder: old validation files stay
        _FRESH
        + '    shutil.rmtree(Path(output) / "train", ignore_errors=True)\n'
        + _RATIO
        + "    return count_per_split(output)",
        # makes sure the folder exists, which changes nothing
        _FRESH
        + "    Path(output).mkdir(parents=True, exist_ok=True)\n"
        + _RATIO
        + "    return count_per_split(output)",
        # rmtree on a folder that does not exist yet stops with FileNotFoundError
        _FRESH + "    shutil.rmtree(output)\n" + _RATIO + "    return count_per_split(output)",
        # splits only into a new folder: the second seed's split never happens
        _FRESH + "    if not Path(output).exists():\n"
        "        splitfolders.ratio(str(source), output=str(output), seed=seed, ratio=RATIO)\n"
        "    return count_per_split(output)",
        # one folder per seed inside output: output itself holds no train and val
        _FRESH + '    output = Path(output) / f"seed_{seed}"\n'
        "    shutil.rmtree(output, ignore_errors=True)\n"
        + _RATIO
        + "    return count_per_split(output)",
    ],
}
