"""Wrong answers for notebook 00 (see README.md in this folder)."""

WRONG_ANSWERS = {
    "0.1": [
        # the number of classes, not of images
        "total_images = len(counts)",
        # only the largest class
        "total_images = max(counts.values())",
        # only the first class: right only if there is a single class
        "total_images = counts[CLASS_NAMES[0]]",
    ],
    "0.2": [
        # a restart forgets the variable: the check cannot even look at its value
        'answer = "a"',
        # solved before the restart does not count: nothing is remembered
        'answer = "c"',
        # a capital letter is not one of the choices
        'answer = "B"',
    ],
}
