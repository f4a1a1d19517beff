/*
 * sts.c: temporary credentials.  AssumeRole's role lookup (its trust
 * policy is evaluated by api/sts.c through the policy engine) and the
 * minting of sessions for AssumeRole and GetSessionToken.
 *
 * A session is an access key id ASIA + 16, a 40-character secret (wrapped
 * by the root key under "session-key:<id>", as long-term secrets are) and
 * a random session token of which only the SHA-256 is stored.  A role
 * session belongs to the role's account and is the principal
 * arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION with user id
 * "ROLEID:SESSION"; a GetSessionToken session is its caller again, with
 * an expiry.  Session tags and policy ARNs are stored with the session;
 * the session policy as sent.  Each new session removes a few rows of
 * sessions that expired more than IAM_SESSION_KEEP_MS ago.
 *
 * Thread-safety: reentrant.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/sigv4.h"
#include "core/core_internal.h"
#include "core/iam.h"
#include "core/iam_internal.h"

#define STS_TOKEN_BYTES		96

void
sts_credentials_cleanup(struct sts_credentials *c)
{
	if (c == NULL)
		return;
	if (c->session_token != NULL) {
		explicit_bzero(c->session_token, strlen(c->session_token));
		free(c->session_token);
	}
	explicit_bzero(c, sizeof(*c));
}

static enum status
assume_denied(const struct core_identity *caller, const char *role_arn,
    struct error *err)
{
	return error_set(err, STATUS_ACCESS_DENIED,
	    "User: %s is not authorized to perform: sts:AssumeRole on "
	    "resource: %s", caller->arn, role_arn);
}

enum status
core_sts_role_load(struct core_request *req, const struct core_identity *caller,
    const char *role_arn, struct iam_entity_info *out, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct iam_entity_info	 info;
	struct arn_parts	 parts;
	enum status		 st;

	memset(&info, 0, sizeof(info));
	if (arn_parse(role_arn, &parts) != STATUS_OK ||
	    strcmp(parts.service, "iam") != 0 ||
	    strncmp(parts.resource, "role/", 5) != 0 ||
	    parts.account_id[0] == '\0') {
		st = error_set(err, STATUS_VALIDATION,
		    "%s is not a valid role ARN", role_arn);
		goto out;
	}
	if ((st = store_begin(req->env->store, false, &txn)) != STATUS_OK)
		goto out;
	/* The caller's side only: the role's side is its trust policy. */
	if ((st = core_authorize(req, role_arn, NULL, err)) != STATUS_OK)
		goto out;
	st = store_iam_entity_get(txn, IAM_KIND_ROLE, parts.account_id,
	    iam_arn_name(role_arn), &info.entity);
	if (st == STATUS_OK && strcmp(info.entity.arn, role_arn) != 0)
		st = STATUS_NOT_FOUND;
	if (st == STATUS_NOT_FOUND) {
		st = assume_denied(caller, role_arn, err);
		goto out;
	}
	if (st != STATUS_OK)
		goto out;
	if ((st = store_iam_tags_get(txn, IAM_KIND_ROLE, info.entity.account_id,
	    info.entity.name, &info.tags, &info.tag_count)) != STATUS_OK)
		goto out;
	*out = info;
	memset(&info, 0, sizeof(info));
out:
	store_rollback(txn);
	iam_entity_info_cleanup(&info);
	return st;
}

static enum status
token_new(char **out)
{
	unsigned char	 raw[STS_TOKEN_BYTES];
	enum status	 st;

	if ((st = random_bytes(raw, sizeof(raw))) == STATUS_OK)
		st = base64_encode(raw, sizeof(raw), out);
	explicit_bzero(raw, sizeof(raw));
	return st;
}

enum status
iam_session_mint(const struct core_env *env, struct store_txn *txn,
    const struct iam_session_record *in, struct sts_credentials *out)
{
	struct iam_session_record rec = *in;
	struct access_key_pair	 pair;
	struct secret_buf	*secret = NULL;
	char			*token = NULL;
	char			 label[160], hash[2 * SIGV4_HASH_LEN + 1];
	enum status		 st;

	memset(&pair, 0, sizeof(pair));
	rec.wrapped_secret = NULL;
	if ((st = iam_key_pair_new("ASIA", &pair, &secret)) != STATUS_OK ||
	    (st = token_new(&token)) != STATUS_OK)
		goto out;
	sigv4_hash_hex(token, strlen(token), hash);
	snprintf(label, sizeof(label), "session-key:%s", pair.access_key_id);
	if ((st = keyring_wrap(env->keyring, label, secret,
	    &rec.wrapped_secret, &rec.wrapped_secret_len)) != STATUS_OK)
		goto out;
	rec.access_key_id = pair.access_key_id;
	rec.token_hash = hash;
	if ((st = store_iam_session_put(txn, &rec)) != STATUS_OK)
		goto out;
	memset(out, 0, sizeof(*out));
	out->key = pair;
	out->session_token = token;
	token = NULL;
	out->expires_at = rec.expires_at;
out:
	free(rec.wrapped_secret);
	secret_buf_free(secret);
	explicit_bzero(&pair, sizeof(pair));
	if (token != NULL) {
		explicit_bzero(token, strlen(token));
		free(token);
	}
	return st;
}

enum status
core_sts_session_create(struct core_request *req,
    const struct core_identity *caller, const struct sts_session_input *in,
    struct sts_credentials *out, char **out_arn, char **out_user_id,
    struct error *err)
{
	struct store_txn	*txn = NULL;
	struct iam_session_record rec;
	struct sts_credentials	 creds;
	char			*arn = NULL, *user_id = NULL;
	size_t			 purged;
	enum status		 st;

	memset(&rec, 0, sizeof(rec));
	memset(&creds, 0, sizeof(creds));
	if (in->role != NULL) {
		if (asprintf(&arn, "arn:aws:sts::%s:assumed-role/%s/%s",
		    in->role->account_id, in->role->name,
		    in->session_name) < 0 ||
		    asprintf(&user_id, "%s:%s", in->role->id,
		    in->session_name) < 0) {
			arn = user_id = NULL;
			st = STATUS_NO_MEMORY;
			goto out;
		}
		rec.type = (char *)IAM_TYPE_ASSUMED_ROLE;
		rec.account_id = in->role->account_id;
		rec.role_arn = in->role->arn;
		rec.role_name = in->role->name;
		rec.role_id = in->role->id;
		rec.session_name = (char *)in->session_name;
	} else {
		if ((arn = strdup(caller->arn)) == NULL ||
		    (user_id = strdup(caller->user_id)) == NULL) {
			st = STATUS_NO_MEMORY;
			goto out;
		}
		rec.type = (char *)IAM_TYPE_USER;
		rec.account_id = caller->account_id;
		rec.user_name = caller->user_name;
		rec.is_account_administrator = caller->is_account_administrator;
	}
	rec.arn = arn;
	rec.user_id = user_id;
	rec.source_identity = (char *)(in->source_identity != NULL ?
	    in->source_identity : caller->source_identity);
	rec.source_access_key_id = caller->access_key_id;
	rec.policy = (char *)in->policy;
	rec.created_at = req->now_ms;
	rec.expires_at = req->now_ms + in->duration_seconds * 1000;

	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = store_iam_session_purge(txn, req->now_ms -
	    IAM_SESSION_KEEP_MS, IAM_SESSION_PURGE_BATCH, &purged)) !=
	    STATUS_OK)
		goto out;
	if ((st = iam_session_mint(req->env, txn, &rec, &creds)) != STATUS_OK)
		goto out;
	if (in->tag_count > 0 && (st = store_iam_tags_put(txn,
	    IAM_KIND_SESSION, rec.account_id, creds.key.access_key_id,
	    in->tags, in->tag_count)) != STATUS_OK)
		goto out;
	for (size_t i = 0; i < in->policy_arn_count; i++) {
		st = store_iam_attachment_put(txn, IAM_KIND_SESSION,
		    rec.account_id, creds.key.access_key_id,
		    in->policy_arns[i]);
		if (st != STATUS_OK && st != STATUS_EXISTS)
			goto out;
	}
	st = store_commit(txn);
	txn = NULL;
	if (st != STATUS_OK)
		goto out;
	*out = creds;
	memset(&creds, 0, sizeof(creds));
	*out_arn = arn;
	*out_user_id = user_id;
	arn = user_id = NULL;
out:
	store_rollback(txn);
	sts_credentials_cleanup(&creds);
	free(arn);
	free(user_id);
	(void)err;
	return st;
}
