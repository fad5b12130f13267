// Header-only: see include/CLinuxShims.h.
#include "CLinuxShims.h"
