/*
 * json_write.h: compact JSON text of a jansson value, byte for byte what
 * jansson 2.14's json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY |
 * JSON_REAL_PRECISION(precision)) writes, without its per-byte callbacks.
 *
 * Responses carry secret values, so the text is built in memory that is
 * wiped before it is given back to the allocator: the buffer grows by
 * copy-and-wipe, never realloc.  Pure functions, thread-safe.
 */
#ifndef SESAME_JSON_WRITE_H
#define SESAME_JSON_WRITE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/*
 * Deeper than any parsed request (protocol.h's JSON_MAX_DEPTH) or any
 * response the API builds; reaching it means a cycle or a bug.
 */
#define JSON_WRITE_DEPTH_MAX	64

/*
 * value as compact JSON in a malloc'd, NUL-terminated string (its length
 * in *len_out when len_out is not NULL); the caller wipes and frees it.
 * precision is jansson's JSON_REAL_PRECISION: 1 to 31 significant digits
 * for reals, 0 for its default of 17.  NULL when out of memory, for a
 * string or key that is not valid UTF-8 (json_dumps refuses those too),
 * for a non-finite real, or beyond JSON_WRITE_DEPTH_MAX.
 */
char	*json_write_compact(const json_t *value, int precision,
	    size_t *len_out);

/*
 * The same text appended to a buffer of the caller's, with what else it
 * writes (the audit record is one).  Start from all zeros.  A failure
 * (out of memory, or json_text_value's refusals above) sticks:
 * json_text_finish then wipes and frees the buffer and returns NULL.
 */
struct json_text {
	char	*data;
	size_t	 len;
	size_t	 cap;		/* always > len once data is set: room for NUL */
	bool	 is_failed;
};

/* Room for n more bytes (and the terminator); false once failed. */
bool	 json_text_reserve(struct json_text *t, size_t n);
void	 json_text_put(struct json_text *t, const void *p, size_t n);
/* s as a JSON string; false, and nothing written, when s is not valid
 * UTF-8 (the buffer has not failed: the caller may write something else). */
bool	 json_text_string(struct json_text *t, const char *s, size_t n);
void	 json_text_value(struct json_text *t, const json_t *value,
	    int precision);
/* The text, NUL-terminated and its length in *len_out, or NULL; t is reset. */
char	*json_text_finish(struct json_text *t, size_t *len_out);

#endif
