/*
 * fuzz_json_write.c: the response serialiser (src/common/json_write.c)
 * against jansson's own.
 *
 * Every answer is written by json_write_compact, which promises the very
 * bytes json_dumps writes.  The input is parsed as JSON (any value, NUL
 * allowed in strings, as requests are); the value is then written at the
 * precision responses use (13) and at jansson's default (audit, 0 = 17).
 * Property: byte-identical output and length, and refusing exactly when
 * jansson refuses.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/json_write.h"
#include "fuzz_common.h"

static void
compare(const json_t *v, int precision)
{
	size_t	 len = 0;
	char	*mine, *theirs;

	mine = json_write_compact(v, precision, &len);
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
