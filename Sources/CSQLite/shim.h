#include <sqlite3.h>

/// `sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, bytes)`: how large a statement journal (the undo record of a
/// savepoint) grows in memory before it spills to a temporary file. `sqlite3_config` is variadic, which Swift cannot
/// call; it must run before SQLite is initialized (before the first connection opens).
static inline int csqlite_config_statement_journal_spill(int bytes) {
    return sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, bytes);
}
