"""Wrong answers for notebook 06 (see README.md in this folder)."""

_LOAD = (
    "keras.utils.image_dataset_from_directory(\n"
    '    split_dir / "{folder}",\n'
    "    image_size=size,\n"
    "    batch_size=BATCH_SIZE,\n"
    "    shuffle={shuffle},\n"
    '    class_names=files.list_classes(split_dir / "{folder}"),\n'
    ")"
)
_AUGMENT = (
    "def augment_batch(images, labels):\n"
    "    return augment(images, training={training}), labels\n"
    "\n"
    "\n"
)

_TIME = (
    "def time_pass(dataset):\n    start = time.perf_counter()\n    {loop}\n    return {end}\n\n\n"
)
_RIGHT_TIME = _TIME.format(
    loop="for _batch in dataset:\n        pass", end="time.perf_counter() - start"
)
_TWO = "def two_passes(dataset):\n    {body}\n\n\n"
_RIGHT_TWO = "cached = dataset.cache()\n    return time_pass(cached), time_pass(cached)"
_MEGABYTES = "def cache_megabytes(num_images, height, width):\n    return {size}"
_RIGHT_SIZE = "num_images * height * width * 3 * 4 / 1e6"

WRONG_ANSWERS = {
    "6.1": [
        # shuffles decoded images: the buffer holds every image
        'step_order = ["b", "d", "e", "a", "c"]',
        # map after batch: load gets a whole batch of file names
        'step_order = ["b", "e", "a", "d", "c"]',
        # prefetch before batch: the model's last step is batch
        'step_order = ["b", "e", "d", "c", "a"]',
        # shuffles whole batches: each batch holds neighbouring files
        'step_order = ["b", "d", "a", "e", "c"]',
        # the letters as listed
        'step_order = ["a", "b", "c", "d", "e"]',
        # one string, not a list of letters
        'step_order = "bedac"',
    ],
    "6.2": [
        # scaled to [0, 1] twice: the images are 255 times too dark
        _AUGMENT.format(training=True)
        + "augmented_train = "
        + _LOAD.format(shuffle=False, folder="train")
        + ".map(to_unit_range).map(to_unit_range).map(augment_batch)",
        # repeated: one pass never ends (model.fit starts each epoch itself)
        _AUGMENT.format(training=True)
        + "augmented_train = "
        + _LOAD.format(shuffle=False, folder="train")
        + ".map(to_unit_range).map(augment_batch).repeat()",
        # no augmentation at all
        "augmented_train = " + _LOAD.format(shuffle=False, folder="train") + ".map(to_unit_range)",
        # augmented, but the pixels stay 0-255
        _AUGMENT.format(training=True)
        + "augmented_train = "
        + _LOAD.format(shuffle=False, folder="train")
        + ".map(augment_batch)",
        # the layers called with training=False do nothing
        _AUGMENT.format(training=False)
        + "augmented_train = "
        + _LOAD.format(shuffle=False, folder="train")
        + ".map(to_unit_range).map(augment_batch)",
        # shuffled: the labels no longer come in the folder's order
        _AUGMENT.format(training=True)
        + "augmented_train = "
        + _LOAD.format(shuffle=True, folder="train")
        + ".map(to_unit_range).map(augment_batch)",
        # the validation images instead of the training images
        _AUGMENT.format(training=True)
        + "augmented_train = "
        + _LOAD.format(shuffle=False, folder="val")
        + ".map(to_unit_range).map(augment_batch)",
        # the same change every time: a flip is not a random augmentation
        "def flip_batch(images, labels):\n"
        "    return tf.image.flip_left_right(images), labels\n"
        "\n"
        "\n"
        "augmented_train = "
        + _LOAD.format(shuffle=False, folder="train")
        + ".map(to_unit_range).map(flip_batch)",
        # the labels dropped: each element is a batch of images only
        "def augment_batch(images, labels):\n"
        "    return augment(images, training=True)\n"
        "\n"
        "\n"
        "augmented_train = "
        + _LOAD.format(shuffle=False, folder="train")
        + ".map(to_unit_range).map(augment_batch)",
        # one augmented batch, not a dataset
        _AUGMENT.format(training=True)
        + "augmented_train = next(iter("
        + _LOAD.format(shuffle=False, folder="train")
        + ".map(to_unit_range).map(augment_batch)))",
    ],
    "6.3": [
        # the example: numbers that were never measured, a size typed in
        "def time_pass(dataset):\n"
        "    return 1.0\n"
        "\n"
        "\n"
        "def two_passes(dataset):\n"
        "    return 1.0, 0.1\n"
        "\n"
        "\n"
        "def cache_megabytes(num_images, height, width):\n"
        "    return 9.8",
        # times only the first batch
        _TIME.format(loop="next(iter(dataset))", end="time.perf_counter() - start")
        + _TWO.format(body=_RIGHT_TWO)
        + _MEGABYTES.format(size=_RIGHT_SIZE),
        # returns the clock, not a duration
        _TIME.format(loop="for _batch in dataset:\n        pass", end="time.perf_counter()")
        + _TWO.format(body=_RIGHT_TWO)
        + _MEGABYTES.format(size=_RIGHT_SIZE),
        # no cache at all: the second pass decodes everything again
        _RIGHT_TIME
        + _TWO.format(body="return time_pass(dataset), time_pass(dataset)")
        + _MEGABYTES.format(size=_RIGHT_SIZE),
        # a new cache for each pass: the second one starts empty
        _RIGHT_TIME
        + _TWO.format(body="return time_pass(dataset.cache()), time_pass(dataset.cache())")
        + _MEGABYTES.format(size=_RIGHT_SIZE),
        # the cache is made, but the second pass goes around it
        _RIGHT_TIME
        + _TWO.format(
            body="cached = dataset.cache()\n    return time_pass(cached), time_pass(dataset)"
        )
        + _MEGABYTES.format(size=_RIGHT_SIZE),
        # the two times swapped
        _RIGHT_TIME
        + _TWO.format(
            body="cached = dataset.cache()\n"
            "    first = time_pass(cached)\n"
            "    second = time_pass(cached)\n"
            "    return second, first"
        )
        + _MEGABYTES.format(size=_RIGHT_SIZE),
        # uint8 bytes (1 per number) instead of float32 (4)
        _RIGHT_TIME
        + _TWO.format(body=_RIGHT_TWO)
        + _MEGABYTES.format(size="num_images * height * width * 3 / 1e6"),
        # forgets the 3 colour channels
        _RIGHT_TIME
        + _TWO.format(body=_RIGHT_TWO)
        + _MEGABYTES.format(size="num_images * height * width * 4 / 1e6"),
        # square images assumed: height twice
        _RIGHT_TIME
        + _TWO.format(body=_RIGHT_TWO)
        + _MEGABYTES.format(size="num_images * height * height * 3 * 4 / 1e6"),
        # mebibytes (1,048,576 bytes) instead of megabytes
        _RIGHT_TIME
        + _TWO.format(body=_RIGHT_TWO)
        + _MEGABYTES.format(size="num_images * height * width * 3 * 4 / 1024**2"),
        # the lesson's own numbers, whatever the arguments
        _RIGHT_TIME
        + _TWO.format(body=_RIGHT_TWO)
        + _MEGABYTES.format(size="len(file_names) * IMAGE_SIZE * IMAGE_SIZE * 3 * 4 / 1e6"),
    ],
}
