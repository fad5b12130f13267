// OpenSSL (libssl-dev): HMAC-SHA256, RAND_bytes, CRYPTO_memcmp, and TLS for SMTP.
#pragma once
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
