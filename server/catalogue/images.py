"""Uploaded pictures: recognised from their bytes, bounded, re-encoded to WebP in two sizes."""
from __future__ import annotations

import io
import warnings

import msgspec
from PIL import Image, ImageOps, UnidentifiedImageError

from domain.errors import Invalid

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 8000 x 5000 photo; more is refused before anything is decoded
SIZES = {"thumb": 320, "large": 1280}
FORMATS = ("JPEG", "PNG", "WEBP")


class Processed(msgspec.Struct, frozen=True):
    width: int
    height: int
    files: dict[str, bytes]  # size name -> WebP bytes


def _refused(detail: str) -> Invalid:
    return Invalid(detail, errors=[{"field": "photo", "message": detail}])


def process(data: bytes) -> Processed:
    """Re-encode an upload; anything but a sane JPEG, PNG or WebP raises Invalid. CPU-bound."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
            if image.width * image.height > MAX_PIXELS:
                raise _refused(f"the picture has more than {MAX_PIXELS // 1_000_000} million pixels")
            image.draft("RGB", (SIZES["large"], SIZES["large"]))  # JPEG decodes at a smaller scale
            image = ImageOps.exif_transpose(image)
            image.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refused("the file is not a JPEG, PNG or WebP picture") from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise _refused("the picture is damaged or truncated") from None
    image = image.convert("RGBA" if _has_alpha(image) else "RGB")
    return Processed(width=image.width, height=image.height,
                     files={name: _webp(image, edge) for name, edge in SIZES.items()})


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)


def _webp(image: Image.Image, edge: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((edge, edge), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, format="WEBP", quality=82, method=4)
    return out.getvalue()
