/*
 * sigv4.h: AWS Signature Version 4, the parts shared by the server's
 * verifier (auth/sigv4_verify.c) and by clients that sign.
 *
 * Pure functions, thread-safe, no I/O.  Canonicalisation follows the AWS
 * SigV4 specification and its published test suite.
 */
#ifndef SESAME_SIGV4_H
#define SESAME_SIGV4_H

#include <stddef.h>

#include <openssl/types.h>

#include "common/status.h"

#define SIGV4_ALGORITHM	"AWS4-HMAC-SHA256"
#define SIGV4_HASH_LEN	32

struct sigv4_header {
	const char	*name;		/* as received; compared case-insensitively */
	const char	*value;
};

struct sigv4_request {
	const char		*method;	/* "POST" */
	const char		*path;		/* raw request path, no query */
	const char		*query;		/* raw query string without '?', or NULL */
	const struct sigv4_header *headers;
	size_t			 header_count;
	const unsigned char	*body;
	size_t			 body_len;
};

/* Parsed "Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=...,
 * Signature=..." header.  All strings point into `storage`. */
struct sigv4_authorization {
	char	*access_key_id;
	char	*date;			/* YYYYMMDD from the credential scope */
	char	*region;
	char	*service;
	char	*signed_headers;	/* "host;x-amz-date" */
	char	*signature;		/* 64 lowercase hex */
	char	 storage[32768];	/* the default max-header-bytes */
};

/* STATUS_INCOMPLETE_SIGNATURE / STATUS_MISSING_AUTH with AWS's messages. */
enum status	 sigv4_parse_authorization(const char *header,
		    struct sigv4_authorization *out, struct error *err);

/* Build the canonical request for the given signed headers
 * ("host;x-amz-date").  *out is malloc'd.  body_hash is the hex SHA-256 of
 * the payload (or the x-amz-content-sha256 value when given). */
enum status	 sigv4_canonical_request(const struct sigv4_request *req,
		    const char *signed_headers, const char *body_hash,
		    char **out);
/* "AWS4-HMAC-SHA256\n<amz_date>\n<scope>\n<hex sha256(canonical)>" */
enum status	 sigv4_string_to_sign(const char *amz_date, const char *scope,
		    const char *canonical_request, char **out);
/* kSigning = HMAC chain over date, region, service, "aws4_request". */
void		 sigv4_signing_key(const char *secret_access_key,
		    const char *date, const char *region, const char *service,
		    unsigned char out[SIGV4_HASH_LEN]);
/* hex(HMAC(key, string_to_sign)) into out[65]. */
void		 sigv4_signature(const unsigned char key[SIGV4_HASH_LEN],
		    const char *string_to_sign, char out[2 * SIGV4_HASH_LEN + 1]);
/* hex SHA-256 into out[65]. */
/* SHA-256, fetched from OpenSSL's default provider once; any thread. */
const EVP_MD	*sigv4_sha256(void);
void		 sigv4_hash_hex(const void *data, size_t len,
		    char out[2 * SIGV4_HASH_LEN + 1]);

/* Convenience for clients and tests: compute the Authorization header value
 * for req (which must already contain host and x-amz-date headers). */
enum status	 sigv4_sign(const struct sigv4_request *req,
		    const char *access_key_id, const char *secret_access_key,
		    const char *region, const char *service, const char *amz_date,
		    const char *signed_headers, char **authorization);

#endif
