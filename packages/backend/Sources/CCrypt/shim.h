// libxcrypt (libcrypt-dev): crypt_rn, which verifies bcrypt ($2a$/$2b$/$2y$) hashes.
#pragma once
#include <crypt.h>
