"""Wrong answers for notebook 01 (see README.md in this folder)."""

_FRACTION = "def object_fraction(image_rgb, threshold=40):\n"
_MEANS = "def channel_means(image_rgb, threshold):\n"
_LARGEST = (
    "\n\ndef largest_channel(image_rgb, threshold):\n"
    '    return "RGB"[int(np.argmax(channel_means(image_rgb, threshold)))]'
)
_RIGHT_MEANS = (
    _MEANS + "    is_object = cv2.cvtColor(image_rgb, cv2.COLOR_RGB2GRAY) > threshold\n"
    "    return [float(image_rgb[..., c][is_object].mean()) for c in range(3)]"
)

#: A right channel_means, for the answers whose largest_channel alone is wrong.
_CHANNEL_MEANS = (
    "def channel_means(image_rgb, threshold):\n"
    "    mask = cv2.cvtColor(image_rgb, cv2.COLOR_RGB2GRAY) > threshold\n"
    "    return [float(image_rgb[..., c][mask].mean()) for c in range(3)]\n"
)

WRONG_ANSWERS = {
    "1.1": [
        # axis=0: one mean per column
        "def row_means(array):\n    return array.mean(axis=0)\n"
        "def count_above(array, threshold):\n    return int((array > threshold).sum())",
        # >= counts the values equal to the threshold too
        "def row_means(array):\n    return array.mean(axis=1)\n"
        "def count_above(array, threshold):\n    return int((array >= threshold).sum())",
        # the values above the threshold, not how many
        "def row_means(array):\n    return array.mean(axis=1)\n"
        "def count_above(array, threshold):\n    return array[array > threshold]",
        # the answers for grid, typed in: right for grid only
        "def row_means(array):\n    return [75.0, 135.0, 157.5]\n"
        "def count_above(array, threshold):\n    return 6",
        # len of the mask counts its rows, not its True values
        "def row_means(array):\n    return array.mean(axis=1)\n"
        "def count_above(array, threshold):\n    return len(array > threshold)",
    ],
    "1.3": [
        # swaps the channels of the image it was given, in place
        "def swap_to_rgb(bgr):\n"
        "    blue = bgr[..., 0].copy()\n"
        "    bgr[..., 0] = bgr[..., 2]\n"
        "    bgr[..., 2] = blue\n"
        "    return bgr",
        # returns the image unchanged: right only for gray images
        "def swap_to_rgb(bgr):\n    return bgr",
        # reverses the rows (upside down), not the channels
        "def swap_to_rgb(bgr):\n    return bgr[::-1]",
        # reverses the columns (mirror image), not the channels
        "def swap_to_rgb(bgr):\n    return bgr[:, ::-1]",
        # np.flip without an axis reverses every axis: rows, columns and channels
        "def swap_to_rgb(bgr):\n    return np.flip(bgr)",
        # one channel only, not three in another order
        "def swap_to_rgb(bgr):\n    return bgr[..., 2]",
        # swaps the axes of a square image: rows become columns
        "def swap_to_rgb(bgr):\n    return bgr.transpose(1, 0, 2)[..., ::-1]",
    ],
    "1.2": [
        # the default threshold changed
        "def object_fraction(image_rgb, threshold=50):\n"
        "    gray = cv2.cvtColor(image_rgb, cv2.COLOR_RGB2GRAY)\n"
        "    return float((gray > threshold).mean())",
        # >= instead of >: pixels equal to the threshold are counted
        _FRACTION + "    gray = cv2.cvtColor(image_rgb, cv2.COLOR_RGB2GRAY)\n"
        "    return float((gray >= threshold).mean())",
        # ignores the threshold argument
        _FRACTION + "    gray = cv2.cvtColor(image_rgb, cv2.COLOR_RGB2GRAY)\n"
        "    return float((gray > 40).mean())",
        # a count of pixels, not a fraction
        _FRACTION + "    gray = cv2.cvtColor(image_rgb, cv2.COLOR_RGB2GRAY)\n"
        "    return float((gray > threshold).sum())",
        # reads the RGB image as BGR: red and blue swap weights (same answer on gray images)
        _FRACTION + "    gray = cv2.cvtColor(image_rgb, cv2.COLOR_BGR2GRAY)\n"
        "    return float((gray > threshold).mean())",
        # counts channel values, not pixels (the same on gray images)
        _FRACTION + "    return float((image_rgb > threshold).mean())",
        # the mean of the three channels is not OpenCV's grayscale
        _FRACTION + "    return float((image_rgb.mean(axis=2) > threshold).mean())",
        # a pixel with any bright channel counted as object
        _FRACTION + "    return float((image_rgb > threshold).any(axis=2).mean())",
        # the photo's answer, typed in
        _FRACTION + "    return 0.35",
    ],
    "1.4": [
        # largest_channel with its own mask, made with BGR weights: the red pixels drop out
        _CHANNEL_MEANS + "def largest_channel(image_rgb, threshold):\n"
        "    mask = cv2.cvtColor(image_rgb, cv2.COLOR_BGR2GRAY) > threshold\n"
        "    return 'RGB'[int(np.argmax(image_rgb[mask].mean(axis=0)))]",
        # largest_channel with the median instead of the mean
        _CHANNEL_MEANS + "def largest_channel(image_rgb, threshold):\n"
        "    mask = cv2.cvtColor(image_rgb, cv2.COLOR_RGB2GRAY) > threshold\n"
        "    return 'RGB'[int(np.argmax(np.median(image_rgb[mask], axis=0)))]",
        # largest_channel with >=: the pixels on the threshold count
        _CHANNEL_MEANS + "def largest_channel(image_rgb, threshold):\n"
        "    mask = cv2.cvtColor(image_rgb, cv2.COLOR_RGB2GRAY) >= threshold\n"
        "    return 'RGB'[int(np.argmax(image_rgb[mask].mean(axis=0)))]",
        # means over the whole image, background included
        _MEANS + "    return [float(image_rgb[..., c].mean()) for c in range(3)]" + _LARGEST,
        # the mask from BGR2GRAY: the RGB image read as BGR
        _MEANS + "    is_object = cv2.cvtColor(image_rgb, cv2.COLOR_BGR2GRAY) > threshold\n"
        "    return [float(image_rgb[..., c][is_object].mean()) for c in range(3)]" + _LARGEST,
        # right means, but the letter of the smallest channel
        _RIGHT_MEANS + "\n\ndef largest_channel(image_rgb, threshold):\n"
        '    return "RGB"[int(np.argmin(channel_means(image_rgb, threshold)))]',
        # the answer for the photo, typed in: "R" for every image
        _RIGHT_MEANS + '\n\ndef largest_channel(image_rgb, threshold):\n    return "R"',
        # the position of the largest mean, not its letter
        _RIGHT_MEANS + "\n\ndef largest_channel(image_rgb, threshold):\n"
        "    return int(np.argmax(channel_means(image_rgb, threshold)))",
        # always the lesson's threshold, not the argument
        _MEANS + "    is_object = cv2.cvtColor(image_rgb, cv2.COLOR_RGB2GRAY) > otsu_threshold\n"
        "    return [float(image_rgb[..., c][is_object].mean()) for c in range(3)]" + _LARGEST,
        # always the lesson's photo, not the image it is given
        _MEANS + "    is_object = cv2.cvtColor(nut, cv2.COLOR_RGB2GRAY) > threshold\n"
        "    return [float(nut[..., c][is_object].mean()) for c in range(3)]" + _LARGEST,
        # >= also counts the pixels exactly at the threshold
        _MEANS + "    is_object = cv2.cvtColor(image_rgb, cv2.COLOR_RGB2GRAY) >= threshold\n"
        "    return [float(image_rgb[..., c][is_object].mean()) for c in range(3)]" + _LARGEST,
        # the channels in B, G, R order
        _MEANS + "    is_object = cv2.cvtColor(image_rgb, cv2.COLOR_RGB2GRAY) > threshold\n"
        "    return [float(image_rgb[..., c][is_object].mean()) for c in (2, 1, 0)]" + _LARGEST,
        # the old variables, for the photo only, instead of functions
        "is_object = cv2.cvtColor(nut, cv2.COLOR_RGB2GRAY) > otsu_threshold\n"
        "channel_means = [float(nut[..., c][is_object].mean()) for c in range(3)]\n"
        'largest_channel = "RGB"[int(np.argmax(channel_means))]',
    ],
}
