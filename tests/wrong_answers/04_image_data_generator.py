"""Wrong answers for notebook 04 (see README.md in this folder)."""

WRONG_ANSWERS = {
    "4.1": [
        # the example: asks Keras instead of working it out
        "steps_per_epoch = len(train_generator)",
        # rounds down: the smaller last batch is lost
        "def steps_for(num_images, batch_size):\n"
        "    return num_images // batch_size\n"
        "\n"
        "\n"
        "steps_per_epoch = steps_for(train_generator.samples, BATCH_SIZE)",
        # always one more, even when the images divide evenly
        "def steps_for(num_images, batch_size):\n"
        "    return num_images // batch_size + 1\n"
        "\n"
        "\n"
        "steps_per_epoch = steps_for(train_generator.samples, BATCH_SIZE)",
        # a function that only knows this one iterator
        "def steps_for(num_images, batch_size):\n"
        "    return len(train_generator)\n"
        "\n"
        "\n"
        "steps_per_epoch = steps_for(train_generator.samples, BATCH_SIZE)",
    ],
    "4.2": [
        # the example: counts the iterator's label list, no batch drawn
        "label_counts = np.bincount(validation.classes)",
        # the same shortcut inside the function
        "def count_labels(batches, num_batches, num_classes):\n"
        "    return np.bincount(validation.classes, minlength=num_classes)\n"
        "\n"
        "\n"
        "label_counts = count_labels(validation, len(validation), len(validation.class_indices))",
        # one batch too many
        "def count_labels(batches, num_batches, num_classes):\n"
        "    labels = []\n"
        "    for _ in range(num_batches + 1):\n"
        "        _, y = next(batches)\n"
        "        labels.extend(y.astype(int).tolist())\n"
        "    return np.bincount(labels, minlength=num_classes)\n"
        "\n"
        "\n"
        "label_counts = count_labels(validation, len(validation), len(validation.class_indices))",
        # no minlength: a class missing from the batches has no count at all
        "def count_labels(batches, num_batches, num_classes):\n"
        "    labels = []\n"
        "    for _ in range(num_batches):\n"
        "        _, y = next(batches)\n"
        "        labels.extend(y.astype(int).tolist())\n"
        "    return np.bincount(labels)\n"
        "\n"
        "\n"
        "label_counts = count_labels(validation, len(validation), len(validation.class_indices))",
        # the function is right, but only one batch of validation is counted
        "def count_labels(batches, num_batches, num_classes):\n"
        "    labels = []\n"
        "    for _ in range(num_batches):\n"
        "        _, y = next(batches)\n"
        "        labels.extend(y.astype(int).tolist())\n"
        "    return np.bincount(labels, minlength=num_classes)\n"
        "\n"
        "\n"
        "label_counts = count_labels(validation, 1, len(validation.class_indices))",
    ],
    "4.3": [
        # alphabetical order, ignoring case: Keras compares character codes
        'kirmizi_choice = "c"',
        # the order the folders were listed in the question
        'kirmizi_choice = "a"',
        # a label number instead of a letter
        "kirmizi_choice = 3",
    ],
}
