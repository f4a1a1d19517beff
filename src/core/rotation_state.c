/*
 * rotation_state.c: the bookkeeping of rotation attempts, for the runner
 * (rotation/).
 *
 * An attempt is claimed, progresses step by step and is finished, each in
 * its own short write transaction; nothing is held while a step talks to a
 * database or a rotation function.  The claim takes a lease (owner, until)
 * on the secret's rotation, so one secret never has two attempts running at
 * once, in one process or several; a lease whose owner died (kill -9) is
 * recognised by the runner's liveness test, or expires.
 *
 * An external function gets temporary credentials of its own for each
 * attempt: an STS-style session (ASIA key, session token, an expiry a few
 * step timeouts away) of user sesame-rotation standing for the account,
 * bounded by a session policy the runner writes (the Secrets Manager
 * actions of a rotation on that secret).  The session is recorded in the
 * rotation row while the attempt lives and deleted when it ends (after a
 * crash, by the next claim; else it expires).  Long-term keys of
 * sesame-rotation (made by earlier versions) go the same way, and by the
 * sweep.
 *
 * Thread-safety: reentrant.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/sha.h>

#include "common/log.h"
#include "core/core.h"
#include "core/core_internal.h"
#include "core/iam_internal.h"

#define KEY_ID_ALPHABET		"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
/* Who minted a rotation session, where AssumeRole records the caller's
 * key. */
#define ROTATION_SESSION_SOURCE	"secretsmanager.amazonaws.com"

/* The service acts on the resources of the secret's own account only. */
static enum status
service_authorize(void *arg, const struct core_request *req,
    const char *action, const char *resource_arn,
    const char *resource_account_id, struct error *err)
{
	const char *account_id = arg;

	if (resource_account_id != NULL &&
	    strcmp(resource_account_id, account_id) == 0)
		return STATUS_OK;
	return error_set(err, STATUS_ACCESS_DENIED, "The rotation service is "
	    "not authorized to perform: %s on resource: %s", action,
	    resource_arn);
}

void
core_service_request_init(struct core_request *req, const struct core_env *env,
    const char *account_id, const char *region, const char *action,
    int64_t now_ms)
{
	memset(req, 0, sizeof(*req));
	req->env = env;
	req->account_id = account_id;
	req->region = region;
	req->now_ms = now_ms;
	req->action = action;
	req->authorize = service_authorize;
	req->authorize_arg = (void *)account_id;
}

static enum status
set_text(char **dst, const char *src)
{
	char *copy = NULL;

	if (src != NULL && (copy = strdup(src)) == NULL)
		return STATUS_NO_MEMORY;
	free(*dst);
	*dst = copy;
	return STATUS_OK;
}

static bool
text_equal(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

int64_t
core_rotation_start_at(const char *secret_arn, int64_t window_at,
    int64_t window_end_at)
{
	unsigned char	 digest[SHA256_DIGEST_LENGTH];
	char		*text = NULL;
	uint64_t	 draw = 0;
	int64_t		 span_seconds;
	int		 len;

	span_seconds = (window_end_at - window_at - ROTATION_WINDOW_TAIL_MS) /
	    1000;
	if (secret_arn == NULL || window_at <= 0 || span_seconds <= 0)
		return window_at;
	/* A hash, not randomness: the same secret and window always give
	 * the same moment, so a restart does not draw again. */
	if ((len = asprintf(&text, "%s:%lld", secret_arn,
	    (long long)window_at)) < 0)
		return window_at;
	SHA256((const unsigned char *)text, (size_t)len, digest);
	free(text);
	for (size_t i = 0; i < sizeof(draw); i++)
		draw = draw << 8 | digest[i];
	return window_at + (int64_t)(draw % (uint64_t)span_seconds) * 1000;
}

bool
core_rotation_is_due(const struct rotation_record *row, int64_t now_ms)
{
	/* A pending rotation waits for its retry, even in an open window. */
	if (row->pending_version_id != NULL)
		return row->retry_at <= now_ms;
	return row->is_enabled && row->next_window_at != 0 &&
	    core_rotation_start_at(row->secret_arn, row->next_window_at,
	    row->next_window_end_at) <= now_ms;
}

/* ---- versions under a function test (RotateImmediately false) ---- */

#define TESTS_MAX	256	/* at most threads - 1 tests run at once */

static pthread_mutex_t	 testing_lock = PTHREAD_MUTEX_INITIALIZER;
static char		 testing[TESTS_MAX][65];	/* testing_lock */

enum status
core_rotation_test_begin(const char *version_id)
{
	enum status st = STATUS_LIMIT_EXCEEDED;

	if (strlen(version_id) >= sizeof(testing[0]))
		return STATUS_INVALID_PARAMETER;
	pthread_mutex_lock(&testing_lock);
	for (size_t i = 0; i < TESTS_MAX; i++)
		if (testing[i][0] == '\0') {
			memcpy(testing[i], version_id, strlen(version_id) + 1);
			st = STATUS_OK;
			break;
		}
	pthread_mutex_unlock(&testing_lock);
	return st;
}

void
core_rotation_test_end(const char *version_id)
{
	pthread_mutex_lock(&testing_lock);
	for (size_t i = 0; i < TESTS_MAX; i++)
		if (strcmp(testing[i], version_id) == 0)
			testing[i][0] = '\0';
	pthread_mutex_unlock(&testing_lock);
}

static bool
is_under_test(const char *version_id)
{
	bool	 is_found = false;

	pthread_mutex_lock(&testing_lock);
	for (size_t i = 0; i < TESTS_MAX && !is_found; i++)
		is_found = testing[i][0] != '\0' &&
		    strcmp(testing[i], version_id) == 0;
	pthread_mutex_unlock(&testing_lock);
	return is_found;
}

enum status
core_rotation_due(const struct core_env *env, int64_t now_ms, size_t limit,
    struct rotation_record **out, size_t *count)
{
	struct store_rotation_query q;
	struct store_txn	*txn = NULL;
	enum status		 st;

	memset(&q, 0, sizeof(q));
	q.due_at = now_ms > 0 ? now_ms : 1;
	q.limit = limit;
	if ((st = store_begin(env->store, false, &txn)) != STATUS_OK)
		return st;
	st = store_rotation_list(txn, &q, out, count);
	store_rollback(txn);
	return st;
}

void
core_rotation_claim_cleanup(struct core_rotation_claim *c)
{
	rotation_record_cleanup(&c->rotation);
	free(c->secret_name);
	free(c->version_id);
	rotation_function_record_cleanup(&c->function);
	sts_credentials_cleanup(&c->credentials);
	memset(c, 0, sizeof(*c));
}

/* The credentials of an attempt: a session (ASIA...), or a long-term key
 * of sesame-rotation left by an earlier version of Sesame. */
static enum status
key_delete(struct store_txn *txn, const char *access_key_id)
{
	struct iam_session_record session;
	enum status	 st;

	if (access_key_id == NULL)
		return STATUS_OK;
	memset(&session, 0, sizeof(session));
	st = store_iam_session_get(txn, access_key_id, &session);
	if (st == STATUS_OK)
		st = store_iam_session_delete(txn, session.account_id,
		    access_key_id);
	iam_session_record_cleanup(&session);
	if (st != STATUS_OK && st != STATUS_NOT_FOUND)
		return st;
	st = store_access_key_delete(txn, access_key_id);
	return st == STATUS_NOT_FOUND ? STATUS_OK : st;
}

/* The version holding AWSPENDING without AWSCURRENT, or NULL. */
static const char *
pending_version_id(const struct version_record *v, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (core_stages_contain(v[i].stages, v[i].stage_count,
		    STAGE_PENDING) && !core_stages_contain(v[i].stages,
		    v[i].stage_count, STAGE_CURRENT))
			return v[i].version_id;
	return NULL;
}

enum status
core_rotation_claim(const struct core_env *env,
    const struct core_rotation_claim_input *in, struct core_rotation_claim *out,
    struct error *err)
{
	struct core_rotation_claim c;
	struct store_txn	*txn = NULL;
	struct rotation_record	*row = &c.rotation;
	struct secret_record	 secret;
	struct version_record	*versions = NULL;
	struct arn_parts	 parts;
	size_t			 version_count = 0;
	const char		*token, *name;
	char			 uuid[37], rotation_token[37];
	enum status		 st;

	memset(&c, 0, sizeof(c));
	memset(&secret, 0, sizeof(secret));
	if ((st = store_begin(env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = store_rotation_get(txn, in->secret_id, row)) != STATUS_OK)
		goto out;
	if (!core_rotation_is_due(row, in->now_ms) ||
	    row->secret_deleted_at != 0 ||
	    (row->lease_owner != NULL &&
	    strcmp(row->lease_owner, in->owner) != 0 &&
	    in->lease_is_live(row->lease_owner, row->lease_until,
	    in->now_ms))) {
		st = STATUS_NOT_FOUND;
		goto out;
	}
	if ((st = store_secret_get_by_arn(txn, row->secret_arn, &secret)) !=
	    STATUS_OK ||
	    (st = store_version_list(txn, secret.id, &versions,
	    &version_count)) != STATUS_OK)
		goto out;

	/* The rotation in progress, a version left pending, or a new one. */
	if ((token = row->pending_version_id) == NULL) {
		token = pending_version_id(versions, version_count);
		/* RotateSecret's test of the function, not a rotation: wait
		 * until it has taken its AWSPENDING away. */
		if (token != NULL && is_under_test(token)) {
			st = STATUS_NOT_FOUND;
			goto out;
		}
		if (token == NULL) {
			if ((st = core_uuid(uuid)) != STATUS_OK)
				goto out;
			token = uuid;
			c.is_new = true;
		}
		row->started_at = in->now_ms;
		row->attempt_count = 0;
		if ((st = set_text(&row->step, NULL)) != STATUS_OK ||
		    (st = set_text(&row->last_error, NULL)) != STATUS_OK)
			goto out;
	}
	if ((c.version_id = strdup(token)) == NULL ||
	    (c.secret_name = strdup(secret.name)) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	if ((st = core_uuid(rotation_token)) != STATUS_OK ||
	    (st = set_text(&row->pending_version_id, c.version_id)) !=
	    STATUS_OK ||
	    (st = set_text(&row->rotation_token, rotation_token)) != STATUS_OK ||
	    (st = set_text(&row->status, ROTATION_STATUS_IN_PROGRESS)) !=
	    STATUS_OK ||
	    (st = set_text(&row->lease_owner, in->owner)) != STATUS_OK)
		goto out;
	row->attempt_count++;
	row->retry_at = in->now_ms;	/* see core_rotation_finish */
	row->lease_until = in->lease_until;
	row->updated_at = in->now_ms;

	/* A key left by an attempt that died goes now. */
	if ((st = key_delete(txn, row->access_key_id)) != STATUS_OK ||
	    (st = set_text(&row->access_key_id, NULL)) != STATUS_OK)
		goto out;
	/* An unusable function is the runner's failure to record. */
	if (!core_lambda_arn_parse(row->lambda_arn, &parts, &name)) {
		memset(&c.function, 0, sizeof(c.function));
	} else if (strncmp(name, ROTATION_BUILTIN_PREFIX,
	    strlen(ROTATION_BUILTIN_PREFIX)) == 0) {
		c.is_builtin = true;
	} else {
		st = store_rotation_function_get(txn, row->lambda_arn,
		    &c.function);
		if (st == STATUS_NOT_FOUND)
			memset(&c.function, 0, sizeof(c.function));
		else if (st != STATUS_OK)
			goto out;
	}
	if ((st = store_rotation_put(txn, row)) != STATUS_OK)
		goto out;
	st = store_commit(txn);
	txn = NULL;
	if (st != STATUS_OK)
		goto out;
	*out = c;
	memset(&c, 0, sizeof(c));
out:
	store_rollback(txn);
	secret_record_cleanup(&secret);
	version_records_free(versions, version_count);
	core_rotation_claim_cleanup(&c);
	return st;
}

/* Mint a session of user sesame-rotation for account_id inside txn. */
static enum status
rotation_session_mint(const struct core_env *env, struct store_txn *txn,
    const char *account_id, const char *policy, int64_t now_ms,
    int64_t expires_at, struct sts_credentials *out)
{
	struct iam_session_record rec;
	char			 arn[96], user_id[32];
	size_t			 purged;
	enum status		 st;

	memset(&rec, 0, sizeof(rec));
	memcpy(user_id, "AIDA", 4);
	if ((st = random_string(KEY_ID_ALPHABET, 17, user_id + 4)) !=
	    STATUS_OK)
		return st;
	user_id[21] = '\0';
	snprintf(arn, sizeof(arn), "arn:aws:iam::%s:user/%s", account_id,
	    ROTATION_KEY_USER_NAME);
	rec.type = (char *)IAM_TYPE_USER;
	rec.account_id = (char *)account_id;
	rec.arn = arn;
	rec.user_id = user_id;
	rec.user_name = (char *)ROTATION_KEY_USER_NAME;
	rec.source_access_key_id = (char *)ROTATION_SESSION_SOURCE;
	/* The account's own identity, narrowed by the session policy: the
	 * policy engine holds an administrator's session to its policy. */
	rec.is_account_administrator = true;
	rec.policy = (char *)policy;
	rec.created_at = now_ms;
	rec.expires_at = expires_at;
	if ((st = store_iam_session_purge(txn, now_ms - IAM_SESSION_KEEP_MS,
	    IAM_SESSION_PURGE_BATCH, &purged)) != STATUS_OK)
		return st;
	return iam_session_mint(env, txn, &rec, out);
}

enum status
core_rotation_credentials_create(const struct core_env *env,
    struct core_rotation_claim *c, const char *owner, const char *policy,
    int64_t now_ms, int64_t expires_at)
{
	struct sts_credentials	 creds;
	struct store_txn	*txn = NULL;
	struct rotation_record	 row;
	enum status		 st;

	memset(&row, 0, sizeof(row));
	memset(&creds, 0, sizeof(creds));
	if ((st = store_begin(env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = store_rotation_get(txn, c->rotation.secret_id, &row)) !=
	    STATUS_OK)
		goto out;
	if (!text_equal(row.pending_version_id, c->version_id) ||
	    !text_equal(row.lease_owner, owner)) {
		st = STATUS_NOT_FOUND;
		goto out;
	}
	if ((st = key_delete(txn, row.access_key_id)) != STATUS_OK ||
	    (st = rotation_session_mint(env, txn, row.account_id, policy,
	    now_ms, expires_at, &creds)) != STATUS_OK ||
	    (st = set_text(&row.access_key_id, creds.key.access_key_id)) !=
	    STATUS_OK ||
	    (st = store_rotation_put(txn, &row)) != STATUS_OK)
		goto out;
	st = store_commit(txn);
	txn = NULL;
	if (st != STATUS_OK)
		goto out;
	sts_credentials_cleanup(&c->credentials);
	c->credentials = creds;
	c->has_credentials = true;
	memset(&creds, 0, sizeof(creds));
out:
	store_rollback(txn);
	rotation_record_cleanup(&row);
	sts_credentials_cleanup(&creds);
	return st;
}

enum status
core_rotation_test_credentials_create(const struct core_env *env,
    const char *account_id, const char *policy, int64_t now_ms,
    int64_t expires_at, struct sts_credentials *out)
{
	struct store_txn	*txn = NULL;
	enum status		 st;

	if ((st = store_begin(env->store, true, &txn)) != STATUS_OK)
		return st;
	if ((st = rotation_session_mint(env, txn, account_id, policy, now_ms,
	    expires_at, out)) == STATUS_OK) {
		st = store_commit(txn);
		txn = NULL;
		if (st != STATUS_OK)
			sts_credentials_cleanup(out);
	}
	store_rollback(txn);
	return st;
}

enum status
core_rotation_credentials_delete(const struct core_env *env,
    const char *access_key_id)
{
	struct store_txn	*txn = NULL;
	enum status		 st;

	if ((st = store_begin(env->store, true, &txn)) != STATUS_OK)
		return st;
	if ((st = key_delete(txn, access_key_id)) == STATUS_OK) {
		st = store_commit(txn);
		txn = NULL;
	}
	store_rollback(txn);
	return st;
}

enum status
core_rotation_progress(const struct core_env *env, int64_t secret_id,
    const char *owner, const char *version_id, const char *step,
    int64_t lease_until)
{
	struct store_txn	*txn = NULL;
	struct rotation_record	 row;
	enum status		 st;

	memset(&row, 0, sizeof(row));
	if ((st = store_begin(env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = store_rotation_get(txn, secret_id, &row)) != STATUS_OK)
		goto out;
	if (!text_equal(row.pending_version_id, version_id) ||
	    !text_equal(row.lease_owner, owner)) {
		st = STATUS_NOT_FOUND;
		goto out;
	}
	if ((st = set_text(&row.step, step)) != STATUS_OK)
		goto out;
	row.lease_until = lease_until;
	if ((st = store_rotation_put(txn, &row)) != STATUS_OK)
		goto out;
	st = store_commit(txn);
	txn = NULL;
out:
	store_rollback(txn);
	rotation_record_cleanup(&row);
	return st;
}

enum status
core_rotation_finish(const struct core_env *env, int64_t secret_id,
    const char *owner, const char *version_id, const char *access_key_id,
    const struct core_rotation_outcome *o)
{
	struct store_txn	*txn = NULL;
	struct rotation_record	 row;
	enum status		 st;

	memset(&row, 0, sizeof(row));
	if ((st = store_begin(env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = key_delete(txn, access_key_id)) != STATUS_OK)
		goto out;
	st = store_rotation_get(txn, secret_id, &row);
	if (st == STATUS_NOT_FOUND) {
		st = store_commit(txn);
		txn = NULL;
		goto out;
	}
	if (st != STATUS_OK)
		goto out;
	if (text_equal(row.lease_owner, owner)) {
		if ((st = set_text(&row.lease_owner, NULL)) != STATUS_OK)
			goto out;
		row.lease_until = 0;
	}
	if (text_equal(row.access_key_id, access_key_id) &&
	    (st = set_text(&row.access_key_id, NULL)) != STATUS_OK)
		goto out;
	if (text_equal(row.pending_version_id, version_id)) {
		if ((st = set_text(&row.step, o->step)) != STATUS_OK)
			goto out;
		if (o->is_success) {
			row.last_rotated_at = o->now_ms;
			row.attempt_count = 0;
			row.started_at = 0;
			row.retry_at = 0;
			if (o->plan != NULL) {
				row.next_window_at = o->plan->next_window_at;
				row.next_window_end_at =
				    o->plan->next_window_end_at;
			}
			if ((st = set_text(&row.pending_version_id, NULL)) !=
			    STATUS_OK ||
			    (st = set_text(&row.rotation_token, NULL)) !=
			    STATUS_OK ||
			    (st = set_text(&row.last_error, NULL)) != STATUS_OK ||
			    (st = set_text(&row.status,
			    ROTATION_STATUS_SUCCEEDED)) != STATUS_OK)
				goto out;
		} else {
			/* A RotateSecret retry that came in meanwhile stands. */
			if (row.retry_at <= o->claimed_at)
				row.retry_at = o->retry_at;
			if ((st = set_text(&row.last_error, o->error_message)) !=
			    STATUS_OK ||
			    (st = set_text(&row.status, ROTATION_STATUS_FAILED)) !=
			    STATUS_OK)
				goto out;
		}
	}
	row.updated_at = o->now_ms;
	if ((st = store_rotation_put(txn, &row)) != STATUS_OK)
		goto out;
	st = store_commit(txn);
	txn = NULL;
out:
	store_rollback(txn);
	rotation_record_cleanup(&row);
	return st;
}

enum status
core_rotation_reschedule(const struct core_env *env, int64_t secret_id,
    const struct core_rotation_plan *plan, int64_t now_ms)
{
	struct store_txn	*txn = NULL;
	struct rotation_record	 row;
	enum status		 st;

	memset(&row, 0, sizeof(row));
	if ((st = store_begin(env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = store_rotation_get(txn, secret_id, &row)) != STATUS_OK)
		goto out;
	row.next_window_at = plan->next_window_at;
	row.next_window_end_at = plan->next_window_end_at;
	row.updated_at = now_ms;
	if ((st = store_rotation_put(txn, &row)) != STATUS_OK)
		goto out;
	st = store_commit(txn);
	txn = NULL;
out:
	store_rollback(txn);
	rotation_record_cleanup(&row);
	return st;
}

enum status
core_rotation_keys_sweep(const struct core_env *env, int64_t now_ms,
    core_lease_live_fn lease_is_live)
{
	struct store_rotation_query q;
	struct store_txn	*txn = NULL;
	struct access_key_record *keys = NULL;
	struct rotation_record	*rows = NULL;
	size_t			 key_count = 0, row_count = 0, deleted = 0;
	enum status		 st;

	memset(&q, 0, sizeof(q));
	q.limit = SIZE_MAX;
	/* Most of the time there is nothing: look before taking the lock. */
	if ((st = store_begin(env->store, false, &txn)) != STATUS_OK)
		goto out;
	st = store_access_key_list_by_user(txn, ROTATION_KEY_USER_NAME, &keys,
	    &key_count);
	store_rollback(txn);
	txn = NULL;
	if (st != STATUS_OK || key_count == 0)
		goto out;
	access_key_records_free(keys, key_count);
	keys = NULL;
	key_count = 0;
	if ((st = store_begin(env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = store_access_key_list_by_user(txn, ROTATION_KEY_USER_NAME,
	    &keys, &key_count)) != STATUS_OK || key_count == 0)
		goto out;
	if ((st = store_rotation_list(txn, &q, &rows, &row_count)) != STATUS_OK)
		goto out;
	for (size_t i = 0; i < key_count; i++) {
		bool is_held = false;

		for (size_t j = 0; j < row_count && !is_held; j++)
			is_held = text_equal(rows[j].access_key_id,
			    keys[i].access_key_id) &&
			    rows[j].lease_owner != NULL &&
			    lease_is_live(rows[j].lease_owner,
			    rows[j].lease_until, now_ms);
		if (is_held)
			continue;
		if ((st = key_delete(txn, keys[i].access_key_id)) != STATUS_OK)
			goto out;
		deleted++;
		for (size_t j = 0; j < row_count; j++) {
			if (!text_equal(rows[j].access_key_id,
			    keys[i].access_key_id))
				continue;
			if ((st = set_text(&rows[j].access_key_id, NULL)) !=
			    STATUS_OK ||
			    (st = store_rotation_put(txn, &rows[j])) !=
			    STATUS_OK)
				goto out;
		}
	}
	st = store_commit(txn);
	txn = NULL;
	if (st == STATUS_OK && deleted > 0)
		log_info("rotation: deleted %zu access key(s) of finished "
		    "rotations", deleted);
out:
	store_rollback(txn);
	access_key_records_free(keys, key_count);
	rotation_records_free(rows, row_count);
	return st;
}
