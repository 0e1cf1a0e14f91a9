"""Open data: the limits of reading a data package someone imports (`commitments.opendata.reading`).

A package larger than the upload limit is refused before it is read past the limit; a zip is
refused when its files together inflate past the unpacked limit, or one inflates more than the
ratio times its compressed size (CSV text shrinks five- to twentyfold; a bomb, a thousandfold).
"""

from pathlib import Path

from tracker.env import boolean, env, integer, positive_int

from .base import VAR_DIR

OPENDATA_IMPORT_MAX_UPLOAD_BYTES = positive_int(
    "OPENDATA_IMPORT_MAX_UPLOAD_BYTES", 20 * 1024 * 1024
)
OPENDATA_IMPORT_MAX_UNPACKED_BYTES = positive_int(
    "OPENDATA_IMPORT_MAX_UNPACKED_BYTES", 100 * 1024 * 1024
)
OPENDATA_IMPORT_MAX_RATIO = positive_int("OPENDATA_IMPORT_MAX_RATIO", 100)

# The published package (`commitments.opendata.packages`): built into OPENDATA_ROOT (a folder
# every web process and worker shares), rebuilt OPENDATA_REBUILD_DELAY seconds after a change
# (changes in that window share one build) and every OPENDATA_REBUILD_INTERVAL seconds by beat
# (catching edits no commitment announces, e.g. a source's title corrected in admin).
OPENDATA_ROOT = Path(env.str("OPENDATA_ROOT", default=str(VAR_DIR / "opendata")))
OPENDATA_REBUILD_ON_CHANGE = boolean("OPENDATA_REBUILD_ON_CHANGE", True)
OPENDATA_REBUILD_DELAY = integer("OPENDATA_REBUILD_DELAY", 60, minimum=0)
OPENDATA_REBUILD_INTERVAL = positive_int("OPENDATA_REBUILD_INTERVAL", 3600)
# Seconds a build may take before another may start (a crashed build's lock expires).
OPENDATA_BUILD_TIME_LIMIT = positive_int("OPENDATA_BUILD_TIME_LIMIT", 600)
