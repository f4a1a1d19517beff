/*
 * iam.h: the identities of an account and their credentials: IAM users,
 * groups and roles, their inline and managed policies and tags, long-term
 * access keys, and STS sessions (temporary credentials).
 *
 * Like the rest of core/ these functions see no HTTP and no JSON: api/iam.c
 * and api/sts.c turn requests into these calls.  Each operation runs in one
 * store transaction and asks req->authorize (core_authorize) for
 * req->action on the ARN of the entity it acts on before acting, so the
 * decision is about the row it touches; for a missing entity the ARN it
 * would have (no path) is authorised first, so existence does not leak.
 * Policy documents arrive already checked by the policy engine (api/ parses
 * them); core stores and returns them and enforces IAM's quotas.
 *
 * Identity policies are stored here but not enforced yet: the hooks that
 * will read them are named in docs/access.md.
 *
 * Thread-safety: reentrant; a struct core_identity belongs to one request.
 */
#ifndef SESAME_CORE_IAM_H
#define SESAME_CORE_IAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

#define IAM_PATH_DEFAULT		"/"
#define IAM_PAGE_DEFAULT		100
#define IAM_ACCESS_KEYS_PER_USER	2
#define IAM_GROUPS_PER_USER		10
#define IAM_POLICIES_PER_ENTITY		10	/* managed, attached */
#define IAM_POLICY_VERSIONS_MAX		5
#define IAM_TAGS_MAX			50
/* Sizes without whitespace, as IAM counts them. */
#define IAM_USER_INLINE_BYTES		2048	/* all of a user's */
#define IAM_GROUP_INLINE_BYTES		5120
#define IAM_ROLE_INLINE_BYTES		10240
#define IAM_MANAGED_POLICY_BYTES	6144

/* Session lengths in seconds; the models bound DurationSeconds (AssumeRole
 * 900..43200, GetSessionToken 900..129600). */
#define IAM_ROLE_SESSION_DEFAULT	3600
#define IAM_ROLE_CHAINING_MAX		3600
#define IAM_SESSION_TOKEN_DEFAULT	43200
#define IAM_SESSION_POLICY_BYTES	2048	/* packed, with the tags */
#define IAM_SESSION_POLICY_ARNS_MAX	10
/* Rows of expired sessions stay a day, so their tokens are reported
 * expired rather than unknown; each new session sweeps a few. */
#define IAM_SESSION_KEEP_MS		(86400LL * 1000)
#define IAM_SESSION_PURGE_BATCH		16

#define IAM_TYPE_USER			"IAMUser"
#define IAM_TYPE_ASSUMED_ROLE		"AssumedRole"

/* ---- who is calling (iam_credentials.c) ---- */

/*
 * A caller as its credentials describe it.  Long-term keys are IAM users'
 * (an iam_entities row) or the account's own keys made by `sesame init`,
 * `admin create-account` and `admin import-access-key` (no row behind them:
 * is_account_administrator).  Temporary keys (ASIA...) are STS sessions.
 * Every string is malloc'd and owned; core_identity_cleanup frees them.
 */
struct core_identity {
	char		*type;			/* IAM_TYPE_USER, ..._ASSUMED_ROLE */
	char		*account_id;
	char		*arn;			/* user ARN or assumed-role ARN */
	char		*user_id;		/* "AIDA..." or "AROA...:session" */
	char		*user_name;		/* IAMUser; NULL for sessions */
	char		*access_key_id;
	int64_t		 key_created_at;	/* long-term keys */
	bool		 is_account_administrator;
	bool		 is_temporary;
	int64_t		 expires_at;		/* temporary: when */
	char		*role_arn;		/* AssumedRole: the role */
	char		*role_name;
	char		*role_id;		/* "AROA..." */
	char		*session_name;
	char		*source_identity;	/* NULL: none */
	/* The user's tags; for a role session the role's tags with the
	 * session tags replacing those of the same key. */
	struct tag	*tags;
	size_t		 tag_count;
	char		*session_policy;	/* NULL: none */
	char		**session_policy_arns;
	size_t		 session_policy_arn_count;
};

void		 core_identity_cleanup(struct core_identity *id);

/* Resolve an access key id for SigV4: its secret access key and who it
 * stands for.  session_token is X-Amz-Security-Token (NULL: none): a
 * temporary key needs its own token, a long-term key refuses one.
 * STATUS_NOT_FOUND for an unknown or inactive key, a missing or wrong
 * token, or a session whose user or role is gone (all answered "The
 * security token included in the request is invalid."); STATUS_EXPIRED_TOKEN
 * for a session past its expiry; or a failure status.  On success *out and
 * *secret (wipe-freed with secret_buf_free) belong to the caller. */
enum status	 core_credentials_lookup(const struct core_env *env,
		    const char *access_key_id, const char *session_token,
		    int64_t now_ms, struct core_identity *out,
		    struct secret_buf **secret);

/* ---- names, paths, ARNs and ids (iam_names.c) ---- */

/* "user", "group", "role" (for ARNs and messages: "The role with name X
 * cannot be found."); "User", "Group", "Role" capitalised. */
const char	*iam_kind_word(enum iam_kind kind, bool capital);
/* arn:aws:iam::ACCOUNT:user/PATH-WITHOUT-LEADING-SLASH/NAME; malloc'd. */
char		*iam_arn_build(const char *account_id, const char *type,
		    const char *path, const char *name);
/* A fresh unique id: prefix ("AIDA", "AGPA", "AROA", "ANPA") and 17
 * characters of [A-Z2-7], 21 in all.  out holds 22 bytes. */
enum status	 iam_id_new(const char *prefix, char out[22]);
/* Characters of a policy document that are not whitespace, as IAM counts
 * a policy's size. */
size_t		 iam_policy_size(const char *document);
/* Split a managed policy ARN of account_id ("arn:aws:iam::A:policy/...")
 * into its name; STATUS_INVALID_PARAMETER (InvalidInput, with AWS's
 * message "ARN X is not valid.") when it is not one. */
enum status	 iam_policy_arn_check(const char *arn, struct error *err);

/* ---- one page of a list ---- */

struct iam_page {
	const char	*marker;		/* NULL: the first page */
	size_t		 max_items;		/* 0: IAM_PAGE_DEFAULT */
};

/* ---- users, groups, roles (iam_entities.c) ---- */

struct iam_entity_input {
	enum iam_kind		 kind;
	const char		*name;
	const char		*path;		/* NULL: "/" */
	const char		*permissions_boundary;	/* NULL: none */
	const char		*trust_policy;		/* roles */
	const char		*description;		/* roles; NULL: none */
	int64_t			 max_session_seconds;	/* roles; 0: 3600 */
	const struct tag	*tags;
	size_t			 tag_count;
};

struct iam_entity_info {
	struct iam_entity_record entity;
	struct tag		*tags;
	size_t			 tag_count;
};

void		 iam_entity_info_cleanup(struct iam_entity_info *info);

struct iam_entity_list {
	struct iam_entity_record *entities;
	size_t			 count;
	char			*next_marker;	/* NULL: no more */
	struct iam_entity_record group;		/* GetGroup: the group */
};

void		 iam_entity_list_cleanup(struct iam_entity_list *list);

/* STATUS_EXISTS ("User with name X already exists."), NOT_FOUND (a
 * permissions boundary that does not exist), LIMIT_EXCEEDED (tags). */
enum status	 core_iam_entity_create(struct core_request *req,
		    const struct iam_entity_input *in,
		    struct iam_entity_info *out, struct error *err);
/* An entity with its tags.  GetUser without a name (name NULL) describes
 * the caller: an IAM user, or the account's own key as user "admin"
 * (STATUS_VALIDATION for a role session, as on AWS). */
enum status	 core_iam_entity_get(struct core_request *req,
		    const struct core_identity *caller, enum iam_kind kind,
		    const char *name, struct iam_entity_info *out,
		    struct error *err);
/* STATUS_INVALID_REQUEST (DeleteConflict) while the entity still has
 * access keys, group members or memberships, or policies. */
enum status	 core_iam_entity_delete(struct core_request *req,
		    enum iam_kind kind, const char *name, struct error *err);
enum status	 core_iam_entity_list(struct core_request *req,
		    enum iam_kind kind, const char *path_prefix,
		    const struct iam_page *page, struct iam_entity_list *out,
		    struct error *err);
/* UpdateAssumeRolePolicy. */
enum status	 core_iam_role_trust_update(struct core_request *req,
		    const char *role_name, const char *document,
		    struct error *err);

/* Group membership: AddUserToGroup, RemoveUserFromGroup; GetGroup (the
 * group and a page of its users); ListGroupsForUser. */
enum status	 core_iam_group_member_add(struct core_request *req,
		    const char *group_name, const char *user_name,
		    struct error *err);
enum status	 core_iam_group_member_remove(struct core_request *req,
		    const char *group_name, const char *user_name,
		    struct error *err);
enum status	 core_iam_group_members(struct core_request *req,
		    const char *group_name, const struct iam_page *page,
		    struct iam_entity_list *out, struct error *err);
enum status	 core_iam_user_groups(struct core_request *req,
		    const char *user_name, const struct iam_page *page,
		    struct iam_entity_list *out, struct error *err);

/* The tags of the user or role arn names (iam:ResourceTag/<key> and
 * aws:ResourceTag/<key> when an IAM action targets it); none for other
 * ARNs or an entity that does not exist.  Free with tags_free. */
enum status	 core_iam_resource_tags(const struct core_env *env,
		    const char *arn, struct tag **tags, size_t *count);

/* Tags of users and roles.  tag: LIMIT_EXCEEDED beyond IAM_TAGS_MAX in
 * all; untag ignores keys that are not there. */
enum status	 core_iam_entity_tag(struct core_request *req,
		    enum iam_kind kind, const char *name, const struct tag *tags,
		    size_t count, struct error *err);
enum status	 core_iam_entity_untag(struct core_request *req,
		    enum iam_kind kind, const char *name,
		    const char *const *keys, size_t count, struct error *err);

/* ---- access keys (iam_access_keys.c) ---- */

struct iam_access_key_list {
	struct access_key_record *keys;		/* without wrapped secrets */
	size_t			 count;
	char			*user_name;	/* whose keys */
};

void		 iam_access_key_list_cleanup(struct iam_access_key_list *l);

/* The user is user_name, or the caller when NULL (the account's own key:
 * a key of the same built-in principal).  create: LIMIT_EXCEEDED beyond
 * IAM_ACCESS_KEYS_PER_USER for IAM users; *out_key holds the new secret
 * (explicit_bzero it).  update and delete: NOT_FOUND ("The Access Key with
 * id X cannot be found.") for a key of someone else. */
enum status	 core_iam_access_key_create(struct core_request *req,
		    const struct core_identity *caller, const char *user_name,
		    struct access_key_record *out_record,
		    struct access_key_pair *out_key, struct error *err);
enum status	 core_iam_access_key_list(struct core_request *req,
		    const struct core_identity *caller, const char *user_name,
		    struct iam_access_key_list *out, struct error *err);
enum status	 core_iam_access_key_update(struct core_request *req,
		    const struct core_identity *caller, const char *user_name,
		    const char *access_key_id, bool is_active,
		    struct error *err);
enum status	 core_iam_access_key_delete(struct core_request *req,
		    const struct core_identity *caller, const char *user_name,
		    const char *access_key_id, struct error *err);

/* ---- policies (iam_policies.c) ---- */

/* Inline policies of an entity (kind USER, GROUP, ROLE).  put:
 * LIMIT_EXCEEDED when the entity's inline policies together pass IAM's
 * size ("Maximum policy size of 2048 bytes exceeded for user X").  get:
 * *document malloc'd.  list: names, paged. */
enum status	 core_iam_inline_policy_put(struct core_request *req,
		    enum iam_kind kind, const char *entity_name,
		    const char *policy_name, const char *document,
		    struct error *err);
enum status	 core_iam_inline_policy_get(struct core_request *req,
		    enum iam_kind kind, const char *entity_name,
		    const char *policy_name, char **document,
		    struct error *err);
enum status	 core_iam_inline_policy_delete(struct core_request *req,
		    enum iam_kind kind, const char *entity_name,
		    const char *policy_name, struct error *err);

struct iam_name_list {
	char		**names;
	size_t		 count;
	char		*next_marker;		/* NULL: no more */
};

void		 iam_name_list_cleanup(struct iam_name_list *list);

enum status	 core_iam_inline_policy_list(struct core_request *req,
		    enum iam_kind kind, const char *entity_name,
		    const struct iam_page *page, struct iam_name_list *out,
		    struct error *err);

struct iam_policy_input {
	const char		*name;
	const char		*path;		/* NULL: "/" */
	const char		*description;	/* NULL: none */
	const char		*document;
	const struct tag	*tags;
	size_t			 tag_count;
};

struct iam_policy_info {
	struct iam_policy_record policy;
	struct tag		*tags;
	size_t			 tag_count;
};

void		 iam_policy_info_cleanup(struct iam_policy_info *info);

struct iam_policy_list {
	struct iam_policy_record *policies;
	size_t			 count;
	char			*next_marker;
};

void		 iam_policy_list_cleanup(struct iam_policy_list *list);

/* Customer managed policies.  create: EXISTS ("A policy called X already
 * exists. Duplicate names are not allowed."), LIMIT_EXCEEDED (size).
 * get and delete: NOT_FOUND ("Policy ARN was not found."); delete:
 * INVALID_REQUEST (DeleteConflict) while attached or holding versions
 * besides the default.  list: scope "All", "Local" or "AWS" (no AWS
 * managed policies here: an empty list). */
enum status	 core_iam_policy_create(struct core_request *req,
		    const struct iam_policy_input *in,
		    struct iam_policy_info *out, struct error *err);
enum status	 core_iam_policy_get(struct core_request *req, const char *arn,
		    struct iam_policy_info *out, struct error *err);
enum status	 core_iam_policy_delete(struct core_request *req,
		    const char *arn, struct error *err);
enum status	 core_iam_policy_list(struct core_request *req,
		    const char *scope, bool only_attached,
		    const char *path_prefix, const struct iam_page *page,
		    struct iam_policy_list *out, struct error *err);

/* Versions: create (LIMIT_EXCEEDED beyond IAM_POLICY_VERSIONS_MAX; with
 * set_as_default it becomes the default), get, list (newest first),
 * delete (INVALID_REQUEST for the default version), set default.
 * *is_default tells whether the version is the default. */
enum status	 core_iam_policy_version_create(struct core_request *req,
		    const char *arn, const char *document, bool set_as_default,
		    struct iam_policy_version_record *out, bool *is_default,
		    struct error *err);
enum status	 core_iam_policy_version_get(struct core_request *req,
		    const char *arn, const char *version_id,
		    struct iam_policy_version_record *out, bool *is_default,
		    struct error *err);

struct iam_policy_version_list {
	struct iam_policy_version_record *versions;
	size_t			 count;
	char			*default_version;
};

void		 iam_policy_version_list_cleanup(
		    struct iam_policy_version_list *list);

enum status	 core_iam_policy_version_list(struct core_request *req,
		    const char *arn, struct iam_policy_version_list *out,
		    struct error *err);
enum status	 core_iam_policy_version_delete(struct core_request *req,
		    const char *arn, const char *version_id,
		    struct error *err);
enum status	 core_iam_policy_version_set_default(struct core_request *req,
		    const char *arn, const char *version_id,
		    struct error *err);

/* Attach and detach managed policies to users, groups and roles;
 * attaching twice is no error.  attach: NOT_FOUND for a policy that does
 * not exist ("Policy ARN does not exist or is not attachable."),
 * LIMIT_EXCEEDED beyond IAM_POLICIES_PER_ENTITY; detach: NOT_FOUND when
 * not attached.  list: the ARNs, filtered by the path in them, paged. */
enum status	 core_iam_policy_attach(struct core_request *req,
		    enum iam_kind kind, const char *entity_name,
		    const char *arn, struct error *err);
enum status	 core_iam_policy_detach(struct core_request *req,
		    enum iam_kind kind, const char *entity_name,
		    const char *arn, struct error *err);
enum status	 core_iam_attached_policies(struct core_request *req,
		    enum iam_kind kind, const char *entity_name,
		    const char *path_prefix, const struct iam_page *page,
		    struct iam_name_list *out, struct error *err);

/*
 * The identity-based policies of a caller, as the policy engine will read
 * them (not called by the request pipeline yet; docs/access.md): a user's
 * inline and attached policies and those of its groups; a role session's
 * role's inline and attached policies.  Documents are the default versions
 * of managed policies; arns[i] names documents[i] (NULL for inline ones).
 * The account's own keys have none (is_account_administrator).
 */
struct iam_policy_set {
	char		**documents;
	char		**arns;
	size_t		 count;
	char		*permissions_boundary;	/* document; NULL: none */
	/* A session's session_policy_arns resolved to their default
	 * versions, in order; NULL where the policy no longer exists. */
	char		**session_documents;
	size_t		 session_count;
};

void		 iam_policy_set_cleanup(struct iam_policy_set *set);
enum status	 core_iam_identity_policies(const struct core_env *env,
		    const struct core_identity *caller,
		    struct iam_policy_set *out);

/* A counter bumped after every committed IAM write (entities, keys,
 * memberships, tags, policies, attachments): what the authoriser's cache of
 * compiled identity policies is keyed by.  Any thread. */
uint64_t	 core_iam_generation(void);
/* store_commit(txn), then bump the generation (also when the commit
 * fails: a conservative miss costs one reload). */
enum status	 iam_commit(struct store_txn *txn);

/* ---- STS (sts.c) ---- */

/* struct sts_credentials and sts_credentials_cleanup: core.h. */

/* The role AssumeRole names, loaded from the role's account, with its
 * tags; req->action authorised on its ARN for the caller's identity (the
 * trust policy is the caller's to evaluate: api/sts.c).  A role that does
 * not exist is STATUS_ACCESS_DENIED with AWS's message, as on AWS. */
enum status	 core_sts_role_load(struct core_request *req,
		    const struct core_identity *caller, const char *role_arn,
		    struct iam_entity_info *out, struct error *err);

struct sts_session_input {
	const struct iam_entity_record *role;	/* NULL: GetSessionToken */
	const char		*session_name;	/* AssumeRole */
	int64_t			 duration_seconds;
	const char		*policy;	/* session policy; NULL */
	const char *const	*policy_arns;
	size_t			 policy_arn_count;
	const struct tag	*tags;		/* session tags */
	size_t			 tag_count;
	const char		*source_identity;	/* NULL: none */
};

/* Mint temporary credentials for the caller: a role session (in->role)
 * or a session of the caller's own identity (GetSessionToken).  The
 * session's principal ARN and user id go in out_arn / out_user_id
 * (malloc'd). */
enum status	 core_sts_session_create(struct core_request *req,
		    const struct core_identity *caller,
		    const struct sts_session_input *in,
		    struct sts_credentials *out, char **out_arn,
		    char **out_user_id, struct error *err);

#endif
