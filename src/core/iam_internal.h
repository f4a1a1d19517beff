/*
 * iam_internal.h: helpers shared by the IAM and STS files of core/ only
 * (iam_names.c, iam_entities.c, iam_access_keys.c, iam_policies.c,
 * iam_credentials.c, sts.c).
 */
#ifndef SESAME_CORE_IAM_INTERNAL_H
#define SESAME_CORE_IAM_INTERNAL_H

#include "core/iam.h"

#define IAM_MSG_NON_USER	"Must specify userName when calling with " \
				"non-User credentials"
#define IAM_TAG_DUPLICATE	"Duplicate tag keys found. Please note that " \
				"Tag keys are case insensitive."

/* A fresh key pair: prefix ("AKIA", "ASIA") and 16 characters, and a
 * 40-character secret, also in *secret (free with secret_buf_free).
 * explicit_bzero *out after use. */
enum status	 iam_key_pair_new(const char *prefix,
		    struct access_key_pair *out, struct secret_buf **secret);
/* Mint a session inside txn (a write transaction): rec describes whom it
 * stands for (type, account, arn, user id, ..., policy, created_at,
 * expires_at); its key id, wrapped secret and token hash are made here
 * (rec is left as given).  On STATUS_OK, *out holds the credentials
 * (sts_credentials_cleanup). */
enum status	 iam_session_mint(const struct core_env *env,
		    struct store_txn *txn, const struct iam_session_record *rec,
		    struct sts_credentials *out);
/* The last path segment of an ARN (a policy's or role's name). */
const char	*iam_arn_name(const char *arn);
/* Does the path inside an ARN of this type ("policy") start with prefix
 * (NULL or "/": always)? */
bool		 iam_arn_path_matches(const char *arn, const char *type,
		    const char *prefix);
size_t		 iam_page_limit(const struct iam_page *page);

/* Load entity kind/name of req->account_id inside txn and authorise
 * req->action on its ARN; when it does not exist, authorise on the ARN it
 * would have, then STATUS_NOT_FOUND with IAM's message ("The user with
 * name X cannot be found."). */
enum status	 iam_entity_load(struct core_request *req,
		    struct store_txn *txn, enum iam_kind kind, const char *name,
		    struct iam_entity_record *out, struct error *err);
/* STATUS_INVALID_PARAMETER when two tags share a key (without regard to
 * case), with IAM's message. */
enum status	 iam_tags_check_unique(const struct tag *tags, size_t count,
		    struct error *err);

/* credential_cache.c: core_credentials_lookup's results, valid while the
 * store's write generation (read before the lookup) is unchanged.  get:
 * STATUS_OK with copies (the caller owns them), STATUS_NOT_FOUND on a miss
 * (look it up), STATUS_EXPIRED_TOKEN for a cached session past its expiry,
 * STATUS_NO_MEMORY.  put copies; a failure only means no entry. */
enum status	 credential_cache_get(const struct core_env *env,
		    uint64_t generation, const char *access_key_id,
		    const char *session_token, int64_t now_ms,
		    struct core_identity *out, struct secret_buf **secret);
void		 credential_cache_put(const struct core_env *env,
		    uint64_t generation, const char *access_key_id,
		    const char *session_token,
		    const struct core_identity *identity,
		    const struct secret_buf *secret);

#endif
