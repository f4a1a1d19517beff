/*
 * policy.h: the IAM policy engine.  Parses policy documents once into a
 * compiled form, evaluates requests against them with AWS's evaluation
 * logic, and analyses documents (validation findings, public access).
 *
 * The same engine serves identity-based policies, resource-based policies
 * (secret policies, role trust policies), KMS key policies, permissions
 * boundaries and session policies.  It knows nothing of HTTP or of any one
 * service: callers describe the request (principal, action, resource,
 * policies, context keys) and get a decision and, when denied, AWS's
 * AccessDeniedException message.
 *
 * Ownership and threads: a struct policy is immutable once parsed and may
 * be shared by any number of threads evaluating at once.  A struct
 * policy_context belongs to one request while it is built; evaluation only
 * reads it.  policy_evaluate() never allocates.
 *
 * docs/internals/policy.md describes the decision algorithm.
 */
#ifndef SESAME_POLICY_H
#define SESAME_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "common/status.h"

/* Largest document policy_parse() accepts; APIs apply their own (smaller)
 * limits first (20480 for a secret's resource policy). */
#define POLICY_DOCUMENT_MAX		131072
#define POLICY_FINDINGS_MAX		20
#define POLICY_FINDING_MESSAGE_MAX	384
/* Longest context value and most values per key accepted. */
#define POLICY_CONTEXT_VALUE_MAX	4096
#define POLICY_CONTEXT_VALUES_MAX	256

/* ---- documents ---- */

/* What a document is attached to; decides which elements it must and must
 * not have.  Boundaries and session policies are IDENTITY documents. */
enum policy_kind {
	POLICY_KIND_IDENTITY,	/* no Principal; Resource required */
	POLICY_KIND_RESOURCE,	/* Principal required (secrets) */
	/* A KMS key policy: a resource policy in which, as in the policies
	 * AWS writes for its managed keys, statements may share a Sid. */
	POLICY_KIND_KEY,
	POLICY_KIND_TRUST,	/* Principal required; no Resource (roles) */
};

struct policy;

/* Parse and compile a policy document (JSON text, len bytes, need not be
 * terminated).  On success *out owns the compiled policy (free with
 * policy_free).  STATUS_MALFORMED_POLICY with the first problem found in
 * err (duplicate keys are rejected, as the grammar requires), or
 * STATUS_NO_MEMORY. */
enum status	 policy_parse(const char *json, size_t len,
		    enum policy_kind kind, struct policy **out,
		    struct error *err);
void		 policy_free(struct policy *policy);

/* Name the policy for denial messages (a managed policy's ARN); AWS adds
 * it to explicit-deny messages within one account.  Copied. */
enum status	 policy_set_arn(struct policy *policy, const char *arn);
const char	*policy_arn(const struct policy *policy);	/* NULL: none */
enum policy_kind policy_get_kind(const struct policy *policy);
size_t		 policy_statement_count(const struct policy *policy);
/* How many context keys its conditions and policy variables read: 0
 * means its answer never depends on the request context. */
size_t		 policy_referenced_key_count(const struct policy *policy);
/* Keyed hash of the document's text (see policy_request_hash). */
uint64_t	 policy_hash(const struct policy *policy);

/* ---- the request context: condition keys and their values ---- */

/* Key names compare case-insensitively, as on AWS ("aws:SourceIp" is
 * "AWS:sourceip"); values are kept as given.  A key with no values is
 * absent. */
struct policy_context;

struct policy_context *policy_context_new(void);
void		 policy_context_free(struct policy_context *ctx);
/* Append one value to key (multi-valued keys such as aws:TagKeys take
 * several calls).  STATUS_INVALID_PARAMETER beyond the limits above. */
enum status	 policy_context_add(struct policy_context *ctx, const char *key,
		    const char *value);
/* Replace key's values (count 0 removes the key). */
enum status	 policy_context_set(struct policy_context *ctx, const char *key,
		    const char *const *values, size_t count);
/* From now on keep only the keys req's policies reference (their
 * conditions and policy variables): add and set check values as before
 * but drop other keys, which no condition of req can read.  req must
 * outlive the context's building. */
struct policy_request;
void		 policy_context_limit_to(struct policy_context *ctx,
		    const struct policy_request *req);
/* Whether add or set would keep key (always, unless limited). */
bool		 policy_context_wants(const struct policy_context *ctx,
		    const char *key);
/* Values of key (borrowed, valid until the context changes); 0 if absent. */
size_t		 policy_context_get(const struct policy_context *ctx,
		    const char *key, const char *const **values);
size_t		 policy_context_key_count(const struct policy_context *ctx);

/* ---- principals ---- */

enum policy_principal_type {
	POLICY_PRINCIPAL_ROOT,		/* the account root user */
	POLICY_PRINCIPAL_USER,		/* an IAM user */
	POLICY_PRINCIPAL_ASSUMED_ROLE,	/* a role session */
	POLICY_PRINCIPAL_FEDERATED_USER, /* GetFederationToken session */
	POLICY_PRINCIPAL_SERVICE,	/* "lambda.amazonaws.com" */
	POLICY_PRINCIPAL_WEB_IDENTITY,	/* an identity provider (trust) */
	POLICY_PRINCIPAL_ANONYMOUS,
};

struct policy_tag {
	const char	*key;
	const char	*value;
};

/* Who is asking.  All strings borrowed. */
struct policy_principal {
	enum policy_principal_type type;
	/* As shown in messages and matched exactly: the user's ARN, the
	 * session's "arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION", the
	 * root's "arn:aws:iam::ACCOUNT:root", a service's name, a web identity
	 * provider's name or ARN. */
	const char		*arn;
	/* Role sessions: the role's ARN ("arn:aws:iam::A:role/path/R"), which
	 * a Principal naming the role matches; it is aws:PrincipalArn. */
	const char		*role_arn;
	const char		*account_id;	/* NULL for services */
	const char		*user_id;	/* aws:userid, "AROA...:s" */
	const char		*user_name;	/* aws:username (users only) */
	const struct policy_tag	*tags;		/* aws:PrincipalTag/<key> */
	size_t			 tag_count;
};

/* Add what AWS puts in every request context about the principal:
 * aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:userid,
 * aws:username (users), aws:PrincipalTag/<key>. */
enum status	 policy_context_add_principal(struct policy_context *ctx,
		    const struct policy_principal *principal);
/* aws:CurrentTime (ISO 8601), aws:EpochTime, aws:SecureTransport and, when
 * source_ip is not NULL, aws:SourceIp. */
enum status	 policy_context_add_request(struct policy_context *ctx,
		    time_t now, const char *source_ip,
		    bool is_secure_transport);

/* ---- evaluation ---- */

struct policy_request {
	const struct policy_principal *principal;
	const char		*action;	/* "kms:Decrypt" */
	/* The resource's ARN; NULL or "*" for actions without a resource. */
	const char		*resource;
	/* The resource's account; NULL: the principal's own account. */
	const char		*resource_account_id;
	/* Shown after "on resource:" in messages (AWS shows the SecretId as
	 * sent); NULL: resource. */
	const char		*resource_display;

	/* The principal's identity-based policies (user, group and role
	 * policies; all of them together). */
	const struct policy *const *identity_policies;
	size_t			 identity_policy_count;
	/* The resource's policy (NULL: none). */
	const struct policy	*resource_policy;
	/* KMS key policy semantics: the resource policy must allow, directly
	 * or by naming the account ("arn:aws:iam::A:root"), which delegates to
	 * the identity policies; without it nothing is allowed. */
	bool			 is_resource_policy_required;
	/* A call a service makes for the principal (kms:ViaService): the
	 * principal's boundary and session policies already bounded the
	 * service call, so a resource policy naming its role or everyone
	 * grants without them again (delegation to the account still needs
	 * them, through the identity side). */
	bool			 is_via_service;
	const struct policy	*permissions_boundary;	/* NULL: none */
	/* Session policies of a role or federated session (the inline Policy
	 * and PolicyArns of AssumeRole together); count 0: none. */
	const struct policy *const *session_policies;
	size_t			 session_policy_count;
	const struct policy_context *context;	/* NULL: empty */
};

enum policy_effect {
	POLICY_IMPLICIT_DENY = 0,
	POLICY_ALLOW,
	POLICY_EXPLICIT_DENY,
};

/* Which kind of policy decided: for an explicit deny, the one holding the
 * Deny; for an implicit deny, the one that did not allow (as AWS names it
 * in the message); for an allow, the one that granted. */
enum policy_source {
	POLICY_SOURCE_NONE = 0,
	POLICY_SOURCE_IDENTITY,
	POLICY_SOURCE_RESOURCE,
	POLICY_SOURCE_BOUNDARY,
	POLICY_SOURCE_SESSION,
};

struct policy_decision {
	enum policy_effect	 effect;
	enum policy_source	 source;
	const struct policy	*policy;	/* deciding policy, or NULL */
	size_t			 statement_index; /* 0-based, in policy */
	bool			 is_cross_account;
};

/* Decide req.  Explicit denies win; within one account an identity or a
 * resource policy allows; across accounts both must; boundaries and
 * session policies intersect (docs/internals/policy.md).  Never
 * allocates.  STATUS_OK (the decision is in *out) or
 * STATUS_INVALID_PARAMETER when req lacks a principal or an action. */
enum status	 policy_evaluate(const struct policy_request *req,
		    struct policy_decision *out);

/* AWS's AccessDeniedException message for a denial, e.g.
 *   User: arn:aws:iam::111122223333:user/bob is not authorized to perform:
 *   secretsmanager:GetSecretValue on resource: prod/db because no
 *   identity-based policy allows the secretsmanager:GetSecretValue action
 * ("on resource: ..." is left out for actions without a resource).
 * Returns the length snprintf would have written. */
int		 policy_decision_message(const struct policy_request *req,
		    const struct policy_decision *decision, char *buf,
		    size_t size);
/* STATUS_OK when allowed, else STATUS_ACCESS_DENIED with that message. */
enum status	 policy_decision_error(const struct policy_request *req,
		    const struct policy_decision *decision, struct error *err);

/* A keyed 64-bit hash of everything the decision depends on: principal,
 * action, resource, the policies (by content) and the values of the
 * context keys those policies reference (so aws:CurrentTime only counts
 * when some policy looks at it).  Equal requests hash equally within one
 * process; the key is random per process, so collisions cannot be aimed.
 * For a decision cache kept by the caller. */
uint64_t	 policy_request_hash(const struct policy_request *req);

/* ---- analysis: validation findings and public access ---- */

enum policy_check {
	POLICY_CHECK_JSON_SYNTAX,
	POLICY_CHECK_TOO_LARGE,
	POLICY_CHECK_DATA_TYPE,
	POLICY_CHECK_INVALID_ELEMENT,
	POLICY_CHECK_INVALID_VERSION,
	POLICY_CHECK_MISSING_STATEMENT,
	POLICY_CHECK_INVALID_SID,
	POLICY_CHECK_DUPLICATE_SID,
	POLICY_CHECK_MISSING_EFFECT,
	POLICY_CHECK_INVALID_EFFECT,
	POLICY_CHECK_MISSING_ACTION,
	POLICY_CHECK_INVALID_ACTION,
	POLICY_CHECK_MISSING_RESOURCE,
	POLICY_CHECK_INVALID_RESOURCE,
	POLICY_CHECK_RESOURCE_NOT_ALLOWED,
	POLICY_CHECK_MISSING_PRINCIPAL,
	POLICY_CHECK_PRINCIPAL_NOT_ALLOWED,
	POLICY_CHECK_INVALID_PRINCIPAL,
	POLICY_CHECK_INVALID_PRINCIPAL_KEY,
	POLICY_CHECK_INVALID_CONDITION_OPERATOR,
	POLICY_CHECK_NULL_WITH_IF_EXISTS,
	POLICY_CHECK_INVALID_CONDITION_KEY,
	POLICY_CHECK_DUPLICATE_CONDITION_KEY,
	POLICY_CHECK_INVALID_CONDITION_VALUE,
	POLICY_CHECK_BROAD_ACCESS,	/* analysis: grants public access */
	POLICY_CHECK_LOCKOUT,		/* analysis: denies the caller */
	POLICY_CHECK__COUNT
};

struct policy_finding {
	enum policy_check	 check;
	char			 message[POLICY_FINDING_MESSAGE_MAX];
};

struct policy_findings {
	struct policy_finding	 items[POLICY_FINDINGS_MAX];
	size_t			 count;
	bool			 is_truncated;	/* there were more */
};

/* Upper-case name of a check, in the style of IAM Access Analyzer's issue
 * codes ("MISSING_EFFECT", "BROAD_ACCESS"): ValidateResourcePolicy's
 * CheckName. */
const char	*policy_check_name(enum policy_check check);

struct policy_validate_options {
	enum policy_kind	 kind;
	/* The owning account: with check_public, a statement that grants
	 * public access is a BROAD_ACCESS finding. */
	const char		*account_id;
	bool			 check_public;
	/* With a caller and lockout actions, an explicit deny of any of them
	 * to the caller on resource (NULL: "*") is a LOCKOUT finding. */
	const struct policy_principal *caller;
	const char		*resource;
	const char *const	*lockout_actions;
	size_t			 lockout_action_count;
};

/* Every problem in a document (up to POLICY_FINDINGS_MAX), for
 * ValidateResourcePolicy: *is_valid is true when there is none.
 * STATUS_OK or STATUS_NO_MEMORY. */
enum status	 policy_validate(const char *json, size_t len,
		    const struct policy_validate_options *options,
		    struct policy_findings *out, bool *is_valid);

/* Who a resource-based policy's Allow statements reach, broadest first. */
enum policy_exposure {
	POLICY_EXPOSURE_NONE = 0,	/* allows nobody */
	POLICY_EXPOSURE_ACCOUNT,	/* principals of the owning account */
	POLICY_EXPOSURE_CROSS_ACCOUNT,	/* named other accounts, principals,
					 * services, or anyone restricted by a
					 * condition on the caller's or
					 * source's account, organisation,
					 * ARN, VPC or address */
	POLICY_EXPOSURE_PUBLIC,		/* anyone: Principal "*" or
					 * NotPrincipal in an Allow, with no
					 * such condition */
};

enum policy_exposure policy_exposure(const struct policy *policy,
		    const char *account_id, size_t *statement_index);
/* BlockPublicPolicy's test: exposure is PUBLIC. */
bool		 policy_is_public(const struct policy *policy,
		    const char *account_id);

#endif
