"""Wrong answers for notebook 02 (see README.md in this folder)."""

_BATCHES = "def my_batches(items, batch_size):\n"
_BRIGHTEST = "def brightest(paths):\n"

WRONG_ANSWERS = {
    "2.2": [
        # yields an empty batch at the end when the items divide evenly
        _BATCHES + "    batch = []\n"
        "    for item in items:\n"
        "        batch.append(item)\n"
        "        if len(batch) == batch_size:\n"
        "            yield batch\n"
        "            batch = []\n"
        "    yield batch",
        # drops the last, shorter batch
        _BATCHES + "    batch = []\n"
        "    for item in items:\n"
        "        batch.append(item)\n"
        "        if len(batch) == batch_size:\n"
        "            yield batch\n"
        "            batch = []",
        # slicing: fails on a generator, which has no len()
        _BATCHES + "    items = list(items)[:10]\n"
        "    return [items[i : i + batch_size] for i in range(0, len(items), batch_size)][:1]",
        # len and slicing inside a generator: a TypeError for a generator as input
        _BATCHES + "    for start in range(0, len(items), batch_size):\n"
        "        yield items[start : start + batch_size]",
        # right batches, but a list of all of them, made at once: not a generator
        _BATCHES + "    items = list(items)\n"
        "    return [items[i : i + batch_size] for i in range(0, len(items), batch_size)]",
        # a generator, but it reads the whole input before the first batch
        _BATCHES + "    items = list(items)\n"
        "    for start in range(0, len(items), batch_size):\n"
        "        yield items[start : start + batch_size]",
        # empties and reuses one list: every batch yielded is the same list object
        _BATCHES + "    batch = []\n"
        "    for item in items:\n"
        "        batch.append(item)\n"
        "        if len(batch) == batch_size:\n"
        "            yield batch\n"
        "            batch.clear()\n"
        "    if batch:\n"
        "        yield batch",
        # tuples, not lists
        _BATCHES + "    batch = []\n"
        "    for item in items:\n"
        "        batch.append(item)\n"
        "        if len(batch) == batch_size:\n"
        "            yield tuple(batch)\n"
        "            batch = []\n"
        "    if batch:\n"
        "        yield tuple(batch)",
    ],
    "2.3": [
        # every image decoded by Pillow and kept in a list: memory Python does not see
        "from PIL import Image\n"
        "\n"
        "\n"
        "def brightest(paths):\n"
        "    pictures = [Image.open(path).convert('RGB') for path in paths]\n"
        "    means = [np.asarray(picture).mean() for picture in pictures]\n"
        "    return paths[int(np.argmax(means))]",
        # decodes every image into a list first: the right path, but all images in memory
        _BRIGHTEST + "    loaded = load_all(paths)\n"
        "    return paths[int(np.argmax([image.mean() for image in loaded]))]",
        # the darkest image
        _BRIGHTEST + "    means = [image.mean() for image in stream_images(paths)]\n"
        "    return paths[int(np.argmin(means))]",
        # the first path, without looking at the images
        _BRIGHTEST + "    return paths[0]",
        # brightness in gray: green counts more than blue, so another image wins
        _BRIGHTEST + "    best_path, best_mean = None, -1.0\n"
        "    for path in paths:\n"
        '        mean = images.read_image(path, mode="gray").mean()\n'
        "        if mean > best_mean:\n"
        "            best_path, best_mean = path, mean\n"
        "    return best_path",
        # the sum of the values: large images win
        _BRIGHTEST + "    sums = [image.sum() for image in stream_images(paths)]\n"
        "    return paths[int(np.argmax(sums))]",
        # the largest single value: one white pixel wins
        _BRIGHTEST + "    peaks = [image.max() for image in stream_images(paths)]\n"
        "    return paths[int(np.argmax(peaks))]",
        # HSV's V: the brightest channel of each pixel, averaged: a pure blue image wins
        _BRIGHTEST + "    values = [image.max(axis=2).mean() for image in stream_images(paths)]\n"
        "    return paths[int(np.argmax(values))]",
        # the largest of the three channel means
        _BRIGHTEST + "    images = stream_images(paths)\n"
        "    means = [image.mean(axis=(0, 1)).max() for image in images]\n"
        "    return paths[int(np.argmax(means))]",
        # the highest mean itself, not the path of its image
        _BRIGHTEST + "    return max(image.mean() for image in stream_images(paths))",
        # the position in the list, not the path
        _BRIGHTEST + "    means = [image.mean() for image in stream_images(paths)]\n"
        "    return int(np.argmax(means))",
    ],
    "2.1": [
        # a generator does not start again
        "second_prediction = [0, 1, 4]",
        # list() of a used-up generator is an empty list, not None
        "second_prediction = None",
        # it does not carry on counting either
        "second_prediction = [9, 16, 25]",
        # only the last value again
        "second_prediction = [4]",
    ],
}
