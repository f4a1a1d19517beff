/*
 * store_sqlite_internal.h: what the SQLite backend's files share.
 * store_sqlite.c owns connections, their prepared statements, the schema
 * and the error mapping; store_sqlite_iam.c (the IAM tables) reaches them
 * only through the functions below.
 */
#ifndef SESAME_STORE_SQLITE_INTERNAL_H
#define SESAME_STORE_SQLITE_INTERNAL_H

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- binding and reading values, the same in every file ---- */

/* Binders chain: each passes an earlier failure through untouched. */
static inline int
bind_text(sqlite3_stmt *s, int i, const char *v, int rc)
{
	if (rc != SQLITE_OK)
		return rc;
	if (v == NULL)
		return sqlite3_bind_null(s, i);
	return sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

static inline int
bind_int64(sqlite3_stmt *s, int i, int64_t v, int rc)
{
	if (rc != SQLITE_OK)
		return rc;
	return sqlite3_bind_int64(s, i, v);
}

/* Never binds NULL: an empty blob is stored as an empty blob. */
static inline int
bind_blob(sqlite3_stmt *s, int i, const unsigned char *v, size_t len, int rc)
{
	if (rc != SQLITE_OK)
		return rc;
	return sqlite3_bind_blob64(s, i, v != NULL ? (const void *)v : "",
	    v != NULL ? len : 0, SQLITE_STATIC);
}

/* A copy of a text column; NULL for SQL NULL. */
static inline enum status
column_text(sqlite3_stmt *s, int col, char **out)
{
	const unsigned char *text;
	char		*copy = NULL;

	if (sqlite3_column_type(s, col) != SQLITE_NULL) {
		if ((text = sqlite3_column_text(s, col)) == NULL ||
		    (copy = strdup((const char *)text)) == NULL)
			return STATUS_NO_MEMORY;
	}
	*out = copy;
	return STATUS_OK;
}

/* A present blob is always a non-NULL pointer, even when empty. */
static inline enum status
column_blob(sqlite3_stmt *s, int col, unsigned char **out, size_t *len)
{
	const void	*blob;
	unsigned char	*copy = NULL;
	int		 n = 0;

	if (sqlite3_column_type(s, col) != SQLITE_NULL) {
		blob = sqlite3_column_blob(s, col);
		n = sqlite3_column_bytes(s, col);
		if ((blob == NULL && n > 0) ||
		    (copy = malloc(n > 0 ? (size_t)n : 1)) == NULL)
			return STATUS_NO_MEMORY;
		if (n > 0)
			memcpy(copy, blob, (size_t)n);
	}
	*out = copy;
	*len = (size_t)n;
	return STATUS_OK;
}

#endif
