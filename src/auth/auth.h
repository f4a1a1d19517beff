/*
 * auth.h: who is asking (SigV4 verification) and may they (authorisation).
 *
 * sigv4_verify answers the first question from the request's bytes and a
 * lookup of the access key; auth_authorize answers the second.  Both are
 * called by the request pipeline (api/) before any operation runs.
 *
 * Thread-safe: the signing-key cache is internally locked.
 */
#ifndef SESAME_AUTH_H
#define SESAME_AUTH_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "common/sigv4.h"
#include "common/status.h"
#include "crypto/crypto.h"

struct principal {
	char	 account_id[16];
	char	 arn[512];		/* arn:aws:iam::123456789012:user/admin */
	char	 user_id[128];		/* AIDA... */
	char	 user_name[128];
	char	 access_key_id[129];
	char	 type[32];		/* "IAMUser", "AssumedRole", "Root" */
};

/* Resolve an access key to its principal and secret access key.
 * STATUS_NOT_FOUND (unknown or inactive key) or another failure status. */
typedef enum status (*auth_key_lookup_fn)(void *arg, const char *access_key_id,
    struct principal *principal, struct secret_buf **secret_access_key);

struct sigv4_cache;

struct sigv4_cache	*sigv4_cache_new(void);
void			 sigv4_cache_free(struct sigv4_cache *cache);

struct auth_request {
	struct sigv4_request	 http;		/* method, path, query, headers, body */
	time_t			 now;		/* server clock (after test offset) */
	int			 max_skew_seconds; /* 300 as on AWS */
	const char		*expected_service;  /* "secretsmanager"; NULL: any */
};

struct auth_result {
	struct principal	 principal;
	char			 region[64];	/* from the credential scope */
	char			 service[64];
};

/* Verify the Authorization header (or fail with the AWS error and message:
 * MISSING_AUTH, INCOMPLETE_SIGNATURE, INVALID_SIGNATURE incl. "Signature
 * expired: ..." / "Signature not yet current: ...", UNRECOGNIZED_CLIENT).
 * Signatures are compared in constant time; derived signing keys cached. */
enum status	 sigv4_verify(const struct auth_request *req,
		    auth_key_lookup_fn lookup, void *lookup_arg,
		    struct sigv4_cache *cache, struct auth_result *out,
		    struct error *err);

/* May principal perform action ("secretsmanager:GetSecretValue") on
 * resource (an ARN or "*")?  Today: an account's principals act on their own
 * account's resources; everything else is denied.  The policy engine
 * replaces the body, not the signature.  STATUS_ACCESS_DENIED with AWS's
 * message naming principal, action and resource. */
struct auth_context {
	const char	*source_ip;
	bool		 is_secure_transport;
	time_t		 now;
};

enum status	 auth_authorize(const struct principal *principal,
		    const char *action, const char *resource,
		    const char *resource_account_id,
		    const struct auth_context *ctx, struct error *err);

#endif
