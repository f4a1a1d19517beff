/*
 * sqlite_wal_index.c: whether anything was committed to a WAL database,
 * by this process or any other, since a moment, without a system call.
 *
 * In WAL mode every commit, from any connection of any process, publishes
 * itself by rewriting the WAL-index header at the start of the -shm file,
 * which SQLite maps shared: mxFrame (the last committed frame), iChange
 * and, when the WAL restarts, its salts.  A reader that begins a
 * transaction reads that header to choose its snapshot; nothing becomes
 * visible to new readers any other way.  So two equal readings of the
 * header mean no commit in between, and a read transaction begun after
 * the first one still sees the latest committed state after the second.
 *
 * The layout read here (two copies of a 48-byte header, the first field
 * the wal-index version 3007000) is the one SQLite has used since 3.7.0
 * and documents in its file format notes.  Anything else (another version,
 * the two copies differing because a commit is being published, no -shm
 * file) reads as "changed": the caller then begins a fresh transaction, as
 * it would without this file.
 *
 * The -shm file stays open as long as the mapping: closing any descriptor
 * of a file drops every POSIX lock the process holds on it, SQLite's
 * included (its read marks, and the lock that keeps another process from
 * truncating and rebuilding the file while it is mapped).  So the watch
 * is closed only after every SQLite connection of the store is.
 *
 * Thread-safety: a watch is read-only after wal_index_watch_open; any
 * thread may take a mark.
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/sqlite_wal_index.h"

#define WAL_INDEX_VERSION	3007000u
#define WAL_INDEX_HDR_SIZE	48
#define WAL_INDEX_MAP_SIZE	4096

bool
wal_index_watch_open(struct wal_index_watch *w, const char *db_path)
{
	struct stat	 sb;
	char		*path = NULL;
	void		*p = MAP_FAILED;
	int		 fd = -1;

	memset(w, 0, sizeof(*w));
	w->fd = -1;
	if (asprintf(&path, "%s-shm", db_path) < 0)
		return false;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	free(path);
	/* SQLite sizes the file before it maps it; a shorter one is not
	 * ready (reading past its end would fault). */
	if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    sb.st_size < WAL_INDEX_MAP_SIZE)
		goto out;
	p = mmap(NULL, WAL_INDEX_MAP_SIZE, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		goto out;
	w->header = p;
	w->fd = fd;		/* never closed while SQLite uses the file */
	fd = -1;
out:
	/* Only reached before SQLite opened the file, or when it is not
	 * in WAL mode (no -shm): a close here drops no lock of SQLite's.
	 * Keep the descriptor anyway when it was opened: the caller may
	 * already have connections. */
	if (fd >= 0)
		w->fd = fd;
	return w->header != NULL;
}

void
wal_index_watch_close(struct wal_index_watch *w)
{
	if (w->header != NULL)
		munmap((void *)w->header, WAL_INDEX_MAP_SIZE);
	if (w->fd >= 0)
		close(w->fd);
	memset(w, 0, sizeof(*w));
	w->fd = -1;
}

bool
wal_index_mark(const struct wal_index_watch *w, struct wal_index_mark *out)
{
	unsigned char	 first[WAL_INDEX_HDR_SIZE];
	unsigned char	 second[WAL_INDEX_HDR_SIZE];
	uint32_t	 version;

	if (w->header == NULL)
		return false;
	/* SQLite writes the second copy, then the first; it reads the
	 * first, then the second, and trusts them only when equal. */
	memcpy(first, (const void *)w->header, sizeof(first));
	atomic_thread_fence(memory_order_acquire);
	memcpy(second, (const void *)(w->header + WAL_INDEX_HDR_SIZE),
	    sizeof(second));
	memcpy(&version, first, sizeof(version));
	if (version != WAL_INDEX_VERSION ||
	    memcmp(first, second, sizeof(first)) != 0)
		return false;
	memcpy(out->bytes, first, sizeof(out->bytes));
	return true;
}

bool
wal_index_mark_equal(const struct wal_index_mark *a,
    const struct wal_index_mark *b)
{
	return memcmp(a->bytes, b->bytes, sizeof(a->bytes)) == 0;
}
