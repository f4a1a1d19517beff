/*
 * store_sqlite_internal.h: what the SQLite backend's files share.
 * store_sqlite.c owns connections, their prepared statements, the schema
 * and the error mapping; store_sqlite_iam.c (the IAM tables) reaches them
 * only through the functions below.
 */
#ifndef SESAME_STORE_SQLITE_INTERNAL_H
#define SESAME_STORE_SQLITE_INTERNAL_H

#include <sqlite3.h>

#include "store/store.h"

/* Statement slots a connection keeps for store_sqlite_iam.c. */
#define STORE_SQLITE_EXTRA_STMTS	64

/* The statement in slot (< STORE_SQLITE_EXTRA_STMTS) of the transaction's
 * connection, prepared from sql on first use and kept for the connection's
 * life; a slot always holds the same SQL text.  STATUS_IO when the
 * transaction was already rolled back after an error. */
enum status	 store_sqlite_statement(void *txn, unsigned slot,
		    const char *sql, sqlite3_stmt **out);
/* The status of a failed sqlite call (unique and primary key conflicts:
 * STATUS_EXISTS; foreign keys: STATUS_NOT_FOUND); anything else is logged
 * here, once. */
enum status	 store_sqlite_status(void *txn, int rc, const char *what);
/* Make several statements all or nothing: begin, then end with the
 * outcome (a failure undoes everything since begin). */
enum status	 store_sqlite_savepoint_begin(void *txn);
enum status	 store_sqlite_savepoint_end(void *txn, enum status st);

#endif
