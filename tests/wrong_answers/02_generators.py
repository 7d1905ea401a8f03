"""Wrong answers for notebook 02 (see README.md in this folder)."""

WRONG_ANSWERS = {
    "2.1": [
        # yields an empty batch at the end when the items divide evenly
        "def my_batches(items, batch_size):\n"
        "    batch = []\n"
        "    for item in items:\n"
        "        batch.append(item)\n"
        "        if len(batch) == batch_size:\n"
        "            yield batch\n"
        "            batch = []\n"
        "    yield batch",
        # drops the last, shorter batch
        "def my_batches(items, batch_size):\n"
        "    batch = []\n"
        "    for item in items:\n"
        "        batch.append(item)\n"
        "        if len(batch) == batch_size:\n"
        "            yield batch\n"
        "            batch = []",
        # slicing: fails on a generator, which has no len()
        "def my_batches(items, batch_size):\n"
        "    items = list(items)[:10]\n"
        "    return [items[i : i + batch_size] for i in range(0, len(items), batch_size)][:1]",
    ],
    "2.2": [
        # decodes every image into a list first: the right path, but all images in memory
        "def brightest(paths):\n"
        "    loaded = load_all(paths)\n"
        "    return paths[int(np.argmax([image.mean() for image in loaded]))]",
        # the darkest image
        "def brightest(paths):\n"
        "    means = [image.mean() for image in stream_images(paths)]\n"
        "    return paths[int(np.argmin(means))]",
        # the first path, without looking at the images
        "def brightest(paths):\n    return paths[0]",
    ],
    "2.3": [
        # a generator does not start again
        "second_prediction = [0, 1, 4]",
        # list() of a used-up generator is an empty list, not None
        "second_prediction = None",
        # it does not carry on counting either
        "second_prediction = [9, 16, 25]",
    ],
}
