/*
 * authorize.c: may this principal perform this action on this resource?
 *
 * Builds the policy engine's request from what the pipeline gathered (the
 * principal, its compiled identity side, the resource's policy and tags,
 * the request's context keys) and lets policy_evaluate decide with AWS's
 * logic: explicit deny wins; within one account an identity or resource
 * policy allows, within the boundary and session policies; across accounts
 * both sides must allow.  An account administrator key is the account's
 * root user: every permission in its own account, and in another only
 * what that account's resource policy grants.  A session of it that
 * carries session policies (the credentials of a rotation function) holds
 * only what those allow, whatever names the root user.
 *
 * KMS key policies are resource policies that must allow: a kms: action
 * on a key (made directly or by Secrets Manager on the caller's behalf,
 * with kms:ViaService) needs the key policy to allow it, naming the
 * principal or delegating to its account, whose identity policies must
 * then allow it too.  So a secret shared with another account opens there
 * only when the secret's policy, the reader's identity policies and the
 * key policy all allow; the aws/secretsmanager key's policy admits only
 * its own account.
 *
 * Thread-safe: every request builds its own context; compiled policies are
 * shared read-only.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "auth/policy.h"
#include "common/str_copy.h"

#define AUTHORIZE_KEY_MAX	300

static bool
authorize_is_any_resource(const char *resource)
{
	return resource == NULL || resource[0] == '\0' ||
	    strcmp(resource, "*") == 0;
}

/* Without a context (no policies gathered): the rule from before the
 * engine, what AWS decides for a principal whose identity policies allow
 * everything and whose target has no resource policy. */
static enum status
authorize_account_only(const struct principal *principal, const char *action,
    const char *resource, const char *resource_account_id, struct error *err)
{
	if (resource_account_id == NULL ||
	    strcmp(resource_account_id, principal->account_id) == 0)
		return STATUS_OK;
	if (authorize_is_any_resource(resource))
		return error_set(err, STATUS_ACCESS_DENIED,
		    "User: %s is not authorized to perform: %s because no "
		    "identity-based policy allows the %s action",
		    principal->arn, action, action);
	return error_set(err, STATUS_ACCESS_DENIED,
	    "User: %s is not authorized to perform: %s on resource: %s because "
	    "no resource-based policy allows the %s action",
	    principal->arn, action, resource, action);
}

static enum policy_principal_type
principal_type(const struct principal *p)
{
	if (p->is_account_administrator)
		return POLICY_PRINCIPAL_ROOT;
	if (strcmp(p->type, "AssumedRole") == 0)
		return POLICY_PRINCIPAL_ASSUMED_ROLE;
	return POLICY_PRINCIPAL_USER;
}

static enum status
context_add_tags(struct policy_context *pc, const char *prefix,
    const struct principal_tag *tags, size_t count)
{
	char		 key[AUTHORIZE_KEY_MAX];
	enum status	 st;

	for (size_t i = 0; i < count; i++) {
		if (!str_concat(key, sizeof(key), prefix, tags[i].key, NULL))
			continue;
		if ((st = policy_context_add(pc, key, tags[i].value != NULL ?
		    tags[i].value : "")) != STATUS_OK)
			return st;
	}
	return STATUS_OK;
}

/* kms:CallerAccount and the encryption context of a kms: request. */
static enum status
context_add_kms(struct policy_context *pc, const struct policy_principal *pp,
    const struct auth_context *ctx, bool is_kms)
{
	char		 key[AUTHORIZE_KEY_MAX];
	enum status	 st;

	if (!is_kms)
		return STATUS_OK;
	if ((st = policy_context_add(pc, "kms:CallerAccount",
	    pp->account_id)) != STATUS_OK)
		return st;
	for (size_t i = 0; i < ctx->encryption_context_count; i++) {
		const struct kms_context_pair *c = &ctx->encryption_context[i];

		if (!str_concat(key, sizeof(key), "kms:EncryptionContext:",
		    c->key, NULL))
			return STATUS_INVALID_PARAMETER;
		if ((st = policy_context_add(pc, key, c->value)) != STATUS_OK ||
		    (st = policy_context_add(pc, "kms:EncryptionContextKeys",
		    c->key)) != STATUS_OK)
			return st;
	}
	return STATUS_OK;
}

static enum status
context_build(struct policy_context *pc, const struct policy_principal *pp,
    const struct auth_context *ctx, bool is_secret, bool is_iam, bool is_kms)
{
	enum status st;

	if ((st = policy_context_add_principal(pc, pp)) != STATUS_OK ||
	    (st = policy_context_add_request(pc, ctx->now, ctx->source_ip,
	    ctx->is_secure_transport)) != STATUS_OK)
		return st;
	if (ctx->secret_id != NULL &&
	    (st = policy_context_add(pc, "secretsmanager:SecretId",
	    ctx->secret_id)) != STATUS_OK)
		return st;
	if (ctx->secret_name != NULL &&
	    (st = policy_context_add(pc, "secretsmanager:Name",
	    ctx->secret_name)) != STATUS_OK)
		return st;
	if ((st = context_add_tags(pc, "aws:ResourceTag/", ctx->resource_tags,
	    ctx->resource_tag_count)) != STATUS_OK)
		return st;
	if (is_secret && (st = context_add_tags(pc,
	    "secretsmanager:ResourceTag/", ctx->resource_tags,
	    ctx->resource_tag_count)) != STATUS_OK)
		return st;
	if (is_iam && (st = context_add_tags(pc, "iam:ResourceTag/",
	    ctx->resource_tags, ctx->resource_tag_count)) != STATUS_OK)
		return st;
	if ((st = context_add_tags(pc, "aws:RequestTag/", ctx->request_tags,
	    ctx->request_tag_count)) != STATUS_OK)
		return st;
	for (size_t i = 0; i < ctx->request_tag_count; i++)
		if ((st = policy_context_add(pc, "aws:TagKeys",
		    ctx->request_tags[i].key)) != STATUS_OK)
			return st;
	for (size_t i = 0; i < ctx->extra_key_count; i++)
		if ((st = policy_context_add(pc, ctx->extra_keys[i].key,
		    ctx->extra_keys[i].value)) != STATUS_OK)
			return st;
	if (ctx->via_service != NULL &&
	    (st = policy_context_add(pc, "kms:ViaService",
	    ctx->via_service)) != STATUS_OK)
		return st;
	return context_add_kms(pc, pp, ctx, is_kms);
}

/*
 * Does any policy the decision reads look at the request context: a
 * condition, or a policy variable in a resource or principal?  The
 * compiled policies list the keys they reference (policy_parse.c).
 */
static bool
policy_reads_context(const struct policy *p)
{
	return policy_referenced_key_count(p) > 0;
}

static bool
request_reads_context(const struct policy_request *req)
{
	for (size_t i = 0; i < req->identity_policy_count; i++)
		if (policy_reads_context(req->identity_policies[i]))
			return true;
	for (size_t i = 0; i < req->session_policy_count; i++)
		if (policy_reads_context(req->session_policies[i]))
			return true;
	return policy_reads_context(req->permissions_boundary) ||
	    policy_reads_context(req->resource_policy);
}

enum status
auth_authorize(const struct principal *principal, const char *action,
    const char *resource, const char *resource_account_id,
    const struct auth_context *ctx, struct error *err)
{
	struct policy_principal	 pp;
	struct policy_request	 req;
	struct policy_decision	 decision;
	struct policy_context	*pc = NULL;
	struct auth_document	*resource_policy = NULL;
	struct policy_tag	*tags = NULL;
	const struct auth_policies *identity;
	bool			 is_secret;
	enum status		 st = STATUS_ACCESS_DENIED;

	if (principal == NULL || action == NULL ||
	    principal->account_id[0] == '\0')
		return error_set(err, STATUS_ACCESS_DENIED, "Access denied");
	if (ctx == NULL)
		return authorize_account_only(principal, action, resource,
		    resource_account_id, err);
	if (resource_account_id != NULL && resource_account_id[0] == '\0')
		resource_account_id = NULL;
	identity = ctx->identity;

	memset(&pp, 0, sizeof(pp));
	pp.type = principal_type(principal);
	pp.arn = principal->arn;
	pp.account_id = principal->account_id;
	if (pp.type != POLICY_PRINCIPAL_ROOT) {
		if (identity == NULL) {
			error_set(err, STATUS_ACCESS_DENIED, "Access denied");
			goto out;
		}
		pp.user_id = principal->user_id[0] != '\0' ?
		    principal->user_id : NULL;
		pp.user_name = principal->user_name[0] != '\0' ?
		    principal->user_name : NULL;
		if (pp.type == POLICY_PRINCIPAL_ASSUMED_ROLE)
			pp.role_arn = principal->role_arn;
	}
	if (principal->tag_count > 0) {
		if ((tags = calloc(principal->tag_count, sizeof(*tags))) ==
		    NULL) {
			st = error_set(err, STATUS_NO_MEMORY, NULL);
			goto out;
		}
		for (size_t i = 0; i < principal->tag_count; i++) {
			tags[i].key = principal->tags[i].key;
			tags[i].value = principal->tags[i].value;
		}
		pp.tags = tags;
		pp.tag_count = principal->tag_count;
	}

	is_secret = resource != NULL &&
	    strncmp(resource, "arn:aws:secretsmanager:", 23) == 0;
	if ((pc = policy_context_new()) == NULL) {
		st = error_set(err, STATUS_NO_MEMORY, NULL);
		goto out;
	}
	if (ctx->resource_policy != NULL &&
	    auth_resource_policy_get(ctx->resource_policy, ctx->is_key_policy,
	    &resource_policy, NULL) != STATUS_OK) {
		/* Stored policies always compile; fail closed if not. */
		st = error_set(err, STATUS_ACCESS_DENIED, "Access denied");
		goto out;
	}

	memset(&req, 0, sizeof(req));
	req.principal = &pp;
	req.action = action;
	req.resource = authorize_is_any_resource(resource) ? "*" : resource;
	req.resource_account_id = resource_account_id;
	req.resource_display = ctx->resource_display;
	if (identity != NULL) {
		auth_policies_apply(identity, &req);
		/* The root user has no identity policies or boundary; a
		 * session of it is bounded by its session policies alone. */
		if (pp.type == POLICY_PRINCIPAL_ROOT) {
			req.identity_policies = NULL;
			req.identity_policy_count = 0;
			req.permissions_boundary = NULL;
		}
	}
	req.resource_policy = resource_policy != NULL ?
	    auth_document_policy(resource_policy) : NULL;
	req.is_resource_policy_required = ctx->is_key_policy;
	req.is_via_service = ctx->via_service != NULL;
	/* The context only for policies that read it (most read nothing:
	 * an administrator's, a secret without a resource policy), and of it
	 * only the keys they reference. */
	policy_context_limit_to(pc, &req);
	if (request_reads_context(&req) && (st = context_build(pc, &pp, ctx,
	    is_secret, resource != NULL &&
	    strncmp(resource, "arn:aws:iam::", 13) == 0,
	    strncmp(action, "kms:", 4) == 0)) != STATUS_OK) {
		/* A value beyond the engine's limits: refuse, never skip. */
		st = error_set(err, STATUS_ACCESS_DENIED, "Access denied");
		goto out;
	}
	req.context = pc;
	if ((st = policy_evaluate(&req, &decision)) != STATUS_OK) {
		st = error_set(err, STATUS_ACCESS_DENIED, "Access denied");
		goto out;
	}
	st = policy_decision_error(&req, &decision, err);
out:
	auth_document_release(resource_policy);
	policy_context_free(pc);
	free(tags);
	return st;
}
