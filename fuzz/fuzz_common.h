/*
 * fuzz_common.h: helpers shared by the libFuzzer targets in fuzz/.
 *
 * Every target is one file fuzz/fuzz_<name>.c defining
 * LLVMFuzzerTestOneInput; mk/fuzz.mk builds it with clang's
 * -fsanitize=fuzzer,address,undefined against the library sources compiled
 * for fuzzing.  Besides the sanitizers (memory errors, leaks, undefined
 * behaviour), targets check properties with FUZZ_CHECK, which aborts with
 * the failed condition so libFuzzer saves the input as a crash.
 *
 * The reader splits one fuzz input into several fields without ever
 * reading past its end; every string it hands out is a fresh,
 * NUL-terminated heap copy (freed by fuzz_reader_free), so ASan sees an
 * overrun of any of them.
 */
#ifndef SESAME_FUZZ_COMMON_H
#define SESAME_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: property failed: %s\n",		\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

#define FUZZ_MAX_STRINGS	128

struct fuzz_reader {
	const uint8_t	*data;
	size_t		 size;
	size_t		 pos;
	char		*strings[FUZZ_MAX_STRINGS];
	size_t		 string_count;
};

static inline void
fuzz_reader_init(struct fuzz_reader *r, const uint8_t *data, size_t size)
{
	memset(r, 0, sizeof(*r));
	r->data = data;
	r->size = size;
}

static inline void
fuzz_reader_free(struct fuzz_reader *r)
{
	for (size_t i = 0; i < r->string_count; i++)
		free(r->strings[i]);
	r->string_count = 0;
}

static inline bool
fuzz_reader_done(const struct fuzz_reader *r)
{
	return r->pos >= r->size;
}

static inline uint8_t
fuzz_reader_byte(struct fuzz_reader *r)
{
	return r->pos < r->size ? r->data[r->pos++] : 0;
}

/* A heap copy of n bytes (NUL-terminated); NULL when out of slots. */
static inline char *
fuzz_reader_keep(struct fuzz_reader *r, const void *p, size_t n)
{
	char	*s;

	if (r->string_count >= FUZZ_MAX_STRINGS || (s = malloc(n + 1)) == NULL)
		return NULL;
	if (n > 0)
		memcpy(s, p, n);
	s[n] = '\0';
	r->strings[r->string_count++] = s;
	return s;
}

/*
 * The bytes up to the next delimiter (not included; consumed), or up to
 * the end.  Embedded NULs end the C string early, as they would when a
 * parser receives a C string.
 */
static inline char *
fuzz_reader_until(struct fuzz_reader *r, uint8_t delim)
{
	const uint8_t	*start = r->data + r->pos, *hit;
	size_t		 left = r->size - r->pos, n;

	hit = left > 0 ? memchr(start, delim, left) : NULL;
	n = hit != NULL ? (size_t)(hit - start) : left;
	r->pos += n + (hit != NULL ? 1 : 0);
	return fuzz_reader_keep(r, start, n);
}

/* Everything not read yet, as bytes (its length in *len) and a string. */
static inline char *
fuzz_reader_rest(struct fuzz_reader *r, size_t *len)
{
	const uint8_t	*start = r->data + r->pos;
	size_t		 n = r->size - r->pos;

	r->pos = r->size;
	if (len != NULL)
		*len = n;
	return fuzz_reader_keep(r, start, n);
}

/* A NUL-terminated heap copy of a whole input; the caller frees it. */
static inline char *
fuzz_strndup(const uint8_t *data, size_t size)
{
	char	*s = malloc(size + 1);

	if (s == NULL)
		abort();
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* An error message must always be a terminated string inside its buffer. */
#define FUZZ_CHECK_ERROR(err) \
	FUZZ_CHECK(memchr((err)->message, '\0', sizeof((err)->message)) != NULL)

#endif
