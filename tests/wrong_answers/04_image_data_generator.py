"""Wrong answers for notebook 04 (see README.md in this folder)."""

_COUNT = (
    "def count_labels(batches, num_batches, num_classes):\n"
    "    labels = []\n"
    "    for _ in range({batches}):\n"
    "        _, y = next(batches)\n"
    "        labels.extend({labels})\n"
    "    return np.bincount(labels{minlength})\n"
    "\n"
    "\n"
)
_ONE_EPOCH = (
    "validation_generator.reset()\n"
    "label_counts = count_labels(\n"
    "    validation_generator, len(validation_generator), "
    "len(validation_generator.class_indices)\n"
    ")"
)
_STEPS = (
    "def steps_for(num_images, batch_size):\n    return {steps}\n\n\nsteps_per_epoch = {stored}"
)
_RIGHT_STEPS = "math.ceil(num_images / batch_size)"
_CALL = "steps_for(train_generator.samples, BATCH_SIZE)"

WRONG_ANSWERS = {
    "4.1": [
        # alphabetical order, ignoring case: Keras compares character codes
        'kirmizi_choice = "c"',
        # the order the folders were listed in the question
        'kirmizi_choice = "a"',
        # a guess
        'kirmizi_choice = "b"',
        # a label number instead of a letter
        "kirmizi_choice = 3",
    ],
    "4.2": [
        # the example: asks Keras instead of working it out
        "steps_per_epoch = len(train_generator)",
        # rounds down: the smaller last batch is lost
        _STEPS.format(steps="num_images // batch_size", stored=_CALL),
        # always one more, even when the images divide evenly
        _STEPS.format(steps="num_images // batch_size + 1", stored=_CALL),
        # rounds to the nearest whole number: 11 images in batches of 5 give 2, not 3
        _STEPS.format(steps="round(num_images / batch_size)", stored=_CALL),
        # the two numbers swapped
        _STEPS.format(steps="math.ceil(batch_size / num_images)", stored=_CALL),
        # a function that only knows this one iterator
        _STEPS.format(steps="len(train_generator)", stored=_CALL),
        # a right function, but steps_per_epoch typed in, rounded down
        _STEPS.format(steps=_RIGHT_STEPS, stored="train_generator.samples // BATCH_SIZE"),
    ],
    "4.3": [
        # the example: counts the iterator's label list, no batch drawn, no function
        "label_counts = np.bincount(validation_generator.classes)",
        # the same shortcut inside the function: right for a whole epoch only
        "def count_labels(batches, num_batches, num_classes):\n"
        "    return np.bincount(batches.classes, minlength=num_classes)\n"
        "\n"
        "\n" + _ONE_EPOCH,
        # takes the batches, but counts the first files' labels: right unless shuffled
        "def count_labels(batches, num_batches, num_classes):\n"
        "    for _ in range(num_batches):\n"
        "        next(batches)\n"
        "    first = batches.classes[: num_batches * batches.batch_size]\n"
        "    return np.bincount(first, minlength=num_classes)\n"
        "\n"
        "\n" + _ONE_EPOCH,
        # one batch too many
        _COUNT.format(
            batches="num_batches + 1",
            labels="y.astype(int).tolist()",
            minlength=", minlength=num_classes",
        )
        + _ONE_EPOCH,
        # no minlength: a class missing from the batches has no count at all
        _COUNT.format(batches="num_batches", labels="y.astype(int).tolist()", minlength="")
        + _ONE_EPOCH,
        # one batch taken and counted num_batches times
        "def count_labels(batches, num_batches, num_classes):\n"
        "    _, y = next(batches)\n"
        "    labels = y.astype(int).tolist() * num_batches\n"
        "    return np.bincount(labels, minlength=num_classes)\n"
        "\n"
        "\n" + _ONE_EPOCH,
        # a whole epoch of the iterator, whatever num_batches says
        _COUNT.format(
            batches="len(batches)",
            labels="y.astype(int).tolist()",
            minlength=", minlength=num_classes",
        )
        + _ONE_EPOCH,
        # two classes hard-coded: counts the ones and the rest
        "def count_labels(batches, num_batches, num_classes):\n"
        "    ones = total = 0\n"
        "    for _ in range(num_batches):\n"
        "        _, y = next(batches)\n"
        "        ones, total = ones + int(y.sum()), total + len(y)\n"
        "    return np.array([total - ones, ones])\n"
        "\n"
        "\n" + _ONE_EPOCH,
        # the function is right, but only one batch of validation_generator is counted
        _COUNT.format(
            batches="num_batches",
            labels="y.astype(int).tolist()",
            minlength=", minlength=num_classes",
        )
        + "label_counts = count_labels(validation_generator, 1, 2)",
    ],
}
