/*
 * fuzz_sigv4_authorization.c: the SigV4 Authorization header parser
 * (sigv4_parse_authorization in src/common/sigv4.c), which sees the raw
 * header of every request before anything is authenticated.
 *
 * Properties beyond the sanitizers: an accepted header yields six
 * terminated fields inside the result's own storage, none holding a
 * separator; writing those fields back in the canonical form and parsing
 * again gives the same fields; an error message is always terminated.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/sigv4.h"
#include "fuzz_common.h"

static void
check_field(const struct sigv4_authorization *a, const char *field)
{
	FUZZ_CHECK(field != NULL);
	FUZZ_CHECK(field >= a->storage &&
	    field < a->storage + sizeof(a->storage));
	FUZZ_CHECK(memchr(field, '\0', (size_t)(a->storage +
	    sizeof(a->storage) - field)) != NULL);
	FUZZ_CHECK(strpbrk(field, ", \t\r\n\v\f") == NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sigv4_authorization a, b;
	struct error	 err;
	char		*header = fuzz_strndup(data, size), *again = NULL;
	enum status	 st;

	memset(&err, 0, sizeof(err));
	st = sigv4_parse_authorization(header, &a, &err);
	FUZZ_CHECK_ERROR(&err);
	if (st != STATUS_OK) {
		FUZZ_CHECK(st == STATUS_MISSING_AUTH ||
		    st == STATUS_INCOMPLETE_SIGNATURE ||
		    st == STATUS_INVALID_SIGNATURE);
		FUZZ_CHECK(err.status == st);
		goto out;
	}
	check_field(&a, a.access_key_id);
	check_field(&a, a.date);
	check_field(&a, a.region);
	check_field(&a, a.service);
	check_field(&a, a.signed_headers);
	check_field(&a, a.signature);
	FUZZ_CHECK(strchr(a.access_key_id, '/') == NULL);
	FUZZ_CHECK(strchr(a.service, '/') == NULL);
	FUZZ_CHECK(a.signature[0] != '\0');

	if (asprintf(&again, SIGV4_ALGORITHM " Credential=%s/%s/%s/%s/"
	    "aws4_request, SignedHeaders=%s, Signature=%s", a.access_key_id,
	    a.date, a.region, a.service, a.signed_headers, a.signature) < 0)
		abort();
	st = sigv4_parse_authorization(again, &b, &err);
	FUZZ_CHECK(st == STATUS_OK);
	FUZZ_CHECK(strcmp(a.access_key_id, b.access_key_id) == 0);
	FUZZ_CHECK(strcmp(a.date, b.date) == 0);
	FUZZ_CHECK(strcmp(a.region, b.region) == 0);
	FUZZ_CHECK(strcmp(a.service, b.service) == 0);
	FUZZ_CHECK(strcmp(a.signed_headers, b.signed_headers) == 0);
	FUZZ_CHECK(strcmp(a.signature, b.signature) == 0);
out:
	free(again);
	free(header);
	return 0;
}
