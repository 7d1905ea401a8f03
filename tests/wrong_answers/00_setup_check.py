"""Wrong answers for notebook 00 (see README.md in this folder)."""

WRONG_ANSWERS = {
    "0.1": [
        # the number of classes, not of images
        "def total_images(class_counts):\n    return len(class_counts)",
        # only the largest class
        "def total_images(class_counts):\n    return max(class_counts.values())",
        # only the first class of the lesson's data: a KeyError for other class names
        "def total_images(class_counts):\n    return class_counts[CLASS_NAMES[0]]",
        # the lesson's own counts, whatever dictionary it is given
        "def total_images(class_counts):\n    return sum(counts.values())",
        # two classes hard-coded: wrong for three classes, an error for one
        "def total_images(class_counts):\n"
        "    values = list(class_counts.values())\n"
        "    return values[0] + values[1]",
        # a typed-in total, right for one dataset only
        "def total_images(class_counts):\n    return 23",
        # adds up the class names (the keys), not the numbers: a TypeError
        "def total_images(class_counts):\n    return sum(class_counts)",
        # forgets to return the total
        "def total_images(class_counts):\n    total = sum(class_counts.values())",
        # a number, not a function
        "total_images = sum(counts.values())",
    ],
    "0.2": [
        # a restart forgets the variable: the check cannot even look at its value
        'answer = "a"',
        # solved before the restart does not count: nothing is remembered
        'answer = "c"',
        # a capital letter is not one of the choices
        'answer = "B"',
        # the error's name instead of a letter
        'answer = "NameError"',
    ],
}
