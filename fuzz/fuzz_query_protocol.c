/*
 * fuzz_query_protocol.c: the AWS Query form decoder
 * (src/protocol/query_protocol.c), which turns every IAM and STS request
 * body into the JSON object the operations read.
 *
 * Properties beyond the sanitizers: a decoded body is a JSON object that
 * serialises; a refused one is a SerializationException with a message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/protocol.h"
#include "fuzz_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct error	 err;
	json_t		*out = NULL;
	char		*text;

	memset(&err, 0, sizeof(err));
	if (query_protocol_parse(data, size, &out, &err) != STATUS_OK) {
		FUZZ_CHECK(out == NULL);
		FUZZ_CHECK(err.status == STATUS_SERIALIZATION ||
		    err.status == STATUS_NO_MEMORY || err.status == STATUS_OK);
		return 0;
	}
	FUZZ_CHECK(json_is_object(out));
	text = json_dumps(out, JSON_COMPACT);
	FUZZ_CHECK(text != NULL);
	free(text);
	json_decref(out);
	return 0;
}
