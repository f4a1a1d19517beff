/*
 * secret_buf.c: the buffer type that carries every plaintext value, key and
 * password in the process.
 *
 * Each buffer's bytes live in their own anonymous mapping, rounded up to whole
 * pages, so that mlock(2) and madvise(MADV_DONTDUMP) apply to exactly that
 * buffer and no unrelated heap data shares (or later inherits) its pages.
 * Invariants: data[len] == '\0' and len < cap, where cap is the size of the
 * mapping (it includes the room for the terminator); the mapping is wiped
 * with OPENSSL_cleanse before it is unmapped, on free and when append moves
 * the contents to a larger mapping.  Locking is best effort: a process over
 * RLIMIT_MEMLOCK or without the privilege still works, only unlocked.
 *
 * Thread-safety: distinct buffers may be used from any threads; one buffer
 * must not be used by two threads at once.
 */
#include <sys/mman.h>

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

struct secret_buf *
secret_buf_new(size_t cap)
{
	struct secret_buf *sb = NULL, *ret = NULL;
	size_t		 mapped_len = 0;

	if (cap == SIZE_MAX)
		goto out;
	if ((sb = calloc(1, sizeof(*sb))) == NULL)
		goto out;
	if ((sb->data = secret_buf_map(cap + 1, &mapped_len)) == NULL)
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
	secret_buf_unmap(sb->data, sb->cap);
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
		if ((grown = secret_buf_map(want, &grown_len)) == NULL)
			return STATUS_NO_MEMORY;
		/* data may point into the old block: copy both, then unmap. */
		memcpy(grown, sb->data, sb->len);
		memcpy(grown + sb->len, data, len);
		secret_buf_unmap(sb->data, sb->cap);
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
