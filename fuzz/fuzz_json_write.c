/*
 * fuzz_json_write.c: the response serialiser (src/common/json_write.c)
 * against jansson's own.
 *
 * Every answer is written by json_write_compact, which promises the very
 * bytes json_dumps writes.  The input is parsed as JSON (any value, NUL
 * allowed in strings, as requests are); the value is then written at the
 * precision responses use (13) and at jansson's default (audit, 0 = 17).
 * Property: byte-identical output and length, and refusing exactly when
 * jansson refuses; beyond JSON_WRITE_DEPTH_MAX levels (jansson writes any
 * depth; requests are refused past JSON_MAX_DEPTH, 32) it always refuses.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/json_write.h"
#include "fuzz_common.h"

/* Levels of containers: a scalar is 1, [] and {} are 1, [[]] is 2. */
static size_t
depth_of(const json_t *v)
{
	const char	*key;
	json_t		*item;
	size_t		 i, d = 0, sub;

	if (json_is_array(v)) {
		json_array_foreach(v, i, item)
			if ((sub = depth_of(item)) > d)
				d = sub;
	} else if (json_is_object(v)) {
		json_object_foreach((json_t *)v, key, item)
			if ((sub = depth_of(item)) > d)
				d = sub;
	}
	return d + 1;
}

static void
compare(const json_t *v, int precision)
{
	size_t	 len = 0;
	char	*mine, *theirs;

	mine = json_write_compact(v, precision, &len);
	if (depth_of(v) > JSON_WRITE_DEPTH_MAX) {
		FUZZ_CHECK(mine == NULL);
		return;
	}
	theirs = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY |
	    JSON_REAL_PRECISION(precision));
	FUZZ_CHECK((mine == NULL) == (theirs == NULL));
	if (mine != NULL) {
		FUZZ_CHECK(len == strlen(theirs));
		FUZZ_CHECK(memcmp(mine, theirs, len) == 0);
	}
	free(mine);
	free(theirs);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t	 jerr;
	json_t		*v;

	v = json_loadb((const char *)data, size, JSON_DECODE_ANY |
	    JSON_ALLOW_NUL, &jerr);
	if (v == NULL)
		return 0;
	compare(v, 13);
	compare(v, 0);
	json_decref(v);
	return 0;
}
