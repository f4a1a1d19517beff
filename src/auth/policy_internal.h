/*
 * policy_internal.h: the compiled form of a policy, shared by the engine's
 * own files (policy_parse.c builds it, policy_eval.c and conditions.c walk
 * it, policy_context.c holds the request's keys).  Nothing outside
 * src/auth/policy*.c and conditions.c includes this.
 *
 * A compiled policy lives in one arena: every string, array and pattern
 * is allocated from it and freed with it.  Strings are NUL-terminated and
 * carry their length.  Condition keys and policy-variable names are
 * lower-cased at compile time, with a hash, so that lookups in the
 * request context compare a hash and then bytes.
 */
#ifndef SESAME_POLICY_INTERNAL_H
#define SESAME_POLICY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/policy.h"

/* Policy variables per pattern ("${aws:username}"). */
#define POLICY_PATTERN_VARS_MAX	8

/* ---- arena ---- */

struct policy_arena_chunk;

struct policy_arena {
	struct policy_arena_chunk *head;
};

void		*policy_arena_alloc(struct policy_arena *arena, size_t size);
char		*policy_arena_strndup(struct policy_arena *arena, const char *s,
		    size_t len);
void		 policy_arena_cleanup(struct policy_arena *arena);

/* ---- hashing ---- */

/* FNV-1a of s lower-cased (ASCII): context key lookups, not security. */
uint64_t	 policy_key_hash(const char *s, size_t len);

/* SipHash-2-4 under a random per-process key (initialised on first use),
 * streamed. */
struct policy_hasher {
	uint64_t	 v0, v1, v2, v3;
	uint64_t	 tail;
	size_t		 tail_len;
	size_t		 total_len;
};

void		 policy_hasher_init(struct policy_hasher *h);
void		 policy_hasher_update(struct policy_hasher *h, const void *data,
		    size_t len);
/* A string with its length, so "ab","c" and "a","bc" differ. */
void		 policy_hasher_string(struct policy_hasher *h, const char *s);
void		 policy_hasher_u64(struct policy_hasher *h, uint64_t v);
uint64_t	 policy_hasher_final(struct policy_hasher *h);

/* ---- the request context ---- */

struct policy_context_value {
	const char	*text;
	size_t		 len;
};

struct policy_context_entry {
	uint64_t		 hash;
	char			*key;		/* lower-cased */
	size_t			 key_len;
	const char		**values;	/* for policy_context_get */
	struct policy_context_value *items;
	size_t			 count;
	size_t			 capacity;
};

/* The entry for a lower-cased key with its policy_key_hash, or NULL (also
 * for a key whose value set is empty). */
const struct policy_context_entry *policy_context_find(
		    const struct policy_context *ctx, uint64_t hash,
		    const char *key_lower, size_t key_len);
/* Every key's hash and values, for policy_request_hash. */
void		 policy_context_hash_entry(const struct policy_context *ctx,
		    uint64_t hash, const char *key_lower, size_t key_len,
		    struct policy_hasher *h);

/* ---- patterns: globs with policy variables ---- */

enum pattern_token_kind {
	PATTERN_LITERAL,
	PATTERN_STAR,		/* '*': any run of characters */
	PATTERN_QMARK,		/* '?': any one character */
	PATTERN_VARIABLE,	/* ${key}: the key's single value, literally */
};

struct pattern_token {
	enum pattern_token_kind	 kind;
	const char		*text;		/* literal; lower-cased key */
	size_t			 len;
	uint64_t		 key_hash;	/* variables */
	unsigned		 var_index;	/* variables: 0.. */
};

enum pattern_shape {
	PATTERN_SHAPE_ANY,	/* "*" */
	PATTERN_SHAPE_EXACT,	/* one literal (or empty) */
	PATTERN_SHAPE_PREFIX,	/* a literal then '*' */
	PATTERN_SHAPE_GENERAL,
};

/* Units of a flattened pattern (patterns without variables). */
enum pattern_unit {
	PATTERN_UNIT_CHAR = 0,
	PATTERN_UNIT_STAR,
	PATTERN_UNIT_QMARK,
};

struct pattern {
	const char		*source;	/* as written in the policy */
	size_t			 source_len;
	struct pattern_token	*tokens;
	size_t			 token_count;
	/* Without variables, the pattern also as one string of units:
	 * flat[i] is a character when unit[i] is PATTERN_UNIT_CHAR. */
	const char		*flat;
	const uint8_t		*unit;
	size_t			 flat_len;
	enum pattern_shape	 shape;
	unsigned		 var_count;
	bool			 has_wildcards;
};

enum pattern_flags {
	PATTERN_ALLOW_WILDCARDS = 1 << 0,	/* '*' and '?' are wildcards */
	PATTERN_ALLOW_VARIABLES = 1 << 1,	/* ${...} substitutes */
};

/* Compile text into p (allocations from arena).  STATUS_NO_MEMORY, or
 * STATUS_INVALID_PARAMETER with more than POLICY_PATTERN_VARS_MAX
 * variables. */
enum status	 pattern_compile(struct policy_arena *arena, const char *text,
		    size_t len, unsigned flags, struct pattern *p);

/* Outcome of matching: MATCH_INVALID when a policy variable cannot be
 * resolved (its key is absent or multi-valued), which makes the whole
 * statement inapplicable, as on AWS. */
enum match {
	MATCH_NO = 0,
	MATCH_YES = 1,
	MATCH_INVALID = -1,
};

enum match_mode {
	MATCH_PLAIN,		/* one glob over the whole string */
	MATCH_IGNORE_CASE,	/* the same, ASCII case-insensitive (actions) */
	MATCH_RESOURCE,		/* ARN segments matched one by one; a
				 * non-ARN value is matched as one glob */
	MATCH_ARN,		/* ARN segments; a non-ARN never matches */
};

enum match	 pattern_match(const struct pattern *p, const char *s,
		    size_t len, enum match_mode mode,
		    const struct policy_context *ctx);

/* ---- conditions ---- */

enum condition_base {
	CONDITION_STRING_EQUALS,
	CONDITION_STRING_EQUALS_IGNORE_CASE,
	CONDITION_STRING_LIKE,
	CONDITION_NUMERIC_EQUALS,
	CONDITION_NUMERIC_LESS,
	CONDITION_NUMERIC_LESS_EQUALS,
	CONDITION_NUMERIC_GREATER,
	CONDITION_NUMERIC_GREATER_EQUALS,
	CONDITION_DATE_EQUALS,
	CONDITION_DATE_LESS,
	CONDITION_DATE_LESS_EQUALS,
	CONDITION_DATE_GREATER,
	CONDITION_DATE_GREATER_EQUALS,
	CONDITION_BOOL,
	CONDITION_BINARY_EQUALS,
	CONDITION_IP_ADDRESS,
	CONDITION_ARN_LIKE,	/* ArnEquals and ArnLike are the same test */
	CONDITION_NULL,
};

enum condition_value_type {
	CONDITION_VALUE_STRING,
	CONDITION_VALUE_NUMBER,
	CONDITION_VALUE_DATE,
	CONDITION_VALUE_BOOL,
	CONDITION_VALUE_BINARY,
	CONDITION_VALUE_IP,
	CONDITION_VALUE_ARN,
};

struct condition_operator {
	const char		*name;		/* "StringNotLike" */
	enum condition_base	 base;
	bool			 is_negated;
	enum condition_value_type type;
};

enum condition_qualifier {
	CONDITION_QUALIFIER_NONE,
	CONDITION_FOR_ALL_VALUES,
	CONDITION_FOR_ANY_VALUE,
};

struct ip_cidr {
	int		 family;	/* AF_INET, AF_INET6 */
	uint8_t		 addr[16];
	unsigned	 prefix_len;
};

struct condition_value {
	struct pattern		 pattern;	/* strings, ARNs, binary */
	union {
		double		 number;
		int64_t		 time_ms;
		bool		 boolean;
		struct ip_cidr	 cidr;
	} u;
};

struct condition {
	const struct condition_operator *op;
	enum condition_qualifier qualifier;
	bool			 is_if_exists;
	const char		*operator_source;	/* as written */
	const char		*key_source;		/* as written */
	const char		*key;			/* lower-cased */
	size_t			 key_len;
	uint64_t		 key_hash;
	struct condition_value	*values;
	size_t			 value_count;
};

/* The operator named name (no qualifier prefix, no IfExists suffix),
 * case-insensitively, or NULL. */
const struct condition_operator *condition_operator_find(const char *name,
		    size_t len);
/* Parse one policy value of op's type into out (strings compiled as
 * patterns, variables allowed when allow_variables).  STATUS_OK,
 * STATUS_NO_MEMORY, or STATUS_INVALID_PARAMETER with why in reason. */
enum status	 condition_value_compile(struct policy_arena *arena,
		    const struct condition_operator *op, const char *text,
		    size_t len, bool allow_variables,
		    struct condition_value *out, const char **reason);
enum match	 condition_evaluate(const struct condition *c,
		    const struct policy_context *ctx);

/* Value parsers shared with the analysis code and the tests. */
bool		 condition_parse_number(const char *s, size_t len, double *out);
bool		 condition_parse_time(const char *s, size_t len, int64_t *ms);
bool		 condition_parse_ip(const char *s, size_t len,
		    bool allow_prefix, struct ip_cidr *out);

/* ---- the compiled policy ---- */

enum principal_entry_kind {
	PRINCIPAL_ENTRY_ANY,		/* "*" */
	PRINCIPAL_ENTRY_AWS_ANY,	/* {"AWS": "*"} */
	PRINCIPAL_ENTRY_ACCOUNT,	/* "123456789012", "arn:...:root" */
	PRINCIPAL_ENTRY_ARN,		/* user, role, session, federation */
	PRINCIPAL_ENTRY_UNIQUE_ID,	/* "AIDA...", "AROA..." */
	PRINCIPAL_ENTRY_SERVICE,
	PRINCIPAL_ENTRY_FEDERATED,
	PRINCIPAL_ENTRY_CANONICAL_USER,	/* accepted, never matches */
};

struct principal_entry {
	enum principal_entry_kind kind;
	const char		*value;
	size_t			 len;
	char			 account_id[13];	/* ACCOUNT, ARN */
};

enum principal_mode {
	PRINCIPAL_MODE_NONE,
	PRINCIPAL_MODE_PRINCIPAL,
	PRINCIPAL_MODE_NOT_PRINCIPAL,
};

enum resource_mode {
	RESOURCE_MODE_NONE,		/* absent: any (resource policies) */
	RESOURCE_MODE_RESOURCE,
	RESOURCE_MODE_NOT_RESOURCE,
};

struct policy_statement {
	const char		*sid;		/* NULL: none */
	bool			 is_deny;
	enum principal_mode	 principal_mode;
	struct principal_entry	*principals;
	size_t			 principal_count;
	bool			 is_not_action;
	struct pattern		*actions;
	size_t			 action_count;
	enum resource_mode	 resource_mode;
	struct pattern		*resources;
	size_t			 resource_count;
	struct condition	*conditions;
	size_t			 condition_count;
};

struct policy_key_ref {
	const char	*key;		/* lower-cased */
	size_t		 key_len;
	uint64_t	 hash;
};

struct policy {
	struct policy_arena	 arena;
	enum policy_kind	 kind;
	bool			 has_variables;	/* Version 2012-10-17 */
	const char		*version;	/* NULL: absent */
	const char		*id;
	char			*arn;		/* malloc'd */
	struct policy_statement	*statements;
	size_t			 statement_count;
	uint64_t		 hash;
	/* Context keys referenced by conditions and variables. */
	struct policy_key_ref	*keys;
	size_t			 key_count;
};

/* Does statement st apply to req (principal ignored when check_principal
 * is false)?  For resource-policy statements *kind tells how the
 * principal matched (enum principal_match in policy_eval.c). */
enum match	 policy_statement_match(const struct policy_statement *st,
		    const struct policy_request *req, bool check_principal,
		    int *principal_kind);

#endif
