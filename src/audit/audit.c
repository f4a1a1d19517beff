/*
 * audit.c: CloudTrail-shaped JSON lines in DIR/audit.log.
 *
 * Each record is built completely in memory and written with a single
 * write(2) on an O_APPEND descriptor, so concurrent writers never interleave
 * within a line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit.h"
#include "common/log.h"
#include "core/core.h"

struct audit_log {
	int	fd;
};

enum status
audit_open(const char *dir, struct audit_log **out, struct error *err)
{
	struct audit_log	*log;
	char			 path[4096];
	int			 fd;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return error_set(err, STATUS_IO, "cannot create audit folder %s: %s",
		    dir, strerror(errno));
	snprintf(path, sizeof(path), "%s/audit.log", dir);
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600)) < 0)
		return error_set(err, STATUS_IO, "cannot open audit log %s: %s",
		    path, strerror(errno));
	if ((log = calloc(1, sizeof(*log))) == NULL) {
		close(fd);
		return error_set(err, STATUS_NO_MEMORY, "out of memory");
	}
	log->fd = fd;
	*out = log;
	return STATUS_OK;
}

void
audit_close(struct audit_log *log)
{
	if (log == NULL)
		return;
	fsync(log->fd);
	close(log->fd);
	free(log);
}

static void
set_string(json_t *obj, const char *key, const char *value)
{
	json_t *s;

	if (value == NULL || value[0] == '\0')
		return;
	if ((s = json_string(value)) == NULL)	/* invalid UTF-8 */
		s = json_string("(invalid UTF-8)");
	json_object_set_new(obj, key, s);
}

static void
format_time(int64_t ms, char *out, size_t out_len)
{
	time_t		 t = (time_t)(ms / 1000);
	struct tm	 tm;

	gmtime_r(&t, &tm);
	strftime(out, out_len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

enum status
audit_record(struct audit_log *log, const struct audit_event *ev)
{
	json_t		*rec = NULL, *identity, *resources, *res;
	char		*line = NULL, stamp[32], event_id[37];
	size_t		 len;
	enum status	 st = STATUS_NO_MEMORY;

	if (log == NULL)
		return STATUS_OK;
	if ((rec = json_object()) == NULL || (identity = json_object()) == NULL)
		goto out;
	format_time(ev->time_ms, stamp, sizeof(stamp));
	if (core_uuid(event_id) != STATUS_OK)
		goto out;

	json_object_set_new(rec, "eventVersion", json_string("1.08"));
	set_string(identity, "type", ev->principal_arn != NULL ?
	    ev->identity_type : "Unknown");
	set_string(identity, "principalId", ev->principal_id);
	set_string(identity, "arn", ev->principal_arn);
	set_string(identity, "accountId", ev->account_id);
	set_string(identity, "accessKeyId", ev->access_key_id);
	json_object_set_new(rec, "userIdentity", identity);
	json_object_set_new(rec, "eventTime", json_string(stamp));
	set_string(rec, "eventSource", ev->event_source);
	set_string(rec, "eventName", ev->event_name);
	set_string(rec, "awsRegion", ev->region);
	set_string(rec, "sourceIPAddress", ev->source_ip);
	set_string(rec, "userAgent", ev->user_agent);
	set_string(rec, "errorCode", ev->error_code);
	set_string(rec, "errorMessage", ev->error_message);
	json_object_set(rec, "requestParameters", ev->request_parameters != NULL ?
	    (json_t *)ev->request_parameters : json_null());
	json_object_set(rec, "responseElements", ev->response_elements != NULL ?
	    (json_t *)ev->response_elements : json_null());
	set_string(rec, "requestID", ev->request_id);
	json_object_set_new(rec, "eventID", json_string(event_id));
	json_object_set_new(rec, "readOnly", json_boolean(ev->is_read_only));
	if (ev->resource_arn != NULL && ev->resource_arn[0] != '\0' &&
	    strcmp(ev->resource_arn, "*") != 0) {
		if ((resources = json_array()) != NULL &&
		    (res = json_object()) != NULL) {
			set_string(res, "accountId", ev->account_id);
			set_string(res, "type", "AWS::SecretsManager::Secret");
			set_string(res, "ARN", ev->resource_arn);
			json_array_append_new(resources, res);
		}
		json_object_set_new(rec, "resources", resources);
	}
	json_object_set_new(rec, "eventType", json_string("AwsApiCall"));
	json_object_set_new(rec, "managementEvent", json_true());
	set_string(rec, "recipientAccountId", ev->account_id);

	if ((line = json_dumps(rec, JSON_COMPACT)) == NULL)
		goto out;
	len = strlen(line);
	line[len] = '\n';	/* json_dumps leaves room: replaced NUL */
	if (write(log->fd, line, len + 1) != (ssize_t)(len + 1)) {
		log_error("audit: cannot write an event: %s", strerror(errno));
		st = STATUS_IO;
		goto out;
	}
	st = STATUS_OK;
out:
	free(line);
	json_decref(rec);
	return st;
}
