// zlib for the gzip middleware (Debian's zlib1g-dev).
#include <zlib.h>
