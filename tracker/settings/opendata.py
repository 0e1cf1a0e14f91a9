"""Open data: the limits of reading a data package someone imports (`commitments.opendata.reading`).

A package larger than the upload limit is refused before it is read past the limit; a zip is
refused when its files together inflate past the unpacked limit, or one inflates more than the
ratio times its compressed size (CSV text shrinks five- to twentyfold; a bomb, a thousandfold).
"""

from tracker.env import positive_int

OPENDATA_IMPORT_MAX_UPLOAD_BYTES = positive_int(
    "OPENDATA_IMPORT_MAX_UPLOAD_BYTES", 20 * 1024 * 1024
)
OPENDATA_IMPORT_MAX_UNPACKED_BYTES = positive_int(
    "OPENDATA_IMPORT_MAX_UNPACKED_BYTES", 100 * 1024 * 1024
)
OPENDATA_IMPORT_MAX_RATIO = positive_int("OPENDATA_IMPORT_MAX_RATIO", 100)
