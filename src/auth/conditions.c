/*
 * conditions.c: the Condition element's operators, the value types they
 * compare (strings, numbers, dates, booleans, base64, IP ranges, ARNs),
 * and the glob patterns with policy variables that Action, Resource and
 * the string and ARN operators share.
 *
 * Invariants: evaluation never allocates and never writes to the policy or
 * the context.  A policy variable resolves to its key's single value,
 * taken literally (a '*' in a user name is not a wildcard); a key that is
 * absent or multi-valued does not resolve, and the statement holding it
 * does not apply (MATCH_INVALID), as on AWS.
 *
 * Semantics (docs/internals/policy.md): within one key the policy's values
 * are ORed; a negated operator (StringNotEquals, NotIpAddress, ...) holds
 * when no value matches, and holds when the key is absent; ...IfExists
 * holds when the key is absent; ForAllValues holds for an empty or absent
 * set, ForAnyValue does not; Null tests presence only.
 */
#include <arpa/inet.h>
#include <sys/socket.h>

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth/policy_internal.h"

#define NUMBER_TEXT_MAX	128
#define IP_TEXT_MAX	64
/* Patterns with variables are expanded on the stack up to this length;
 * longer ones are matched in place (slower, never allocating). */
#define PATTERN_EXPAND_MAX	1024

static const struct condition_operator operators[] = {
	{ "StringEquals", CONDITION_STRING_EQUALS, false,
	  CONDITION_VALUE_STRING },
	{ "StringNotEquals", CONDITION_STRING_EQUALS, true,
	  CONDITION_VALUE_STRING },
	{ "StringEqualsIgnoreCase", CONDITION_STRING_EQUALS_IGNORE_CASE, false,
	  CONDITION_VALUE_STRING },
	{ "StringNotEqualsIgnoreCase", CONDITION_STRING_EQUALS_IGNORE_CASE,
	  true, CONDITION_VALUE_STRING },
	{ "StringLike", CONDITION_STRING_LIKE, false, CONDITION_VALUE_STRING },
	{ "StringNotLike", CONDITION_STRING_LIKE, true,
	  CONDITION_VALUE_STRING },
	{ "NumericEquals", CONDITION_NUMERIC_EQUALS, false,
	  CONDITION_VALUE_NUMBER },
	{ "NumericNotEquals", CONDITION_NUMERIC_EQUALS, true,
	  CONDITION_VALUE_NUMBER },
	{ "NumericLessThan", CONDITION_NUMERIC_LESS, false,
	  CONDITION_VALUE_NUMBER },
	{ "NumericLessThanEquals", CONDITION_NUMERIC_LESS_EQUALS, false,
	  CONDITION_VALUE_NUMBER },
	{ "NumericGreaterThan", CONDITION_NUMERIC_GREATER, false,
	  CONDITION_VALUE_NUMBER },
	{ "NumericGreaterThanEquals", CONDITION_NUMERIC_GREATER_EQUALS, false,
	  CONDITION_VALUE_NUMBER },
	{ "DateEquals", CONDITION_DATE_EQUALS, false, CONDITION_VALUE_DATE },
	{ "DateNotEquals", CONDITION_DATE_EQUALS, true, CONDITION_VALUE_DATE },
	{ "DateLessThan", CONDITION_DATE_LESS, false, CONDITION_VALUE_DATE },
	{ "DateLessThanEquals", CONDITION_DATE_LESS_EQUALS, false,
	  CONDITION_VALUE_DATE },
	{ "DateGreaterThan", CONDITION_DATE_GREATER, false,
	  CONDITION_VALUE_DATE },
	{ "DateGreaterThanEquals", CONDITION_DATE_GREATER_EQUALS, false,
	  CONDITION_VALUE_DATE },
	{ "Bool", CONDITION_BOOL, false, CONDITION_VALUE_BOOL },
	{ "BinaryEquals", CONDITION_BINARY_EQUALS, false,
	  CONDITION_VALUE_BINARY },
	{ "IpAddress", CONDITION_IP_ADDRESS, false, CONDITION_VALUE_IP },
	{ "NotIpAddress", CONDITION_IP_ADDRESS, true, CONDITION_VALUE_IP },
	{ "ArnEquals", CONDITION_ARN_LIKE, false, CONDITION_VALUE_ARN },
	{ "ArnLike", CONDITION_ARN_LIKE, false, CONDITION_VALUE_ARN },
	{ "ArnNotEquals", CONDITION_ARN_LIKE, true, CONDITION_VALUE_ARN },
	{ "ArnNotLike", CONDITION_ARN_LIKE, true, CONDITION_VALUE_ARN },
	{ "Null", CONDITION_NULL, false, CONDITION_VALUE_BOOL },
};

const struct condition_operator *
condition_operator_find(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(operators) / sizeof(operators[0]); i++)
		if (strlen(operators[i].name) == len &&
		    strncasecmp(operators[i].name, name, len) == 0)
			return &operators[i];
	return NULL;
}

/* ---- value parsers ---- */

bool
condition_parse_number(const char *s, size_t len, double *out)
{
	char	 buf[NUMBER_TEXT_MAX];
	char	*end;
	size_t	 i = 0, digits = 0;
	double	 v;

	if (len == 0 || len >= sizeof(buf))
		return false;
	/* [+-]digits[.digits][(e|E)[+-]digits], nothing else (no hex, inf). */
	if (s[i] == '+' || s[i] == '-')
		i++;
	for (; i < len && isdigit((unsigned char)s[i]); i++)
		digits++;
	if (i < len && s[i] == '.') {
		i++;
		for (; i < len && isdigit((unsigned char)s[i]); i++)
			digits++;
	}
	if (digits == 0)
		return false;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t exp_digits = 0;

		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		for (; i < len && isdigit((unsigned char)s[i]); i++)
			exp_digits++;
		if (exp_digits == 0)
			return false;
	}
	if (i != len)
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	v = strtod(buf, &end);
	if (*end != '\0' || !isfinite(v))
		return false;
	*out = v;
	return true;
}

static bool
parse_digits(const char *s, size_t len, size_t *i, size_t count, int *out)
{
	int v = 0;

	if (*i + count > len)
		return false;
	for (size_t k = 0; k < count; k++) {
		char c = s[*i + k];

		if (!isdigit((unsigned char)c))
			return false;
		v = v * 10 + (c - '0');
	}
	*i += count;
	*out = v;
	return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t		 era;
	unsigned	 yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int
days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* Epoch seconds, possibly with a fraction: "1700000000", "1700000000.5". */
static bool
parse_epoch(const char *s, size_t len, int64_t *ms)
{
	double v;

	for (size_t i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]) && s[i] != '.' &&
		    !(i == 0 && s[i] == '-'))
			return false;
	if (!condition_parse_number(s, len, &v) || !(v > -1e13 && v < 1e13))
		return false;
	v *= 1000.0;
	*ms = (int64_t)(v < 0 ? v - 0.5 : v + 0.5);
	return true;
}

/*
 * ISO 8601 as AWS accepts it in date conditions: a date ("2024-05-01"), or
 * a date and time with optional seconds and fraction and an optional zone
 * ("Z", "+02:00", "+0200", "+02"; none means UTC); or epoch seconds.
 */
bool
condition_parse_time(const char *s, size_t len, int64_t *ms)
{
	size_t	 i = 0;
	int	 year, month, day, hour = 0, minute = 0, second = 0;
	int	 frac_ms = 0, offset_minutes = 0;
	int64_t	 days, total;

	if (len == 0)
		return false;
	if (len < 10 || s[4] != '-')
		return parse_epoch(s, len, ms);
	if (!parse_digits(s, len, &i, 4, &year) || s[i++] != '-' ||
	    !parse_digits(s, len, &i, 2, &month) || s[i++] != '-' ||
	    !parse_digits(s, len, &i, 2, &day))
		return false;
	if (month < 1 || month > 12 || day < 1 ||
	    day > days_in_month(year, month))
		return false;
	if (i < len) {
		if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
			return false;
		i++;
		if (!parse_digits(s, len, &i, 2, &hour) || i >= len ||
		    s[i++] != ':' || !parse_digits(s, len, &i, 2, &minute))
			return false;
		if (i < len && s[i] == ':') {
			i++;
			if (!parse_digits(s, len, &i, 2, &second))
				return false;
			if (i < len && (s[i] == '.' || s[i] == ',')) {
				int scale = 100;

				i++;
				if (i >= len || !isdigit((unsigned char)s[i]))
					return false;
				for (; i < len && isdigit((unsigned char)s[i]);
				    i++) {
					frac_ms += (s[i] - '0') * scale;
					scale /= 10;
				}
			}
		}
		if (hour > 24 || minute > 59 || second > 60)
			return false;
		if (hour == 24 && (minute != 0 || second != 0 ||
		    frac_ms != 0))
			return false;
		if (i < len) {
			if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == len) {
				i++;
			} else if (s[i] == '+' || s[i] == '-') {
				int sign = s[i] == '-' ? -1 : 1, oh, om = 0;

				i++;
				if (!parse_digits(s, len, &i, 2, &oh))
					return false;
				if (i < len && s[i] == ':')
					i++;
				if (i < len &&
				    !parse_digits(s, len, &i, 2, &om))
					return false;
				if (oh > 23 || om > 59)
					return false;
				offset_minutes = sign * (oh * 60 + om);
			} else {
				return false;
			}
		}
	}
	if (i != len)
		return false;
	days = days_from_civil(year, month, day);
	total = ((days * 24 + hour) * 60 + minute - offset_minutes) * 60 +
	    second;
	*ms = total * 1000 + frac_ms;
	return true;
}

static void
ip_mask(struct ip_cidr *c)
{
	size_t	 bytes = c->family == AF_INET ? 4 : 16;
	unsigned bits = c->prefix_len;

	for (size_t i = 0; i < bytes; i++) {
		if (bits >= 8) {
			bits -= 8;
			continue;
		}
		c->addr[i] &= (uint8_t)(0xff << (8 - bits));
		bits = 0;
	}
}

bool
condition_parse_ip(const char *s, size_t len, bool allow_prefix,
    struct ip_cidr *out)
{
	char		 buf[IP_TEXT_MAX];
	const char	*slash;
	size_t		 addr_len = len;
	unsigned	 max, prefix;
	struct ip_cidr	 c;

	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	memset(&c, 0, sizeof(c));
	if ((slash = memchr(buf, '/', len)) != NULL) {
		if (!allow_prefix)
			return false;
		addr_len = (size_t)(slash - buf);
		buf[addr_len] = '\0';
	}
	if (inet_pton(AF_INET, buf, c.addr) == 1) {
		c.family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, c.addr) == 1) {
		static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0,
		    0, 0xff, 0xff };

		c.family = AF_INET6;
		max = 128;
		/* An IPv4 peer seen through a dual-stack socket. */
		if (slash == NULL && memcmp(c.addr, mapped, 12) == 0) {
			memmove(c.addr, c.addr + 12, 4);
			memset(c.addr + 4, 0, 12);
			c.family = AF_INET;
			max = 32;
		}
	} else {
		return false;
	}
	prefix = max;
	if (slash != NULL) {
		const char	*p = slash + 1;
		size_t		 n = len - addr_len - 1;

		if (n == 0 || n > 3)
			return false;
		prefix = 0;
		for (size_t i = 0; i < n; i++) {
			if (!isdigit((unsigned char)p[i]))
				return false;
			prefix = prefix * 10 + (unsigned)(p[i] - '0');
		}
		if (prefix > max)
			return false;
	}
	c.prefix_len = prefix;
	ip_mask(&c);
	*out = c;
	return true;
}

static bool
ip_in_cidr(const struct ip_cidr *ip, const struct ip_cidr *cidr)
{
	struct ip_cidr masked = *ip;

	if (ip->family != cidr->family)
		return false;
	masked.prefix_len = cidr->prefix_len;
	ip_mask(&masked);
	return memcmp(masked.addr, cidr->addr,
	    cidr->family == AF_INET ? 4 : 16) == 0;
}

static bool
parse_bool(const char *s, size_t len, bool *out)
{
	if (len == 4 && strncasecmp(s, "true", 4) == 0) {
		*out = true;
		return true;
	}
	if (len == 5 && strncasecmp(s, "false", 5) == 0) {
		*out = false;
		return true;
	}
	return false;
}

static bool
is_base64(const char *s, size_t len)
{
	size_t pad = 0;

	if (len == 0 || len % 4 != 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == '=') {
			pad++;
			continue;
		}
		if (pad > 0 || !(isalnum((unsigned char)c) || c == '+' ||
		    c == '/'))
			return false;
	}
	return pad <= 2;
}

/* ---- patterns ---- */

/*
 * One pass over a pattern's text: with tokens NULL it only counts them;
 * otherwise it fills tokens, copying literal characters (with ${*} ${?}
 * ${$} resolved) into lit and variable names, lower-cased, into arena.
 */
struct pattern_scan {
	struct pattern_token	*tokens;	/* NULL: count only */
	char			*lit;
	size_t			 count;
	size_t			 lit_len;
	size_t			 run;		/* current literal run */
	unsigned		 var_count;
	bool			 has_wildcards;
};

static void
scan_flush(struct pattern_scan *sc)
{
	if (sc->run == 0)
		return;
	if (sc->tokens != NULL) {
		struct pattern_token *t = &sc->tokens[sc->count];

		memset(t, 0, sizeof(*t));
		t->kind = PATTERN_LITERAL;
		t->text = sc->lit + sc->lit_len - sc->run;
		t->len = sc->run;
	}
	sc->count++;
	sc->run = 0;
}

static void
scan_char(struct pattern_scan *sc, char c)
{
	if (sc->tokens != NULL)
		sc->lit[sc->lit_len] = c;
	sc->lit_len++;
	sc->run++;
}

static enum status
scan_token(struct pattern_scan *sc, struct policy_arena *arena,
    enum pattern_token_kind kind, const char *name, size_t name_len)
{
	struct pattern_token	*t;
	char			*key;

	scan_flush(sc);
	if (kind == PATTERN_VARIABLE &&
	    sc->var_count++ >= POLICY_PATTERN_VARS_MAX)
		return STATUS_INVALID_PARAMETER;
	if (kind != PATTERN_VARIABLE)
		sc->has_wildcards = true;
	if (sc->tokens == NULL) {
		sc->count++;
		return STATUS_OK;
	}
	t = &sc->tokens[sc->count++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	if (kind != PATTERN_VARIABLE)
		return STATUS_OK;
	if ((key = policy_arena_strndup(arena, name, name_len)) == NULL)
		return STATUS_NO_MEMORY;
	for (size_t k = 0; k < name_len; k++)
		key[k] = (char)tolower((unsigned char)key[k]);
	t->text = key;
	t->len = name_len;
	t->key_hash = policy_key_hash(key, name_len);
	t->var_index = sc->var_count - 1;
	return STATUS_OK;
}

static enum status
pattern_scan(struct pattern_scan *sc, struct policy_arena *arena,
    const char *text, size_t len, unsigned flags)
{
	bool		 wild = flags & PATTERN_ALLOW_WILDCARDS;
	bool		 vars = flags & PATTERN_ALLOW_VARIABLES;
	enum status	 st;

	for (size_t i = 0; i < len; i++) {
		const char	*name, *close;
		size_t		 name_len;
		char		 c = text[i];

		if (vars && c == '$' && i + 1 < len && text[i + 1] == '{' &&
		    (close = memchr(text + i + 2, '}', len - (i + 2))) !=
		    NULL) {
			name = text + i + 2;
			name_len = (size_t)(close - name);
			i = (size_t)(close - text);
			if (name_len == 1 && (name[0] == '*' ||
			    name[0] == '?' || name[0] == '$')) {
				scan_char(sc, name[0]);
				continue;
			}
			while (name_len > 0 &&
			    isspace((unsigned char)name[0])) {
				name++;
				name_len--;
			}
			while (name_len > 0 &&
			    isspace((unsigned char)name[name_len - 1]))
				name_len--;
			if ((st = scan_token(sc, arena, PATTERN_VARIABLE, name,
			    name_len)) != STATUS_OK)
				return st;
			continue;
		}
		if (wild && (c == '*' || c == '?')) {
			if ((st = scan_token(sc, arena, c == '*' ?
			    PATTERN_STAR : PATTERN_QMARK, NULL, 0)) !=
			    STATUS_OK)
				return st;
			continue;
		}
		scan_char(sc, c);
	}
	scan_flush(sc);
	return STATUS_OK;
}

enum status
pattern_compile(struct policy_arena *arena, const char *text, size_t len,
    unsigned flags, struct pattern *p)
{
	struct pattern_scan	 sc;
	struct pattern_token	*tokens;
	enum status		 st;

	memset(p, 0, sizeof(*p));
	memset(&sc, 0, sizeof(sc));
	if ((st = pattern_scan(&sc, arena, text, len, flags)) != STATUS_OK)
		return st;
	if ((p->source = policy_arena_strndup(arena, text, len)) == NULL)
		return STATUS_NO_MEMORY;
	p->source_len = len;
	tokens = policy_arena_alloc(arena, (sc.count + 1) * sizeof(*tokens));
	if (tokens == NULL)
		return STATUS_NO_MEMORY;
	memset(&sc, 0, sizeof(sc));
	sc.tokens = tokens;
	if ((sc.lit = policy_arena_alloc(arena, len + 1)) == NULL)
		return STATUS_NO_MEMORY;
	if ((st = pattern_scan(&sc, arena, text, len, flags)) != STATUS_OK)
		return st;
	p->tokens = tokens;
	p->token_count = sc.count;
	p->var_count = sc.var_count;
	p->has_wildcards = sc.has_wildcards;
	if (p->var_count == 0) {
		char	*flat;
		uint8_t	*unit;
		size_t	 n = 0;

		if ((flat = policy_arena_alloc(arena, len + 1)) == NULL ||
		    (unit = policy_arena_alloc(arena, len + 1)) == NULL)
			return STATUS_NO_MEMORY;
		for (size_t t = 0; t < sc.count; t++) {
			switch (tokens[t].kind) {
			case PATTERN_LITERAL:
				memcpy(flat + n, tokens[t].text, tokens[t].len);
				memset(unit + n, PATTERN_UNIT_CHAR,
				    tokens[t].len);
				n += tokens[t].len;
				break;
			case PATTERN_STAR:
				flat[n] = '*';
				unit[n++] = PATTERN_UNIT_STAR;
				break;
			case PATTERN_QMARK:
				flat[n] = '?';
				unit[n++] = PATTERN_UNIT_QMARK;
				break;
			case PATTERN_VARIABLE:
				break;
			}
		}
		p->flat = flat;
		p->unit = unit;
		p->flat_len = n;
	}
	if (sc.count == 1 && tokens[0].kind == PATTERN_STAR)
		p->shape = PATTERN_SHAPE_ANY;
	else if (sc.count == 0 || (sc.count == 1 &&
	    tokens[0].kind == PATTERN_LITERAL))
		p->shape = PATTERN_SHAPE_EXACT;
	else if (sc.count == 2 && tokens[0].kind == PATTERN_LITERAL &&
	    tokens[1].kind == PATTERN_STAR)
		p->shape = PATTERN_SHAPE_PREFIX;
	else
		p->shape = PATTERN_SHAPE_GENERAL;
	return STATUS_OK;
}

/*
 * Patterns without variables match over their flattened units: the
 * classic greedy glob, one backtrack point (the last '*').
 */
static bool
glob_flat(const char *p, const uint8_t *u, size_t m, const char *s, size_t n,
    bool icase)
{
	size_t	 pi = 0, si = 0, star_p = 0, star_s = 0;
	bool	 has_star = false;

	while (si < n) {
		if (pi < m) {
			if (u[pi] == PATTERN_UNIT_STAR) {
				has_star = true;
				star_p = ++pi;
				star_s = si;
				continue;
			}
			if (u[pi] == PATTERN_UNIT_QMARK || p[pi] == s[si] ||
			    (icase && tolower((unsigned char)p[pi]) ==
			    tolower((unsigned char)s[si]))) {
				pi++;
				si++;
				continue;
			}
		}
		if (!has_star)
			return false;
		pi = star_p;
		si = ++star_s;
	}
	while (pi < m && u[pi] == PATTERN_UNIT_STAR)
		pi++;
	return pi == m;
}

/* glob_arn() below, over flattened units. */
static bool
glob_arn_flat(const char *p, const uint8_t *u, size_t m, const char *s,
    size_t n)
{
	size_t pi = 0, si = 0, pe;

	for (int field = 0; field < 5; field++) {
		const char *colon = memchr(s + si, ':', n - si);

		if (colon == NULL)
			return false;	/* not an ARN */
		for (pe = pi; pe < m; pe++)
			if (p[pe] == ':' && u[pe] == PATTERN_UNIT_CHAR)
				break;
		if (pe == m)
			return m > pi && u[m - 1] == PATTERN_UNIT_STAR &&
			    glob_flat(p + pi, u + pi, m - pi, s + si, n - si,
			    false);
		if (!glob_flat(p + pi, u + pi, pe - pi, s + si,
		    (size_t)(colon - s) - si, false))
			return false;
		pi = pe + 1;
		si = (size_t)(colon - s) + 1;
	}
	return glob_flat(p + pi, u + pi, m - pi, s + si, n - si, false);
}

/*
 * Patterns with variables too long to expand on the stack are matched in
 * place: a cursor (token, offset) walks the pattern's units (a character,
 * '*' or '?'), variables standing for their resolved text.
 */
struct resolved {
	const char	*text;
	size_t		 len;
};

struct pattern_view {
	const struct pattern	*p;
	struct resolved		 vars[POLICY_PATTERN_VARS_MAX];
};

struct cursor {
	size_t	 t;
	size_t	 o;
};

enum unit_kind {
	UNIT_END,
	UNIT_CHAR,
	UNIT_STAR,
	UNIT_QMARK,
};

static size_t
token_len(const struct pattern_view *v, size_t t)
{
	const struct pattern_token *tok = &v->p->tokens[t];

	switch (tok->kind) {
	case PATTERN_LITERAL:
		return tok->len;
	case PATTERN_VARIABLE:
		return v->vars[tok->var_index].len;
	case PATTERN_STAR:
	case PATTERN_QMARK:
		return 1;
	}
	return 0;
}

static struct cursor
cursor_normalize(const struct pattern_view *v, struct cursor c)
{
	while (c.t < v->p->token_count && c.o >= token_len(v, c.t)) {
		c.t++;
		c.o = 0;
	}
	return c;
}

static struct cursor
cursor_next(const struct pattern_view *v, struct cursor c)
{
	c.o++;
	return cursor_normalize(v, c);
}

static bool
cursor_eq(struct cursor a, struct cursor b)
{
	return a.t == b.t && a.o == b.o;
}

static enum unit_kind
cursor_unit(const struct pattern_view *v, struct cursor c, char *ch)
{
	const struct pattern_token *tok;

	if (c.t >= v->p->token_count)
		return UNIT_END;
	tok = &v->p->tokens[c.t];
	switch (tok->kind) {
	case PATTERN_STAR:
		return UNIT_STAR;
	case PATTERN_QMARK:
		return UNIT_QMARK;
	case PATTERN_LITERAL:
		*ch = tok->text[c.o];
		return UNIT_CHAR;
	case PATTERN_VARIABLE:
		*ch = v->vars[tok->var_index].text[c.o];
		return UNIT_CHAR;
	}
	return UNIT_END;
}

static bool
char_eq(char a, char b, bool icase)
{
	if (a == b)
		return true;
	return icase && tolower((unsigned char)a) == tolower((unsigned char)b);
}

/* Does the pattern span [start, end) match s[0, n)?  The classic greedy
 * glob with one backtrack point (the last '*'). */
static bool
glob_span(const struct pattern_view *v, struct cursor start, struct cursor end,
    const char *s, size_t n, bool icase)
{
	struct cursor	 p = start, star_p = start;
	size_t		 i = 0, star_i = 0;
	bool		 has_star = false;
	enum unit_kind	 u;
	char		 ch = 0;

	while (i < n) {
		if (!cursor_eq(p, end)) {
			u = cursor_unit(v, p, &ch);
			if (u == UNIT_STAR) {
				has_star = true;
				p = cursor_next(v, p);
				star_p = p;
				star_i = i;
				continue;
			}
			if (u == UNIT_QMARK || (u == UNIT_CHAR &&
			    char_eq(ch, s[i], icase))) {
				p = cursor_next(v, p);
				i++;
				continue;
			}
		}
		if (!has_star)
			return false;
		p = star_p;
		i = ++star_i;
	}
	while (!cursor_eq(p, end) && cursor_unit(v, p, &ch) == UNIT_STAR)
		p = cursor_next(v, p);
	return cursor_eq(p, end);
}

/* From c, the cursor of the next ':' character (or the end); *last_star
 * tells whether the unit just before it was '*'. */
static struct cursor
cursor_find_colon(const struct pattern_view *v, struct cursor c,
    bool *last_star)
{
	enum unit_kind	 u;
	char		 ch = 0;

	*last_star = false;
	while ((u = cursor_unit(v, c, &ch)) != UNIT_END) {
		if (u == UNIT_CHAR && ch == ':')
			break;
		*last_star = u == UNIT_STAR;
		c = cursor_next(v, c);
	}
	return c;
}

/*
 * ARN matching: the five colon-separated fields before the resource are
 * matched one by one, wildcards staying inside their field; the resource
 * (everything after the fifth colon) is matched as a whole.  A pattern
 * with fewer fields whose last one ends in '*' matches the rest ("arn:aws:
 * secretsmanager:*" covers every secret), as IAM reads such patterns.
 */
static bool
glob_arn(const struct pattern_view *v, const char *s, size_t n)
{
	struct cursor	 p, sep, end = { v->p->token_count, 0 };
	size_t		 vs = 0;
	bool		 last_star;

	p = cursor_normalize(v, (struct cursor){ 0, 0 });
	for (int field = 0; field < 5; field++) {
		const char	*colon = memchr(s + vs, ':', n - vs);
		size_t		 ve;

		if (colon == NULL)
			return false;	/* not an ARN */
		ve = (size_t)(colon - s);
		sep = cursor_find_colon(v, p, &last_star);
		if (cursor_eq(sep, end)) {
			/* The pattern has run out of fields. */
			return last_star && glob_span(v, p, end, s + vs,
			    n - vs, false);
		}
		if (!glob_span(v, p, sep, s + vs, ve - vs, false))
			return false;
		p = cursor_next(v, sep);
		vs = ve + 1;
	}
	return glob_span(v, p, end, s + vs, n - vs, false);
}

/* A pattern of literals and variables only: compare piece by piece. */
static bool
tokens_equal(const struct pattern_view *v, const char *s, size_t n,
    size_t total, bool icase)
{
	size_t off = 0;

	if (total != n)
		return false;
	for (size_t t = 0; t < v->p->token_count; t++) {
		const struct pattern_token	*tok = &v->p->tokens[t];
		const char			*text = tok->kind ==
		    PATTERN_VARIABLE ? v->vars[tok->var_index].text : tok->text;
		size_t				 len = token_len(v, t);

		if (len == 0)
			continue;
		if (icase ? strncasecmp(text, s + off, len) != 0 :
		    memcmp(text, s + off, len) != 0)
			return false;
		off += len;
	}
	return true;
}

/* Write the units of a resolved pattern into flat/unit (sized by the
 * caller to the total length). */
static void
pattern_expand(const struct pattern_view *v, char *flat, uint8_t *unit)
{
	size_t n = 0;

	for (size_t t = 0; t < v->p->token_count; t++) {
		const struct pattern_token	*tok = &v->p->tokens[t];
		const char			*text;
		size_t				 len;

		switch (tok->kind) {
		case PATTERN_STAR:
			flat[n] = '*';
			unit[n++] = PATTERN_UNIT_STAR;
			break;
		case PATTERN_QMARK:
			flat[n] = '?';
			unit[n++] = PATTERN_UNIT_QMARK;
			break;
		case PATTERN_LITERAL:
		case PATTERN_VARIABLE:
			text = tok->kind == PATTERN_VARIABLE ?
			    v->vars[tok->var_index].text : tok->text;
			len = token_len(v, t);
			memcpy(flat + n, text, len);
			memset(unit + n, PATTERN_UNIT_CHAR, len);
			n += len;
			break;
		}
	}
}

/* Does s have the five colons of an ARN? */
static bool
is_arn_shaped(const char *s, size_t n)
{
	const char *end = s + n, *c;

	for (int i = 0; i < 5; i++, s = c + 1)
		if ((c = memchr(s, ':', (size_t)(end - s))) == NULL)
			return false;
	return true;
}

enum match
pattern_match(const struct pattern *p, const char *s, size_t len,
    enum match_mode mode, const struct policy_context *ctx)
{
	struct pattern_view	 v;
	bool			 icase = mode == MATCH_IGNORE_CASE;
	bool			 is_arn;
	size_t			 total;

	if (mode == MATCH_ARN || mode == MATCH_RESOURCE) {
		is_arn = is_arn_shaped(s, len);
		if (mode == MATCH_ARN && !is_arn)
			return MATCH_NO;
		if (!is_arn)
			mode = MATCH_PLAIN;
	}
	switch (p->shape) {
	case PATTERN_SHAPE_ANY:
		return MATCH_YES;
	case PATTERN_SHAPE_EXACT: {
		size_t plen = p->token_count == 0 ? 0 : p->tokens[0].len;

		if (plen != len)
			return MATCH_NO;
		if (len == 0)
			return MATCH_YES;
		if (icase)
			return strncasecmp(p->tokens[0].text, s, len) == 0 ?
			    MATCH_YES : MATCH_NO;
		return memcmp(p->tokens[0].text, s, len) == 0 ? MATCH_YES :
		    MATCH_NO;
	}
	case PATTERN_SHAPE_PREFIX: {
		/* A trailing '*' matches across ARN fields too. */
		size_t plen = p->tokens[0].len;

		if (len < plen)
			return MATCH_NO;
		if (icase)
			return strncasecmp(p->tokens[0].text, s, plen) == 0 ?
			    MATCH_YES : MATCH_NO;
		return memcmp(p->tokens[0].text, s, plen) == 0 ? MATCH_YES :
		    MATCH_NO;
	}
	case PATTERN_SHAPE_GENERAL:
		break;
	}

	if (p->var_count == 0) {
		if (mode == MATCH_ARN || mode == MATCH_RESOURCE)
			return glob_arn_flat(p->flat, p->unit, p->flat_len, s,
			    len) ? MATCH_YES : MATCH_NO;
		return glob_flat(p->flat, p->unit, p->flat_len, s, len, icase) ?
		    MATCH_YES : MATCH_NO;
	}
	v.p = p;
	total = 0;
	for (size_t t = 0; t < p->token_count; t++) {
		const struct pattern_token	*tok = &p->tokens[t];
		const struct policy_context_entry *e;

		if (tok->kind != PATTERN_VARIABLE) {
			total += token_len(&v, t);
			continue;
		}
		e = policy_context_find(ctx, tok->key_hash, tok->text,
		    tok->len);
		if (e == NULL || e->count != 1)
			return MATCH_INVALID;
		v.vars[tok->var_index].text = e->items[0].text;
		v.vars[tok->var_index].len = e->items[0].len;
		total += e->items[0].len;
	}
	if (!p->has_wildcards)
		return tokens_equal(&v, s, len, total, icase) ? MATCH_YES :
		    MATCH_NO;
	if (total <= PATTERN_EXPAND_MAX) {
		char	 flat[PATTERN_EXPAND_MAX];
		uint8_t	 unit[PATTERN_EXPAND_MAX];

		pattern_expand(&v, flat, unit);
		if (mode == MATCH_ARN || mode == MATCH_RESOURCE)
			return glob_arn_flat(flat, unit, total, s, len) ?
			    MATCH_YES : MATCH_NO;
		return glob_flat(flat, unit, total, s, len, icase) ? MATCH_YES :
		    MATCH_NO;
	}
	if (mode == MATCH_ARN || mode == MATCH_RESOURCE)
		return glob_arn(&v, s, len) ? MATCH_YES : MATCH_NO;
	return glob_span(&v, cursor_normalize(&v, (struct cursor){ 0, 0 }),
	    (struct cursor){ p->token_count, 0 }, s, len, icase) ? MATCH_YES :
	    MATCH_NO;
}

/* ---- condition values ---- */

enum status
condition_value_compile(struct policy_arena *arena,
    const struct condition_operator *op, const char *text, size_t len,
    bool allow_variables, struct condition_value *out, const char **reason)
{
	unsigned	 flags = allow_variables ? PATTERN_ALLOW_VARIABLES : 0;
	enum status	 st;

	memset(out, 0, sizeof(*out));
	*reason = NULL;
	switch (op->type) {
	case CONDITION_VALUE_STRING:
		if (op->base == CONDITION_STRING_LIKE)
			flags |= PATTERN_ALLOW_WILDCARDS;
		break;
	case CONDITION_VALUE_ARN:
		flags |= PATTERN_ALLOW_WILDCARDS;
		break;
	case CONDITION_VALUE_NUMBER:
		if (!condition_parse_number(text, len, &out->u.number)) {
			*reason = "is not a number";
			return STATUS_INVALID_PARAMETER;
		}
		flags = 0;
		break;
	case CONDITION_VALUE_DATE:
		if (!condition_parse_time(text, len, &out->u.time_ms)) {
			*reason = "is not an ISO 8601 date or epoch time";
			return STATUS_INVALID_PARAMETER;
		}
		flags = 0;
		break;
	case CONDITION_VALUE_BOOL:
		if (!parse_bool(text, len, &out->u.boolean)) {
			*reason = "is not true or false";
			return STATUS_INVALID_PARAMETER;
		}
		flags = 0;
		break;
	case CONDITION_VALUE_BINARY:
		if (!is_base64(text, len)) {
			*reason = "is not base64";
			return STATUS_INVALID_PARAMETER;
		}
		flags = 0;
		break;
	case CONDITION_VALUE_IP:
		if (!condition_parse_ip(text, len, true, &out->u.cidr)) {
			*reason = "is not an IPv4 or IPv6 address or CIDR "
			    "block";
			return STATUS_INVALID_PARAMETER;
		}
		flags = 0;
		break;
	}
	st = pattern_compile(arena, text, len, flags, &out->pattern);
	if (st == STATUS_INVALID_PARAMETER)
		*reason = "has too many policy variables";
	return st;
}

/* ---- evaluation ---- */

static int
compare_double(double a, double b)
{
	return a < b ? -1 : a > b ? 1 : 0;
}

static int
compare_i64(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b ? 1 : 0;
}

static bool
ordering_holds(enum condition_base base, int cmp)
{
	switch (base) {
	case CONDITION_NUMERIC_EQUALS:
	case CONDITION_DATE_EQUALS:
		return cmp == 0;
	case CONDITION_NUMERIC_LESS:
	case CONDITION_DATE_LESS:
		return cmp < 0;
	case CONDITION_NUMERIC_LESS_EQUALS:
	case CONDITION_DATE_LESS_EQUALS:
		return cmp <= 0;
	case CONDITION_NUMERIC_GREATER:
	case CONDITION_DATE_GREATER:
		return cmp > 0;
	case CONDITION_NUMERIC_GREATER_EQUALS:
	case CONDITION_DATE_GREATER_EQUALS:
		return cmp >= 0;
	default:
		return false;
	}
}

/* Does one request value match one policy value under the operator's
 * positive form?  ("request < policy" for NumericLessThan.) */
static enum match
value_matches(const struct condition *c, const struct condition_value *pv,
    const struct policy_context_value *rv, const struct policy_context *ctx)
{
	const struct condition_operator *op = c->op;

	switch (op->type) {
	case CONDITION_VALUE_STRING:
		return pattern_match(&pv->pattern, rv->text, rv->len,
		    op->base == CONDITION_STRING_EQUALS_IGNORE_CASE ?
		    MATCH_IGNORE_CASE : MATCH_PLAIN, ctx);
	case CONDITION_VALUE_ARN:
		return pattern_match(&pv->pattern, rv->text, rv->len, MATCH_ARN,
		    ctx);
	case CONDITION_VALUE_NUMBER: {
		double d;

		if (!condition_parse_number(rv->text, rv->len, &d))
			return MATCH_NO;
		return ordering_holds(op->base, compare_double(d,
		    pv->u.number)) ? MATCH_YES : MATCH_NO;
	}
	case CONDITION_VALUE_DATE: {
		int64_t t;

		if (!condition_parse_time(rv->text, rv->len, &t))
			return MATCH_NO;
		return ordering_holds(op->base, compare_i64(t,
		    pv->u.time_ms)) ? MATCH_YES : MATCH_NO;
	}
	case CONDITION_VALUE_BOOL: {
		bool b;

		if (!parse_bool(rv->text, rv->len, &b))
			return MATCH_NO;
		return b == pv->u.boolean ? MATCH_YES : MATCH_NO;
	}
	case CONDITION_VALUE_BINARY:
		return pattern_match(&pv->pattern, rv->text, rv->len,
		    MATCH_PLAIN, ctx);
	case CONDITION_VALUE_IP: {
		struct ip_cidr ip;

		if (!condition_parse_ip(rv->text, rv->len, false, &ip))
			return MATCH_NO;
		return ip_in_cidr(&ip, &pv->u.cidr) ? MATCH_YES : MATCH_NO;
	}
	}
	return MATCH_NO;
}

/* Does the request value match any of the policy's values? */
static enum match
value_matches_any(const struct condition *c,
    const struct policy_context_value *rv, const struct policy_context *ctx)
{
	enum match m;

	for (size_t i = 0; i < c->value_count; i++)
		if ((m = value_matches(c, &c->values[i], rv, ctx)) != MATCH_NO)
			return m;
	return MATCH_NO;
}

enum match
condition_evaluate(const struct condition *c, const struct policy_context *ctx)
{
	const struct policy_context_entry *e;
	bool		 negated = c->op->is_negated;
	enum match	 m;

	e = policy_context_find(ctx, c->key_hash, c->key, c->key_len);
	if (c->op->base == CONDITION_NULL) {
		/* "true": the key must be absent; "false": present.  Several
		 * values are ORed like any other. */
		for (size_t i = 0; i < c->value_count; i++)
			if (c->values[i].u.boolean == (e == NULL))
				return MATCH_YES;
		return MATCH_NO;
	}
	if (e == NULL) {
		if (c->is_if_exists)
			return MATCH_YES;
		switch (c->qualifier) {
		case CONDITION_FOR_ALL_VALUES:
			return MATCH_YES;	/* vacuously true */
		case CONDITION_FOR_ANY_VALUE:
			return MATCH_NO;
		case CONDITION_QUALIFIER_NONE:
			break;
		}
		return negated ? MATCH_YES : MATCH_NO;
	}

	switch (c->qualifier) {
	case CONDITION_FOR_ALL_VALUES:
		/* Every request value passes the operator (for a negated
		 * one: matches none of the policy's values). */
		for (size_t i = 0; i < e->count; i++) {
			if ((m = value_matches_any(c, &e->items[i], ctx)) ==
			    MATCH_INVALID)
				return MATCH_INVALID;
			if ((m == MATCH_YES) == negated)
				return MATCH_NO;
		}
		return MATCH_YES;
	case CONDITION_FOR_ANY_VALUE:
		for (size_t i = 0; i < e->count; i++) {
			if ((m = value_matches_any(c, &e->items[i], ctx)) ==
			    MATCH_INVALID)
				return MATCH_INVALID;
			if ((m == MATCH_YES) != negated)
				return MATCH_YES;
		}
		return MATCH_NO;
	case CONDITION_QUALIFIER_NONE:
		break;
	}
	/* No qualifier: any request value matching any policy value is a
	 * match; a negated operator holds when none does. */
	for (size_t i = 0; i < e->count; i++) {
		if ((m = value_matches_any(c, &e->items[i], ctx)) ==
		    MATCH_INVALID)
			return MATCH_INVALID;
		if (m == MATCH_YES)
			return negated ? MATCH_NO : MATCH_YES;
	}
	return negated ? MATCH_YES : MATCH_NO;
}
