/*
 * rotation.c: RotateSecret and CancelRotateSecret, and the rotation rows
 * DescribeSecret and ListSecrets show.
 *
 * Invariants kept here:
 * - a secret has at most one rotation in progress: its row's
 *   pending_version_id, or a version holding AWSPENDING without AWSCURRENT
 *   (AWS's own test); RotateSecret with another token is refused then, and
 *   with the same token resumes it;
 * - RotateSecret never touches a secret's versions or labels: the runner
 *   does, step by step (rotation/), so AWSCURRENT keeps working until
 *   finishSecret moves it;
 * - the pre-flight check (a call to the database, or a look at a function)
 *   runs outside any transaction, and everything it decided is checked
 *   again in the write transaction that stores the configuration.
 *
 * Thread-safety: reentrant; the wake hook is guarded by a mutex.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "core/core.h"
#include "core/core_internal.h"

#define MSG_NO_FUNCTION	"No Lambda rotation function ARN is associated " \
			"with this secret."
#define MSG_VERSION_EXISTS "You can't modify an existing version, you can " \
			"only create a new version."

static pthread_mutex_t	 wake_lock = PTHREAD_MUTEX_INITIALIZER;
static core_rotation_wake_fn wake_fn;		/* guarded by wake_lock */
static void		*wake_arg;		/* guarded by wake_lock */

void
core_rotation_wake_set(core_rotation_wake_fn fn, void *arg)
{
	pthread_mutex_lock(&wake_lock);
	wake_fn = fn;
	wake_arg = arg;
	pthread_mutex_unlock(&wake_lock);
}

static void
rotation_wake(void)
{
	pthread_mutex_lock(&wake_lock);
	if (wake_fn != NULL)
		wake_fn(wake_arg);
	pthread_mutex_unlock(&wake_lock);
}

void
core_rotate_output_cleanup(struct core_rotate_output *out)
{
	free(out->arn);
	free(out->name);
	free(out->version_id);
	memset(out, 0, sizeof(*out));
}

bool
core_lambda_arn_parse(const char *arn, struct arn_parts *parts,
    const char **name)
{
	const char	*n;
	size_t		 len;

	if (arn == NULL || arn_parse(arn, parts) != STATUS_OK ||
	    strcmp(parts->partition, "aws") != 0 ||
	    strcmp(parts->service, "lambda") != 0 ||
	    parts->region[0] == '\0' ||
	    strlen(parts->account_id) != ACCOUNT_ID_LEN ||
	    strncmp(parts->resource, "function:", 9) != 0)
		return false;
	for (const char *p = parts->account_id; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	n = arn + strlen(arn) - strlen(parts->resource) + 9;
	len = strlen(n);
	if (len == 0 || len > 64)
		return false;
	for (const char *p = n; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return false;
	*name = n;
	return true;
}

/* The version holding AWSPENDING without AWSCURRENT, or NULL. */
static const struct version_record *
pending_version(const struct version_record *v, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (core_stages_contain(v[i].stages, v[i].stage_count,
		    STAGE_PENDING) && !core_stages_contain(v[i].stages,
		    v[i].stage_count, STAGE_CURRENT))
			return &v[i];
	return NULL;
}

static const struct version_record *
version_find(const struct version_record *v, size_t count, const char *id)
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(v[i].version_id, id) == 0)
			return &v[i];
	return NULL;
}

static enum status
strdup_into(char **dst, const char *src)
{
	char *copy = NULL;

	if (src != NULL && (copy = strdup(src)) == NULL)
		return STATUS_NO_MEMORY;
	free(*dst);
	*dst = copy;
	return STATUS_OK;
}

enum rotate_action {
	ROTATE_CONFIGURE,	/* store the configuration only */
	ROTATE_START,		/* and start a rotation with the token */
	ROTATE_RESUME,		/* and retry the rotation of the token now */
	ROTATE_DONE,		/* the token's rotation already completed */
};

/* What RotateSecret works with, loaded (and checked) in one transaction. */
struct rotate_state {
	struct secret_record	 secret;
	struct rotation_record	 row;
	bool			 has_row;
	struct version_record	*versions;
	size_t			 version_count;
	char			*lambda_arn;	/* the function to use */
	struct core_rotation_rules rules;	/* the rules to use */
	char			*duration;	/* rules' strings */
	char			*expression;
	struct core_rotation_plan plan;
	enum rotate_action	 action;
};

static void
rotate_state_cleanup(struct rotate_state *rs)
{
	secret_record_cleanup(&rs->secret);
	rotation_record_cleanup(&rs->row);
	version_records_free(rs->versions, rs->version_count);
	free(rs->lambda_arn);
	free(rs->duration);
	free(rs->expression);
	memset(rs, 0, sizeof(*rs));
}

static enum status
rotate_load(struct core_request *req, struct store_txn *txn,
    const struct core_rotate_input *in, struct rotate_state *rs,
    struct error *err)
{
	const struct core_rotation_rules *rules = in->rules;
	const struct version_record *pending, *mine;
	const char	*token = in->client_request_token;
	enum status	 st;

	rotate_state_cleanup(rs);
	if ((st = core_secret_load(req, txn, in->secret_id, &rs->secret,
	    err)) != STATUS_OK)
		return st;
	if (rs->secret.deleted_at != 0)
		return core_deleted_secret_error(req, err);
	if ((st = core_replica_write_error(req, &rs->secret, err)) !=
	    STATUS_OK)
		return st;
	st = store_rotation_get(txn, rs->secret.id, &rs->row);
	if (st != STATUS_OK && st != STATUS_NOT_FOUND)
		return st;
	rs->has_row = st == STATUS_OK;

	/* The function and the rules: given, else stored. */
	if ((st = strdup_into(&rs->lambda_arn, in->lambda_arn != NULL ?
	    in->lambda_arn : rs->row.lambda_arn)) != STATUS_OK)
		return st;
	if (rs->lambda_arn == NULL || rs->lambda_arn[0] == '\0')
		return error_set(err, STATUS_INVALID_REQUEST, MSG_NO_FUNCTION);
	if (rules != NULL) {
		rs->rules.after_days = rules->after_days;
		if ((st = strdup_into(&rs->duration, rules->duration)) !=
		    STATUS_OK ||
		    (st = strdup_into(&rs->expression,
		    rules->schedule_expression)) != STATUS_OK)
			return st;
	} else if (rs->has_row) {
		rs->rules.after_days = rs->row.after_days;
		if ((st = strdup_into(&rs->duration, rs->row.duration)) !=
		    STATUS_OK ||
		    (st = strdup_into(&rs->expression,
		    rs->row.schedule_expression)) != STATUS_OK)
			return st;
	}
	rs->rules.duration = rs->duration;
	rs->rules.schedule_expression = rs->expression;
	if ((st = in->plan(in->hook_arg, &rs->rules, rs->row.last_rotated_at,
	    req->now_ms, &rs->plan, err)) != STATUS_OK)
		return st;

	/* One rotation at a time. */
	if ((st = store_version_list(txn, rs->secret.id, &rs->versions,
	    &rs->version_count)) != STATUS_OK)
		return st;
	pending = pending_version(rs->versions, rs->version_count);
	if ((pending != NULL && strcmp(pending->version_id, token) != 0) ||
	    (rs->row.pending_version_id != NULL &&
	    strcmp(rs->row.pending_version_id, token) != 0))
		return error_set(err, STATUS_INVALID_REQUEST,
		    MSG_ROTATION_IN_PROGRESS);

	rs->action = ROTATE_CONFIGURE;
	if (!in->rotate_immediately)
		return STATUS_OK;
	mine = version_find(rs->versions, rs->version_count, token);
	if (mine == NULL)
		rs->action = ROTATE_START;
	else if (mine == pending || (rs->row.pending_version_id != NULL &&
	    !core_stages_contain(mine->stages, mine->stage_count,
	    STAGE_CURRENT)))
		rs->action = ROTATE_RESUME;
	else if (core_stages_contain(mine->stages, mine->stage_count,
	    STAGE_CURRENT))
		rs->action = rs->row.pending_version_id != NULL ?
		    ROTATE_RESUME : ROTATE_DONE;
	else
		return error_set(err, STATUS_INVALID_REQUEST,
		    MSG_VERSION_EXISTS);
	return STATUS_OK;
}

static enum status
rotate_output(struct core_rotate_output *out, const struct rotate_state *rs,
    const char *version_id)
{
	memset(out, 0, sizeof(*out));
	out->arn = strdup(rs->secret.arn);
	out->name = strdup(rs->secret.name);
	if (out->arn == NULL || out->name == NULL ||
	    (version_id != NULL && (out->version_id = strdup(version_id)) ==
	    NULL)) {
		core_rotate_output_cleanup(out);
		return STATUS_NO_MEMORY;
	}
	return STATUS_OK;
}

enum status
core_secret_rotate(struct core_request *req, const struct core_rotate_input *in,
    struct core_rotate_output *out, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct rotate_state	 rs;
	struct rotation_record	*row;
	char			*master_arn = NULL;
	enum status		 st;

	memset(&rs, 0, sizeof(rs));
	if ((st = store_begin(req->env->store, false, &txn)) != STATUS_OK)
		goto out;
	if ((st = rotate_load(req, txn, in, &rs, err)) != STATUS_OK)
		goto out;
	store_rollback(txn);
	txn = NULL;

	if (in->preflight != NULL && (st = in->preflight(in->hook_arg, req,
	    &rs.secret, rs.lambda_arn, in->rotate_immediately, &master_arn,
	    err)) != STATUS_OK)
		goto out;

	/* Everything again, under the write lock, then store it. */
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = rotate_load(req, txn, in, &rs, err)) != STATUS_OK)
		goto out;
	row = &rs.row;
	row->secret_id = rs.secret.id;
	row->is_enabled = true;
	row->after_days = rs.rules.after_days;
	row->display_days = rs.plan.display_days;
	row->next_window_at = rs.plan.next_window_at;
	row->next_window_end_at = rs.plan.next_window_end_at;
	if ((st = strdup_into(&row->master_arn, master_arn)) != STATUS_OK ||
	    (st = strdup_into(&row->lambda_arn, rs.lambda_arn)) != STATUS_OK ||
	    (st = strdup_into(&row->duration, rs.duration)) != STATUS_OK ||
	    (st = strdup_into(&row->schedule_expression, rs.expression)) !=
	    STATUS_OK)
		goto out;
	switch (rs.action) {
	case ROTATE_START:
		if ((st = strdup_into(&row->pending_version_id,
		    in->client_request_token)) != STATUS_OK ||
		    (st = strdup_into(&row->rotation_token, NULL)) != STATUS_OK ||
		    (st = strdup_into(&row->step, NULL)) != STATUS_OK ||
		    (st = strdup_into(&row->last_error, NULL)) != STATUS_OK)
			goto out;
		row->attempt_count = 0;
		row->started_at = req->now_ms;
		/* FALLTHROUGH */
	case ROTATE_RESUME:
		if ((st = strdup_into(&row->pending_version_id,
		    in->client_request_token)) != STATUS_OK ||
		    (st = strdup_into(&row->status,
		    ROTATION_STATUS_IN_PROGRESS)) != STATUS_OK)
			goto out;
		if (row->started_at == 0)
			row->started_at = req->now_ms;
		row->retry_at = req->now_ms;
		break;
	default:
		break;
	}
	row->updated_at = req->now_ms;
	rs.secret.last_changed_at = req->now_ms;
	if ((st = store_rotation_put(txn, row)) != STATUS_OK ||
	    (st = store_secret_update(txn, &rs.secret)) != STATUS_OK)
		goto out;
	st = store_commit(txn);
	txn = NULL;
	if (st != STATUS_OK)
		goto out;
	if (rs.action == ROTATE_START || rs.action == ROTATE_RESUME) {
		log_info("rotation of %s requested (version %s)", rs.secret.arn,
		    in->client_request_token);
		rotation_wake();
	}
	st = rotate_output(out, &rs, rs.action == ROTATE_CONFIGURE ? NULL :
	    in->client_request_token);
out:
	store_rollback(txn);
	rotate_state_cleanup(&rs);
	free(master_arn);
	return st;
}

enum status
core_secret_cancel_rotation(struct core_request *req, const char *secret_id,
    struct core_rotate_output *out, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct rotate_state	 rs;
	const struct version_record *pending;
	const char		*version_id = NULL;
	char			*abandoned = NULL;
	enum status		 st;

	memset(&rs, 0, sizeof(rs));
	if ((st = store_begin(req->env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = core_secret_load(req, txn, secret_id, &rs.secret, err)) !=
	    STATUS_OK)
		goto out;
	if (rs.secret.deleted_at != 0) {
		st = core_deleted_secret_error(req, err);
		goto out;
	}
	if ((st = core_replica_write_error(req, &rs.secret, err)) != STATUS_OK)
		goto out;
	st = store_rotation_get(txn, rs.secret.id, &rs.row);
	if (st != STATUS_OK && st != STATUS_NOT_FOUND)
		goto out;
	if ((st = store_version_list(txn, rs.secret.id, &rs.versions,
	    &rs.version_count)) != STATUS_OK)
		goto out;
	pending = pending_version(rs.versions, rs.version_count);
	version_id = rs.row.pending_version_id != NULL ?
	    rs.row.pending_version_id : pending != NULL ? pending->version_id :
	    NULL;
	if ((st = strdup_into(&abandoned, version_id)) != STATUS_OK)
		goto out;
	if (rs.row.pending_version_id != NULL) {
		if ((st = strdup_into(&rs.row.status,
		    ROTATION_STATUS_CANCELLED)) != STATUS_OK)
			goto out;
		log_info("rotation of %s (version %s) cancelled", rs.secret.arn,
		    rs.row.pending_version_id);
	}
	rs.row.secret_id = rs.secret.id;
	rs.row.is_enabled = false;
	rs.row.next_window_at = 0;
	rs.row.next_window_end_at = 0;
	rs.row.retry_at = 0;
	if ((st = strdup_into(&rs.row.pending_version_id, NULL)) != STATUS_OK ||
	    (st = strdup_into(&rs.row.rotation_token, NULL)) != STATUS_OK)
		goto out;
	rs.row.updated_at = req->now_ms;
	rs.secret.last_changed_at = req->now_ms;
	if ((st = store_rotation_put(txn, &rs.row)) != STATUS_OK ||
	    (st = store_secret_update(txn, &rs.secret)) != STATUS_OK)
		goto out;
	st = store_commit(txn);
	txn = NULL;
	if (st != STATUS_OK)
		goto out;
	st = rotate_output(out, &rs, abandoned);
out:
	store_rollback(txn);
	rotate_state_cleanup(&rs);
	free(abandoned);
	return st;
}

enum status
core_rotation_records_get(const struct core_env *env, const int64_t *secret_ids,
    size_t count, struct rotation_record *out)
{
	struct store_txn	*txn = NULL;
	enum status		 st;
	size_t			 i;

	memset(out, 0, count * sizeof(*out));
	if (count == 0)
		return STATUS_OK;
	if ((st = store_begin(env->store, false, &txn)) != STATUS_OK)
		return st;
	for (i = 0; i < count; i++) {
		st = store_rotation_get(txn, secret_ids[i], &out[i]);
		if (st == STATUS_NOT_FOUND) {
			memset(&out[i], 0, sizeof(out[i]));
			st = STATUS_OK;
		}
		if (st != STATUS_OK)
			break;
	}
	store_rollback(txn);
	if (st != STATUS_OK)
		for (size_t j = 0; j < count; j++)
			rotation_record_cleanup(&out[j]);
	return st;
}

enum status
core_rotation_list(const struct core_env *env, const char *account_id,
    struct rotation_record **out, size_t *count)
{
	struct store_rotation_query q;
	struct store_txn	*txn = NULL;
	enum status		 st;

	memset(&q, 0, sizeof(q));
	q.account_id = account_id;
	q.limit = SIZE_MAX;
	if ((st = store_begin(env->store, false, &txn)) != STATUS_OK)
		return st;
	st = store_rotation_list(txn, &q, out, count);
	store_rollback(txn);
	return st;
}
