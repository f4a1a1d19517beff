/*
 * fuzz_sigv4_request.c: SigV4 canonicalisation (src/common/sigv4.c) and
 * verification (src/auth/sigv4_verify.c) of whole requests.
 *
 * The first byte picks a mode:
 *   even: a raw request, as a client could send it, goes through
 *         sigv4_verify (header or query-string credentials, dates, scope,
 *         the key lookup, the signing-key cache) and through
 *         sigv4_canonical_request with the fuzzed signed-header list; the
 *         canonical form must be deterministic and have its six parts.
 *   odd:  a request built from the input is signed with sigv4_sign and
 *         must then verify; the same request with one body byte changed
 *         must not.  This pins the signer and the verifier to the same
 *         canonicalisation.
 * Input after the mode byte, '\n'-separated: method, path, query ("" means
 * none), signed headers (raw mode only), then "name:value" header lines up
 * to an empty line, then the body.  FUZZ_VERBOSE=1 in the environment
 * prints each raw request's verdict (to check a seed).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "fuzz_common.h"

#define FUZZ_ACCESS_KEY	"AKIDEXAMPLE"
#define FUZZ_SECRET_KEY	"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define FUZZ_FAIL_KEY	"AKIDFAIL"
#define FUZZ_NOW	((time_t)1440938160)	/* 2015-08-30T12:36:00Z */
#define FUZZ_AMZ_DATE	"20150830T123600Z"
#define FUZZ_HEADERS	32

static struct sigv4_cache *cache;

static enum status
lookup(void *arg, const char *access_key_id, struct principal *principal,
    struct secret_buf **secret)
{
	(void)arg;
	if (strcmp(access_key_id, FUZZ_FAIL_KEY) == 0)
		return STATUS_IO;
	if (strcmp(access_key_id, FUZZ_ACCESS_KEY) != 0)
		return STATUS_NOT_FOUND;
	memset(principal, 0, sizeof(*principal));
	snprintf(principal->account_id, sizeof(principal->account_id), "%s",
	    "123456789012");
	snprintf(principal->access_key_id, sizeof(principal->access_key_id),
	    "%s", access_key_id);
	if ((*secret = secret_buf_from(FUZZ_SECRET_KEY,
	    strlen(FUZZ_SECRET_KEY))) == NULL)
		return STATUS_NO_MEMORY;
	return STATUS_OK;
}

static size_t
count_char(const char *s, char c)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		n += *s == c;
	return n;
}

static void
fuzz_raw(struct fuzz_reader *r)
{
	struct sigv4_header headers[FUZZ_HEADERS];
	struct auth_request req;
	struct auth_result result;
	struct error	 err;
	char		*method, *path, *query, *signed_headers, *line, *colon;
	char		*body, *canonical = NULL, *canonical2 = NULL;
	size_t		 header_count = 0, body_len = 0;
	enum status	 st, st2;
	uint8_t		 flags = fuzz_reader_byte(r);

	method = fuzz_reader_until(r, '\n');
	path = fuzz_reader_until(r, '\n');
	query = fuzz_reader_until(r, '\n');
	signed_headers = fuzz_reader_until(r, '\n');
	while (!fuzz_reader_done(r) && header_count < FUZZ_HEADERS) {
		if ((line = fuzz_reader_until(r, '\n')) == NULL ||
		    line[0] == '\0')
			break;
		if ((colon = strchr(line, ':')) != NULL)
			*colon++ = '\0';
		headers[header_count].name = line;
		/* A header without a value, as libmicrohttpd may hand one. */
		headers[header_count].value = colon;
		header_count++;
	}
	body = fuzz_reader_rest(r, &body_len);
	if (method == NULL || path == NULL || query == NULL ||
	    signed_headers == NULL || body == NULL)
		return;

	memset(&req, 0, sizeof(req));
	req.http.method = method;
	req.http.path = path;
	req.http.query = query[0] != '\0' ? query : NULL;
	req.http.headers = headers;
	req.http.header_count = header_count;
	req.http.body = (const unsigned char *)body;
	req.http.body_len = body_len;
	req.now = FUZZ_NOW + (flags & 0x0f) * 60 - 7 * 60;
	req.max_skew_seconds = (flags & 0x10) ? 1 : 300;
	req.expected_service = (flags & 0x20) ? NULL : "secretsmanager";
	memset(&err, 0, sizeof(err));
	st = sigv4_verify(&req, lookup, NULL, (flags & 0x40) ? cache : NULL,
	    &result, &err);
	FUZZ_CHECK_ERROR(&err);
	FUZZ_CHECK(st != STATUS_OK || result.principal.account_id[0] != '\0');
	if (getenv("FUZZ_VERBOSE") != NULL)
		fprintf(stderr, "verify: %s: %s\n", status_name(st), err.message);

	st = sigv4_canonical_request(&req.http, signed_headers,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	    &canonical);
	st2 = sigv4_canonical_request(&req.http, signed_headers,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	    &canonical2);
	FUZZ_CHECK(st == st2);
	if (st == STATUS_OK) {
		FUZZ_CHECK(strcmp(canonical, canonical2) == 0);
		FUZZ_CHECK(count_char(canonical, '\n') >= 5);
		FUZZ_CHECK(canonical[strlen(method)] == '\n');
		FUZZ_CHECK(canonical[strlen(method) + 1] == '/');
	}
	free(canonical);
	free(canonical2);
}

/* Header names the round trip adds itself or that change the check. */
static bool
reserved_name(const char *name)
{
	static const char *const reserved[] = { "host", "x-amz-date", "date",
	    "authorization", "x-amz-content-sha256", NULL };

	for (size_t i = 0; reserved[i] != NULL; i++)
		if (strcmp(name, reserved[i]) == 0)
			return true;
	return false;
}

static void
fuzz_round_trip(struct fuzz_reader *r)
{
	static const char name_chars[] = "abcdefghijklmnopqrstuvwxyz0123456789-";
	struct sigv4_header headers[FUZZ_HEADERS + 3];
	struct auth_request req;
	struct auth_result result;
	struct error	 err;
	char		*method, *path, *query, *line, *colon, *body;
	char		*authorization = NULL;
	size_t		 header_count = 0, body_len = 0;
	enum status	 st;

	method = fuzz_reader_until(r, '\n');
	path = fuzz_reader_until(r, '\n');
	query = fuzz_reader_until(r, '\n');
	headers[header_count].name = "Host";
	headers[header_count++].value = "localhost:8080";
	headers[header_count].name = "X-Amz-Date";
	headers[header_count++].value = FUZZ_AMZ_DATE;
	while (!fuzz_reader_done(r) && header_count < FUZZ_HEADERS) {
		if ((line = fuzz_reader_until(r, '\n')) == NULL ||
		    line[0] == '\0')
			break;
		if ((colon = strchr(line, ':')) == NULL)
			continue;
		*colon++ = '\0';
		/* Names as HTTP parsers deliver them: a token. */
		for (char *p = line; *p != '\0'; p++)
			*p = name_chars[(unsigned char)*p %
			    (sizeof(name_chars) - 1)];
		if (line[0] == '\0' || reserved_name(line))
			continue;
		headers[header_count].name = line;
		headers[header_count].value = colon;
		header_count++;
	}
	body = fuzz_reader_rest(r, &body_len);
	if (method == NULL || path == NULL || query == NULL || body == NULL)
		return;
	/* Query-string credentials are a different request. */
	if (strstr(query, "X-Amz-Algorithm") != NULL)
		return;

	memset(&req, 0, sizeof(req));
	req.http.method = method;
	req.http.path = path;
	req.http.query = query[0] != '\0' ? query : NULL;
	req.http.headers = headers;
	req.http.header_count = header_count;
	req.http.body = (const unsigned char *)body;
	req.http.body_len = body_len;
	st = sigv4_sign(&req.http, FUZZ_ACCESS_KEY, FUZZ_SECRET_KEY,
	    "us-east-1", "secretsmanager", FUZZ_AMZ_DATE, NULL, &authorization);
	if (st == STATUS_REQUEST_TOO_LARGE)
		return;
	FUZZ_CHECK(st == STATUS_OK);
	headers[header_count].name = "Authorization";
	headers[header_count].value = authorization;
	req.http.header_count = ++header_count;
	req.now = FUZZ_NOW;
	req.max_skew_seconds = 300;
	req.expected_service = "secretsmanager";
	memset(&err, 0, sizeof(err));
	st = sigv4_verify(&req, lookup, NULL, cache, &result, &err);
	/*
	 * The parser keeps the header's fields in a buffer the size of the
	 * default max-header-bytes (struct sigv4_authorization); sigv4_sign
	 * is not bounded so.  A refusal is tolerated only for a header that
	 * long; fuzz/regressions/sigv4_request/ keeps the input that once
	 * failed below it (docs/reliability.md).
	 */
	if (st == STATUS_INCOMPLETE_SIGNATURE &&
	    strlen(authorization) >= sizeof(((struct sigv4_authorization *)0)->
	    storage) - 64 && strstr(err.message, "too long") != NULL)
		goto out;
	if (st != STATUS_OK)
		fprintf(stderr, "verify: %s: %s\n", status_name(st),
		    err.message);
	FUZZ_CHECK(st == STATUS_OK);
	FUZZ_CHECK(strcmp(result.region, "us-east-1") == 0);

	if (body_len > 0) {
		body[body_len / 2] ^= 0x01;
		st = sigv4_verify(&req, lookup, NULL, cache, &result, &err);
		FUZZ_CHECK(st == STATUS_INVALID_SIGNATURE);
	}
out:
	free(authorization);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_reader r;

	if (cache == NULL && (cache = sigv4_cache_new()) == NULL)
		abort();
	fuzz_reader_init(&r, data, size);
	if (fuzz_reader_byte(&r) & 1)
		fuzz_round_trip(&r);
	else
		fuzz_raw(&r);
	fuzz_reader_free(&r);
	return 0;
}
