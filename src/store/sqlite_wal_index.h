/*
 * sqlite_wal_index.h: noticing commits to a WAL database by reading its
 * WAL-index header (sqlite_wal_index.c).
 */
#ifndef SESAME_SQLITE_WAL_INDEX_H
#define SESAME_SQLITE_WAL_INDEX_H

#include <stdbool.h>
#include <stdint.h>

struct wal_index_watch {
	const volatile unsigned char *header;	/* the -shm file, mapped */
	int		 fd;			/* open while mapped; -1 */
};

/* The header as read at one moment. */
struct wal_index_mark {
	unsigned char	 bytes[48];
};

/* Map db_path's -shm file read-only; false when it cannot be (close
 * the watch all the same).  Close it only after every SQLite connection
 * to the file: closing the descriptor drops the process's POSIX locks
 * on the file, SQLite's too. */
bool		 wal_index_watch_open(struct wal_index_watch *w,
		    const char *db_path);
void		 wal_index_watch_close(struct wal_index_watch *w);
/* The current header; false when it cannot be trusted now (count that
 * as a change). */
bool		 wal_index_mark(const struct wal_index_watch *w,
		    struct wal_index_mark *out);
bool		 wal_index_mark_equal(const struct wal_index_mark *a,
		    const struct wal_index_mark *b);

#endif
