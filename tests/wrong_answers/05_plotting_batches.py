"""Wrong answers for notebook 05 (see README.md in this folder)."""

WRONG_ANSWERS = {
    "5.1": [
        # the label numbers as text
        "def batch_titles(labels, class_indices):\n    return [str(label) for label in labels]",
        # the name at that position of the dictionary: right only if it is in index order
        "def batch_titles(labels, class_indices):\n"
        "    return [list(class_indices)[int(label)] for label in labels]",
        # every class name, whatever the labels
        "def batch_titles(labels, class_indices):\n    return list(class_indices)",
    ],
    "5.2": [
        # the example: images of another class, titled as the wanted class
        "chosen = []\n"
        "while len(chosen) < 4:\n"
        "    X, y = next(train)\n"
        "    chosen.extend(X[y != wanted])\n"
        "chosen = chosen[:4]\n"
        "fig = plotting.show_images(chosen, [train_names[wanted]] * 4)",
        # the right images, titled with the class number
        "chosen = []\n"
        "while len(chosen) < 4:\n"
        "    X, y = next(train)\n"
        "    chosen.extend(X[y == wanted])\n"
        "chosen = chosen[:4]\n"
        "fig = plotting.show_images(chosen, [str(wanted)] * 4)",
        # stops after one batch, which may hold fewer than four
        "X, y = next(train)\n"
        "chosen = list(X[y == wanted])[:3]\n"
        "fig = plotting.show_images(chosen, [train_names[wanted]] * len(chosen))",
        # one image four times
        "X, y = next(train)\n"
        "while not (y == wanted).any():\n"
        "    X, y = next(train)\n"
        "chosen = [X[y == wanted][0]] * 4\n"
        "fig = plotting.show_images(chosen, [train_names[wanted]] * 4)",
    ],
}
