"""Synthetic wound photos with a known truth: for tests, the accuracy benchmark and the demo.

A flat scene (centimetres) holds skin of a chosen tone with mild texture and shading, a wound
(an ellipse or an irregular smooth outline) and the printed marker on its white label. A
pinhole camera looks at it from a chosen tilt; the plane is rendered at high resolution and
warped into the photo with 2x supersampling, then blur, sensor noise, exposure, a colour cast
and JPEG compression are applied. The true outline, its area and its longest diameter are known
exactly (from the polygon that was drawn).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np

from woundcare.imaging.marker import CELLS, QUIET_ZONE_CELLS, cell_pattern
from woundcare.imaging.measure import length_and_width, shoelace_area

PLANE_PX_PER_CM = 80  # resolution of the rendered plane

# Skin tones (RGB) from very light to very dark.
SKIN_TONES: tuple[tuple[int, int, int], ...] = (
    (241, 212, 190), (224, 180, 150), (198, 145, 110), (160, 110, 80), (118, 78, 55),
    (80, 52, 38),
)


@dataclass(frozen=True)
class Scene:
    outline_cm: np.ndarray  # N x 2, the true wound outline on the plane
    marker_corners_cm: np.ndarray  # 4 x 2: marker top-left, top-right, bottom-right, bottom-left
    marker_size_cm: float
    skin_rgb: tuple[int, int, int]
    extent_cm: tuple[float, float, float, float]  # x0, y0, x1, y1 of the region to render

    @property
    def area_cm2(self) -> float:
        return shoelace_area(self.outline_cm)

    @property
    def length_width_cm(self) -> tuple[float, float]:
        length, width, _, _ = length_and_width(self.outline_cm)
        return length, width


@dataclass(frozen=True)
class Camera:
    width: int = 1600
    height: int = 1200
    focal_px: float = 1900.0
    tilt_deg: float = 0.0
    azimuth_deg: float = 0.0  # direction of the tilt within the plane
    roll_deg: float = 0.0
    px_per_cm: float = 50.0  # scale at the scene's centre when seen straight on


@dataclass(frozen=True)
class Degradation:
    blur_sigma_px: float = 0.0
    noise_sigma: float = 0.0
    exposure: float = 1.0  # multiplies the light
    cast_rgb: tuple[float, float, float] = (1.0, 1.0, 1.0)
    jpeg_quality: int | None = 92


@dataclass(frozen=True)
class Photo:
    bgr: np.ndarray
    plane_to_image: np.ndarray  # 3 x 3, cm -> photo pixels
    scene: Scene
    extras: dict[str, float] = field(default_factory=dict)

    def project(self, points_cm: np.ndarray) -> np.ndarray:
        out = cv2.perspectiveTransform(points_cm.reshape(-1, 1, 2).astype(np.float64),
                                       self.plane_to_image)
        return np.asarray(out.reshape(-1, 2), dtype=np.float64)

    def jpeg(self, quality: int = 92) -> bytes:
        ok, data = cv2.imencode(".jpg", self.bgr, [cv2.IMWRITE_JPEG_QUALITY, quality])
        if not ok:  # pragma: no cover
            raise RuntimeError("JPEG encoding failed")
        return bytes(data.tobytes())


def ellipse_outline(area_cm2: float, aspect: float, angle_deg: float,
                    centre: tuple[float, float], n: int = 720) -> np.ndarray:
    b = math.sqrt(area_cm2 / (math.pi * aspect))
    a = aspect * b
    t = np.linspace(0, 2 * math.pi, n, endpoint=False)
    pts = np.column_stack([a * np.cos(t), b * np.sin(t)])
    return _place(pts, angle_deg, centre)


def irregular_outline(area_cm2: float, rng: np.random.Generator,
                      centre: tuple[float, float], n: int = 720) -> np.ndarray:
    """A smooth, star-shaped irregular outline scaled to exactly ``area_cm2``."""
    t = np.linspace(0, 2 * math.pi, n, endpoint=False)
    radius = np.ones_like(t)
    for k in range(2, 7):
        radius += rng.uniform(0.02, 0.16) / (k - 1) ** 0.5 * np.cos(k * t + rng.uniform(0, 6.3))
    stretch = rng.uniform(1.0, 1.8)
    pts = np.column_stack([stretch * radius * np.cos(t), radius * np.sin(t)])
    pts *= math.sqrt(area_cm2 / shoelace_area(pts))
    return _place(pts, rng.uniform(0, 180), centre)


def _place(pts: np.ndarray, angle_deg: float, centre: tuple[float, float]) -> np.ndarray:
    c, s = math.cos(math.radians(angle_deg)), math.sin(math.radians(angle_deg))
    rotated = pts @ np.array([[c, s], [-s, c]])
    return np.asarray(rotated + np.asarray(centre), dtype=np.float64)


def make_scene(outline_cm: np.ndarray, *, marker_size_cm: float = 2.0,
               marker_angle_deg: float = 0.0, gap_cm: float = 1.0, side: str = "right",
               skin_rgb: tuple[int, int, int] = SKIN_TONES[1]) -> Scene:
    """Place the marker beside the wound (``gap_cm`` from its bounding box)."""
    x0, y0 = outline_cm.min(axis=0)
    x1, y1 = outline_cm.max(axis=0)
    half = marker_size_cm / 2
    label = half * (1 + 2 * QUIET_ZONE_CELLS / CELLS) * math.sqrt(2)
    if side == "right":
        centre = (x1 + gap_cm + label, (y0 + y1) / 2)
    elif side == "left":
        centre = (x0 - gap_cm - label, (y0 + y1) / 2)
    else:
        centre = ((x0 + x1) / 2, y1 + gap_cm + label)
    square = np.array([[-half, -half], [half, -half], [half, half], [-half, half]])
    corners = _place(square, marker_angle_deg, centre)
    all_pts = np.vstack([outline_cm, corners])
    margin = 1.5 + 0.15 * float(np.ptp(all_pts, axis=0).max())
    lo = all_pts.min(axis=0) - margin
    hi = all_pts.max(axis=0) + margin
    return Scene(outline_cm=outline_cm, marker_corners_cm=corners,
                 marker_size_cm=marker_size_cm, skin_rgb=skin_rgb,
                 extent_cm=(float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1])))


_SUBROWS = 16


def coverage(poly_px: np.ndarray, shape: tuple[int, int]) -> tuple[np.ndarray, int, int]:
    """Exact-area anti-aliased coverage of a polygon (pixel centres at integers): an alpha
    block and its top-left (row, col). Scanline rasterising with ``_SUBROWS`` sub-rows per
    pixel and analytic coverage along each sub-row (OpenCV's ``fillPoly`` grows shapes by
    about half a pixel, which would bias the truth)."""
    height, width = shape
    u = poly_px[:, 0] + 0.5  # pixel i covers [i, i + 1] in u, v
    v = poly_px[:, 1] + 0.5
    c0 = max(0, int(np.floor(u.min())) - 1)
    c1 = min(width, int(np.ceil(u.max())) + 1)
    r0 = max(0, int(np.floor(v.min())) - 1)
    r1 = min(height, int(np.ceil(v.max())) + 1)
    u = u - c0
    v = (v - r0) * _SUBROWS - 0.5  # sub-row k is sampled at v == k
    pu, pv = u, v
    qu, qv = np.roll(u, -1), np.roll(v, -1)
    lo, hi = np.minimum(pv, qv), np.maximum(pv, qv)
    k_start = np.ceil(lo).astype(np.int64)
    k_stop = np.ceil(hi).astype(np.int64)  # half-open [lo, hi)
    count = np.maximum(k_stop - k_start, 0)
    edge = np.repeat(np.arange(len(u)), count)
    offsets = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    k = k_start[edge] + offsets
    t = (k - pv[edge]) / (qv[edge] - pv[edge])
    x = pu[edge] + t * (qu[edge] - pu[edge])
    order = np.lexsort((x, k))
    k, x = k[order], x[order]
    first = np.searchsorted(k, k, side="left")
    sign = np.where((np.arange(len(k)) - first) % 2 == 0, 1.0, -1.0)
    rows = (r1 - r0) * _SUBROWS
    cols = c1 - c0
    diff = np.zeros((rows, cols + 2), dtype=np.float64)
    valid = (k >= 0) & (k < rows)
    k, x, sign = k[valid], np.clip(x[valid], 0, cols), sign[valid]
    f = np.floor(x).astype(np.int64)
    np.add.at(diff, (k, f), sign * (f + 1 - x))
    np.add.at(diff, (k, f + 1), sign * (x - f))
    cov = np.cumsum(diff, axis=1)[:, :cols]
    alpha = cov.reshape(r1 - r0, _SUBROWS, cols).mean(axis=1)
    return np.clip(alpha, 0, 1).astype(np.float32), r0, c0


def _polys(img: np.ndarray, polys_cm: list[np.ndarray], origin: np.ndarray,
           colour: tuple[int, ...]) -> None:
    """Paint non-overlapping polygons in one colour (their coverages add up: no seams)."""
    alpha = np.zeros(img.shape[:2], dtype=np.float32)
    for pts_cm in polys_cm:
        px = (pts_cm - origin) * PLANE_PX_PER_CM - 0.5
        block, r0, c0 = coverage(px, img.shape[:2])
        h, w = block.shape
        alpha[r0:r0 + h, c0:c0 + w] += block
    ys, xs = np.nonzero(alpha)
    if len(ys) == 0:
        return
    r0, r1, c0, c1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    a = np.clip(alpha[r0:r1, c0:c1], 0, 1)[..., None]
    block_img = img[r0:r1, c0:c1].astype(np.float32)
    img[r0:r1, c0:c1] = np.clip(
        block_img * (1 - a) + np.array(colour, dtype=np.float32) * a + 0.5, 0, 255
    ).astype(np.uint8)


def render_plane(scene: Scene, rng: np.random.Generator,
                 extent_cm: tuple[float, float, float, float] | None = None
                 ) -> tuple[np.ndarray, np.ndarray]:
    """The scene as an RGB image at ``PLANE_PX_PER_CM``, and the cm -> plane-pixel matrix.

    Pixel centres are at integer coordinates, so plane point ``p`` (cm) is at pixel
    ``(p - origin) * PLANE_PX_PER_CM - 0.5``."""
    x0, y0, x1, y1 = extent_cm or scene.extent_cm
    origin = np.array([x0, y0])
    w = math.ceil((x1 - x0) * PLANE_PX_PER_CM)
    h = math.ceil((y1 - y0) * PLANE_PX_PER_CM)
    img = np.empty((h, w, 3), dtype=np.uint8)
    img[:] = scene.skin_rgb  # texture and shading are added in the photo (see photograph)
    # wound bed: red granulation with some yellow slough, darker rim
    wound_rgb = tuple(int(v) for v in rng.choice([[150, 40, 45], [175, 60, 55], [120, 30, 35]]))
    _polys(img, [scene.outline_cm], origin, wound_rgb)
    centre = scene.outline_cm.mean(axis=0)
    inner = centre + 0.45 * (scene.outline_cm - centre)
    _polys(img, [inner], origin, (200, 170, 90))
    # the marker's white label (quiet zone) and its black cells
    mc = scene.marker_corners_cm
    mcentre = mc.mean(axis=0)
    grow = 1 + 2 * QUIET_ZONE_CELLS / CELLS
    _polys(img, [mcentre + grow * (mc - mcentre)], origin, (236, 236, 233))
    u = (mc[1] - mc[0]) / CELLS
    v = (mc[3] - mc[0]) / CELLS
    pattern = cell_pattern()
    cells = []
    for row in range(CELLS):
        for col in range(CELLS):
            if pattern[row, col]:
                p = mc[0] + col * u + row * v
                cells.append(np.array([p, p + u, p + u + v, p + v]))
    _polys(img, cells, origin, (22, 22, 24))
    to_px = np.array([[PLANE_PX_PER_CM, 0, -x0 * PLANE_PX_PER_CM - 0.5],
                      [0, PLANE_PX_PER_CM, -y0 * PLANE_PX_PER_CM - 0.5], [0, 0, 1]])
    return img, to_px


def camera_homography(scene: Scene, camera: Camera) -> np.ndarray:
    """cm on the plane -> photo pixels, for a pinhole camera aimed at the scene's centre."""
    x0, y0, x1, y1 = scene.extent_cm
    target = np.array([(x0 + x1) / 2, (y0 + y1) / 2, 0.0])
    distance = camera.focal_px / camera.px_per_cm
    tilt, az = math.radians(camera.tilt_deg), math.radians(camera.azimuth_deg)
    view = np.array([math.sin(tilt) * math.cos(az), math.sin(tilt) * math.sin(az),
                     -math.cos(tilt)])  # from target to camera
    position = target + distance * view
    forward = -view
    up_hint = np.array([-math.sin(math.radians(camera.roll_deg)),
                        -math.cos(math.radians(camera.roll_deg)), 0.0])
    x_axis = np.cross(up_hint, forward)
    if np.linalg.norm(x_axis) < 1e-6:
        x_axis = np.array([1.0, 0.0, 0.0])
    x_axis /= np.linalg.norm(x_axis)
    y_axis = np.cross(forward, x_axis)
    rot = np.vstack([x_axis, y_axis, forward])
    t = -rot @ position
    k = np.array([[camera.focal_px, 0, (camera.width - 1) / 2],
                  [0, camera.focal_px, (camera.height - 1) / 2], [0, 0, 1]])
    h = k @ np.column_stack([rot[:, 0], rot[:, 1], t])
    return np.asarray(h / h[2, 2], dtype=np.float64)


def photograph(scene: Scene, camera: Camera, degradation: Degradation,
               rng: np.random.Generator) -> Photo:
    cm_to_image = camera_homography(scene, camera)
    plane, cm_to_plane_px = render_plane(scene, rng)
    # supersample x2: pixel centre mapping for a factor-2 grid
    ss = 2
    up = np.array([[ss, 0, (ss - 1) / 2], [0, ss, (ss - 1) / 2], [0, 0, 1]])
    warp = up @ cm_to_image @ np.linalg.inv(cm_to_plane_px)
    big = cv2.warpPerspective(plane, warp, (camera.width * ss, camera.height * ss),
                              flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                              borderValue=tuple(int(c) for c in scene.skin_rgb))
    rgb = cv2.resize(big, (camera.width, camera.height), interpolation=cv2.INTER_AREA)
    img = rgb.astype(np.float32)
    # light: exposure, colour cast and a gentle gradient across the frame
    xx = np.linspace(-0.5, 0.5, camera.width, dtype=np.float32)[None, :]
    yy = np.linspace(-0.5, 0.5, camera.height, dtype=np.float32)[:, None]
    gradient = 1 + 0.08 * xx + 0.05 * yy
    small = (camera.height // 16 + 1, camera.width // 16 + 1)
    blotches = np.asarray(cv2.GaussianBlur(rng.normal(0, 1, small).astype(np.float32), (0, 0),
                                           3), dtype=np.float32)
    blotches /= max(float(blotches.std()), 1e-6)
    low = np.asarray(cv2.resize(blotches, (camera.width, camera.height),
                                interpolation=cv2.INTER_LINEAR), dtype=np.float32)
    grain = np.asarray(cv2.GaussianBlur(
        rng.normal(0, 1, (camera.height, camera.width)).astype(np.float32), (0, 0), 1.2),
        dtype=np.float32)
    shade = gradient * (1 + 0.05 * low + 0.02 * grain / max(float(grain.std()), 1e-6))
    cast = np.array(degradation.cast_rgb, dtype=np.float32)
    img *= (degradation.exposure * shade)[..., None] * cast
    if degradation.blur_sigma_px > 0:
        img = np.asarray(cv2.GaussianBlur(img, (0, 0), degradation.blur_sigma_px),
                         dtype=np.float32)
    if degradation.noise_sigma > 0:
        img += np.asarray(rng.normal(0, degradation.noise_sigma, img.shape), dtype=np.float32)
    bgr = np.clip(img, 0, 255).astype(np.uint8)[..., ::-1].copy()
    if degradation.jpeg_quality is not None:
        _, data = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY,
                                             degradation.jpeg_quality])
        bgr = np.asarray(cv2.imdecode(data, cv2.IMREAD_COLOR), dtype=np.uint8)
    return Photo(bgr=bgr, plane_to_image=cm_to_image, scene=scene)


def traced_outline(photo: Photo, rng: np.random.Generator, *, spacing_px: float = 4.0,
                   jitter_px: float = 0.6) -> np.ndarray:
    """A clinician's tracing: the true outline projected into the photo, resampled every
    ``spacing_px`` along its length (a finger or pen drag), each point moved across the
    outline by smooth random jitter of about ``jitter_px`` (a steady hand, zoomed in)."""
    projected = photo.project(photo.scene.outline_cm)
    closed = np.vstack([projected, projected[:1]])
    seg = np.linalg.norm(np.diff(closed, axis=0), axis=1)
    cum = np.concatenate([[0], np.cumsum(seg)])
    n = max(24, int(cum[-1] / spacing_px))
    s = np.linspace(0, cum[-1], n, endpoint=False) + rng.uniform(0, cum[-1] / n)
    s %= cum[-1]
    xs = np.interp(s, cum, closed[:, 0])
    ys = np.interp(s, cum, closed[:, 1])
    pts = np.column_stack([xs, ys])
    tangent = np.roll(pts, -1, axis=0) - np.roll(pts, 1, axis=0)
    tangent /= np.maximum(np.linalg.norm(tangent, axis=1, keepdims=True), 1e-9)
    normal = np.column_stack([-tangent[:, 1], tangent[:, 0]])
    white = rng.normal(0, 1, n)
    kernel = np.exp(-0.5 * (np.arange(-6, 7) / 2.5) ** 2)
    smooth = np.convolve(np.concatenate([white[-6:], white, white[:6]]), kernel, "valid")
    smooth *= jitter_px / max(float(smooth.std()), 1e-9)
    return np.asarray(pts + normal * smooth[:, None], dtype=np.float64)


def synthetic_wound_photo(seed: int = 7, *, area_cm2: float = 6.0, tilt_deg: float = 20.0,
                          width: int = 1600, height: int = 1200) -> tuple[Photo, np.ndarray]:
    """One photo of an irregular wound beside the marker, and a clinician-like tracing."""
    rng = np.random.default_rng(seed)
    outline = irregular_outline(area_cm2, rng, (0.0, 0.0))
    scene = make_scene(outline, marker_angle_deg=rng.uniform(-20, 20), skin_rgb=SKIN_TONES[2])
    extent = max(scene.extent_cm[2] - scene.extent_cm[0], scene.extent_cm[3] - scene.extent_cm[1])
    camera = Camera(width=width, height=height, focal_px=1.2 * width, tilt_deg=tilt_deg,
                    azimuth_deg=rng.uniform(0, 360), px_per_cm=0.85 * min(width, height) / extent)
    photo = photograph(scene, camera, Degradation(blur_sigma_px=0.6, noise_sigma=2.0), rng)
    return photo, traced_outline(photo, rng)
