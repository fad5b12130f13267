// The Argon2 reference library (libargon2-dev): argon2id hashing and PHC-string verification.
#pragma once
#include <argon2.h>
