"""Wrong answers for notebook 05 (see README.md in this folder)."""

_DRAW = (
    "chosen = []\n"
    "while len(chosen) < 4:\n"
    "    X, y = next(train)\n"
    "    chosen.extend(X[{keep}])\n"
    "chosen = chosen[:4]\n"
    "fig = plotting.show_images(chosen, [{title}] * 4)"
)

WRONG_ANSWERS = {
    "5.1": [
        # the label numbers as text
        "def batch_titles(labels, class_indices):\n    return [str(label) for label in labels]",
        # the name at that position of the dictionary: right only if it is in index order
        "def batch_titles(labels, class_indices):\n"
        "    return [list(class_indices)[int(label)] for label in labels]",
        # alphabetical order: right for Keras' own numbering, not for any class_indices
        "def batch_titles(labels, class_indices):\n"
        "    return [sorted(class_indices)[int(label)] for label in labels]",
        # every class name, whatever the labels
        "def batch_titles(labels, class_indices):\n    return list(class_indices)",
        # two classes hard-coded, the lesson's names
        "def batch_titles(labels, class_indices):\n"
        "    names = pipelines.class_names(train)\n"
        "    return [names[0] if label == 0 else names[1] for label in labels]",
        # the lesson's own class names instead of those of class_indices
        "def batch_titles(labels, class_indices):\n"
        "    return [pipelines.class_names(train)[int(label)] for label in labels]",
        # a float used as a list index: TypeError
        "def batch_titles(labels, class_indices):\n"
        "    names = sorted(class_indices, key=class_indices.get)\n"
        "    return [names[label] for label in labels]",
    ],
    "5.2": [
        # the example: images of another class, titled as the wanted class
        _DRAW.format(keep="y != wanted", title="train_names[wanted]"),
        # the first class instead of wanted
        _DRAW.format(keep="y == 0", title="train_names[0]"),
        # the right images, titled with the class number
        _DRAW.format(keep="y == wanted", title="str(wanted)"),
        # the right images, titled with the first class's name
        _DRAW.format(keep="y == wanted", title="train_names[0]"),
        # images of the wanted class, but from the validation iterator
        "chosen = []\n"
        "while len(chosen) < 4:\n"
        "    X, y = next(validation)\n"
        "    chosen.extend(X[y == wanted])\n"
        "chosen = chosen[:4]\n"
        "fig = plotting.show_images(chosen, [train_names[wanted]] * 4)",
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
