"""Wrong answers for notebook 01 (see README.md in this folder)."""

WRONG_ANSWERS = {
    "1.1": [
        # returns the image unchanged
        "def swap_to_rgb(bgr):\n    return bgr",
        # reverses the rows (upside down), not the channels
        "def swap_to_rgb(bgr):\n    return bgr[::-1]",
        # reverses the columns (mirror image), not the channels
        "def swap_to_rgb(bgr):\n    return bgr[:, ::-1]",
    ],
    "1.2": [
        # >= instead of >: pixels equal to the threshold are counted
        "def object_fraction(image_rgb, threshold=40):\n"
        "    gray = cv2.cvtColor(image_rgb, cv2.COLOR_RGB2GRAY)\n"
        "    return float((gray >= threshold).mean())",
        # ignores the threshold argument
        "def object_fraction(image_rgb, threshold=40):\n"
        "    gray = cv2.cvtColor(image_rgb, cv2.COLOR_RGB2GRAY)\n"
        "    return float((gray > 40).mean())",
        # a count of pixels, not a fraction
        "def object_fraction(image_rgb, threshold=40):\n"
        "    gray = cv2.cvtColor(image_rgb, cv2.COLOR_RGB2GRAY)\n"
        "    return float((gray > threshold).sum())",
    ],
    "1.3": [
        # means over the whole image, background included
        "channel_means = [float(nut[..., c].mean()) for c in range(3)]\n"
        'largest_channel = "RGB"[int(np.argmax(channel_means))]',
        # the BGR image from OpenCV: the channels in the wrong order
        "mask = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY) > otsu_threshold\n"
        "channel_means = [float(img[..., c][mask].mean()) for c in range(3)]\n"
        'largest_channel = "RGB"[int(np.argmax(channel_means))]',
        # right means, but the letter of the smallest channel
        "mask = cv2.cvtColor(nut, cv2.COLOR_RGB2GRAY) > otsu_threshold\n"
        "channel_means = [float(nut[..., c][mask].mean()) for c in range(3)]\n"
        'largest_channel = "RGB"[int(np.argmin(channel_means))]',
        # the question answered by the self-check's own printout (1.3 used to print it), no means
        'largest_channel = "R"',
    ],
}
