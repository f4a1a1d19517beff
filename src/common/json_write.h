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

#endif
