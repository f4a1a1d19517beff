/*
 * rotation_run.c: one attempt of the rotation protocol, and RotateSecret's
 * pre-flight check.
 *
 * The protocol is AWS's: createSecret stores the new value as the version
 * named by the rotation's ClientRequestToken with the label AWSPENDING;
 * setSecret makes it valid where it is used; testSecret proves it works;
 * finishSecret moves AWSCURRENT to it (AWSPREVIOUS follows the old one).
 * Until finishSecret, AWSCURRENT is never touched, so a failed attempt
 * leaves the application's secret as it was; the next attempt starts again
 * from createSecret with the same pending version (each step is
 * idempotent: an existing pending version is reused, a password already
 * set is not set again).  After finishSecret the runner checks that
 * AWSCURRENT did move, and takes AWSPENDING off the new version.
 *
 * Built-in rotators do the steps here, talking to the database through
 * struct rotator_ops; external functions do them all themselves, calling
 * back into the API (rotator_function.c).  For a single-user rotation that
 * changed the password and then failed, the old password is put back when
 * it no longer works and the new one does, so AWSCURRENT keeps working.
 *
 * Every step is an event for the audit log (cfg->on_event); messages name
 * the step and never carry a secret value.
 *
 * Thread-safety: one attempt runs on one thread; rotation_preflight is
 * reentrant.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "common/log.h"
#include "rotation/rotation.h"

#define PASSWORD_LENGTH		32
#define PASSWORD_EXCLUDED	"/@\"'\\"
#define CLONE_SUFFIX		"_clone"
#define LEASE_MARGIN_MS		(60LL * 1000)

struct run {
	const struct rotation_attempt	*a;
	const struct rotation_config	*cfg;
	const struct core_rotation_claim *c;
	const struct rotation_builtin	*builtin;	/* NULL: external */
	const struct rotator_ops	*ops;
	const char			*step;		/* running now */
	int64_t				 lease_ms;
	/* built-in rotators */
	char				*current_version_id;
	struct db_credentials		 current, pending, master;
	bool				 has_current, has_pending, has_master;
	bool				 did_set;	/* this attempt changed it */
};

int64_t
rotation_now_ms(const struct rotation_config *cfg)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 +
	    cfg->clock_offset_ms;
}

static void
emit(const struct run *r, const char *name, const char *step,
    const char *error_message)
{
	struct rotation_event ev;

	if (r->cfg->on_event == NULL)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.name = name;
	ev.time_ms = rotation_now_ms(r->cfg);
	ev.account_id = r->c->rotation.account_id;
	ev.region = r->c->rotation.region;
	ev.secret_arn = r->c->rotation.secret_arn;
	ev.function_arn = r->c->rotation.lambda_arn;
	ev.version_id = r->c->version_id;
	ev.step = step;
	ev.attempt = r->c->rotation.attempt_count;
	ev.error_message = error_message;
	r->cfg->on_event(r->cfg->on_event_arg, &ev);
}

static void
service_request(const struct run *r, struct core_request *req,
    const char *action)
{
	core_service_request_init(req, r->cfg->env, r->c->rotation.account_id,
	    r->c->rotation.region, action, rotation_now_ms(r->cfg));
}

/* Prefix a message with the step it happened in, once. */
static enum status
step_error(struct error *err, enum status st, const char *step,
    const char *message)
{
	char copy[ERROR_MESSAGE_MAX];

	snprintf(copy, sizeof(copy), "%s", message != NULL && message[0] !=
	    '\0' ? message : status_name(st));
	if (strncmp(copy, step, strlen(step)) == 0 && copy[strlen(step)] == ':')
		return error_set(err, st, "%s", copy);
	return error_set(err, st, "%s: %s", step, copy);
}

/* Which labels the rotation's version has now. */
static enum status
version_labels(const struct run *r, bool *has_pending, bool *has_current,
    bool *exists, struct error *err)
{
	struct core_request		 req;
	struct secret_description	 d;
	enum status			 st;

	memset(&d, 0, sizeof(d));
	*has_pending = *has_current = *exists = false;
	service_request(r, &req, "secretsmanager:DescribeSecret");
	if ((st = core_secret_describe(&req, r->c->rotation.secret_arn, &d,
	    err)) != STATUS_OK)
		return st;
	for (size_t i = 0; i < d.version_count; i++) {
		const struct version_record *v = &d.versions[i];

		if (strcmp(v->version_id, r->c->version_id) != 0)
			continue;
		*exists = true;
		for (size_t j = 0; j < v->stage_count; j++) {
			if (strcmp(v->stages[j], STAGE_PENDING) == 0)
				*has_pending = true;
			if (strcmp(v->stages[j], STAGE_CURRENT) == 0)
				*has_current = true;
		}
	}
	secret_description_cleanup(&d);
	return STATUS_OK;
}

/* ---- built-in rotators ---- */

/* A value of the secret as a JSON login; NULL value: no such version. */
static enum status
value_read(const struct run *r, const char *secret_id, const char *version_id,
    const char *stage, struct secret_buf **value, char **read_version_id,
    struct error *err)
{
	struct core_request		 req;
	struct secret_value_output	 v;
	enum status			 st;

	memset(&v, 0, sizeof(v));
	service_request(r, &req, "secretsmanager:GetSecretValue");
	if ((st = core_secret_get_value(&req, secret_id, version_id, stage, &v,
	    err)) != STATUS_OK)
		return st;
	if (v.version.is_binary) {
		secret_value_output_cleanup(&v);
		return error_set(err, STATUS_INVALID_PARAMETER, "the secret's "
		    "value is binary, not a JSON database login");
	}
	if (read_version_id != NULL &&
	    (*read_version_id = strdup(v.version.version_id)) == NULL) {
		secret_value_output_cleanup(&v);
		return STATUS_NO_MEMORY;
	}
	*value = v.value;
	v.value = NULL;
	secret_value_output_cleanup(&v);
	return STATUS_OK;
}

/* The pending value: current's login with a new password (and, for
 * alternating users, the other user). */
static enum status
pending_value_make(const struct run *r, const struct secret_buf *current,
    struct secret_buf **out, struct error *err)
{
	struct password_spec	 spec;
	struct secret_buf	*password = NULL, *text = NULL;
	json_t			*o = NULL, *username;
	size_t			 len;
	enum status		 st = STATUS_NO_MEMORY;

	if ((o = json_loadb((const char *)current->data, current->len, 0,
	    NULL)) == NULL || !json_is_object(o)) {
		st = error_set(err, STATUS_INVALID_PARAMETER, "the secret's "
		    "value is not a JSON object");
		goto out;
	}
	password_spec_default(&spec);
	spec.length = PASSWORD_LENGTH;
	spec.exclude_characters = PASSWORD_EXCLUDED;
	if ((st = password_generate(&spec, &password, err)) != STATUS_OK)
		goto out;
	st = STATUS_NO_MEMORY;
	if (json_object_set_new(o, "password", json_stringn((const char *)
	    password->data, password->len)) != 0)
		goto out;
	if (r->builtin->strategy == ROTATION_ALTERNATING_USERS) {
		const char	*name;
		char		*other;
		size_t		 n, suffix = strlen(CLONE_SUFFIX);

		username = json_object_get(o, "username");
		if (!json_is_string(username)) {
			st = error_set(err, STATUS_INVALID_PARAMETER, "the "
			    "secret's value has no \"username\" field");
			goto out;
		}
		name = json_string_value(username);
		n = strlen(name);
		if (n > suffix && strcmp(name + n - suffix, CLONE_SUFFIX) == 0)
			other = strndup(name, n - suffix);
		else if (asprintf(&other, "%s%s", name, CLONE_SUFFIX) < 0)
			other = NULL;
		if (other == NULL)
			goto out;
		if (json_object_set_new(o, "username", json_string(other)) !=
		    0) {
			free(other);
			goto out;
		}
		free(other);
	}
	len = json_dumpb(o, NULL, 0, JSON_COMPACT);
	if (len == 0 || (text = secret_buf_new(len)) == NULL)
		goto out;
	if (json_dumpb(o, (char *)text->data, len, JSON_COMPACT) != len)
		goto out;
	text->len = len;
	text->data[len] = '\0';
	*out = text;
	text = NULL;
	st = STATUS_OK;
out:
	json_decref(o);
	secret_buf_free(password);
	secret_buf_free(text);
	return st;
}

static enum status
engine_check(const struct rotation_builtin *b, const struct rotator_ops *ops,
    const struct db_credentials *c, struct error *err)
{
	if (c->engine != NULL && rotator_for_engine(c->engine) != ops)
		return error_set(err, STATUS_INVALID_PARAMETER, "the secret's "
		    "engine \"%.32s\" is not one %s rotates", c->engine,
		    b->name);
	return STATUS_OK;
}

/* The superuser of alternating-users rotation, from masterarn. */
static enum status
master_load(struct run *r, struct error *err)
{
	struct secret_buf	*value = NULL;
	enum status		 st;

	if (r->current.masterarn == NULL)
		return error_set(err, STATUS_INVALID_PARAMETER, "the secret's "
		    "value has no \"masterarn\" field (alternating users "
		    "rotation needs the superuser's secret)");
	if ((st = value_read(r, r->current.masterarn, NULL, STAGE_CURRENT,
	    &value, NULL, err)) != STATUS_OK)
		return st;
	st = db_credentials_parse(value, &r->master, err);
	secret_buf_free(value);
	return st;
}

static enum status
builtin_create(struct run *r, struct error *err)
{
	struct core_request		 req;
	struct secret_put_input		 pin;
	struct secret_write_output	 w;
	struct secret_buf		*current = NULL, *pending = NULL;
	const char			*stages[] = { STAGE_PENDING };
	struct error			 lookup;
	enum status			 st;

	memset(&w, 0, sizeof(w));
	free(r->current_version_id);
	r->current_version_id = NULL;
	if ((st = value_read(r, r->c->rotation.secret_arn, NULL, STAGE_CURRENT,
	    &current, &r->current_version_id, err)) != STATUS_OK)
		goto out;
	error_clear(&lookup);
	st = value_read(r, r->c->rotation.secret_arn, r->c->version_id,
	    STAGE_PENDING, &pending, NULL, &lookup);
	if (st == STATUS_NOT_FOUND) {
		if ((st = pending_value_make(r, current, &pending, err)) !=
		    STATUS_OK)
			goto out;
		memset(&pin, 0, sizeof(pin));
		pin.secret_id = r->c->rotation.secret_arn;
		pin.client_request_token = r->c->version_id;
		pin.value.is_present = true;
		pin.value.value = pending;
		pin.stages = stages;
		pin.stage_count = 1;
		service_request(r, &req, "secretsmanager:PutSecretValue");
		if ((st = core_secret_put_value(&req, &pin, &w, err)) !=
		    STATUS_OK)
			goto out;
	} else if (st != STATUS_OK) {
		st = error_set(err, st, "version %s exists without the label "
		    "AWSPENDING: %s", r->c->version_id, lookup.message);
		goto out;
	}
	db_credentials_cleanup(&r->current);
	db_credentials_cleanup(&r->pending);
	db_credentials_cleanup(&r->master);
	r->has_current = r->has_pending = r->has_master = false;
	if ((st = db_credentials_parse(current, &r->current, err)) != STATUS_OK)
		goto out;
	r->has_current = true;
	if ((st = db_credentials_parse(pending, &r->pending, err)) != STATUS_OK)
		goto out;
	r->has_pending = true;
	if ((st = engine_check(r->builtin, r->ops, &r->current, err)) !=
	    STATUS_OK)
		goto out;
	if (r->builtin->strategy == ROTATION_ALTERNATING_USERS) {
		if ((st = master_load(r, err)) != STATUS_OK)
			goto out;
		r->has_master = true;
	}
out:
	secret_write_output_cleanup(&w);
	secret_buf_free(current);
	secret_buf_free(pending);
	return st;
}

static enum status
builtin_set(struct run *r, struct error *err)
{
	struct error	 probe;
	enum status	 st;

	/* Set already (an earlier attempt got this far)? */
	error_clear(&probe);
	if (r->ops->test_login(&r->pending, &probe) == STATUS_OK)
		return STATUS_OK;
	st = r->ops->set_password(r->builtin->strategy, &r->current,
	    &r->pending, r->has_master ? &r->master : NULL, err);
	if (st == STATUS_OK)
		r->did_set = true;
	return st;
}

static enum status
builtin_test(struct run *r, struct error *err)
{
	return r->ops->test_login(&r->pending, err);
}

static enum status
builtin_finish(struct run *r, struct error *err)
{
	struct core_request		 req;
	struct secret_stage_input	 sin;
	struct secret_delete_output	 out;
	bool				 has_pending, has_current, exists;
	enum status			 st;

	if ((st = version_labels(r, &has_pending, &has_current, &exists,
	    err)) != STATUS_OK)
		return st;
	if (has_current)
		return STATUS_OK;
	memset(&out, 0, sizeof(out));
	memset(&sin, 0, sizeof(sin));
	sin.secret_id = r->c->rotation.secret_arn;
	sin.version_stage = STAGE_CURRENT;
	sin.move_to_version_id = r->c->version_id;
	sin.remove_from_version_id = r->current_version_id;
	service_request(r, &req, "secretsmanager:UpdateSecretVersionStage");
	st = core_secret_update_stage(&req, &sin, &out, err);
	secret_delete_output_cleanup(&out);
	return st;
}

/*
 * A single-user rotation that changed the password and did not finish:
 * when the password AWSCURRENT holds no longer works and the new one
 * does, change it back, so the application keeps a working login.
 */
static void
builtin_roll_back(struct run *r)
{
	struct error	 e;
	bool		 has_current;
	bool		 has_pending, exists;

	if (r->builtin == NULL || !r->did_set ||
	    r->builtin->strategy != ROTATION_SINGLE_USER ||
	    !r->has_current || !r->has_pending)
		return;
	error_clear(&e);
	if (version_labels(r, &has_pending, &has_current, &exists, &e) !=
	    STATUS_OK || has_current)
		return;		/* AWSCURRENT moved: nothing to undo */
	if (r->ops->test_login(&r->current, &e) == STATUS_OK)
		return;
	if (r->ops->test_login(&r->pending, &e) != STATUS_OK)
		return;
	if (r->ops->set_password(ROTATION_SINGLE_USER, &r->pending,
	    &r->current, NULL, &e) == STATUS_OK)
		log_warn("rotation of %s: the password was changed back to the "
		    "one AWSCURRENT holds", r->c->rotation.secret_arn);
	else
		log_error("rotation of %s: the database password no longer "
		    "matches AWSCURRENT and could not be changed back: %s",
		    r->c->rotation.secret_arn, e.message);
}

/* ---- an external function's credentials ---- */

/*
 * The master secret named by the "masterarn" field of secret_arn's
 * AWSCURRENT value, as its full ARN; NULL when there is none, it is not a
 * secret of the same account (the service reads within it only) or it is
 * the secret itself.  Read when RotateSecret configures rotation and kept
 * in the rotation's row: what a function may read is decided then, by
 * whoever may configure rotation, not by the value the function itself
 * writes later.
 */
static char *
master_arn_of(const struct core_env *env, const char *secret_arn,
    const char *account_id, const char *region, int64_t now_ms)
{
	struct core_request		 req;
	struct secret_value_output	 v;
	struct secret_description	 d;
	struct error			 e;
	const char			*name;
	json_t				*o = NULL;
	char				*arn = NULL;

	memset(&v, 0, sizeof(v));
	memset(&d, 0, sizeof(d));
	error_clear(&e);
	core_service_request_init(&req, env, account_id, region,
	    "secretsmanager:GetSecretValue", now_ms);
	if (core_secret_get_value(&req, secret_arn, NULL, STAGE_CURRENT, &v,
	    &e) != STATUS_OK || v.version.is_binary)
		goto out;
	if ((o = json_loadb((const char *)v.value->data, v.value->len, 0,
	    NULL)) == NULL ||
	    (name = json_string_value(json_object_get(o, "masterarn"))) ==
	    NULL)
		goto out;
	core_service_request_init(&req, env, account_id, region,
	    "secretsmanager:DescribeSecret", now_ms);
	if (core_secret_describe(&req, name, &d, &e) == STATUS_OK &&
	    strcmp(d.secret.arn, secret_arn) != 0)
		arn = strdup(d.secret.arn);
out:
	secret_description_cleanup(&d);
	json_decref(o);
	secret_value_output_cleanup(&v);
	return arn;
}

/*
 * The session policy of a function's credentials: what AWS's example
 * policy for a rotation function's execution role allows (the rotation's
 * Secrets Manager actions on the one secret, GetRandomPassword, and for
 * alternating users GetSecretValue on the master secret), plus
 * ListSecretVersionIds on the secret, which functions use to find
 * AWSCURRENT, and the use of KMS keys through Secrets Manager only (a
 * secret under a customer managed key needs kms:Decrypt and
 * kms:GenerateDataKey from its reader and writer; the key's policy still
 * decides).
 */
static enum status
function_policy(const struct run *r, char **out)
{
	json_t		*statements, *o = NULL;
	const char	*master;
	char		 via[128];
	enum status	 st = STATUS_NO_MEMORY;

	*out = NULL;
	snprintf(via, sizeof(via), "secretsmanager.%s.amazonaws.com",
	    r->c->rotation.region);
	statements = json_pack("[{s:s, s:[s, s, s, s, s], s:s}, "
	    "{s:s, s:s, s:s}, {s:s, s:[s, s], s:s, s:{s:{s:s}}}]",
	    "Effect", "Allow", "Action", "secretsmanager:DescribeSecret",
	    "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue",
	    "secretsmanager:UpdateSecretVersionStage",
	    "secretsmanager:ListSecretVersionIds",
	    "Resource", r->c->rotation.secret_arn,
	    "Effect", "Allow", "Action", "secretsmanager:GetRandomPassword",
	    "Resource", "*",
	    "Effect", "Allow", "Action", "kms:Decrypt", "kms:GenerateDataKey",
	    "Resource", "*", "Condition", "StringEquals", "kms:ViaService",
	    via);
	if (statements == NULL)
		return st;
	if ((master = r->c->rotation.master_arn) != NULL &&
	    json_array_append_new(statements, json_pack("{s:s, s:s, s:s}",
	    "Effect", "Allow", "Action", "secretsmanager:GetSecretValue",
	    "Resource", master)) != 0) {
		json_decref(statements);
		return st;
	}
	if ((o = json_pack("{s:s, s:o}", "Version", "2012-10-17", "Statement",
	    statements)) == NULL)
		return st;
	if ((*out = json_dumps(o, JSON_COMPACT)) != NULL)
		st = STATUS_OK;
	json_decref(o);
	return st;
}

/* Credentials for this attempt, valid for its four steps at most. */
static enum status
function_credentials(struct run *r, int64_t timeout_s, struct error *err)
{
	char		*policy = NULL;
	int64_t		 now = rotation_now_ms(r->cfg);
	enum status	 st;

	if ((st = function_policy(r, &policy)) != STATUS_OK)
		return error_set(err, st, "%s: the rotation function's "
		    "credentials could not be made", ROTATION_STEP_CREATE);
	st = core_rotation_credentials_create(r->cfg->env, r->a->claim,
	    r->a->owner, policy, now, now + 4 * (timeout_s * 1000 +
	    LEASE_MARGIN_MS));
	free(policy);
	if (st == STATUS_NOT_FOUND)
		return error_set(err, st, "%s: the rotation was cancelled",
		    ROTATION_STEP_CREATE);
	if (st != STATUS_OK)
		return error_set(err, st, "%s: the rotation function's "
		    "credentials could not be made (%s)", ROTATION_STEP_CREATE,
		    status_name(st));
	return STATUS_OK;
}

/* ---- one step ---- */

static enum status
step_run(struct run *r, const char *step, struct error *err)
{
	bool		 has_pending, has_current, exists;
	enum status	 st;

	if (r->builtin == NULL) {
		if ((st = rotator_function_invoke(r->a, &r->c->function, step,
		    err)) != STATUS_OK)
			return st;
		if (strcmp(step, ROTATION_STEP_CREATE) != 0)
			return STATUS_OK;
		/* Fail here rather than in three more steps. */
		if ((st = version_labels(r, &has_pending, &has_current, &exists,
		    err)) != STATUS_OK)
			return st;
		if (!exists || (!has_pending && !has_current))
			return error_set(err, STATUS_INVALID_REQUEST, "%s: the "
			    "rotation function did not store version %s with "
			    "the label AWSPENDING", step, r->c->version_id);
		return STATUS_OK;
	}
	if (strcmp(step, ROTATION_STEP_CREATE) == 0)
		return builtin_create(r, err);
	if (strcmp(step, ROTATION_STEP_SET) == 0)
		return builtin_set(r, err);
	if (strcmp(step, ROTATION_STEP_TEST) == 0)
		return builtin_test(r, err);
	return builtin_finish(r, err);
}

/* After finishSecret: AWSCURRENT is on the new version; AWSPENDING goes. */
static enum status
rotation_complete_check(struct run *r, struct error *err)
{
	struct core_request		 req;
	struct secret_stage_input	 sin;
	struct secret_delete_output	 out;
	struct error			 ignored;
	bool				 has_pending, has_current, exists;
	enum status			 st;

	if ((st = version_labels(r, &has_pending, &has_current, &exists,
	    err)) != STATUS_OK)
		return st;
	if (!has_current)
		return error_set(err, STATUS_INVALID_REQUEST, "%s: AWSCURRENT "
		    "was not moved to version %s", ROTATION_STEP_FINISH,
		    r->c->version_id);
	if (!has_pending)
		return STATUS_OK;
	memset(&out, 0, sizeof(out));
	memset(&sin, 0, sizeof(sin));
	sin.secret_id = r->c->rotation.secret_arn;
	sin.version_stage = STAGE_PENDING;
	sin.remove_from_version_id = r->c->version_id;
	service_request(r, &req, "secretsmanager:UpdateSecretVersionStage");
	error_clear(&ignored);
	if (core_secret_update_stage(&req, &sin, &out, &ignored) != STATUS_OK)
		log_warn("rotation of %s: AWSPENDING stays on version %s: %s",
		    r->c->rotation.secret_arn, r->c->version_id,
		    ignored.message);
	secret_delete_output_cleanup(&out);
	return STATUS_OK;
}

static void
run_cleanup(struct run *r)
{
	free(r->current_version_id);
	db_credentials_cleanup(&r->current);
	db_credentials_cleanup(&r->pending);
	db_credentials_cleanup(&r->master);
}

/* Record the end of the attempt. */
static void
attempt_end(struct run *r, bool is_success, const char *step,
    const char *message, bool is_interrupted)
{
	struct core_rotation_outcome	 o;
	struct core_rotation_plan	 plan;
	struct core_rotation_rules	 rules;
	struct error			 err;
	const struct rotation_record	*row = &r->c->rotation;
	enum status			 st;

	memset(&o, 0, sizeof(o));
	memset(&plan, 0, sizeof(plan));
	o.is_success = is_success;
	o.step = step;
	o.error_message = message;
	o.now_ms = rotation_now_ms(r->cfg);
	o.retry_at = o.now_ms + (is_interrupted ? 0 :
	    r->cfg->retry_seconds * 1000);
	o.claimed_at = row->retry_at;
	if (is_success) {
		rules.after_days = row->after_days;
		rules.duration = row->duration;
		rules.schedule_expression = row->schedule_expression;
		error_clear(&err);
		/* Rules that no longer parse schedule nothing rather than
		 * rotate again and again. */
		if (!row->is_enabled || rotation_plan(NULL, &rules, o.now_ms,
		    o.now_ms, &plan, &err) != STATUS_OK)
			memset(&plan, 0, sizeof(plan));
		o.plan = &plan;
	}
	if ((st = core_rotation_finish(r->cfg->env, row->secret_id, r->a->owner,
	    r->c->version_id, r->c->has_credentials ?
	    r->c->credentials.key.access_key_id : NULL,
	    &o)) != STATUS_OK)
		log_error("rotation of %s: cannot record the outcome (%s); the "
		    "attempt is retried when its lease ends", row->secret_arn,
		    status_name(st));
}

enum status
rotation_run(const struct rotation_attempt *a)
{
	static const char *const steps[] = { ROTATION_STEP_CREATE,
	    ROTATION_STEP_SET, ROTATION_STEP_TEST, ROTATION_STEP_FINISH };
	struct run	 r;
	struct error	 err;
	const char	*name;
	bool		 has_pending, has_current, exists;
	enum status	 st = STATUS_INTERNAL;
	int64_t		 timeout_s;

	memset(&r, 0, sizeof(r));
	r.a = a;
	r.cfg = a->cfg;
	r.c = a->claim;
	error_clear(&err);
	timeout_s = r.c->function.timeout_seconds > 0 ?
	    r.c->function.timeout_seconds : r.cfg->function_timeout_seconds;
	r.lease_ms = timeout_s * 1000 + LEASE_MARGIN_MS;
	name = rotation_function_name(r.c->rotation.lambda_arn);
	log_info("rotation of %s: attempt %lld of version %s with %s",
	    r.c->rotation.secret_arn, (long long)r.c->rotation.attempt_count,
	    r.c->version_id, r.c->rotation.lambda_arn != NULL ?
	    r.c->rotation.lambda_arn : "no function");
	emit(&r, "RotationStarted", NULL, NULL);

	if (r.c->is_builtin) {
		if ((r.builtin = rotation_builtin_find(name)) == NULL ||
		    (r.ops = rotator_for_engine(r.builtin->engine)) == NULL) {
			error_set(&err, STATUS_INVALID_REQUEST, "%s: the built-in "
			    "rotator %s is not available", ROTATION_STEP_CREATE,
			    name);
			goto failed;
		}
	} else if (r.c->function.arn == NULL) {
		error_set(&err, STATUS_ACCESS_DENIED, "%s: %s",
		    ROTATION_STEP_CREATE, MSG_ROTATION_CANNOT_INVOKE);
		goto failed;
	}

	/* A rotation that got past finishSecret before it was interrupted
	 * only needs completing. */
	if (version_labels(&r, &has_pending, &has_current, &exists, &err) ==
	    STATUS_OK && has_current) {
		r.step = ROTATION_STEP_FINISH;
		goto finished;
	}
	if (r.builtin == NULL && (st = function_credentials(&r, timeout_s,
	    &err)) != STATUS_OK) {
		r.step = ROTATION_STEP_CREATE;
		goto failed;
	}
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		r.step = steps[i];
		if (r.cfg->should_stop != NULL &&
		    r.cfg->should_stop(r.cfg->should_stop_arg)) {
			error_set(&err, STATUS_INTERNAL, "%s: interrupted "
			    "because the server stopped; the rotation resumes "
			    "when it starts again", r.step);
			builtin_roll_back(&r);
			attempt_end(&r, false, r.step, err.message, true);
			emit(&r, "RotationFailed", r.step, err.message);
			st = STATUS_INTERNAL;
			goto out;
		}
		if (core_rotation_progress(r.cfg->env, r.c->rotation.secret_id,
		    a->owner, r.c->version_id, r.step, rotation_now_ms(r.cfg) +
		    r.lease_ms) != STATUS_OK) {
			log_info("rotation of %s: version %s was cancelled",
			    r.c->rotation.secret_arn, r.c->version_id);
			builtin_roll_back(&r);
			attempt_end(&r, false, r.step, "cancelled", false);
			emit(&r, "RotationAbandoned", r.step, NULL);
			st = STATUS_NOT_FOUND;
			goto out;
		}
		error_clear(&err);
		if ((st = step_run(&r, r.step, &err)) != STATUS_OK) {
			step_error(&err, st, r.step, err.message);
			goto failed;
		}
		emit(&r, "RotationStepSucceeded", r.step, NULL);
	}
finished:
	error_clear(&err);
	if ((st = rotation_complete_check(&r, &err)) != STATUS_OK)
		goto failed;
	attempt_end(&r, true, ROTATION_STEP_FINISH, NULL, false);
	log_info("rotation of %s: version %s is AWSCURRENT",
	    r.c->rotation.secret_arn, r.c->version_id);
	emit(&r, "RotationSucceeded", NULL, NULL);
	st = STATUS_OK;
	goto out;
failed:
	if (r.step == NULL)
		r.step = ROTATION_STEP_CREATE;
	log_warn("rotation of %s failed: %s", r.c->rotation.secret_arn,
	    err.message);
	builtin_roll_back(&r);
	attempt_end(&r, false, r.step, err.message, r.cfg->should_stop != NULL &&
	    r.cfg->should_stop(r.cfg->should_stop_arg));
	emit(&r, "RotationFailed", r.step, err.message);
	if (st == STATUS_OK)
		st = STATUS_INTERNAL;
out:
	run_cleanup(&r);
	return st;
}

/* ---- RotateSecret's test of a function (RotateImmediately false) ---- */

static pthread_rwlock_t		 test_config_lock = PTHREAD_RWLOCK_INITIALIZER;
static const struct rotation_config *test_config;	/* test_config_lock */
static pthread_mutex_t		 test_count_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t			 test_count;		/* test_count_lock */

void
rotation_function_test_config_set(const struct rotation_config *cfg)
{
	pthread_rwlock_wrlock(&test_config_lock);
	test_config = cfg;
	pthread_rwlock_unlock(&test_config_lock);
}

/* Take AWSPENDING off the test's version (it keeps no label, so it is
 * deprecated like any version without one). */
static void
test_version_unstage(const struct run *r)
{
	struct core_request		 req;
	struct secret_stage_input	 sin;
	struct secret_delete_output	 out;
	struct error			 e;

	memset(&out, 0, sizeof(out));
	memset(&sin, 0, sizeof(sin));
	error_clear(&e);
	sin.secret_id = r->c->rotation.secret_arn;
	sin.version_stage = STAGE_PENDING;
	sin.remove_from_version_id = r->c->version_id;
	service_request(r, &req, "secretsmanager:UpdateSecretVersionStage");
	if (core_secret_update_stage(&req, &sin, &out, &e) != STATUS_OK)
		log_error("rotation of %s: AWSPENDING stays on the test version "
		    "%s: %s", r->c->rotation.secret_arn, r->c->version_id,
		    e.message);
	secret_delete_output_cleanup(&out);
}

/* The test itself, with the configuration held. */
static enum status
function_test_run(const struct rotation_config *cfg,
    const struct secret_record *secret,
    const struct rotation_function_record *fn, struct error *err)
{
	struct rotation_attempt		 a;
	struct core_rotation_claim	 c;
	struct run			 r;
	struct core_request		 req;
	struct secret_value_output	 v;
	struct secret_put_input		 pin;
	struct secret_write_output	 w;
	struct error			 e;
	const char			*stages[] = { STAGE_PENDING };
	char				 token[37], rotation_token[37];
	char				*policy = NULL;
	int64_t				 timeout_s, now;
	bool				 is_staged = false, is_marked = false;
	enum status			 st;

	memset(&c, 0, sizeof(c));
	memset(&r, 0, sizeof(r));
	memset(&v, 0, sizeof(v));
	memset(&w, 0, sizeof(w));
	error_clear(&e);
	if ((st = core_uuid(token)) != STATUS_OK ||
	    (st = core_uuid(rotation_token)) != STATUS_OK)
		return st;
	/* What an attempt would see, without a rotation row or a lease. */
	c.rotation.secret_id = secret->id;
	c.rotation.secret_arn = secret->arn;
	c.rotation.account_id = secret->account_id;
	c.rotation.region = secret->region;
	c.rotation.lambda_arn = fn->arn;
	c.rotation.rotation_token = rotation_token;
	c.rotation.master_arn = master_arn_of(cfg->env, secret->arn,
	    secret->account_id, secret->region, rotation_now_ms(cfg));
	c.version_id = token;
	a.cfg = cfg;
	a.claim = &c;
	a.owner = NULL;
	r.a = &a;
	r.cfg = cfg;
	r.c = &c;
	timeout_s = fn->timeout_seconds > 0 ? fn->timeout_seconds :
	    cfg->function_timeout_seconds;

	service_request(&r, &req, "secretsmanager:GetSecretValue");
	if (core_secret_get_value(&req, secret->arn, NULL, STAGE_CURRENT, &v,
	    &e) != STATUS_OK) {
		st = error_set(err, STATUS_INVALID_REQUEST, "Secrets Manager "
		    "can't rotate this secret: it has no AWSCURRENT value to "
		    "test the rotation function with.");
		goto out;
	}
	if ((st = core_rotation_test_begin(token)) != STATUS_OK) {
		st = error_set(err, STATUS_INVALID_REQUEST, "Secrets Manager "
		    "can't test the rotation function now: other RotateSecret "
		    "requests are testing theirs. Try again.");
		goto out;
	}
	is_marked = true;
	memset(&pin, 0, sizeof(pin));
	pin.secret_id = secret->arn;
	pin.client_request_token = token;
	pin.value.is_present = true;
	pin.value.is_binary = v.version.is_binary;
	pin.value.value = v.value;
	pin.stages = stages;
	pin.stage_count = 1;
	service_request(&r, &req, "secretsmanager:PutSecretValue");
	if ((st = core_secret_put_value(&req, &pin, &w, &e)) != STATUS_OK) {
		st = error_set(err, STATUS_INVALID_REQUEST, "Secrets Manager "
		    "can't rotate this secret: the version to test the "
		    "rotation function with could not be stored (%s).",
		    e.message);
		goto out;
	}
	is_staged = true;
	if ((st = function_policy(&r, &policy)) != STATUS_OK)
		goto out;
	now = rotation_now_ms(cfg);
	if ((st = core_rotation_test_credentials_create(cfg->env,
	    secret->account_id, policy, now, now + timeout_s * 1000 +
	    LEASE_MARGIN_MS, &c.credentials)) != STATUS_OK)
		goto out;
	c.has_credentials = true;
	log_info("rotation of %s: testing %s (testSecret on version %s)",
	    secret->arn, fn->arn, token);
	error_clear(&e);
	if (rotator_function_invoke(&a, fn, ROTATION_STEP_TEST, &e) !=
	    STATUS_OK) {
		st = error_set(err, STATUS_INVALID_REQUEST, "Secrets Manager "
		    "can't rotate this secret: the rotation function failed "
		    "its test (%s).", e.message);
		goto out;
	}
	st = STATUS_OK;
out:
	if (is_staged)
		test_version_unstage(&r);
	if (is_marked)
		core_rotation_test_end(token);
	if (c.has_credentials && core_rotation_credentials_delete(cfg->env,
	    c.credentials.key.access_key_id) != STATUS_OK)
		log_error("rotation of %s: the test's credentials %s could not "
		    "be deleted; they expire on their own", secret->arn,
		    c.credentials.key.access_key_id);
	sts_credentials_cleanup(&c.credentials);
	secret_value_output_cleanup(&v);
	secret_write_output_cleanup(&w);
	free(c.rotation.master_arn);
	free(policy);
	return st;
}

/*
 * A test holds the HTTP thread of its RotateSecret while the function
 * calls the API back on another: with every thread but one taken by
 * tests, one more would leave the functions nobody to answer them, so it
 * is refused rather than left to time out.
 */
static bool
test_slot_take(const struct rotation_config *cfg)
{
	int64_t	 max = cfg->function_tests_max > 0 ? cfg->function_tests_max :
		    1;
	bool	 is_taken = false;

	pthread_mutex_lock(&test_count_lock);
	if (test_count < max) {
		test_count++;
		is_taken = true;
	}
	pthread_mutex_unlock(&test_count_lock);
	return is_taken;
}

static void
test_slot_release(void)
{
	pthread_mutex_lock(&test_count_lock);
	test_count--;
	pthread_mutex_unlock(&test_count_lock);
}

static enum status
rotation_function_test(const struct secret_record *secret,
    const struct rotation_function_record *fn, struct error *err)
{
	enum status st = STATUS_OK;

	pthread_rwlock_rdlock(&test_config_lock);
	if (test_config == NULL)
		goto out;
	if (!test_slot_take(test_config)) {
		st = error_set(err, STATUS_INVALID_REQUEST, "Secrets Manager "
		    "can't test the rotation function now: other RotateSecret "
		    "requests are testing theirs. Try again.");
		goto out;
	}
	st = function_test_run(test_config, secret, fn, err);
	test_slot_release();
out:
	pthread_rwlock_unlock(&test_config_lock);
	return st;
}

/* ---- RotateSecret's pre-flight check ---- */

static enum status
preflight_login(struct core_request *req, const struct rotation_builtin *b,
    const struct rotator_ops *ops, const char *secret_id, const char *what,
    struct db_credentials *out, struct error *err)
{
	struct core_request		 sub = *req;
	struct secret_value_output	 v;
	struct error			 e;
	enum status			 st;

	memset(&v, 0, sizeof(v));
	error_clear(&e);
	sub.action = "secretsmanager:GetSecretValue";
	st = core_secret_get_value(&sub, secret_id, NULL, STAGE_CURRENT, &v,
	    &e);
	if (st == STATUS_ACCESS_DENIED) {
		st = error_set(err, st, "%s", e.message);
		goto out;
	}
	if (st != STATUS_OK) {
		st = error_set(err, STATUS_INVALID_REQUEST, "Secrets Manager "
		    "can't rotate this secret: %s has no AWSCURRENT value "
		    "to read (%s).", what, e.message);
		goto out;
	}
	if (v.version.is_binary ||
	    db_credentials_parse(v.value, out, &e) != STATUS_OK) {
		st = error_set(err, STATUS_INVALID_REQUEST, "Secrets Manager "
		    "can't rotate this secret: %s does not hold a database "
		    "login for %s (%s).", what, b->name, v.version.is_binary ?
		    "its value is binary" : e.message);
		goto out;
	}
	if ((st = engine_check(b, ops, out, &e)) != STATUS_OK) {
		st = error_set(err, STATUS_INVALID_REQUEST, "Secrets Manager "
		    "can't rotate this secret: %s.", e.message);
		goto out;
	}
	error_clear(&e);
	if (ops->test_login(out, &e) != STATUS_OK) {
		st = error_set(err, STATUS_INVALID_REQUEST, "Secrets Manager "
		    "can't rotate this secret: the built-in rotator %s cannot "
		    "log in to the database with the credentials %s holds: %s",
		    b->name, what, e.message[0] != '\0' ? e.message :
		    "login failed");
		goto out;
	}
	st = STATUS_OK;
out:
	secret_value_output_cleanup(&v);
	if (st != STATUS_OK)
		db_credentials_cleanup(out);
	return st;
}

enum status
rotation_preflight(void *arg, struct core_request *req,
    const struct secret_record *secret, const char *lambda_arn,
    bool rotate_immediately, char **master_arn, struct error *err)
{
	struct rotation_function_record	 fn;
	struct db_credentials		 current, master;
	const struct rotation_builtin	*b;
	const struct rotator_ops	*ops;
	struct arn_parts		 parts;
	const char			*name;
	struct error			 e;
	enum status			 st;

	(void)arg;
	memset(&fn, 0, sizeof(fn));
	memset(&current, 0, sizeof(current));
	memset(&master, 0, sizeof(master));
	if (!core_lambda_arn_parse(lambda_arn, &parts, &name) ||
	    strcmp(parts.account_id, secret->account_id) != 0 ||
	    strcmp(parts.region, secret->region) != 0)
		return error_set(err, STATUS_ACCESS_DENIED,
		    MSG_ROTATION_CANNOT_INVOKE);
	if (strncmp(name, ROTATION_BUILTIN_PREFIX,
	    strlen(ROTATION_BUILTIN_PREFIX)) == 0) {
		if ((b = rotation_builtin_find(name)) == NULL)
			return error_set(err, STATUS_INVALID_REQUEST, "%s is not "
			    "a built-in rotator: use " ROTATION_BUILTIN_PREFIX
			    "mysql-single-user, -mysql-alternating-users, "
			    "-postgres-single-user or "
			    "-postgres-alternating-users.", name);
		if ((ops = rotator_for_engine(b->engine)) == NULL)
			return error_set(err, STATUS_INVALID_REQUEST, "The "
			    "built-in rotator %s is not available in this "
			    "build of Sesame.", name);
		if ((st = preflight_login(req, b, ops, secret->arn,
		    "the secret", &current, err)) != STATUS_OK)
			goto out;
		if (b->strategy == ROTATION_ALTERNATING_USERS) {
			if (current.masterarn == NULL) {
				st = error_set(err, STATUS_INVALID_REQUEST,
				    "Secrets Manager can't rotate this secret: "
				    "alternating users rotation needs the "
				    "superuser's secret ARN in the field "
				    "\"masterarn\".");
				goto out;
			}
			if ((st = preflight_login(req, b, ops, current.masterarn,
			    "the master secret", &master, err)) != STATUS_OK)
				goto out;
		}
		st = STATUS_OK;
		goto out;
	}
	st = core_rotation_function_get(req->env, lambda_arn, &fn);
	if (st == STATUS_NOT_FOUND) {
		st = error_set(err, STATUS_ACCESS_DENIED,
		    MSG_ROTATION_CANNOT_INVOKE);
		goto out;
	}
	if (st != STATUS_OK)
		goto out;
	error_clear(&e);
	if (rotator_function_check(fn.kind, fn.target, &e) != STATUS_OK) {
		log_warn("rotation function %s cannot be invoked: %s",
		    lambda_arn, e.message);
		st = error_set(err, STATUS_INVALID_REQUEST, "The rotation "
		    "function %s cannot be invoked: its %s is missing or "
		    "unusable.", lambda_arn, fn.kind);
		goto out;
	}
	st = rotate_immediately ? STATUS_OK : rotation_function_test(secret,
	    &fn, err);
	if (st == STATUS_OK)
		*master_arn = master_arn_of(req->env, secret->arn,
		    secret->account_id, secret->region, req->now_ms);
out:
	rotation_function_record_cleanup(&fn);
	db_credentials_cleanup(&current);
	db_credentials_cleanup(&master);
	return st;
}
