/*
 * policy_eval.c: AWS's policy evaluation logic over compiled policies,
 * and the AccessDeniedException message for a denial.
 *
 * One pass per policy decides, for every statement, whether it applies
 * (action, resource, principal for resource policies, conditions); the
 * first applicable Deny anywhere ends the evaluation.  Then the allows are
 * combined (docs/internals/policy.md has the table):
 *
 *   same account   identity allows (within the permissions boundary and
 *                  the session policies), or the resource policy allows
 *                  the principal itself;
 *   cross account  identity allows (within boundary and session) and the
 *                  resource policy allows the principal or its account;
 *   key policy     (is_resource_policy_required) the resource policy must
 *                  allow, naming the principal or delegating to the
 *                  account, in which case identity must allow as well.
 *
 * A resource policy that names the account ("123456789012" or its root
 * ARN) delegates to that account's identity policies: it grants nothing
 * by itself to anyone but the root user.  Naming a role (or "*") grants to
 * a session within its session policies and boundary; naming the session
 * itself, or a user, is not limited by them.  The root user with session
 * policies (a session of the account's own key) is limited by them
 * whatever names it.
 *
 * Never allocates; reads the policies and the context only.  Thread-safe.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auth/policy_internal.h"

/* How well a resource policy's Principal matched, weakest first. */
enum principal_match {
	PRINCIPAL_MATCH_NONE = 0,
	PRINCIPAL_MATCH_ACCOUNT,	/* delegation to the account */
	PRINCIPAL_MATCH_ROLE,		/* the session's role */
	PRINCIPAL_MATCH_ANY,		/* "*" or NotPrincipal */
	PRINCIPAL_MATCH_EXACT,		/* the principal itself */
};

static bool
str_eq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static enum principal_match
principal_entry_match(const struct principal_entry *e,
    const struct policy_principal *p)
{
	size_t n;

	switch (e->kind) {
	case PRINCIPAL_ENTRY_ANY:
		return PRINCIPAL_MATCH_ANY;
	case PRINCIPAL_ENTRY_AWS_ANY:
		return p->type == POLICY_PRINCIPAL_SERVICE ?
		    PRINCIPAL_MATCH_NONE : PRINCIPAL_MATCH_ANY;
	case PRINCIPAL_ENTRY_ACCOUNT:
		if (p->type == POLICY_PRINCIPAL_SERVICE ||
		    p->type == POLICY_PRINCIPAL_ANONYMOUS ||
		    p->type == POLICY_PRINCIPAL_WEB_IDENTITY ||
		    !str_eq(p->account_id, e->account_id))
			return PRINCIPAL_MATCH_NONE;
		return p->type == POLICY_PRINCIPAL_ROOT ?
		    PRINCIPAL_MATCH_EXACT : PRINCIPAL_MATCH_ACCOUNT;
	case PRINCIPAL_ENTRY_ARN:
		if (str_eq(p->arn, e->value))
			return PRINCIPAL_MATCH_EXACT;
		if (p->type == POLICY_PRINCIPAL_ASSUMED_ROLE &&
		    str_eq(p->role_arn, e->value))
			return PRINCIPAL_MATCH_ROLE;
		return PRINCIPAL_MATCH_NONE;
	case PRINCIPAL_ENTRY_UNIQUE_ID:
		/* "AIDA..." for a user; a session's id is "AROA...:name". */
		if (p->user_id == NULL)
			return PRINCIPAL_MATCH_NONE;
		if (strcmp(p->user_id, e->value) == 0)
			return PRINCIPAL_MATCH_EXACT;
		n = e->len;
		if (strncmp(p->user_id, e->value, n) == 0 &&
		    p->user_id[n] == ':')
			return PRINCIPAL_MATCH_ROLE;
		return PRINCIPAL_MATCH_NONE;
	case PRINCIPAL_ENTRY_SERVICE:
		return p->type == POLICY_PRINCIPAL_SERVICE && p->arn != NULL &&
		    strcasecmp(p->arn, e->value) == 0 ? PRINCIPAL_MATCH_EXACT :
		    PRINCIPAL_MATCH_NONE;
	case PRINCIPAL_ENTRY_FEDERATED:
		return p->type == POLICY_PRINCIPAL_WEB_IDENTITY &&
		    str_eq(p->arn, e->value) ? PRINCIPAL_MATCH_EXACT :
		    PRINCIPAL_MATCH_NONE;
	case PRINCIPAL_ENTRY_CANONICAL_USER:
		return PRINCIPAL_MATCH_NONE;
	}
	return PRINCIPAL_MATCH_NONE;
}

static enum principal_match
statement_principal_match(const struct policy_statement *st,
    const struct policy_principal *p)
{
	enum principal_match best = PRINCIPAL_MATCH_NONE, m;

	for (size_t i = 0; i < st->principal_count; i++) {
		m = principal_entry_match(&st->principals[i], p);
		if (m > best)
			best = m;
	}
	switch (st->principal_mode) {
	case PRINCIPAL_MODE_PRINCIPAL:
		return best;
	case PRINCIPAL_MODE_NOT_PRINCIPAL:
		return best == PRINCIPAL_MATCH_NONE ? PRINCIPAL_MATCH_ANY :
		    PRINCIPAL_MATCH_NONE;
	case PRINCIPAL_MODE_NONE:
		break;
	}
	/* A resource-policy statement naming nobody applies to nobody. */
	return PRINCIPAL_MATCH_NONE;
}

static enum match
patterns_match(const struct pattern *patterns, size_t count, const char *s,
    size_t len, enum match_mode mode, const struct policy_context *ctx)
{
	enum match	 m, result = MATCH_NO;

	for (size_t i = 0; i < count; i++) {
		if ((m = pattern_match(&patterns[i], s, len, mode, ctx)) ==
		    MATCH_YES)
			return MATCH_YES;
		if (m == MATCH_INVALID)
			result = MATCH_INVALID;
	}
	return result;
}

enum match
policy_statement_match(const struct policy_statement *st,
    const struct policy_request *req, bool check_principal,
    int *principal_kind)
{
	const char	*resource;
	enum match	 m;

	*principal_kind = PRINCIPAL_MATCH_EXACT;
	m = patterns_match(st->actions, st->action_count, req->action,
	    strlen(req->action), MATCH_IGNORE_CASE, req->context);
	if (m == MATCH_INVALID)
		return MATCH_INVALID;
	if ((m == MATCH_YES) == st->is_not_action)
		return MATCH_NO;
	if (st->resource_mode != RESOURCE_MODE_NONE) {
		resource = req->resource != NULL && req->resource[0] != '\0' ?
		    req->resource : "*";
		m = patterns_match(st->resources, st->resource_count, resource,
		    strlen(resource), MATCH_RESOURCE, req->context);
		if (m == MATCH_INVALID)
			return MATCH_INVALID;
		if ((m == MATCH_YES) ==
		    (st->resource_mode == RESOURCE_MODE_NOT_RESOURCE))
			return MATCH_NO;
	}
	if (check_principal) {
		*principal_kind = statement_principal_match(st, req->principal);
		if (*principal_kind == PRINCIPAL_MATCH_NONE)
			return MATCH_NO;
	}
	for (size_t i = 0; i < st->condition_count; i++)
		if ((m = condition_evaluate(&st->conditions[i],
		    req->context)) != MATCH_YES)
			return m;
	return MATCH_YES;
}

/* What one set of policies of one kind said. */
struct scan {
	bool			 is_denied;
	const struct policy	*deny_policy;
	size_t			 deny_statement;
	int			 allow;		/* enum principal_match */
	const struct policy	*allow_policy;
	size_t			 allow_statement;
};

/* Scan policy; true when it holds an applicable Deny (evaluation ends). */
static bool
scan_policy(const struct policy *policy, const struct policy_request *req,
    bool check_principal, struct scan *s)
{
	int kind;

	if (policy == NULL)
		return false;
	for (size_t i = 0; i < policy->statement_count; i++) {
		const struct policy_statement *st = &policy->statements[i];

		if (policy_statement_match(st, req, check_principal, &kind) !=
		    MATCH_YES)
			continue;
		if (st->is_deny) {
			s->is_denied = true;
			s->deny_policy = policy;
			s->deny_statement = i;
			return true;
		}
		if (kind > s->allow) {
			s->allow = kind;
			s->allow_policy = policy;
			s->allow_statement = i;
		}
	}
	return false;
}

static bool
scan_policies(const struct policy *const *policies, size_t count,
    const struct policy_request *req, struct scan *s)
{
	for (size_t i = 0; i < count; i++)
		if (scan_policy(policies[i], req, false, s))
			return true;
	return false;
}

static bool
kinds_are(const struct policy *const *policies, size_t count,
    enum policy_kind kind)
{
	if (count > 0 && policies == NULL)
		return false;
	for (size_t i = 0; i < count; i++)
		if (policies[i] == NULL || policies[i]->kind != kind)
			return false;
	return true;
}

/* A resource policy in an identity slot would be read without its
 * Principal, granting what it grants to others: refuse mix-ups. */
static bool
request_kinds_are_valid(const struct policy_request *req)
{
	return kinds_are(req->identity_policies, req->identity_policy_count,
	    POLICY_KIND_IDENTITY) && kinds_are(req->session_policies,
	    req->session_policy_count, POLICY_KIND_IDENTITY) &&
	    (req->permissions_boundary == NULL ||
	    req->permissions_boundary->kind == POLICY_KIND_IDENTITY) &&
	    (req->resource_policy == NULL ||
	    req->resource_policy->kind != POLICY_KIND_IDENTITY);
}

static void
decide(struct policy_decision *out, enum policy_effect effect,
    enum policy_source source, const struct policy *policy, size_t statement)
{
	out->effect = effect;
	out->source = source;
	out->policy = policy;
	out->statement_index = statement;
}

static void
deny_implicit(struct policy_decision *out, enum policy_source source)
{
	decide(out, POLICY_IMPLICIT_DENY, source, NULL, 0);
}

enum status
policy_evaluate(const struct policy_request *req, struct policy_decision *out)
{
	const struct policy_principal *p;
	struct scan	 identity, resource, boundary, session;
	bool		 identity_allows, boundary_ok, session_ok, bounded_ok;
	bool		 same_account;
	int		 res;

	if (out == NULL)
		return STATUS_INVALID_PARAMETER;
	memset(out, 0, sizeof(*out));
	if (req == NULL || req->principal == NULL || req->action == NULL ||
	    req->action[0] == '\0')
		return STATUS_INVALID_PARAMETER;
	if (!request_kinds_are_valid(req))
		return STATUS_INVALID_PARAMETER;
	p = req->principal;
	memset(&identity, 0, sizeof(identity));
	memset(&resource, 0, sizeof(resource));
	memset(&boundary, 0, sizeof(boundary));
	memset(&session, 0, sizeof(session));

	same_account = req->resource_account_id == NULL ||
	    req->resource_account_id[0] == '\0' ||
	    str_eq(req->resource_account_id, p->account_id);
	out->is_cross_account = !same_account;

	/* Explicit denies, reported in this order. */
	if (scan_policies(req->identity_policies, req->identity_policy_count,
	    req, &identity)) {
		decide(out, POLICY_EXPLICIT_DENY, POLICY_SOURCE_IDENTITY,
		    identity.deny_policy, identity.deny_statement);
		return STATUS_OK;
	}
	if (scan_policy(req->resource_policy, req, true, &resource)) {
		decide(out, POLICY_EXPLICIT_DENY, POLICY_SOURCE_RESOURCE,
		    resource.deny_policy, resource.deny_statement);
		return STATUS_OK;
	}
	if (scan_policy(req->permissions_boundary, req, false, &boundary)) {
		decide(out, POLICY_EXPLICIT_DENY, POLICY_SOURCE_BOUNDARY,
		    boundary.deny_policy, boundary.deny_statement);
		return STATUS_OK;
	}
	if (scan_policies(req->session_policies, req->session_policy_count,
	    req, &session)) {
		decide(out, POLICY_EXPLICIT_DENY, POLICY_SOURCE_SESSION,
		    session.deny_policy, session.deny_statement);
		return STATUS_OK;
	}

	res = resource.allow;
	/* Services and anonymous callers have no identity policies: only a
	 * resource policy naming them (or everyone) lets them in. */
	if (p->type == POLICY_PRINCIPAL_SERVICE ||
	    p->type == POLICY_PRINCIPAL_ANONYMOUS ||
	    p->type == POLICY_PRINCIPAL_WEB_IDENTITY) {
		if (res >= PRINCIPAL_MATCH_ANY)
			decide(out, POLICY_ALLOW, POLICY_SOURCE_RESOURCE,
			    resource.allow_policy, resource.allow_statement);
		else
			deny_implicit(out, POLICY_SOURCE_RESOURCE);
		return STATUS_OK;
	}

	/* The root user holds every permission of its own account. */
	identity_allows = p->type == POLICY_PRINCIPAL_ROOT ||
	    identity.allow != PRINCIPAL_MATCH_NONE;
	boundary_ok = req->permissions_boundary == NULL ||
	    boundary.allow != PRINCIPAL_MATCH_NONE;
	session_ok = req->session_policy_count == 0 ||
	    session.allow != PRINCIPAL_MATCH_NONE;
	bounded_ok = boundary_ok && session_ok;

	if (!same_account) {
		if (!identity_allows)
			deny_implicit(out, POLICY_SOURCE_IDENTITY);
		else if (!boundary_ok)
			deny_implicit(out, POLICY_SOURCE_BOUNDARY);
		else if (!session_ok)
			deny_implicit(out, POLICY_SOURCE_SESSION);
		else if (res == PRINCIPAL_MATCH_NONE)
			deny_implicit(out, POLICY_SOURCE_RESOURCE);
		else
			decide(out, POLICY_ALLOW, POLICY_SOURCE_RESOURCE,
			    resource.allow_policy, resource.allow_statement);
		return STATUS_OK;
	}

	/* A session of the root user (the account's own key with a session
	 * policy) has no ARN of its own that a policy could name: whatever
	 * names the root user reaches the session through the root user,
	 * within the session policies. */
	if (res == PRINCIPAL_MATCH_EXACT &&
	    (p->type != POLICY_PRINCIPAL_ROOT || session_ok)) {
		/* Granted to the principal itself. */
		decide(out, POLICY_ALLOW, POLICY_SOURCE_RESOURCE,
		    resource.allow_policy, resource.allow_statement);
		return STATUS_OK;
	}
	if (res >= PRINCIPAL_MATCH_ROLE &&
	    (bounded_ok || req->is_via_service)) {
		/* Granted to the session's role or to everyone: within the
		 * boundary and the session policies (which bounded the
		 * service's call already when it asks for the principal). */
		decide(out, POLICY_ALLOW, POLICY_SOURCE_RESOURCE,
		    resource.allow_policy, resource.allow_statement);
		return STATUS_OK;
	}
	if (req->is_resource_policy_required) {
		/* A key policy: nothing without it; delegation to the account
		 * needs the identity policies too. */
		if (res == PRINCIPAL_MATCH_NONE)
			deny_implicit(out, POLICY_SOURCE_RESOURCE);
		else if (res == PRINCIPAL_MATCH_ACCOUNT && !identity_allows)
			deny_implicit(out, POLICY_SOURCE_IDENTITY);
		else if (!boundary_ok)
			deny_implicit(out, POLICY_SOURCE_BOUNDARY);
		else if (!session_ok)
			deny_implicit(out, POLICY_SOURCE_SESSION);
		else
			decide(out, POLICY_ALLOW, POLICY_SOURCE_IDENTITY,
			    identity.allow_policy, identity.allow_statement);
		return STATUS_OK;
	}
	if (!identity_allows && res < PRINCIPAL_MATCH_ROLE)
		deny_implicit(out, POLICY_SOURCE_IDENTITY);
	else if (!boundary_ok)
		deny_implicit(out, POLICY_SOURCE_BOUNDARY);
	else if (!session_ok)
		deny_implicit(out, POLICY_SOURCE_SESSION);
	else
		decide(out, POLICY_ALLOW, POLICY_SOURCE_IDENTITY,
		    identity.allow_policy, identity.allow_statement);
	return STATUS_OK;
}

/* ---- messages ---- */

int
policy_decision_message(const struct policy_request *req,
    const struct policy_decision *d, char *buf, size_t size)
{
	const char	*who, *action, *resource, *arn = NULL;
	const char	*where = "", *on = "", *reason;
	bool		 is_explicit = d->effect == POLICY_EXPLICIT_DENY;

	if (d->effect == POLICY_ALLOW)
		return snprintf(buf, size, "%s", "");
	who = req->principal != NULL && req->principal->arn != NULL ?
	    req->principal->arn : "anonymous";
	action = req->action != NULL ? req->action : "";
	resource = req->resource_display != NULL ? req->resource_display :
	    req->resource;
	if (resource != NULL && resource[0] != '\0' &&
	    strcmp(resource, "*") != 0) {
		on = " on resource: ";
		where = resource;
	}
	switch (d->source) {
	case POLICY_SOURCE_RESOURCE:
		reason = is_explicit ? "a resource-based policy" :
		    "resource-based policy";
		break;
	case POLICY_SOURCE_BOUNDARY:
		reason = is_explicit ? "a permissions boundary" :
		    "permissions boundary";
		break;
	case POLICY_SOURCE_SESSION:
		reason = is_explicit ? "a session policy" : "session policy";
		break;
	case POLICY_SOURCE_IDENTITY:
	case POLICY_SOURCE_NONE:
	default:
		reason = is_explicit ? "an identity-based policy" :
		    "identity-based policy";
		break;
	}
	if (!is_explicit)
		return snprintf(buf, size, "User: %s is not authorized to "
		    "perform: %s%s%s because no %s allows the %s action", who,
		    action, on, where, reason, action);
	/* Within one account AWS names the denying policy by its ARN
	 * (resource policies have none). */
	if (!d->is_cross_account && d->source != POLICY_SOURCE_RESOURCE)
		arn = policy_arn(d->policy);
	return snprintf(buf, size, "User: %s is not authorized to perform: "
	    "%s%s%s with an explicit deny in %s%s%s", who, action, on, where,
	    reason, arn != NULL ? ": " : "", arn != NULL ? arn : "");
}

enum status
policy_decision_error(const struct policy_request *req,
    const struct policy_decision *d, struct error *err)
{
	char msg[ERROR_MESSAGE_MAX];

	if (d->effect == POLICY_ALLOW)
		return STATUS_OK;
	policy_decision_message(req, d, msg, sizeof(msg));
	return error_set(err, STATUS_ACCESS_DENIED, "%s", msg);
}

/* ---- hashing for decision caches ---- */

static void
hash_policy_keys(const struct policy *policy, const struct policy_context *ctx,
    struct policy_hasher *h)
{
	policy_hasher_u64(h, policy != NULL ? policy->hash : 0);
	if (policy == NULL)
		return;
	policy_hasher_string(h, policy->arn);
	for (size_t i = 0; i < policy->key_count; i++)
		policy_context_hash_entry(ctx, policy->keys[i].hash,
		    policy->keys[i].key, policy->keys[i].key_len, h);
}

uint64_t
policy_request_hash(const struct policy_request *req)
{
	struct policy_hasher		 h;
	const struct policy_principal	*p = req->principal;

	policy_hasher_init(&h);
	policy_hasher_u64(&h, p != NULL ? (uint64_t)p->type : UINT64_MAX);
	if (p != NULL) {
		policy_hasher_string(&h, p->arn);
		policy_hasher_string(&h, p->role_arn);
		policy_hasher_string(&h, p->account_id);
		policy_hasher_string(&h, p->user_id);
	}
	policy_hasher_string(&h, req->action);
	policy_hasher_string(&h, req->resource);
	policy_hasher_string(&h, req->resource_account_id);
	policy_hasher_u64(&h, req->is_resource_policy_required);
	policy_hasher_u64(&h, req->is_via_service);
	policy_hasher_u64(&h, req->identity_policy_count);
	for (size_t i = 0; i < req->identity_policy_count; i++)
		hash_policy_keys(req->identity_policies[i], req->context, &h);
	hash_policy_keys(req->resource_policy, req->context, &h);
	hash_policy_keys(req->permissions_boundary, req->context, &h);
	policy_hasher_u64(&h, req->session_policy_count);
	for (size_t i = 0; i < req->session_policy_count; i++)
		hash_policy_keys(req->session_policies[i], req->context, &h);
	return policy_hasher_final(&h);
}
