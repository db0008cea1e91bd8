"""Every tunable and limit of ``brochure`` in one place, a line each on what it does.

Stages import what they use from here; nothing else sets them. Sizes are in the units named.
"""

# Input: data from many hands is bounded, so a mistake or an attack is refused with a clear
# message instead of exhausting memory.
MAX_FILE_BYTES = 10 * 1024 * 1024  # a data file or spreadsheet, as stored
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # an .xlsx unpacked (it is a zip of XML)
MAX_TEXT_CHARACTERS = 10_000  # one text field
MAX_INSTITUTIONS = 20_000  # per data file: far beyond a city, still bounded in memory
MAX_URL_LENGTH = 200  # a printed QR code at 28 mm stays easy to scan up to about this many bytes
DEFAULT_COUNTRY = "KR"  # phone numbers without +country are read in the city's country, or this
MAX_PICTURE_BYTES = 50 * 1024 * 1024  # a picture file, as stored
# A picture's pixels: a 6000 x 4000 photo is 24; at 50 a worker decoding one holds 200 MB at most.
MAX_PICTURE_PIXELS = 50_000_000
APART_BYTES = 1024 * 1024  # a build reads larger data (with its spreadsheet) in a child process

# The pool of worker processes that make outputs.
RECORDS_PER_WORKER = 4  # records laid out: below this, starting a process costs more than it saves
RECYCLE_AFTER = 1000  # jobs per worker process: memory is flat (measured), this is a safeguard
IMAGES_KEPT = 64  # images (and their encoded forms) a worker keeps from one output for the next

# Layout.
OVERFLOW_PX = 1  # text this far past a page's edge is rounding, not overflow (CSS pixels)

# QR codes.
QUIET_ZONE = 4  # modules of white drawn around every code, as ISO/IEC 18004 asks
QR_MIN_MM = 20  # the smallest printed code phones read from arm's length
QR_DPI = 150  # preflight draws pages at this resolution to decode codes (20 mm codes read)
QR_BLACK = 16  # grey levels above the darkest: as dark as a code's modules, not its background
QR_MIN_CONTRAST = 0.7  # symbol contrast of grade A in ISO/IEC 15415

# The festival.
POSTER_HIGHLIGHTS = 5  # events a poster shows: the highlights, or the first ones

# Printing.
BLEED_MM = 3  # what print shops ask for; the press stylesheet sets the same on @page
OFFICE_MARGIN_MM = 8  # unprinted edge of an office sheet, which holds the cut marks
OFFICE_GUTTER_MM = 6  # between copies on an office sheet
N_UP_MIN_SCALE = 0.85  # copies on an office sheet shrink this far at most to fit one more
CROP_MARK_OFFSET_MM = 2  # between the bleed and a crop mark
CROP_MARK_LENGTH_MM = 5  # of a crop mark
CUT_MARK_GAP_MM = 1.5  # between a copy and its cut marks, so that a mark never touches the print
CUT_MARK_LENGTH_MM = 5  # of a cut mark at most; the marks stop at the sheet's edge
MEDIA_ROOM_MM = 1  # paper beyond the end of the crop marks
TUCKED_NARROWER_MM = 2  # a roll-folded leaflet's tucked panel is at least this much narrower
FOLD_GUIDE_MM = (3, 7)  # an office leaflet's fold guides: this far into the sheet from its edges
FOLD_GUIDE_GREY = 0.6  # their grey (0 black, 1 white): faint, to fold by, not to be seen
MIN_IMAGE_DPI = 300  # effective resolution a print shop expects of photos
MIN_IMAGE_DPI_STRICT = 150  # below it a press picture is an error under --strict, not a warning

# Pictures (render/pictures.py, finish/downsampling.py).
PICTURE_MAX_MM = 216  # the largest a page shows a picture: an A5 page's height with its bleed
PICTURE_MAX_PPI = 300  # pictures are scaled down to this at PICTURE_MAX_MM before layout
SCREEN_PPI = 200  # screen files: pictures scaled down to this at the size they are placed
OFFICE_PPI = 300  # office files: the same, for a laser printer's 600 dpi
PRESS_PPI = 450  # press files: the same; print shops' RIPs scale anything sharper down to it
PICTURE_JPEG_QUALITY = 85  # photos written again without metadata; 85 shows no artefacts
PICTURE_ART_JPEG_QUALITY = 95  # a PNG drawing in CMYK for the press: a PDF holds CMYK as JPEG only
SCREEN_FLYER_BYTES = 250 * 1024  # a screen flyer with one photo stays under this (tested)
BOX_TOLERANCE_MM = 0.2  # rounding in page boxes
PAGES_KEPT = 16  # preflight loads this many pages once for all checks; more, one at a time

# The live preview.
HOST = "127.0.0.1"  # a preview is for the person at this machine, never for the network
POLL_MS = 1000  # how often an open page asks whether a file changed

# Page previews (brochure preview).
THUMBNAIL_HEIGHT = 240  # pixels: an A5 page stays readable as a layout
CONTACT_SHEET_COLUMNS = 8  # pages a row on the contact sheet
MANIFEST = "manifest.json"  # in the output folder: what it holds, written last
