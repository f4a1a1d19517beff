/*
 * sts.c: the AWS STS API (AWS Query protocol, version 2011-06-15, signing
 * name "sts"): GetCallerIdentity, GetSessionToken, AssumeRole.
 *
 * AssumeRole is decided by the policy engine with the role's trust policy
 * as the resource policy that must allow (a principal it names, or the
 * caller's account by delegation), with the request's context: the
 * caller's principal keys, time, source address, TLS, sts:RoleSessionName,
 * sts:ExternalId, sts:SourceIdentity, aws:RequestTag/<key>, aws:TagKeys,
 * sts:TransitiveTagKeys, and the role's tags (aws:ResourceTag/<key>,
 * iam:ResourceTag/<key>).  The caller's side of that decision is its own
 * identity side (identity policies, permissions boundary, session
 * policies): a trust policy naming the caller itself suffices within the
 * account, one naming the account delegates to the caller's policies, and
 * across accounts both must allow.  An account administrator holds every
 * permission of its account, so the trust policy alone decides for it,
 * within its session policies when it has any (a rotation function's
 * credentials).
 * A role that does not exist is refused exactly like one whose trust
 * policy says no.
 *
 * Durations: AssumeRole 900..43200 seconds (3600 by default), at most the
 * role's MaxSessionDuration, at most 3600 when a role session assumes a
 * role (role chaining); GetSessionToken 900..129600 (43200 by default),
 * refused to session credentials.  MFA is not supported: SerialNumber and
 * TokenCode are refused.
 *
 * Thread-safety: reentrant; the administrator's allow-everything policy is
 * parsed once.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/iam_internal.h"
#include "api/sts_fields.h"
#include "common/log.h"

#define ALLOW_ALL	"{\"Version\":\"2012-10-17\",\"Statement\":[{" \
			"\"Effect\":\"Allow\",\"Action\":\"*\"," \
			"\"Resource\":\"*\"}]}"
#define MSG_MFA		"MultiFactorAuthentication failed: no MFA device " \
			"is registered with Sesame."

static pthread_once_t	 allow_all_once = PTHREAD_ONCE_INIT;
static struct policy	*allow_all;

static void
allow_all_parse(void)
{
	if (policy_parse(ALLOW_ALL, strlen(ALLOW_ALL), POLICY_KIND_IDENTITY,
	    &allow_all, NULL) != STATUS_OK)
		log_error("sts: the administrator policy does not parse");
}

static enum status
result(json_t *o, json_t **out)
{
	if (o == NULL)
		return STATUS_NO_MEMORY;
	*out = o;
	return STATUS_OK;
}

static json_t *
credentials_json(const struct sts_credentials *c)
{
	return json_pack("{s:s, s:s, s:s, s:o}", "AccessKeyId",
	    c->key.access_key_id, "SecretAccessKey", c->key.secret_access_key,
	    "SessionToken", c->session_token, "Expiration",
	    iam_time(c->expires_at));
}

static enum status
mfa_refuse(const json_t *in, struct error *err)
{
	if (api_has(in, "SerialNumber") || api_has(in, "TokenCode"))
		return error_set(err, STATUS_ACCESS_DENIED, MSG_MFA);
	return STATUS_OK;
}

/* ---- GetCallerIdentity ---- */

/* Always allowed, as on AWS: it tells callers only who they are. */
static enum status
op_get_caller_identity(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	const struct core_identity *id = &call->identity;

	return result(json_pack("{s:s, s:s, s:s}", "UserId", id->user_id,
	    "Account", id->account_id, "Arn", id->arn), out);
}

/* ---- GetSessionToken ---- */

static enum status
op_get_session_token(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct sts_session_input input;
	struct sts_credentials	 creds;
	char			*arn = NULL, *user_id = NULL;
	enum status		 st;

	memset(&input, 0, sizeof(input));
	memset(&creds, 0, sizeof(creds));
	if ((st = mfa_refuse(in, err)) != STATUS_OK)
		return st;
	if (call->identity.is_temporary)
		return error_set(err, STATUS_ACCESS_DENIED,
		    "Cannot call GetSessionToken with session credentials");
	input.duration_seconds = api_has(in, "DurationSeconds") ?
	    json_integer_value(json_object_get(in, "DurationSeconds")) :
	    IAM_SESSION_TOKEN_DEFAULT;
	if ((st = core_sts_session_create(&call->core, &call->identity, &input,
	    &creds, &arn, &user_id, err)) != STATUS_OK)
		goto out;
	st = result(json_pack("{s:o}", "Credentials", credentials_json(&creds)),
	    out);
out:
	sts_credentials_cleanup(&creds);
	free(arn);
	free(user_id);
	return st;
}

/* ---- AssumeRole ---- */

/* The caller as the policy engine sees it. */
static enum status
trust_principal(const struct api_call *call, struct policy_principal *pp,
    struct policy_tag **tags)
{
	const struct core_identity *id = &call->identity;

	memset(pp, 0, sizeof(*pp));
	*tags = NULL;
	pp->type = id->role_arn != NULL ? POLICY_PRINCIPAL_ASSUMED_ROLE :
	    POLICY_PRINCIPAL_USER;
	pp->arn = id->arn;
	pp->role_arn = id->role_arn;
	pp->account_id = id->account_id;
	pp->user_id = id->user_id;
	pp->user_name = id->role_arn == NULL ? id->user_name : NULL;
	if (id->tag_count > 0) {
		if ((*tags = calloc(id->tag_count, sizeof(**tags))) == NULL)
			return STATUS_NO_MEMORY;
		for (size_t i = 0; i < id->tag_count; i++) {
			(*tags)[i].key = id->tags[i].key;
			(*tags)[i].value = id->tags[i].value;
		}
		pp->tags = *tags;
		pp->tag_count = id->tag_count;
	}
	return STATUS_OK;
}

static enum status
trust_context(const struct api_call *call, const json_t *in,
    const struct policy_principal *pp, struct policy_context *ctx)
{
	const json_t	*list, *item;
	const char	*v;
	char		 key[160];
	size_t		 i;
	enum status	 st;

	if ((st = policy_context_add_principal(ctx, pp)) != STATUS_OK ||
	    (st = policy_context_add_request(ctx, (time_t)(call->now_ms /
	    1000), call->http->peer_address, call->http->is_tls)) !=
	    STATUS_OK ||
	    (st = policy_context_add(ctx, "sts:RoleSessionName",
	    api_string(in, "RoleSessionName"))) != STATUS_OK)
		return st;
	if ((v = api_string(in, "ExternalId")) != NULL &&
	    (st = policy_context_add(ctx, "sts:ExternalId", v)) != STATUS_OK)
		return st;
	if ((v = api_string(in, "SourceIdentity")) != NULL &&
	    (st = policy_context_add(ctx, "sts:SourceIdentity", v)) !=
	    STATUS_OK)
		return st;
	json_array_foreach(json_object_get(in, "Tags"), i, item) {
		const char *k = json_string_value(json_object_get(item, "Key"));

		snprintf(key, sizeof(key), "aws:RequestTag/%s", k);
		if ((st = policy_context_add(ctx, key, json_string_value(
		    json_object_get(item, "Value")))) != STATUS_OK ||
		    (st = policy_context_add(ctx, "aws:TagKeys", k)) !=
		    STATUS_OK)
			return st;
	}
	list = json_object_get(in, "TransitiveTagKeys");
	json_array_foreach(list, i, item)
		if ((st = policy_context_add(ctx, "sts:TransitiveTagKeys",
		    json_string_value(item))) != STATUS_OK)
			return st;
	return STATUS_OK;
}

/* The role's tags, as aws:ResourceTag/<key> and iam:ResourceTag/<key>:
 * the caller's policies may allow assuming only roles tagged for it. */
static enum status
trust_role_tags(const struct iam_entity_info *role,
    struct policy_context *ctx)
{
	char		 key[160];
	enum status	 st;

	for (size_t i = 0; i < role->tag_count; i++) {
		const struct tag *t = &role->tags[i];

		snprintf(key, sizeof(key), "aws:ResourceTag/%s", t->key);
		if ((st = policy_context_add(ctx, key, t->value)) != STATUS_OK)
			return st;
		snprintf(key, sizeof(key), "iam:ResourceTag/%s", t->key);
		if ((st = policy_context_add(ctx, key, t->value)) != STATUS_OK)
			return st;
	}
	return STATUS_OK;
}

/* An account administrator's identity side: every permission. */
static const struct policy *const *
administrator_policies(size_t *count)
{
	pthread_once(&allow_all_once, allow_all_parse);
	*count = allow_all != NULL ? 1 : 0;
	return (const struct policy *const *)&allow_all;
}

/*
 * A caller bounded by session policies (a role session made with Policy or
 * PolicyArns, a rotation function's credentials) may assume a role only
 * where they allow sts:AssumeRole on it, whatever the trust policy names
 * (even the caller's own ARN, which the engine would let past them).
 */
static enum status
trust_session_check(struct api_call *call, const struct policy_request *trust,
    struct error *err)
{
	struct auth_policies	*identity = NULL;
	struct policy_request	 req, sessions;
	struct policy_decision	 d;
	enum status		 st;

	if (call->identity.session_policy == NULL &&
	    call->identity.session_policy_arn_count == 0)
		return STATUS_OK;
	if ((st = api_call_identity_policies(call, &identity, err)) !=
	    STATUS_OK)
		return st;
	memset(&sessions, 0, sizeof(sessions));
	auth_policies_apply(identity, &sessions);
	memset(&req, 0, sizeof(req));
	req.principal = trust->principal;
	req.action = trust->action;
	req.resource = trust->resource;
	req.context = trust->context;
	req.identity_policies = trust->identity_policies;
	req.identity_policy_count = trust->identity_policy_count;
	req.session_policies = sessions.session_policies;
	req.session_policy_count = sessions.session_policy_count;
	st = STATUS_ACCESS_DENIED;
	if (req.session_policy_count > 0 && policy_evaluate(&req, &d) ==
	    STATUS_OK && d.effect == POLICY_ALLOW)
		st = STATUS_OK;
	auth_policies_release(identity);
	return st;
}

static enum status
trust_decide(struct api_call *call, const struct iam_entity_info *role,
    const json_t *in, struct error *err)
{
	struct policy		*trust = NULL;
	struct policy_context	*ctx = NULL;
	struct policy_principal	 pp;
	struct policy_tag	*tags = NULL;
	struct policy_request	 req;
	struct policy_decision	 d;
	struct auth_policies	*identity = NULL;
	struct error		 parse_err;
	enum status		 st;

	memset(&req, 0, sizeof(req));
	error_clear(&parse_err);
	if (policy_parse(role->entity.trust_policy,
	    strlen(role->entity.trust_policy), POLICY_KIND_TRUST, &trust,
	    &parse_err) != STATUS_OK) {
		log_warn("sts: the trust policy of %s does not parse: %s",
		    role->entity.arn, parse_err.message);
		st = STATUS_ACCESS_DENIED;
		goto denied;
	}
	if ((ctx = policy_context_new()) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	if ((st = trust_principal(call, &pp, &tags)) != STATUS_OK ||
	    (st = trust_context(call, in, &pp, ctx)) != STATUS_OK ||
	    (st = trust_role_tags(role, ctx)) != STATUS_OK)
		goto out;
	req.principal = &pp;
	req.action = "sts:AssumeRole";
	req.resource = role->entity.arn;
	req.resource_account_id = role->entity.account_id;
	if (call->identity.is_account_administrator)
		req.identity_policies = administrator_policies(
		    &req.identity_policy_count);
	else if ((st = api_call_identity_policies(call, &identity, err)) ==
	    STATUS_OK)
		auth_policies_apply(identity, &req);
	else if (st == STATUS_ACCESS_DENIED)
		goto denied;
	else
		goto out;
	req.resource_policy = trust;
	req.is_resource_policy_required = true;
	req.context = ctx;
	if ((st = policy_evaluate(&req, &d)) != STATUS_OK)
		goto out;
	if (d.effect != POLICY_ALLOW) {
		st = STATUS_ACCESS_DENIED;
		goto denied;
	}
	if ((st = trust_session_check(call, &req, err)) != STATUS_ACCESS_DENIED)
		goto out;
denied:
	error_set(err, st, "User: %s is not authorized to perform: "
	    "sts:AssumeRole on resource: %s", call->identity.arn,
	    role->entity.arn);
out:
	auth_policies_release(identity);
	policy_context_free(ctx);
	policy_free(trust);
	free(tags);
	return st;
}

/* AWS's packed size: the session policy (without whitespace) and the
 * session tags, as a percentage of what a session can carry. */
static int64_t
packed_percent(const char *policy, const struct tag *tags, size_t tag_count,
    size_t policy_arn_count)
{
	size_t	 bytes = policy != NULL ? iam_policy_size(policy) : 0;

	for (size_t i = 0; i < tag_count; i++)
		bytes += strlen(tags[i].key) + strlen(tags[i].value);
	bytes += policy_arn_count * 64;
	return (int64_t)((bytes * 100 + IAM_SESSION_POLICY_BYTES - 1) /
	    IAM_SESSION_POLICY_BYTES);
}

static enum status
session_policy_arns(const json_t *in, const char ***out, size_t *count,
    struct error *err)
{
	const json_t	*list = json_object_get(in, "PolicyArns"), *item;
	const char	**arns;
	size_t		 i, n = json_array_size(list);

	*out = NULL;
	*count = 0;
	if (n == 0)
		return STATUS_OK;
	if (n > IAM_SESSION_POLICY_ARNS_MAX)
		return error_set(err, STATUS_VALIDATION,
		    "1 validation error detected: Value '[%zu items]' at "
		    "'policyArns' failed to satisfy constraint: Member must "
		    "have length less than or equal to %d", n,
		    IAM_SESSION_POLICY_ARNS_MAX);
	if ((arns = calloc(n, sizeof(*arns))) == NULL)
		return STATUS_NO_MEMORY;
	json_array_foreach(list, i, item) {
		const char *arn = json_string_value(json_object_get(item,
		    "arn"));

		if (arn == NULL || iam_policy_arn_check(arn, NULL) !=
		    STATUS_OK) {
			free(arns);
			return error_set(err, STATUS_VALIDATION,
			    "%s is not a valid managed policy ARN",
			    arn != NULL ? arn : "null");
		}
		arns[i] = arn;
	}
	*out = arns;
	*count = n;
	return STATUS_OK;
}

static enum status
op_assume_role(struct api_call *call, json_t *in, json_t **out,
    struct error *err)
{
	struct sts_session_input input;
	struct sts_credentials	 creds;
	struct iam_entity_info	 role;
	struct tag		*tags = NULL;
	const char		**arns = NULL;
	char			*arn = NULL, *user_id = NULL;
	size_t			 tag_count = 0, arn_count = 0;
	int64_t			 packed = 0;
	json_t			*o;
	enum status		 st;

	memset(&input, 0, sizeof(input));
	memset(&creds, 0, sizeof(creds));
	memset(&role, 0, sizeof(role));
	if ((st = mfa_refuse(in, err)) != STATUS_OK)
		goto out;
	input.session_name = api_string(in, "RoleSessionName");
	input.policy = api_string(in, "Policy");
	input.source_identity = api_string(in, "SourceIdentity");
	input.duration_seconds = api_has(in, "DurationSeconds") ?
	    json_integer_value(json_object_get(in, "DurationSeconds")) :
	    IAM_ROLE_SESSION_DEFAULT;
	if (call->identity.role_arn != NULL &&
	    input.duration_seconds > IAM_ROLE_CHAINING_MAX) {
		st = error_set(err, STATUS_VALIDATION, "The requested "
		    "DurationSeconds exceeds the 1 hour session limit for roles "
		    "assumed by role chaining.");
		goto out;
	}
	if (input.policy != NULL && (st = iam_policy_check(input.policy,
	    POLICY_KIND_IDENTITY, err)) != STATUS_OK)
		goto out;
	if ((st = session_policy_arns(in, &arns, &arn_count, err)) !=
	    STATUS_OK ||
	    (st = iam_tags_from_json(in, "Tags", &tags, &tag_count)) !=
	    STATUS_OK)
		goto out;
	for (size_t i = 0; i < tag_count; i++)
		for (size_t j = i + 1; j < tag_count; j++)
			if (strcasecmp(tags[i].key, tags[j].key) == 0) {
				st = error_set(err, STATUS_INVALID_PARAMETER,
				    "Duplicate tag keys found. Please note that "
				    "Tag keys are case insensitive.");
				goto out;
			}
	if (input.policy != NULL || arn_count > 0 || tag_count > 0) {
		packed = packed_percent(input.policy, tags, tag_count,
		    arn_count);
		if (packed > 100) {
			st = error_set(err, STATUS_LIMIT_EXCEEDED, "Packed "
			    "policy consumes %lld%% of allotted space, please "
			    "use smaller policy.", (long long)packed);
			goto out;
		}
	}
	if ((st = core_sts_role_load(&call->core, &call->identity,
	    api_string(in, "RoleArn"), &role, err)) != STATUS_OK)
		goto out;
	if ((st = trust_decide(call, &role, in, err)) != STATUS_OK)
		goto out;
	if (input.duration_seconds > role.entity.max_session_seconds) {
		st = error_set(err, STATUS_VALIDATION, "The requested "
		    "DurationSeconds exceeds the MaxSessionDuration set for "
		    "this role.");
		goto out;
	}
	input.role = &role.entity;
	input.policy_arns = arns;
	input.policy_arn_count = arn_count;
	input.tags = tags;
	input.tag_count = tag_count;
	if ((st = core_sts_session_create(&call->core, &call->identity, &input,
	    &creds, &arn, &user_id, err)) != STATUS_OK)
		goto out;
	if ((o = json_pack("{s:o, s:{s:s, s:s}}", "Credentials",
	    credentials_json(&creds), "AssumedRoleUser", "AssumedRoleId",
	    user_id, "Arn", arn)) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	if (input.policy != NULL || arn_count > 0 || tag_count > 0)
		json_object_set_new(o, "PackedPolicySize",
		    json_integer(packed));
	if (input.source_identity != NULL)
		json_object_set_new(o, "SourceIdentity",
		    json_string(input.source_identity));
	*out = o;
out:
	sts_credentials_cleanup(&creds);
	iam_entity_info_cleanup(&role);
	free(tags);
	free(arns);
	free(arn);
	free(user_id);
	return st;
}

#define OP(name, handler, read_only) \
	{ #name, "sts:" #name, handler, sts_fields_##name, read_only }

const struct api_operation sts_operations[] = {
	OP(AssumeRole, op_assume_role, false),
	OP(GetCallerIdentity, op_get_caller_identity, true),
	OP(GetSessionToken, op_get_session_token, false),
	{ NULL, NULL, NULL, NULL, false },
};

const struct api_service api_service_sts = {
	.target_prefix = NULL,		/* no X-Amz-Target: Query */
	.signing_name = "sts",
	.event_source = "sts.amazonaws.com",
	.operations = sts_operations,
	.error_info = sts_error_info,
	.protocol = API_PROTOCOL_QUERY,
	.xml_namespace = "https://sts.amazonaws.com/doc/2011-06-15/",
	.api_version = "2011-06-15",
};
