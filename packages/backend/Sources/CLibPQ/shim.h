// PostgreSQL's client library (libpq-dev) for the StoragePostgres engine.
#pragma once
#include <libpq-fe.h>
