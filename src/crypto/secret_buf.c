/*
 * secret_buf.c: the buffer type that carries every plaintext value, key and
 * password in the process.
 *
 * Buffers' bytes live in a secret arena: anonymous mappings that are
 * mlock(2)ed and madvise(MADV_DONTDUMP)ed once, holding nothing but secret
 * buffers, carved into size classes (64 B to 16 KiB) kept on free lists.
 * Larger buffers get a mapping of their own.  Mapping per buffer would cost
 * four system calls per buffer on every request; the arena costs none after
 * warm-up and keeps the same guarantees: no unrelated heap data shares the
 * pages, they never reach a core dump, and every chunk is wiped with
 * OPENSSL_cleanse when it is released (on free, and when append moves the
 * contents to a larger chunk).  Arena memory is kept for reuse, never
 * returned to the system.
 * Invariants: data[len] == '\0' and len < cap, where cap is the chunk size
 * (it includes the room for the terminator).  Locking is best effort: a
 * process over RLIMIT_MEMLOCK or without the privilege still works, only
 * unlocked.
 *
 * Thread-safety: the arena's free lists are guarded by one mutex (held for
 * a list push or pop); distinct buffers may be used from any threads; one
 * buffer must not be used by two threads at once.
 */
#include <sys/mman.h>

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "crypto/crypto.h"

static size_t
secret_buf_page_size(void)
{
	long	 page = sysconf(_SC_PAGESIZE);

	if (page <= 0)
		return 4096;
	return (size_t)page;
}

/* Map at least want bytes (want > 0); *mapped_len receives the true size. */
static unsigned char *
secret_buf_map(size_t want, size_t *mapped_len)
{
	size_t		 page = secret_buf_page_size();
	size_t		 len;
	void		*p;

	if (want > SIZE_MAX - (page - 1))
		return NULL;
	len = (want + page - 1) / page * page;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	/* Best effort: either failure leaves the memory just as usable. */
	(void)madvise(p, len, MADV_DONTDUMP);
	(void)mlock(p, len);
	*mapped_len = len;
	return p;
}

static void
secret_buf_unmap(unsigned char *p, size_t len)
{
	if (p == NULL)
		return;
	OPENSSL_cleanse(p, len);
	(void)munlock(p, len);
	(void)munmap(p, len);
}

/* ---- the arena ---- */

#define ARENA_SLAB_BYTES	(16 * 1024)

static const size_t arena_classes[] = { 64, 256, 1024, 4096, 16384 };
#define ARENA_CLASS_COUNT	(sizeof(arena_classes) / sizeof(arena_classes[0]))

struct arena_chunk {
	struct arena_chunk	*next;
};

static struct {
	pthread_mutex_t		 lock;
	struct arena_chunk	*free[ARENA_CLASS_COUNT];
} arena = { .lock = PTHREAD_MUTEX_INITIALIZER };

static int
arena_class(size_t want)
{
	for (size_t i = 0; i < ARENA_CLASS_COUNT; i++)
		if (want <= arena_classes[i])
			return (int)i;
	return -1;
}

/* A chunk of at least want bytes; *cap receives its size. */
static unsigned char *
arena_alloc(size_t want, size_t *cap)
{
	struct arena_chunk	*chunk;
	unsigned char		*slab;
	size_t			 slab_len, size;
	int			 c = arena_class(want);

	if (c < 0)
		return secret_buf_map(want, cap);
	size = arena_classes[c];
	pthread_mutex_lock(&arena.lock);
	if (arena.free[c] == NULL) {
		if ((slab = secret_buf_map(ARENA_SLAB_BYTES, &slab_len)) == NULL) {
			pthread_mutex_unlock(&arena.lock);
			return NULL;
		}
		for (size_t off = 0; off + size <= slab_len; off += size) {
			chunk = (struct arena_chunk *)(void *)(slab + off);
			chunk->next = arena.free[c];
			arena.free[c] = chunk;
		}
	}
	chunk = arena.free[c];
	arena.free[c] = chunk->next;
	pthread_mutex_unlock(&arena.lock);
	chunk->next = NULL;
	*cap = size;
	return (unsigned char *)chunk;
}

static void
arena_release(unsigned char *p, size_t cap)
{
	struct arena_chunk	*chunk = (struct arena_chunk *)(void *)p;
	int			 c = arena_class(cap);

	if (p == NULL)
		return;
	if (c < 0 || arena_classes[c] != cap) {
		secret_buf_unmap(p, cap);
		return;
	}
	OPENSSL_cleanse(p, cap);
	pthread_mutex_lock(&arena.lock);
	chunk->next = arena.free[c];
	arena.free[c] = chunk;
	pthread_mutex_unlock(&arena.lock);
}

/* ---- buffers ---- */

struct secret_buf *
secret_buf_new(size_t cap)
{
	struct secret_buf *sb = NULL, *ret = NULL;
	size_t		 mapped_len = 0;

	if (cap == SIZE_MAX)
		goto out;
	if ((sb = calloc(1, sizeof(*sb))) == NULL)
		goto out;
	if ((sb->data = arena_alloc(cap + 1, &mapped_len)) == NULL)
		goto out;
	sb->cap = mapped_len;
	sb->len = 0;
	sb->data[0] = '\0';
	ret = sb;
	sb = NULL;
out:
	secret_buf_free(sb);
	return ret;
}

struct secret_buf *
secret_buf_from(const void *data, size_t len)
{
	struct secret_buf *sb = NULL, *ret = NULL;

	if (data == NULL && len > 0)
		goto out;
	if ((sb = secret_buf_new(len)) == NULL)
		goto out;
	if (len > 0)
		memcpy(sb->data, data, len);
	sb->len = len;
	sb->data[len] = '\0';
	ret = sb;
	sb = NULL;
out:
	secret_buf_free(sb);
	return ret;
}

void
secret_buf_free(struct secret_buf *sb)
{
	if (sb == NULL)
		return;
	arena_release(sb->data, sb->cap);
	free(sb);
}

enum status
secret_buf_append(struct secret_buf *sb, const void *data, size_t len)
{
	unsigned char	*grown = NULL;
	size_t		 grown_len = 0, need, want;

	if (sb == NULL || (data == NULL && len > 0))
		return STATUS_INTERNAL;
	if (len == 0)
		return STATUS_OK;
	if (len > SIZE_MAX - 1 - sb->len)
		return STATUS_NO_MEMORY;
	need = sb->len + len + 1;
	if (need > sb->cap) {
		want = sb->cap <= SIZE_MAX / 2 ? sb->cap * 2 : need;
		if (want < need)
			want = need;
		if ((grown = arena_alloc(want, &grown_len)) == NULL)
			return STATUS_NO_MEMORY;
		/* data may point into the old block: copy both, then release. */
		memcpy(grown, sb->data, sb->len);
		memcpy(grown + sb->len, data, len);
		arena_release(sb->data, sb->cap);
		sb->data = grown;
		sb->cap = grown_len;
	} else
		memmove(sb->data + sb->len, data, len);
	sb->len += len;
	sb->data[sb->len] = '\0';
	return STATUS_OK;
}

bool
secret_buf_equal(const struct secret_buf *a, const struct secret_buf *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	if (a->len != b->len)
		return false;
	if (a->len == 0)
		return true;
	return CRYPTO_memcmp(a->data, b->data, a->len) == 0;
}
