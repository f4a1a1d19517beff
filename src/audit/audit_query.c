/*
 * audit_query.c: reads a log folder back and picks the events that match a
 * filter (time, principal, secret, event name, result, alarms).
 *
 * The query reads; it does not check the chain (audit_verify does).  Files
 * are read in number order, one at a time.
 *
 * Thread-safety: no shared state.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/audit_internal.h"

/* Error codes that mean "not allowed": authentication or authorisation. */
static const char *const denied_codes[] = {
	"AccessDeniedException",
	"MissingAuthenticationTokenException",
	"IncompleteSignatureException",
	"InvalidSignatureException",
	"UnrecognizedClientException",
	"ExpiredTokenException",
	NULL,
};

static bool
parse_digits(const char *s, size_t n, int *out)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

enum status
audit_time_parse(const char *text, int64_t *out_ms)
{
	struct tm	 tm;
	size_t		 len = strlen(text);
	int		 y, mo, d, h = 0, mi = 0, s = 0;
	time_t		 t;

	if (len > 0 && len <= 12 && strspn(text, "0123456789") == len) {
		*out_ms = strtoll(text, NULL, 10) * 1000;
		return STATUS_OK;
	}
	if (len < 10 || text[4] != '-' || text[7] != '-' ||
	    !parse_digits(text, 4, &y) || !parse_digits(text + 5, 2, &mo) ||
	    !parse_digits(text + 8, 2, &d))
		return STATUS_INVALID_PARAMETER;
	if (len > 10) {
		if ((text[10] != 'T' && text[10] != ' ') || len < 19 ||
		    text[13] != ':' || text[16] != ':' ||
		    !parse_digits(text + 11, 2, &h) ||
		    !parse_digits(text + 14, 2, &mi) ||
		    !parse_digits(text + 17, 2, &s))
			return STATUS_INVALID_PARAMETER;
		if (len > 19 && strcmp(text + 19, "Z") != 0 &&
		    strcmp(text + 19, "+00:00") != 0)
			return STATUS_INVALID_PARAMETER;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
		return STATUS_INVALID_PARAMETER;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	if ((t = timegm(&tm)) == (time_t)-1)
		return STATUS_INVALID_PARAMETER;
	*out_ms = (int64_t)t * 1000;
	return STATUS_OK;
}

static const char *
get_string(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static bool
same(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static bool
principal_matches(const json_t *rec, const char *who)
{
	const json_t	*id = json_object_get(rec, "userIdentity");
	const char	*arn = get_string(id, "arn");
	size_t		 arn_len, who_len = strlen(who);

	if (same(arn, who) || same(get_string(id, "principalId"), who) ||
	    same(get_string(id, "accessKeyId"), who))
		return true;
	/* A user name: the ARN ends in "/NAME". */
	if (arn == NULL || (arn_len = strlen(arn)) <= who_len)
		return false;
	return arn[arn_len - who_len - 1] == '/' &&
	    strcmp(arn + arn_len - who_len, who) == 0;
}

/* NAME of "arn:...:secret:NAME-AbCdEf", or of a partial ARN. */
static bool
arn_names_secret(const char *arn, const char *secret)
{
	const char	*name;
	size_t		 len, secret_len = strlen(secret);

	if (arn == NULL)
		return false;
	if (strcmp(arn, secret) == 0)
		return true;
	/* A partial ARN (without the random suffix) names it too. */
	if (strncmp(arn, secret, secret_len) == 0 && arn[secret_len] == '-' &&
	    strlen(arn + secret_len) == 7)
		return true;
	if ((name = strstr(arn, ":secret:")) == NULL)
		return false;
	name += strlen(":secret:");
	len = strlen(name);
	return len == secret_len + 7 && name[secret_len] == '-' &&
	    strncmp(name, secret, secret_len) == 0;
}

static bool
secret_matches(const json_t *rec, const char *secret)
{
	const json_t	*params = json_object_get(rec, "requestParameters");
	const json_t	*resources = json_object_get(rec, "resources"), *r;
	size_t		 i;

	json_array_foreach(resources, i, r)
		if (arn_names_secret(get_string(r, "ARN"), secret))
			return true;
	if (same(get_string(params, "secretId"), secret) ||
	    same(get_string(params, "name"), secret) ||
	    arn_names_secret(get_string(params, "secretId"), secret))
		return true;
	return false;
}

static bool
result_matches(const json_t *rec, const char *result)
{
	const char *code = get_string(rec, "errorCode");

	if (strcmp(result, "success") == 0)
		return code == NULL;
	if (strcmp(result, "failure") == 0 || strcmp(result, "error") == 0)
		return code != NULL;
	if (strcmp(result, "denied") == 0) {
		for (size_t i = 0; code != NULL && denied_codes[i] != NULL; i++)
			if (strcmp(code, denied_codes[i]) == 0)
				return true;
		return false;
	}
	return same(code, result);
}

static bool
event_matches(const json_t *rec, const struct audit_query *q)
{
	const char	*stamp = get_string(rec, "eventTime");
	int64_t		 at;

	if (q->since_ms != 0 || q->until_ms != 0) {
		if (stamp == NULL || audit_time_parse(stamp, &at) != STATUS_OK)
			return false;
		if (q->since_ms != 0 && at < q->since_ms)
			return false;
		if (q->until_ms != 0 && at >= q->until_ms)
			return false;
	}
	if (q->event_name != NULL &&
	    !same(get_string(rec, "eventName"), q->event_name))
		return false;
	if (q->principal != NULL && !principal_matches(rec, q->principal))
		return false;
	if (q->secret != NULL && !secret_matches(rec, q->secret))
		return false;
	if (q->result != NULL && !result_matches(rec, q->result))
		return false;
	if (q->is_alarm_only && get_string(json_object_get(rec,
	    "additionalEventData"), "sesameAlarm") == NULL)
		return false;
	return true;
}

enum status
audit_query_run(const char *dir, const struct audit_query *q,
    audit_query_emit_fn emit, void *arg, struct error *err)
{
	struct audit_file_text	 t;
	struct audit_parsed	 p;
	uint64_t		*numbers = NULL;
	size_t			 count = 0;
	char			 path[4200], name[AUDIT_FILE_NAME_MAX];
	enum status		 st;
	bool			 is_stopped = false;

	memset(&t, 0, sizeof(t));
	if ((st = audit_dir_list(dir, &numbers, &count, err)) != STATUS_OK)
		return st;
	for (size_t f = 0; f < count && !is_stopped; f++) {
		audit_file_name(numbers[f], name, sizeof(name));
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if ((st = audit_file_read(path, &t, err)) != STATUS_OK)
			goto out;
		for (size_t i = 0; i < t.line_count && !is_stopped; i++) {
			const struct audit_line *l = &t.lines[i];

			audit_line_parse(l->text, l->len, &p);
			if (p.obj != NULL && !p.is_digest &&
			    event_matches(p.obj, q))
				is_stopped = emit(arg, l->text, l->len) != 0;
			audit_parsed_cleanup(&p);
		}
		audit_file_text_cleanup(&t);
	}
	st = STATUS_OK;
out:
	audit_file_text_cleanup(&t);
	free(numbers);
	return st;
}
