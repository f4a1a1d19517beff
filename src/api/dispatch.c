/*
 * dispatch.c: the request pipeline.
 *
 *   health check -> target -> SigV4 -> operation -> JSON body -> field checks
 *   -> operation (authorises via core's hook) -> audit event -> response
 *
 * Every request that reaches the AWS endpoint produces exactly one audit
 * event, allowed or denied, written before the response; if it cannot be
 * written the request fails (fail closed).
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "common/log.h"

static const struct api_service *const services[] = {
	&api_service_secretsmanager,
};

/* ---- jansson allocators that wipe ---- */

static void *
json_wiping_malloc(size_t size)
{
	return malloc(size);
}

static void
json_wiping_free(void *ptr)
{
	if (ptr == NULL)
		return;
	explicit_bzero(ptr, malloc_usable_size(ptr));
	free(ptr);
}

void
api_json_alloc_init(void)
{
	json_set_alloc_funcs(json_wiping_malloc, json_wiping_free);
}

/* ---- lookups ---- */

static const struct api_service *
service_find(const char *prefix)
{
	for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		if (strcmp(services[i]->target_prefix, prefix) == 0)
			return services[i];
	return NULL;
}

static const struct api_operation *
operation_find(const struct api_service *svc, const char *name)
{
	for (const struct api_operation *op = svc->operations; op->name != NULL;
	    op++)
		if (strcmp(op->name, name) == 0)
			return op;
	return NULL;
}

static enum status
key_lookup(void *arg, const char *access_key_id, struct principal *p,
    struct secret_buf **secret)
{
	const struct api_env	*env = arg;
	struct access_key_record rec;
	enum status		 st;

	memset(&rec, 0, sizeof(rec));
	if ((st = core_access_key_lookup(&env->core, access_key_id, &rec,
	    secret)) != STATUS_OK)
		return st;
	memset(p, 0, sizeof(*p));
	snprintf(p->account_id, sizeof(p->account_id), "%s", rec.account_id);
	snprintf(p->arn, sizeof(p->arn), "%s", rec.principal_arn);
	snprintf(p->user_id, sizeof(p->user_id), "%s", rec.user_id);
	snprintf(p->user_name, sizeof(p->user_name), "%s", rec.user_name);
	snprintf(p->access_key_id, sizeof(p->access_key_id), "%s",
	    rec.access_key_id);
	snprintf(p->type, sizeof(p->type), "IAMUser");
	access_key_record_cleanup(&rec);
	return STATUS_OK;
}

static enum status
call_authorize(void *arg, const char *action, const char *resource_arn,
    const char *resource_account_id, struct error *err)
{
	struct api_call		*call = arg;
	struct auth_context	 ctx;

	ctx.source_ip = call->http->peer_address;
	ctx.is_secure_transport = call->http->is_tls;
	ctx.now = (time_t)(call->now_ms / 1000);
	return auth_authorize(&call->auth.principal, action, resource_arn,
	    resource_account_id, &ctx, err);
}

static int64_t
now_ms(const struct api_env *env)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 +
	    env->clock_offset_ms;
}

static void
respond_health(struct http_response *resp)
{
	resp->status = 200;
	resp->content_type = "application/json";
	resp->body = strdup("{\"status\":\"ok\"}");
	resp->body_len = resp->body != NULL ? strlen(resp->body) : 0;
}

void
api_handle_http(void *arg, const struct http_request *req,
    struct http_response *resp)
{
	const struct api_env		*env = arg;
	const struct api_service	*svc = NULL;
	const struct api_operation	*op = NULL;
	const struct api_error_info	*info;
	struct protocol_target		 target;
	struct api_call			 call;
	struct auth_request		 areq;
	struct sigv4_header		 headers[HTTP_MAX_HEADERS];
	struct audit_event		 ev;
	struct error			 err;
	json_t				*in = NULL, *out = NULL, *params = NULL;
	char				 request_id[37];
	bool				 has_target;
	enum status			 st;

	if (strcmp(req->method, "GET") == 0 && (strcmp(req->path, "/health") == 0 ||
	    strcmp(req->path, "/ping") == 0)) {
		respond_health(resp);
		return;
	}

	memset(&call, 0, sizeof(call));
	memset(&ev, 0, sizeof(ev));
	error_clear(&err);
	if (core_uuid(request_id) != STATUS_OK)
		snprintf(request_id, sizeof(request_id), "unknown");
	call.env = env;
	call.http = req;
	call.request_id = request_id;
	call.now_ms = now_ms(env);

	memset(&target, 0, sizeof(target));
	has_target = json_protocol_target(req, &target, NULL) == STATUS_OK;
	if (has_target)
		svc = service_find(target.prefix);

	/* Who is asking. */
	memset(&areq, 0, sizeof(areq));
	for (size_t i = 0; i < req->header_count; i++) {
		headers[i].name = req->headers[i].name;
		headers[i].value = req->headers[i].value;
	}
	areq.http.method = req->method;
	areq.http.path = req->path;
	areq.http.query = req->query;
	areq.http.headers = headers;
	areq.http.header_count = req->header_count;
	areq.http.body = req->body;
	areq.http.body_len = req->body_len;
	areq.now = (time_t)(call.now_ms / 1000);
	areq.max_skew_seconds = env->max_skew_seconds;
	areq.expected_service = svc != NULL ? svc->signing_name : NULL;
	if ((st = sigv4_verify(&areq, key_lookup, (void *)env, env->sigv4_cache,
	    &call.auth, &err)) != STATUS_OK)
		goto done;

	/* Which operation. */
	if (strcmp(req->method, "POST") != 0 || svc == NULL ||
	    (op = operation_find(svc, target.operation)) == NULL) {
		st = error_set(&err, STATUS_UNKNOWN_OPERATION, NULL);
		goto done;
	}
	if ((st = json_protocol_body(req, &in, &err)) != STATUS_OK)
		goto done;
	if ((st = api_validate(in, op->fields, &err)) != STATUS_OK)
		goto done;

	call.core.env = &env->core;
	call.core.account_id = call.auth.principal.account_id;
	call.core.region = call.auth.region;
	call.core.now_ms = call.now_ms;
	call.core.action = op->action;
	call.core.authorize = call_authorize;
	call.core.authorize_arg = &call;
	st = op->handler(&call, in, &out, &err);

done:
	info = api_error_info(st);
	params = in != NULL && op != NULL ?
	    api_redacted_parameters(in, op->fields) : NULL;
	ev.request_id = request_id;
	ev.time_ms = call.now_ms;
	ev.event_source = svc != NULL ? svc->event_source : NULL;
	ev.event_name = op != NULL ? op->name : (has_target ? target.operation :
	    NULL);
	ev.region = call.auth.region;
	ev.source_ip = req->peer_address;
	ev.user_agent = http_request_header(req, "User-Agent");
	if (call.auth.principal.arn[0] != '\0') {
		ev.identity_type = call.auth.principal.type;
		ev.principal_arn = call.auth.principal.arn;
		ev.principal_id = call.auth.principal.user_id;
		ev.account_id = call.auth.principal.account_id;
		ev.access_key_id = call.auth.principal.access_key_id;
	}
	ev.resource_arn = call.core.resource_arn;
	if (st != STATUS_OK) {
		ev.error_code = info->type;
		ev.error_message = err.message[0] != '\0' ? err.message :
		    info->default_message;
		if (info->http_status >= 500)
			ev.error_message = info->default_message;
	}
	ev.is_read_only = op != NULL ? op->is_read_only : false;
	ev.request_parameters = params;
	if (audit_record(env->audit, &ev) != STATUS_OK) {
		json_decref(out);
		out = NULL;
		st = STATUS_IO;
		info = api_error_info(st);
		error_clear(&err);
	}
	if (st == STATUS_OK) {
		json_protocol_respond(resp, out, request_id);
		out = NULL;
	} else {
		if (info->http_status >= 500)
			log_error("request %s: %s failed: %s", request_id,
			    ev.event_name != NULL ? ev.event_name : "-",
			    status_name(st));
		json_protocol_respond_error(resp, info->http_status, info->type,
		    err.message[0] != '\0' && info->http_status < 500 ?
		    err.message : info->default_message,
		    info->is_front_door ? JSON_ERROR_FRONT_DOOR :
		    JSON_ERROR_SERVICE, request_id);
	}
	json_decref(params);
	json_decref(in);
	json_decref(out);
}
