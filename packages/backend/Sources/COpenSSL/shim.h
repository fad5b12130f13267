// OpenSSL (Debian's libssl-dev): TLS for SMTP, HMAC-SHA256, digests, RAND_bytes, CRYPTO_memcmp.
#pragma once
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
