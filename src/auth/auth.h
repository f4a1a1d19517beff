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
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "common/sigv4.h"
#include "common/status.h"
#include "crypto/crypto.h"

/* A tag on the principal: aws:PrincipalTag/<key>. */
struct principal_tag {
	const char	*key;
	const char	*value;
};

/*
 * Who is asking, as the credentials say.  The first six members are all
 * principals had before IAM; the rest were added with IAM and STS and are
 * zero (false, NULL, 0) where they do not apply, so code that only reads
 * the first six is unchanged.
 *
 *   IAM user       type "IAMUser", arn .../user/PATH/NAME, user_id AIDA...,
 *                  tags: the user's
 *   account's own  type "IAMUser" (arn .../user/admin) with
 *   key            is_account_administrator: a key from `sesame init`,
 *                  `admin create-account` or `admin import-access-key`,
 *                  no IAM user behind it; it holds every permission of its
 *                  account (the policy engine treats it as the root user)
 *   role session   type "AssumedRole", arn arn:aws:sts::A:assumed-role/R/S,
 *                  user_id "AROA...:S", role_arn/role_id/session_name set,
 *                  tags: the role's overridden by the session tags,
 *                  session_policy / session_policy_arns from AssumeRole
 *   any session    is_temporary, expires_at_ms (GetSessionToken keeps the
 *                  caller's type, ARN and user id)
 *
 * The pointer members are borrowed: they belong to the request that
 * authenticated the principal (api/'s struct api_call) and stay valid
 * until it ends; copy what must outlive it.
 */
struct principal {
	char	 account_id[16];
	char	 arn[512];		/* arn:aws:iam::123456789012:user/admin */
	char	 user_id[128];		/* AIDA...; sessions AROA...:NAME */
	char	 user_name[128];	/* IAM users only */
	char	 access_key_id[129];
	char	 type[32];		/* "IAMUser", "AssumedRole", "Root" */

	bool	 is_account_administrator;
	bool	 is_temporary;		/* STS credentials */
	int64_t	 expires_at_ms;		/* temporary credentials: expiry */
	char	 role_arn[512];		/* AssumedRole: arn:aws:iam::A:role/P/R */
	char	 role_id[32];		/* AssumedRole: AROA... */
	char	 session_name[72];	/* AssumedRole: RoleSessionName */
	char	 source_identity[72];	/* sts:SourceIdentity; "" none */
	const struct principal_tag *tags;
	size_t	 tag_count;
	const char *session_policy;	/* JSON; NULL: none */
	const char *const *session_policy_arns;
	size_t	 session_policy_arn_count;
};

/* Resolve an access key to its principal and secret access key.
 * STATUS_NOT_FOUND (unknown or inactive key, wrong session token),
 * STATUS_EXPIRED_TOKEN (temporary credentials past their expiry) or
 * another failure status. */
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

/*
 * A principal's identity side, compiled: its identity policies (inline,
 * attached and its groups', or its role's), permissions boundary and
 * session policies.  Immutable once made and reference-counted, so one
 * copy serves every request of a hot principal at once.
 */
struct auth_policies;

struct auth_policies_input {
	const char *const *documents;		/* identity policies */
	const char *const *arns;		/* documents[i]'s ARN or NULL */
	size_t		 count;
	const char	*permissions_boundary;	/* NULL: none */
	const char	*session_policy;	/* inline; NULL: none */
	/* Managed session policies; a NULL entry (a policy since deleted)
	 * grants nothing but still counts as a session policy. */
	const char *const *session_documents;
	size_t		 session_count;
};

/* STATUS_OK with *out (release with auth_policies_release),
 * STATUS_MALFORMED_POLICY or STATUS_NO_MEMORY. */
enum status	 auth_policies_compile(const struct auth_policies_input *in,
		    struct auth_policies **out, struct error *err);
void		 auth_policies_release(struct auth_policies *policies);
/* Point req's identity, boundary and session policies at p's (borrowed:
 * keep a reference while req is used). */
struct policy_request;
void		 auth_policies_apply(const struct auth_policies *p,
		    struct policy_request *req);

/* A small process-wide cache of compiled identity sides keyed by access key
 * id and the IAM write generation (core_iam_generation): an entry of an
 * older generation never answers.  Mutex-protected.  get returns a new
 * reference or NULL; put takes its own reference. */
struct auth_policies *auth_policy_cache_get(const char *access_key_id,
		    uint64_t generation);
void		 auth_policy_cache_put(const char *access_key_id,
		    uint64_t generation, struct auth_policies *policies);
/* Drop every entry (tests, shutdown). */
void		 auth_policy_cache_flush(void);

/* A resource policy (a secret's, or a KMS key policy) compiled once per
 * distinct document and shared: get returns a new reference (release it)
 * or STATUS_MALFORMED_POLICY / STATUS_NO_MEMORY. */
struct auth_document;
struct policy;
enum status	 auth_resource_policy_get(const char *json, bool is_key_policy,
		    struct auth_document **out, struct error *err);
const struct policy *auth_document_policy(const struct auth_document *d);
void		 auth_document_release(struct auth_document *d);
void		 auth_document_cache_flush(void);

/*
 * May principal perform action ("secretsmanager:GetSecretValue") on
 * resource (an ARN or "*"), owned by resource_account_id (NULL: the
 * principal's own account)?  Decided by the policy engine with AWS's
 * evaluation logic: an account administrator is the account's root user
 * (no identity policies; a resource policy's explicit deny still binds
 * it); anyone else needs ctx->identity.  STATUS_ACCESS_DENIED with AWS's
 * message naming principal, action and resource.  ctx NULL (callers that
 * gather no policies: unit tests) keeps the rule from before the engine:
 * own account allowed, other accounts denied.
 */
struct auth_context {
	const char	*source_ip;
	bool		 is_secure_transport;
	time_t		 now;

	/* The caller's compiled identity side; NULL for administrators
	 * without session policies (for one with, only its session policies
	 * are read).  A non-administrator without one is denied. */
	const struct auth_policies *identity;
	/* The resource's policy as stored (JSON); NULL: none. */
	const char	*resource_policy;
	/* Tags of the resource: aws:ResourceTag/K and, for secrets,
	 * secretsmanager:ResourceTag/K. */
	const struct principal_tag *resource_tags;
	size_t		 resource_tag_count;
	const char	*resource_display;	/* as the caller gave it; NULL */
	const char	*secret_id;		/* secretsmanager:SecretId */
	const char	*secret_name;		/* secretsmanager:Name */
	/* Tags of the request: aws:RequestTag/K and aws:TagKeys. */
	const struct principal_tag *request_tags;
	size_t		 request_tag_count;
	/* Further keys, added as they are (a key may repeat: several values):
	 * the request's own (secretsmanager:Description, ...) and the
	 * resource's (secretsmanager:SecretPrimaryRegion). */
	const struct principal_tag *extra_keys;
	size_t		 extra_key_count;
	/* The resource policy is a KMS key policy, which must allow every
	 * use of its key (directly, or by naming the account, which delegates
	 * to identity policies); with none, nothing is allowed. */
	bool		 is_key_policy;
	/* kms:ViaService of a KMS call made by a service on the caller's
	 * behalf; NULL: a direct call. */
	const char	*via_service;
	/* kms:EncryptionContext:K and kms:EncryptionContextKeys of a KMS
	 * cryptographic call.  (kms:CallerAccount, the principal's account,
	 * is in every kms: request.) */
	const struct kms_context_pair *encryption_context;
	size_t		 encryption_context_count;
};

enum status	 auth_authorize(const struct principal *principal,
		    const char *action, const char *resource,
		    const char *resource_account_id,
		    const struct auth_context *ctx, struct error *err);

#endif
