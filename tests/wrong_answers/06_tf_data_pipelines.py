"""Wrong answers for notebook 06 (see README.md in this folder)."""

_LOAD = (
    "keras.utils.image_dataset_from_directory(\n"
    '    split_dir / "train",\n'
    "    image_size=size,\n"
    "    batch_size=BATCH_SIZE,\n"
    "    shuffle={shuffle},\n"
    '    class_names=files.list_classes(split_dir / "train"),\n'
    ")"
)
_AUGMENT = (
    "def augment_batch(images, labels):\n"
    "    return augment(images, training={training}), labels\n"
    "\n"
    "\n"
)

WRONG_ANSWERS = {
    "6.1": [
        # no augmentation at all
        "augmented_train = " + _LOAD.format(shuffle=False) + ".map(to_unit_range)",
        # augmented, but the pixels stay 0-255
        _AUGMENT.format(training=True)
        + "augmented_train = "
        + _LOAD.format(shuffle=False)
        + ".map(augment_batch)",
        # the layers called without training=True do nothing
        _AUGMENT.format(training=False)
        + "augmented_train = "
        + _LOAD.format(shuffle=False)
        + ".map(to_unit_range).map(augment_batch)",
        # shuffled: the labels no longer come in the folder's order
        _AUGMENT.format(training=True)
        + "augmented_train = "
        + _LOAD.format(shuffle=True)
        + ".map(to_unit_range).map(augment_batch)",
    ],
    "6.2": [
        # the example: two times > 0 that were never measured
        "def time_pass(dataset):\n"
        "    return 1.0\n"
        "\n"
        "\n"
        "first_pass, second_pass = time_pass(hand_built), time_pass(hand_built)\n"
        "cache_megabytes = len(file_names) * IMAGE_SIZE * IMAGE_SIZE * 3 * 4 / 1e6",
        # times only the first batch
        "def time_pass(dataset):\n"
        "    start = time.perf_counter()\n"
        "    next(iter(dataset))\n"
        "    return time.perf_counter() - start\n"
        "\n"
        "\n"
        "cached = hand_built.cache()\n"
        "first_pass, second_pass = time_pass(cached), time_pass(cached)\n"
        "cache_megabytes = len(file_names) * IMAGE_SIZE * IMAGE_SIZE * 3 * 4 / 1e6",
        # returns the clock, not a duration
        "def time_pass(dataset):\n"
        "    for _batch in dataset:\n"
        "        pass\n"
        "    return time.perf_counter()\n"
        "\n"
        "\n"
        "cached = hand_built.cache()\n"
        "first_pass, second_pass = time_pass(cached), time_pass(cached)\n"
        "cache_megabytes = len(file_names) * IMAGE_SIZE * IMAGE_SIZE * 3 * 4 / 1e6",
        # right timing, but uint8 bytes (1 per number) instead of float32 (4)
        "def time_pass(dataset):\n"
        "    start = time.perf_counter()\n"
        "    for _batch in dataset:\n"
        "        pass\n"
        "    return time.perf_counter() - start\n"
        "\n"
        "\n"
        "cached = hand_built.cache()\n"
        "first_pass, second_pass = time_pass(cached), time_pass(cached)\n"
        "cache_megabytes = len(file_names) * IMAGE_SIZE * IMAGE_SIZE * 3 / 1e6",
    ],
}
