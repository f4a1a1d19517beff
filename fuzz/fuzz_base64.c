/*
 * fuzz_base64.c: the strict base64 decoder (base64_decode_secret in
 * src/crypto/encoding.c) that reads every SecretBinary, and its encoder.
 *
 * Properties beyond the sanitizers: whatever decodes re-encodes to exactly
 * the input (one accepted encoding per value: no whitespace, no missing
 * or extra padding, no stray low bits); the decoded length is 3/4 of the
 * input less the padding; any bytes encode and decode back to themselves.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "fuzz_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct secret_buf *plain = NULL, *back = NULL;
	char		*encoded = NULL;
	enum status	 st;

	st = base64_decode_secret((const char *)data, size, &plain);
	if (st == STATUS_OK) {
		FUZZ_CHECK(size % 4 == 0);
		FUZZ_CHECK(plain->len <= size / 4 * 3);
		FUZZ_CHECK(plain->len + 2 >= size / 4 * 3);
		FUZZ_CHECK(plain->data[plain->len] == '\0');
		FUZZ_CHECK(base64_encode(plain->data, plain->len, &encoded) ==
		    STATUS_OK);
		FUZZ_CHECK(strlen(encoded) == size);
		FUZZ_CHECK(memcmp(encoded, data, size) == 0);
		free(encoded);
		encoded = NULL;
	} else
		FUZZ_CHECK(st == STATUS_INVALID_PARAMETER);

	FUZZ_CHECK(base64_encode(data, size, &encoded) == STATUS_OK);
	FUZZ_CHECK(strlen(encoded) == (size + 2) / 3 * 4);
	FUZZ_CHECK(base64_decode_secret(encoded, strlen(encoded), &back) ==
	    STATUS_OK);
	FUZZ_CHECK(back->len == size);
	FUZZ_CHECK(size == 0 || memcmp(back->data, data, size) == 0);

	free(encoded);
	secret_buf_free(plain);
	secret_buf_free(back);
	return 0;
}
