"""Synthetic pistachio photos for the bundled sample (not a lesson topic: plumbing).

We may not redistribute the Kaggle photos, so the sample is drawn: one
pistachio in its shell per image, on black, lit from the upper left, with a
textured shell and a random pose. The two classes differ the way the real ones
do, with overlap so that the task is not trivial:

* **Kirmizi** nuts are more elongated and redder, and are split open less often;
* **Siirt** nuts are rounder, paler and larger, and more often split open so
  that the green kernel shows.

Everything is NumPy, seeded per image, so any image can be redrawn on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from helpers import BadInput

__all__ = ["KINDS", "NutStyle", "draw_nut"]


@dataclass(frozen=True)
class NutStyle:
    """Distribution of one class's shape and colour (means and spreads).

    Parameters
    ----------
    length, length_sd : float
        Half-length of the nut as a fraction of the image size.
    aspect, aspect_sd : float
        Length divided by width.
    colour : tuple of float
        Mean shell colour (RGB, 0–255).
    redness_sd : float
        Spread of the shift towards red (positive) or yellow (negative).
    p_open : float
        Probability that the shell is split open.
    """

    length: float
    length_sd: float
    aspect: float
    aspect_sd: float
    colour: tuple[float, float, float]
    redness_sd: float
    p_open: float


#: Class styles, keyed by the file-name prefix the Kaggle set uses.
KINDS = {
    "kirmizi": NutStyle(0.27, 0.025, 1.60, 0.12, (196, 146, 108), 9.0, 0.30),
    "siirt": NutStyle(0.29, 0.025, 1.33, 0.10, (214, 190, 150), 7.0, 0.65),
}

_LIGHT = np.array([-0.45, -0.55, 0.70])  # from the upper left, towards the viewer
_LIGHT = _LIGHT / np.linalg.norm(_LIGHT)
_KERNEL_COLOUR = np.array([112.0, 138.0, 62.0])
_REDDER = np.array([1.0, -0.5, -1.0])  # shifts a tan colour towards red-brown


def draw_nut(kind: str, rng: np.random.Generator, size: int = 600) -> np.ndarray:
    """Draw one synthetic pistachio photograph.

    Parameters
    ----------
    kind : {"kirmizi", "siirt"}
        Which class to draw (see `KINDS`).
    rng : numpy.random.Generator
        Source of randomness; the same seed gives the same picture.
    size : int, optional
        Width and height in pixels.

    Returns
    -------
    image : numpy.ndarray of uint8
        ``(size, size, 3)`` RGB.

    Raises
    ------
    ValueError
        If `kind` is unknown or `size` is below 32.

    Examples
    --------
    >>> image = draw_nut("siirt", np.random.default_rng(0), size=64)
    >>> image.shape, image.dtype
    ((64, 64, 3), dtype('uint8'))
    >>> bool(image[0, 0].max() < 20)  # black background in the corner
    True
    """
    if kind not in KINDS:
        raise BadInput(f"Unknown nut kind {kind!r}; expected one of {sorted(KINDS)}.")
    if size < 32:
        raise BadInput(f"Image size must be at least 32 pixels, got {size}.")
    style = KINDS[kind]

    # Pose: centre, angle, size and shape.
    centre = size / 2 + rng.normal(0, 0.04 * size, 2)
    angle = rng.uniform(0, np.pi)
    half_length = size * max(0.15, rng.normal(style.length, style.length_sd))
    aspect = max(1.05, rng.normal(style.aspect, style.aspect_sd))
    half_width = half_length / aspect
    taper = rng.uniform(0.05, 0.2) * rng.choice([-1, 1])  # one end pointier (egg shape)

    # Coordinates along (u) and across (v) the nut, in units of its half-axes.
    y, x = np.mgrid[0:size, 0:size].astype(np.float64)
    dx, dy = x - centre[0], y - centre[1]
    cos, sin = np.cos(angle), np.sin(angle)
    u = (dx * cos + dy * sin) / half_length
    v = (-dx * sin + dy * cos) / (half_width * (1 + taper * u))
    r2 = u**2 + v**2
    inside = np.clip((1 - np.sqrt(r2)) * half_width / 1.5, 0, 1)  # soft 1.5-pixel edge
    z = np.sqrt(np.clip(1 - r2, 0, 1))

    # Surface normal of the ellipsoid in image axes, then Lambert + a little gloss.
    nu, nv = u, v
    normal = np.stack([nu * cos - nv * sin, nu * sin + nv * cos, z + 1e-6], axis=-1)
    normal /= np.linalg.norm(normal, axis=-1, keepdims=True)
    diffuse = np.clip(normal @ _LIGHT, 0, 1)
    gloss = diffuse**24 * rng.uniform(0.15, 0.35)
    shade = 0.28 + 0.72 * diffuse

    # Shell colour with blotches, fine grain and faint ridges along the nut.
    colour = np.array(style.colour) * rng.normal(1, 0.06) + _REDDER * rng.normal(
        0, style.redness_sd
    )
    blotch = 0.0
    for _ in range(4):
        phase = rng.uniform(2, 7) * u + rng.uniform(3, 9) * v + rng.uniform(0, 2 * np.pi)
        blotch = blotch + rng.uniform(0.02, 0.06) * np.sin(phase)
    ridges = 0.025 * np.sin(v * rng.uniform(14, 22) + rng.uniform(0, 6.3))
    grain = rng.normal(0, 0.035, (size, size))
    tone = (1 + blotch + ridges + grain)[..., None]
    shell = colour * tone * shade[..., None] + 255 * gloss[..., None]

    # A split shell: a dark gap along the seam with the green kernel inside.
    if rng.random() < style.p_open:
        seam = rng.normal(0, 0.08)
        start = rng.uniform(-0.2, 0.3)
        gap_width = rng.uniform(0.09, 0.2) * np.clip((u - start) / (1 - start), 0, 1) ** 0.7
        distance = np.abs(v - seam)
        kernel = distance < gap_width
        rim = (distance < gap_width + 0.05) & ~kernel
        kernel_colour = _KERNEL_COLOUR * rng.uniform(0.8, 1.1) * (0.55 + 0.45 * shade[..., None])
        shell = np.where(kernel[..., None], kernel_colour, shell)
        shell = np.where(rim[..., None], shell * 0.45, shell)

    background = rng.normal(4, 2, (size, size, 1))
    image = inside[..., None] * shell + (1 - inside[..., None]) * background
    return np.clip(image, 0, 255).round().astype(np.uint8)
