/*
 * secretsmanager_rotation.c: RotateSecret, CancelRotateSecret, and the
 * rotation members of DescribeSecret and ListSecrets entries.
 *
 * RotationRules is one structure member in the field table; its members
 * are checked here against the model (AutomaticallyAfterDays 1..1000,
 * Duration [0-9]+h of 2..3 characters, ScheduleExpression of 1..256
 * characters from [0-9A-Za-z()#?*-/, ]), with AWS's ValidationException
 * wording; what an expression means is rotation/'s (schedule.c).
 *
 * DescribeSecret also carries members AWS does not define, which SDKs
 * ignore: SesameRotationStatus (InProgress, Succeeded, Failed, Cancelled),
 * SesameRotationStep, SesameRotationVersionId and SesameLastRotationError.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "api/secretsmanager_internal.h"
#include "rotation/rotation.h"

#define MSG_NO_TOKEN	"You must provide a ClientRequestToken value. We " \
			"recommend a UUID-type value."

struct violations {
	size_t	 count;
	char	 text[ERROR_MESSAGE_MAX];
	size_t	 len;
};

static void
violation_add(struct violations *v, const char *value, const char *path,
    const char *constraint)
{
	int n;

	if (v->len >= sizeof(v->text))
		return;
	n = snprintf(v->text + v->len, sizeof(v->text) - v->len,
	    "%sValue '%s' at 'rotationRules.%s' failed to satisfy constraint: "
	    "Member %s", v->count > 0 ? "; " : "", value, path, constraint);
	if (n > 0)
		v->len += (size_t)n;
	v->count++;
}

static bool
matches(const char *s, const char *allowed)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z') || strchr(allowed, *p) != NULL))
			return false;
	return true;
}

static void
string_check(struct violations *v, const char *s, const char *path,
    size_t min, size_t max, bool pattern_ok, const char *pattern)
{
	char	 constraint[160];
	size_t	 len = strlen(s);

	if (!pattern_ok) {
		snprintf(constraint, sizeof(constraint), "must satisfy regular "
		    "expression pattern: %s", pattern);
		violation_add(v, s, path, constraint);
	}
	if (len < min) {
		snprintf(constraint, sizeof(constraint), "must have length "
		    "greater than or equal to %zu", min);
		violation_add(v, s, path, constraint);
	}
	if (len > max) {
		snprintf(constraint, sizeof(constraint), "must have length less "
		    "than or equal to %zu", max);
		violation_add(v, s, path, constraint);
	}
}

static bool
duration_matches(const char *s)
{
	size_t len = strlen(s);

	if (len < 2 || s[len - 1] != 'h')
		return false;
	for (size_t i = 0; i + 1 < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* RotationRules from the request (strings borrowed from in). */
static enum status
rules_from_json(const json_t *o, struct core_rotation_rules *rules,
    struct error *err)
{
	struct violations v;
	const json_t	*days, *duration, *expression;
	char		 shown[32];

	memset(&v, 0, sizeof(v));
	memset(rules, 0, sizeof(*rules));
	days = json_object_get(o, "AutomaticallyAfterDays");
	duration = json_object_get(o, "Duration");
	expression = json_object_get(o, "ScheduleExpression");
	if (days != NULL && !json_is_null(days) && !json_is_integer(days))
		return error_set(err, STATUS_SERIALIZATION, json_is_string(days) ?
		    "class java.lang.String can not be converted to an Long" :
		    "Unexpected value type in RotationRules.");
	if ((duration != NULL && !json_is_null(duration) &&
	    !json_is_string(duration)) || (expression != NULL &&
	    !json_is_null(expression) && !json_is_string(expression)))
		return error_set(err, STATUS_SERIALIZATION, "Unexpected value "
		    "type in RotationRules.");
	if (json_is_integer(days)) {
		rules->after_days = json_integer_value(days);
		snprintf(shown, sizeof(shown), "%" PRId64,
		    (int64_t)rules->after_days);
		if (rules->after_days < 1)
			violation_add(&v, shown, "automaticallyAfterDays",
			    "must have value greater than or equal to 1");
		if (rules->after_days > 1000)
			violation_add(&v, shown, "automaticallyAfterDays",
			    "must have value less than or equal to 1000");
	}
	if (json_is_string(duration)) {
		rules->duration = json_string_value(duration);
		string_check(&v, rules->duration, "duration", 2, 3,
		    duration_matches(rules->duration), "[0-9]+h");
	}
	if (json_is_string(expression)) {
		rules->schedule_expression = json_string_value(expression);
		string_check(&v, rules->schedule_expression,
		    "scheduleExpression", 1, 256,
		    matches(rules->schedule_expression, "()#?*-/, "),
		    "[0-9A-Za-z\\(\\)#\\?\\*\\-\\/, ]+");
	}
	if (v.count > 0)
		return error_set(err, STATUS_VALIDATION, "%zu validation "
		    "error%s detected: %s", v.count, v.count > 1 ? "s" : "",
		    v.text);
	return STATUS_OK;
}

static json_t *
rotate_output_json(const struct core_rotate_output *r)
{
	json_t *o = json_pack("{s:s, s:s}", "ARN", r->arn, "Name", r->name);

	if (o != NULL && r->version_id != NULL)
		json_object_set_new(o, "VersionId", json_string(r->version_id));
	return o;
}

enum status
sm_rotate_secret(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct core_rotate_input	 rin;
	struct core_rotate_output	 r;
	struct core_rotation_rules	 rules;
	const json_t			*rules_json;
	enum status			 st;

	memset(&rin, 0, sizeof(rin));
	memset(&r, 0, sizeof(r));
	rin.client_request_token = api_string(in, "ClientRequestToken");
	if (rin.client_request_token == NULL)
		return error_set(err, STATUS_INVALID_PARAMETER, MSG_NO_TOKEN);
	if (api_has(in, "ExternalSecretRotationMetadata") ||
	    api_has(in, "ExternalSecretRotationRoleArn"))
		return error_set(err, STATUS_INVALID_REQUEST, "Rotation of "
		    "managed external secrets is not supported by this server.");
	rules_json = json_object_get(in, "RotationRules");
	if (json_is_object(rules_json)) {
		if ((st = rules_from_json(rules_json, &rules, err)) != STATUS_OK)
			return st;
		rin.rules = &rules;
	}
	rin.secret_id = api_string(in, "SecretId");
	rin.lambda_arn = api_string(in, "RotationLambdaARN");
	if (rin.lambda_arn != NULL && rin.lambda_arn[0] == '\0')
		rin.lambda_arn = NULL;
	rin.rotate_immediately = api_bool(in, "RotateImmediately", true);
	rin.plan = rotation_plan;
	rin.preflight = rotation_preflight;
	if ((st = core_secret_rotate(&call->core, &rin, &r, err)) != STATUS_OK)
		goto out;
	if ((*out = rotate_output_json(&r)) == NULL)
		st = STATUS_NO_MEMORY;
out:
	core_rotate_output_cleanup(&r);
	return st;
}

enum status
sm_cancel_rotate_secret(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct core_rotate_output	 r;
	enum status			 st;

	memset(&r, 0, sizeof(r));
	if ((st = core_secret_cancel_rotation(&call->core, api_string(in,
	    "SecretId"), &r, err)) != STATUS_OK)
		goto out;
	if ((*out = rotate_output_json(&r)) == NULL)
		st = STATUS_NO_MEMORY;
out:
	core_rotate_output_cleanup(&r);
	return st;
}

void
sm_rotation_json(json_t *o, const struct rotation_record *rot)
{
	json_t *rules;

	if (rot == NULL || rot->secret_id == 0)
		return;		/* never configured: AWS leaves them out */
	json_object_set_new(o, "RotationEnabled", json_boolean(rot->is_enabled));
	if (rot->lambda_arn != NULL)
		json_object_set_new(o, "RotationLambdaARN",
		    json_string(rot->lambda_arn));
	if ((rules = json_object()) != NULL) {
		if (rot->display_days > 0)
			json_object_set_new(rules, "AutomaticallyAfterDays",
			    json_integer(rot->display_days));
		if (rot->duration != NULL)
			json_object_set_new(rules, "Duration",
			    json_string(rot->duration));
		if (rot->schedule_expression != NULL)
			json_object_set_new(rules, "ScheduleExpression",
			    json_string(rot->schedule_expression));
		if (json_object_size(rules) > 0)
			json_object_set_new(o, "RotationRules", rules);
		else
			json_decref(rules);
	}
	if (rot->is_enabled && rot->last_rotated_at != 0)
		json_object_set_new(o, "LastRotatedDate",
		    api_timestamp(rot->last_rotated_at));
	/* The latest moment the rotation happens: its window's end. */
	if (rot->is_enabled && rot->next_window_at != 0)
		json_object_set_new(o, "NextRotationDate",
		    api_timestamp(rot->next_window_end_at - 1000));
	if (rot->status != NULL)
		json_object_set_new(o, "SesameRotationStatus",
		    json_string(rot->status));
	if (rot->pending_version_id != NULL) {
		json_object_set_new(o, "SesameRotationVersionId",
		    json_string(rot->pending_version_id));
		if (rot->step != NULL)
			json_object_set_new(o, "SesameRotationStep",
			    json_string(rot->step));
	}
	if (rot->last_error != NULL)
		json_object_set_new(o, "SesameLastRotationError",
		    json_string(rot->last_error));
}
