// SQLite's C API (libsqlite3-dev) for the Storage module's SQLite engine.
#pragma once
#include <sqlite3.h>
