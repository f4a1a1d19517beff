/*
 * dispatch.c: the request pipeline.
 *
 *   health check -> target -> SigV4 -> operation -> JSON body -> field checks
 *   -> operation (authorises via core's hook) -> audit event -> response
 *
 * IAM and STS speak the AWS Query protocol instead: a form-encoded POST
 * without X-Amz-Target, routed by its credential scope's service, decoded
 * and answered in XML by iam_query.c; the rest of the pipeline is shared.
 * The SigV4 key lookup (iam_identity.c) resolves long-term and temporary
 * credentials and keeps who they stand for in the call.
 *
 * Every request that reaches the AWS endpoint produces exactly one audit
 * event, allowed or denied, written before the response; if it cannot be
 * written the request fails (fail closed) unless the operator chose
 * audit-on-failure = allow.  Each request is also counted in the metrics
 * (GET /metrics, loopback clients only unless metrics-allow-remote).
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
	&api_service_kms,
	&api_service_iam,
	&api_service_sts,
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
		if (services[i]->target_prefix != NULL &&
		    strcmp(services[i]->target_prefix, prefix) == 0)
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

/* What call_authorize needs beyond the call: the request's input, for
 * the SecretId as given and the tags a request adds. */
struct call_authorization {
	struct api_call	*call;
	const json_t	*in;
};

enum status
api_call_identity_policies(struct api_call *call, struct auth_policies **out,
    struct error *err)
{
	struct iam_policy_set	 set;
	struct auth_policies_input pin;
	struct auth_policies	*p;
	const char		*key = call->auth.principal.access_key_id;
	uint64_t		 generation = core_iam_generation();
	enum status		 st;

	if ((p = auth_policy_cache_get(key, generation)) != NULL) {
		*out = p;
		return STATUS_OK;
	}
	memset(&set, 0, sizeof(set));
	if ((st = core_iam_identity_policies(&call->env->core, &call->identity,
	    &set)) != STATUS_OK) {
		if (st == STATUS_NOT_FOUND)
			st = error_set(err, STATUS_ACCESS_DENIED,
			    "Access denied");
		goto out;
	}
	memset(&pin, 0, sizeof(pin));
	pin.documents = (const char *const *)set.documents;
	pin.arns = (const char *const *)set.arns;
	pin.count = set.count;
	pin.permissions_boundary = set.permissions_boundary;
	pin.session_policy = call->identity.session_policy;
	pin.session_documents = (const char *const *)set.session_documents;
	pin.session_count = set.session_count;
	if ((st = auth_policies_compile(&pin, &p, err)) != STATUS_OK)
		goto out;
	auth_policy_cache_put(key, generation, p);
	*out = p;
out:
	iam_policy_set_cleanup(&set);
	return st;
}

/* Tags a CreateSecret or TagResource request adds (borrowed from in). */
static enum status
call_request_tags(const json_t *in, const char *action,
    struct principal_tag **out, size_t *count)
{
	const json_t	*list, *tag;
	size_t		 i, n = 0;

	*out = NULL;
	*count = 0;
	if (strcmp(action, "secretsmanager:CreateSecret") != 0 &&
	    strcmp(action, "secretsmanager:TagResource") != 0)
		return STATUS_OK;
	list = json_object_get(in, "Tags");
	if (!json_is_array(list) || json_array_size(list) == 0)
		return STATUS_OK;
	if ((*out = calloc(json_array_size(list), sizeof(**out))) == NULL)
		return STATUS_NO_MEMORY;
	json_array_foreach(list, i, tag) {
		const char *k = json_string_value(json_object_get(tag, "Key"));
		const char *v = json_string_value(json_object_get(tag,
		    "Value"));

		if (k == NULL)
			continue;
		(*out)[n].key = k;
		(*out)[n].value = v != NULL ? v : "";
		n++;
	}
	*count = n;
	return STATUS_OK;
}

static enum status
call_authorize(void *arg, const struct core_request *req, const char *action,
    const char *resource_arn, const char *resource_account_id,
    struct error *err)
{
	struct call_authorization *authz = arg;
	struct api_call		*call = authz->call;
	struct auth_context	 ctx;
	struct auth_policies	*identity = NULL;
	struct secret_access_info info;
	const struct secret_access_info *access;
	const char		*primary_region = NULL;
	struct principal_tag	*resource_tags = NULL, *request_tags = NULL;
	size_t			 request_tag_count = 0;
	struct api_request_keys	 keys;
	struct tag		*entity_tags = NULL;
	size_t			 entity_tag_count = 0;
	const char		*secret_id;
	bool			 is_secret;
	enum status		 st;

	memset(&info, 0, sizeof(info));
	memset(&ctx, 0, sizeof(ctx));
	/* AssumeRole is decided once, by the role's trust policy (api/sts.c),
	 * which names the caller or delegates to its account. */
	if (strcmp(action, "sts:AssumeRole") == 0)
		return STATUS_OK;
	ctx.source_ip = call->http->peer_address;
	ctx.is_secure_transport = call->http->is_tls;
	ctx.now = (time_t)(call->now_ms / 1000);
	if (req->kms_context != NULL) {
		ctx.via_service = req->kms_context->via_service;
		ctx.encryption_context = req->kms_context->encryption_context;
		ctx.encryption_context_count =
		    req->kms_context->encryption_context_count;
	}
	/* Every use of a key needs its key policy to allow it (a key that
	 * could not be found has none, and nothing allows). */
	if (strncmp(action, "kms:", 4) == 0 && resource_arn != NULL &&
	    strncmp(resource_arn, "arn:aws:kms:", 12) == 0 &&
	    strstr(resource_arn, ":key/") != NULL) {
		ctx.is_key_policy = true;
		ctx.resource_policy = req->key_policy;
	}
	/* An administrator's session policies bound it (a rotation
	 * function's credentials); without any it needs nothing compiled. */
	if ((!call->auth.principal.is_account_administrator ||
	    call->identity.session_policy != NULL ||
	    call->identity.session_policy_arn_count > 0) &&
	    (st = api_call_identity_policies(call, &identity, err)) != STATUS_OK)
		goto out;
	ctx.identity = identity;

	is_secret = resource_arn != NULL &&
	    strncmp(resource_arn, "arn:aws:secretsmanager:", 23) == 0 &&
	    strstr(resource_arn, ":secret:") != NULL;
	if (is_secret && strncmp(action, "secretsmanager:", 15) == 0) {
		/* The operation read them in its transaction, or we do. */
		if (req->secret_access != NULL &&
		    strcmp(req->secret_access_arn, resource_arn) == 0)
			access = req->secret_access;
		else {
			st = core_secret_access_load(&call->env->core,
			    resource_arn, &info);
			if (st != STATUS_OK && st != STATUS_NOT_FOUND)
				goto out;
			access = &info;
		}
		if (access->tag_count > 0) {
			if ((resource_tags = calloc(access->tag_count,
			    sizeof(*resource_tags))) == NULL) {
				st = STATUS_NO_MEMORY;
				goto out;
			}
			for (size_t i = 0; i < access->tag_count; i++) {
				resource_tags[i].key = access->tags[i].key;
				resource_tags[i].value = access->tags[i].value;
			}
		}
		ctx.resource_policy = access->policy;
		ctx.resource_tags = resource_tags;
		ctx.resource_tag_count = access->tag_count;
		ctx.secret_name = access->name;
		primary_region = access->primary_region;
		secret_id = json_string_value(json_object_get(authz->in,
		    "SecretId"));
		if (secret_id != NULL) {
			ctx.secret_id = secret_id;
			ctx.resource_display = secret_id;
		} else
			ctx.secret_id = resource_arn;
		if (ctx.secret_name == NULL)
			ctx.secret_name = json_string_value(json_object_get(
			    authz->in, "Name"));
	}
	/* An IAM action on a user or role: its tags. */
	if (strncmp(action, "iam:", 4) == 0 && resource_arn != NULL) {
		if ((st = core_iam_resource_tags(&call->env->core,
		    resource_arn, &entity_tags, &entity_tag_count)) !=
		    STATUS_OK)
			goto out;
		if (entity_tag_count > 0) {
			if ((resource_tags = calloc(entity_tag_count,
			    sizeof(*resource_tags))) == NULL) {
				st = STATUS_NO_MEMORY;
				goto out;
			}
			for (size_t i = 0; i < entity_tag_count; i++) {
				resource_tags[i].key = entity_tags[i].key;
				resource_tags[i].value = entity_tags[i].value;
			}
			ctx.resource_tags = resource_tags;
			ctx.resource_tag_count = entity_tag_count;
		}
	}
	if (authz->in != NULL && (st = call_request_tags(authz->in, action,
	    &request_tags, &request_tag_count)) != STATUS_OK)
		goto out;
	ctx.request_tags = request_tags;
	ctx.request_tag_count = request_tag_count;
	api_request_keys(authz->in, action, &keys);
	if (primary_region != NULL && keys.count < API_REQUEST_KEYS_MAX) {
		keys.keys[keys.count].key = "secretsmanager:SecretPrimaryRegion";
		keys.keys[keys.count++].value = primary_region;
	}
	ctx.extra_keys = keys.keys;
	ctx.extra_key_count = keys.count;
	st = auth_authorize(&call->auth.principal, action, resource_arn,
	    resource_account_id, &ctx, err);
out:
	auth_policies_release(identity);
	secret_access_info_cleanup(&info);
	tags_free(entity_tags, entity_tag_count);
	free(resource_tags);
	free(request_tags);
	return st;
}

static int64_t
now_ms(const struct api_env *env)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 +
	    env->clock_offset_ms;
}

static int64_t
monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- metrics ---- */

#define API_OPERATION_MAX	256

/* Operations are labelled by their IAM action ("kms:TagResource"): names
 * alone repeat across services.  Written once by api_metrics_new. */
static const char			*metric_operation_names[API_OPERATION_MAX];
static const struct api_operation	*metric_operations[API_OPERATION_MAX];
static size_t				 metric_operation_count;

static const char *
metric_status_label(enum status st)
{
	return st == STATUS_OK ? "success" : api_error_info(st)->type;
}

struct metrics *
api_metrics_new(void)
{
	size_t count = 0;

	for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		for (const struct api_operation *op = services[i]->operations;
		    op->name != NULL && count < API_OPERATION_MAX; op++) {
			metric_operations[count] = op;
			metric_operation_names[count++] = op->action;
		}
	metric_operation_count = count;
	return metrics_new(metric_operation_names, count, metric_status_label);
}

/* op's index in the metrics table; the count for "unknown". */
static size_t
metric_operation_index(const struct api_operation *op)
{
	for (size_t i = 0; op != NULL && i < metric_operation_count; i++)
		if (metric_operations[i] == op)
			return i;
	return metric_operation_count;
}

static bool
peer_is_loopback(const char *peer)
{
	return strncmp(peer, "127.", 4) == 0 || strcmp(peer, "::1") == 0 ||
	    strncmp(peer, "::ffff:127.", 11) == 0;
}

static void
respond_text(struct http_response *resp, int status, const char *text)
{
	resp->status = status;
	resp->content_type = "text/plain; charset=utf-8";
	resp->body = strdup(text);
	resp->body_len = resp->body != NULL ? strlen(resp->body) : 0;
}

static void
respond_metrics(const struct api_env *env, const struct http_request *req,
    struct http_response *resp)
{
	char	*text = NULL;
	size_t	 len = 0;

	if (!env->is_metrics_remote_allowed &&
	    !peer_is_loopback(req->peer_address)) {
		respond_text(resp, 403, "metrics are served to loopback clients "
		    "only (metrics-allow-remote)\n");
		return;
	}
	if (env->metrics == NULL) {
		respond_text(resp, 404, "metrics are off\n");
		return;
	}
	if (metrics_render(env->metrics, &text, &len) != STATUS_OK) {
		respond_text(resp, 500, "out of memory\n");
		return;
	}
	resp->status = 200;
	resp->content_type = METRICS_CONTENT_TYPE;
	resp->body = text;
	resp->body_len = len;
}

/* responseElements: identifiers from a write operation's answer, never
 * anything else (CloudTrail records none for reads). */
static json_t *
response_identifiers(const json_t *out)
{
	static const char *const keep[][2] = {
		{ "ARN", "arn" }, { "Name", "name" }, { "VersionId", "versionId" },
		{ "DeletionDate", "deletionDate" },
	};
	json_t *ids;

	if (!json_is_object(out) || (ids = json_object()) == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		json_t *v = json_object_get(out, keep[i][0]);

		if (json_is_string(v) || json_is_number(v))
			json_object_set(ids, keep[i][1], v);
	}
	if (json_object_size(ids) == 0) {
		json_decref(ids);
		return NULL;
	}
	return ids;
}

static void
respond_health(struct http_response *resp)
{
	resp->status = 200;
	resp->content_type = "application/json";
	resp->body = strdup("{\"status\":\"ok\"}");
	resp->body_len = resp->body != NULL ? strlen(resp->body) : 0;
}

/*
 * Which requests may wait for the disk: everything but plain GETs (a
 * query-protocol GET, which may be any IAM action, is not plain) and the
 * JSON reads (Get*, Describe*, List*, BatchGet*), so that writes waiting
 * for their group commit run on the listener's blocking pool.  A read that
 * writes now and then (the first GetSecretValue of a secret each day
 * records LastAccessedDate) waits inline; an unknown request is offloaded,
 * which costs only a thread hand-off.
 */
bool
api_request_may_block(void *arg, const struct http_request *req)
{
	const char	*target, *op;

	(void)arg;
	if (strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0)
		return query_protocol_is_request(req);
	if ((target = http_request_header(req, "X-Amz-Target")) == NULL ||
	    (op = strrchr(target, '.')) == NULL)
		return true;
	op++;
	return strncmp(op, "Get", 3) != 0 && strncmp(op, "Describe", 8) != 0 &&
	    strncmp(op, "List", 4) != 0 && strncmp(op, "BatchGet", 8) != 0;
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
	struct call_authorization	 authz;
	struct auth_request		 areq;
	struct sigv4_header		 headers[HTTP_MAX_HEADERS];
	struct audit_event		 ev;
	struct error			 err;
	json_t				*in = NULL, *out = NULL, *params = NULL;
	json_t				*ids = NULL;
	struct sigv4_authorization	 claimed;
	const char			*authorization;
	char				 request_id[37];
	bool				 has_target, is_authenticated = false;
	int64_t				 started_ns = monotonic_ns();
	size_t				 op_index;
	enum status			 st;

	if (strcmp(req->method, "GET") == 0 && (strcmp(req->path, "/health") == 0 ||
	    strcmp(req->path, "/ping") == 0)) {
		respond_health(resp);
		return;
	}
	if (strcmp(req->method, "GET") == 0 && strcmp(req->path, "/metrics") == 0) {
		respond_metrics(env, req, resp);
		return;
	}

	memset(&call, 0, sizeof(call));
	memset(&ev, 0, sizeof(ev));
	error_clear(&err);
	if (core_request_uuid(request_id) != STATUS_OK)
		snprintf(request_id, sizeof(request_id), "unknown");
	call.env = env;
	call.http = req;
	call.request_id = request_id;
	call.now_ms = now_ms(env);

	memset(&target, 0, sizeof(target));
	has_target = json_protocol_target(req, &target, NULL) == STATUS_OK;
	if (has_target)
		svc = service_find(target.prefix);
	else if (query_protocol_is_request(req))
		svc = api_query_service(req);	/* IAM, STS */

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
	if ((st = sigv4_verify(&areq, api_credentials_lookup, &call,
	    env->sigv4_cache, &call.auth, &err)) != STATUS_OK) {
		/* The key lookup's own verdict: worded by the error table. */
		if (st == STATUS_EXPIRED_TOKEN)
			error_clear(&err);
		metrics_authentication_failure(env->metrics, st);
		goto done;
	}
	is_authenticated = true;

	/* Which operation. */
	if (svc != NULL && svc->protocol == API_PROTOCOL_QUERY) {
		if ((st = api_query_input(req, svc, &op, &in, &err)) !=
		    STATUS_OK)
			goto done;
	} else {
		if (strcmp(req->method, "POST") != 0 || svc == NULL ||
		    (op = operation_find(svc, target.operation)) == NULL) {
			st = error_set(&err, STATUS_UNKNOWN_OPERATION, NULL);
			goto done;
		}
		if ((st = json_protocol_body(req, &in, &err)) != STATUS_OK)
			goto done;
	}
	if ((st = api_validate(in, op->fields, &err)) != STATUS_OK)
		goto done;

	call.core.env = &env->core;
	call.core.account_id = call.auth.principal.account_id;
	call.core.region = call.auth.region;
	call.core.now_ms = call.now_ms;
	call.core.action = op->action;
	call.core.authorize = call_authorize;
	authz.call = &call;
	authz.in = in;
	call.core.authorize_arg = &authz;
	/* Fail closed before changing anything, not after. */
	if (!op->is_read_only && !env->is_audit_fail_open &&
	    (st = audit_check(env->audit)) != STATUS_OK)
		goto done;
	st = op->handler(&call, in, &out, &err);

done:
	info = svc != NULL && svc->error_info != NULL ? svc->error_info(st) :
	    api_error_info(st);
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
	if (!is_authenticated &&
	    (authorization = http_request_header(req, "Authorization")) != NULL &&
	    sigv4_parse_authorization(authorization, &claimed, NULL) ==
	    STATUS_OK) {
		/* Who the caller claimed to be (the key id, never the
		 * signature): the trail of a refused request. */
		ev.access_key_id = claimed.access_key_id;
		ev.region = claimed.region;
	}
	ev.resource_arn = call.core.resource_arn;
	if (st == STATUS_OK && op != NULL && !op->is_read_only)
		ev.response_elements = ids = response_identifiers(out);
	if (call.core.is_deleted_secret_access) {
		ev.alarm = AUDIT_ALARM_DELETED_SECRET;
		metrics_alarm(env->metrics, METRICS_ALARM_DELETED_SECRET_ACCESS);
		log_warn("request %s: alarm %s: %s asked for %s, which is "
		    "scheduled for deletion", request_id,
		    AUDIT_ALARM_DELETED_SECRET, call.auth.principal.arn,
		    call.core.resource_arn);
	}
	if (st != STATUS_OK) {
		ev.error_code = info->type;
		ev.error_message = err.message[0] != '\0' ? err.message :
		    info->default_message;
		/* A JSON parser's message quotes the body near the error, and
		 * the body may hold a secret value. */
		if (info->http_status >= 500 || st == STATUS_SERIALIZATION)
			ev.error_message = info->default_message;
	}
	ev.is_read_only = op != NULL ? op->is_read_only : false;
	ev.request_parameters = params;
	if (audit_record(env->audit, &ev) != STATUS_OK) {
		metrics_audit_event(env->metrics, false);
		if (env->is_audit_fail_open) {
			log_error("request %s: the audit event of %s was not "
			    "written; answering anyway (audit-on-failure = "
			    "allow)", request_id, ev.event_name != NULL ?
			    ev.event_name : "-");
		} else {
			log_error("request %s: the audit event of %s was not "
			    "written; refusing the request (fail closed)",
			    request_id, ev.event_name != NULL ? ev.event_name :
			    "-");
			json_decref(out);
			out = NULL;
			st = STATUS_IO;
			info = svc != NULL && svc->error_info != NULL ?
			    svc->error_info(st) : api_error_info(st);
			error_clear(&err);
		}
	} else
		metrics_audit_event(env->metrics, true);
	op_index = metric_operation_index(op);
	if (st == STATUS_ACCESS_DENIED && is_authenticated)
		metrics_authorization_denial(env->metrics, op_index);
	if (st != STATUS_OK && info->http_status >= 500)
		log_error("request %s: %s failed: %s", request_id,
		    ev.event_name != NULL ? ev.event_name : "-",
		    status_name(st));
	if (svc != NULL && svc->protocol == API_PROTOCOL_QUERY) {
		api_query_respond(resp, svc, op, out, st == STATUS_OK ? NULL :
		    info, err.message, request_id);
		out = NULL;
	} else if (st == STATUS_OK) {
		json_protocol_respond(resp, out, request_id);
		out = NULL;
	} else {
		json_protocol_respond_error(resp, info->http_status, info->type,
		    err.message[0] != '\0' && info->http_status < 500 ?
		    err.message : info->default_message,
		    info->is_front_door ? JSON_ERROR_FRONT_DOOR :
		    JSON_ERROR_SERVICE, request_id);
	}
	metrics_request(env->metrics, op_index, st, monotonic_ns() - started_ns);
	log_debug("request %s: %s from %s: %s", request_id, ev.event_name !=
	    NULL ? ev.event_name : "-", req->peer_address, st == STATUS_OK ?
	    "ok" : info->type);
	json_decref(ids);
	json_decref(params);
	json_decref(in);
	json_decref(out);
	api_call_identity_cleanup(&call);
}
