/*
 * schedule.c: RotationRules as Secrets Manager reads them.
 *
 * AutomaticallyAfterDays N and rate(N days): one window on the day N days
 * after the last rotation, opening at midnight UTC.  rate(N hours): windows
 * at midnight and every N hours after it, starting again each day.
 * cron(Minutes Hours Day-of-month Month Day-of-week Year): windows at the
 * matching hours of the matching days; minutes must be 0 (windows open on
 * the hour), year must be *, one of the two day fields must be '?'.
 * Day-of-month takes , - * ? / L W (and LW), day-of-week , - * ? / L #.
 * Windows last Duration hours, or by default one hour for schedules with
 * several windows a day and until midnight otherwise; a window never runs
 * into the next UTC day or the next window, and windows are at least four
 * hours apart (the most often Secrets Manager rotates).
 *
 * Everything here is pure arithmetic on UTC milliseconds; no allocation.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rotation/rotation.h"

#define MSG_INVALID		"Invalid schedule expression."
#define MSG_BOTH		"You cannot specify both rotation frequency and " \
				"schedule expression together."
#define MSG_RATE_HOURS		"Rate in hour should be least 4 and less than 24."
#define MSG_RATE_DAYS		"Rate in day should be greater than 0 and less " \
				"than 1000."
#define MSG_DURATION		"Duration must be at least 1 hour, at most 24 hour."
#define MSG_DURATION_RATE	"Duration cannot be greater than Rate in hour."
#define MSG_DURATION_DAY	"Starting hour and duration must be within a day."

#define DAY_MS			(24 * ROTATION_HOUR_MS)
#define MIN_GAP_HOURS		4
#define SEARCH_DAYS		(5 * 366 + 1)
#define CRON_FIELD_MAX		64

/* ---- civil dates (days since 1970-01-01, proleptic Gregorian) ---- */

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static void
civil_from_days(int64_t z, int *year, int *month, int *day)
{
	int64_t era, doe, yoe, doy, mp, y;

	z += 719468;
	era = floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = (int)(y + (*month <= 2));
}

static int64_t
days_from_civil(int year, int month, int day)
{
	int64_t y = year - (month <= 2), era, yoe, doy, doe;

	era = floor_div(y, 400);
	yoe = y - era * 400;
	doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
days_in_month(int year, int month)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : dim[month - 1];
}

/* 1 = Sunday ... 7 = Saturday; 1970-01-01 was a Thursday. */
static int
weekday(int64_t days)
{
	return (int)((days % 7 + 7 + 4) % 7) + 1;
}

/* ---- cron fields ---- */

struct cron_field {
	const char	*name;
	int		 lo, hi;
	const char *const *names;	/* names[i] is value lo + i; NULL: none */
};

static const char *const month_names[] = { "JAN", "FEB", "MAR", "APR", "MAY",
    "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC" };
static const char *const day_names[] = { "SUN", "MON", "TUE", "WED", "THU",
    "FRI", "SAT" };

static const struct cron_field field_hours = { "hours", 0, 23, NULL };
static const struct cron_field field_dom = { "day-of-month", 1, 31, NULL };
static const struct cron_field field_month = { "month", 1, 12, month_names };
static const struct cron_field field_dow = { "day-of-week", 1, 7, day_names };

/* A number or (for fields with names) a three-letter name; advances *p. */
static bool
cron_value(const struct cron_field *f, const char **p, int *out)
{
	const char	*s = *p;
	long		 v = 0;

	if (isdigit((unsigned char)*s)) {
		int digits = 0;

		while (isdigit((unsigned char)*s) && digits < 3) {
			v = v * 10 + (*s++ - '0');
			digits++;
		}
		if (isdigit((unsigned char)*s))
			return false;
	} else if (f->names != NULL) {
		int i, n = f->hi - f->lo + 1;

		for (i = 0; i < n; i++)
			if (strncasecmp(s, f->names[i], 3) == 0)
				break;
		if (i == n)
			return false;
		v = f->lo + i;
		s += 3;
	} else
		return false;
	if (v < f->lo || v > f->hi)
		return false;
	*out = (int)v;
	*p = s;
	return true;
}

/*
 * One plain item of a list: * | v | a-b, each optionally /step.  Sets the
 * bits of the values it covers.
 */
static bool
cron_item(const struct cron_field *f, const char *item, uint64_t *bits)
{
	const char	*p = item;
	int		 a = f->lo, b = f->hi, step = 1;
	bool		 is_range = true;

	if (*p == '*') {
		p++;
	} else {
		if (!cron_value(f, &p, &a))
			return false;
		if (*p == '-') {
			p++;
			if (!cron_value(f, &p, &b) || b < a)
				return false;
		} else {
			b = a;
			is_range = false;
		}
	}
	if (*p == '/') {
		char	*end;
		long	 s;

		p++;
		if (!isdigit((unsigned char)*p))
			return false;
		s = strtol(p, &end, 10);
		if (s < 1 || s > f->hi)
			return false;
		step = (int)s;
		p = end;
		if (!is_range)	/* "a/s": from a to the end of the range */
			b = f->hi;
	}
	if (*p != '\0')
		return false;
	for (int v = a; v <= b; v += step)
		*bits |= (uint64_t)1 << v;
	return true;
}

/* Copy one comma-separated item of list into buf; advance *p. */
static bool
next_item(const char **p, char *buf, size_t len)
{
	size_t n = strcspn(*p, ",");

	if (n == 0 || n >= len)
		return false;
	memcpy(buf, *p, n);
	buf[n] = '\0';
	*p += n;
	if (**p == ',') {
		(*p)++;
		if (**p == '\0')
			return false;
	}
	return true;
}

static bool
cron_list(const struct cron_field *f, const char *text, uint64_t *bits)
{
	char	 item[CRON_FIELD_MAX];

	while (*text != '\0') {
		if (!next_item(&text, item, sizeof(item)) ||
		    !cron_item(f, item, bits))
			return false;
	}
	return true;
}

static bool
cron_day_of_month(const char *text, struct rotation_schedule *s)
{
	char		 item[CRON_FIELD_MAX];
	uint64_t	 bits = 0;

	while (*text != '\0') {
		size_t len;

		if (!next_item(&text, item, sizeof(item)))
			return false;
		len = strlen(item);
		if (strcmp(item, "L") == 0) {
			s->is_last_day = true;
		} else if (strcmp(item, "LW") == 0) {
			s->is_last_weekday = true;
		} else if (len >= 2 && item[len - 1] == 'W') {
			const char	*p = item;
			int		 d;

			item[len - 1] = '\0';
			if (!cron_value(&field_dom, &p, &d) || *p != '\0')
				return false;
			s->nearest_weekdays |= (uint32_t)1 << d;
		} else if (!cron_item(&field_dom, item, &bits))
			return false;
	}
	s->days_of_month = (uint32_t)bits;
	return true;
}

static bool
cron_day_of_week(const char *text, struct rotation_schedule *s)
{
	char		 item[CRON_FIELD_MAX];
	uint64_t	 bits = 0;

	while (*text != '\0') {
		const char	*p, *hash;
		size_t		 len;
		int		 d, n;

		if (!next_item(&text, item, sizeof(item)))
			return false;
		len = strlen(item);
		p = item;
		if (strcmp(item, "L") == 0) {
			bits |= (uint64_t)1 << 7;	/* the last day: Saturday */
		} else if ((hash = strchr(item, '#')) != NULL) {
			if (!cron_value(&field_dow, &p, &d) || p != hash ||
			    hash[1] < '1' || hash[1] > '5' || hash[2] != '\0')
				return false;
			n = hash[1] - '0';
			s->nth_days_of_week[d] |= (uint8_t)(1 << n);
		} else if (len >= 2 && item[len - 1] == 'L') {
			item[len - 1] = '\0';
			if (!cron_value(&field_dow, &p, &d) || *p != '\0')
				return false;
			s->last_days_of_week |= (uint8_t)(1 << d);
		} else if (!cron_item(&field_dow, item, &bits))
			return false;
	}
	s->days_of_week = (uint8_t)bits;
	return true;
}

/* Does the cron schedule have windows on this day? */
static bool
cron_day_matches(const struct rotation_schedule *s, int64_t days)
{
	int	 y, m, d, dim, w;

	civil_from_days(days, &y, &m, &d);
	if ((s->months & (1u << m)) == 0)
		return false;
	dim = days_in_month(y, m);
	if (s->uses_day_of_week) {
		w = weekday(days);
		if (s->days_of_week & (1u << w))
			return true;
		if ((s->last_days_of_week & (1u << w)) && d + 7 > dim)
			return true;
		return (s->nth_days_of_week[w] & (1u << ((d - 1) / 7 + 1))) != 0;
	}
	if (s->days_of_month & (1u << d))
		return true;
	if (s->is_last_day && d == dim)
		return true;
	if (s->is_last_weekday) {
		int64_t last = days_from_civil(y, m, dim);
		int	 lw = weekday(last);
		int	 target = lw == 1 ? dim - 2 : lw == 7 ? dim - 1 : dim;

		if (d == target)
			return true;
	}
	for (int n = 1; n <= 31; n++) {
		int64_t	 nd;
		int	 nw, target;

		if ((s->nearest_weekdays & (1u << n)) == 0 || n > dim)
			continue;
		nd = days_from_civil(y, m, n);
		nw = weekday(nd);
		/* The weekday nearest the n-th, never crossing the month. */
		if (nw == 7)
			target = n == 1 ? 3 : n - 1;
		else if (nw == 1)
			target = n == dim ? n - 2 : n + 1;
		else
			target = n;
		if (d == target)
			return true;
	}
	return false;
}

/* Hours of the day with a window; bit h for h:00. */
static uint32_t
schedule_hours(const struct rotation_schedule *s)
{
	uint32_t bits = 0;

	switch (s->kind) {
	case ROTATION_SCHEDULE_DAYS:
		return 1;
	case ROTATION_SCHEDULE_HOURS:
		for (int h = 0; h < 24; h += s->interval)
			bits |= 1u << h;
		return bits;
	case ROTATION_SCHEDULE_CRON:
		return s->hours;
	default:
		return 0;
	}
}

/* The length of the window opening at hour h, in hours. */
static int
window_hours(const struct rotation_schedule *s, int h)
{
	if (s->duration_hours > 0)
		return s->duration_hours;
	return s->is_hourly ? 1 : 24 - h;
}

static bool
day_matches(const struct rotation_schedule *s, int64_t days)
{
	return s->kind != ROTATION_SCHEDULE_CRON || cron_day_matches(s, days);
}

/* ---- parsing ---- */

static enum status
invalid(struct error *err)
{
	return error_set(err, STATUS_INVALID_PARAMETER, MSG_INVALID);
}

static enum status
parse_rate(const char *e, struct rotation_schedule *s, struct error *err)
{
	const char	*p = e + strlen("rate(");
	char		*end;
	long		 v;
	size_t		 unit_len;

	if (!isdigit((unsigned char)*p))
		return invalid(err);
	v = strtol(p, &end, 10);
	if (*end != ' ')
		return invalid(err);
	p = end + 1;
	unit_len = strcspn(p, ")");
	if (p[unit_len] != ')' || p[unit_len + 1] != '\0')
		return invalid(err);
	if ((unit_len == 4 && strncmp(p, "hour", 4) == 0) ||
	    (unit_len == 5 && strncmp(p, "hours", 5) == 0)) {
		if (v < MIN_GAP_HOURS || v > 23)
			return error_set(err, STATUS_INVALID_PARAMETER,
			    MSG_RATE_HOURS);
		s->kind = ROTATION_SCHEDULE_HOURS;
		s->is_hourly = true;
	} else if ((unit_len == 3 && strncmp(p, "day", 3) == 0) ||
	    (unit_len == 4 && strncmp(p, "days", 4) == 0)) {
		if (v < 1 || v > 999)
			return error_set(err, STATUS_INVALID_PARAMETER,
			    MSG_RATE_DAYS);
		s->kind = ROTATION_SCHEDULE_DAYS;
	} else
		return invalid(err);
	s->interval = (int)v;
	return STATUS_OK;
}

static enum status
parse_cron(const char *e, struct rotation_schedule *s, struct error *err)
{
	char		 copy[260], *fields[7], *p, *save = NULL;
	size_t		 len = strlen(e), n = 0;
	uint64_t	 bits = 0;
	int		 prev = -1, gap = 24;
	bool		 satisfiable = false;

	if (len < 6 || len - 6 >= sizeof(copy) || e[len - 1] != ')')
		return invalid(err);
	memcpy(copy, e + 5, len - 6);
	copy[len - 6] = '\0';
	for (p = strtok_r(copy, " ", &save); p != NULL;
	    p = strtok_r(NULL, " ", &save)) {
		if (n == 6)
			return invalid(err);
		fields[n++] = p;
	}
	if (n != 6)
		return invalid(err);
	if (strcmp(fields[0], "0") != 0 || strcmp(fields[5], "*") != 0)
		return invalid(err);
	/* One of the day fields is '?', and only one. */
	if ((strcmp(fields[2], "?") == 0) == (strcmp(fields[4], "?") == 0))
		return invalid(err);
	s->kind = ROTATION_SCHEDULE_CRON;
	if (!cron_list(&field_hours, fields[1], &bits))
		return invalid(err);
	s->hours = (uint32_t)bits;
	bits = 0;
	if (!cron_list(&field_month, fields[3], &bits))
		return invalid(err);
	s->months = (uint16_t)bits;
	if (strcmp(fields[2], "?") == 0) {
		s->uses_day_of_week = true;
		if (!cron_day_of_week(fields[4], s))
			return invalid(err);
	} else if (!cron_day_of_month(fields[2], s))
		return invalid(err);

	/* Windows at least four hours apart within a day. */
	for (int h = 0; h < 24; h++) {
		if ((s->hours & (1u << h)) == 0)
			continue;
		if (prev >= 0 && h - prev < gap)
			gap = h - prev;
		prev = h;
	}
	if (gap < MIN_GAP_HOURS)
		return invalid(err);
	s->is_hourly = __builtin_popcount(s->hours) > 1;
	s->interval = s->is_hourly ? gap : 24;

	/* A day that never comes (February 30th) is no schedule.  Eight
	 * years hold every leap-year case. */
	for (int64_t d = days_from_civil(2000, 1, 1), end = d + 8 * 366;
	    d < end && !satisfiable; d++)
		satisfiable = cron_day_matches(s, d);
	if (!satisfiable)
		return invalid(err);
	return STATUS_OK;
}

static enum status
parse_duration(const char *duration, struct rotation_schedule *s,
    struct error *err)
{
	char	*end;
	long	 v;

	if (!isdigit((unsigned char)duration[0]))
		return error_set(err, STATUS_INVALID_PARAMETER, MSG_DURATION);
	v = strtol(duration, &end, 10);
	if (strcmp(end, "h") != 0 || v < 1 || v > 24)
		return error_set(err, STATUS_INVALID_PARAMETER, MSG_DURATION);
	s->duration_hours = (int)v;
	return STATUS_OK;
}

enum status
rotation_schedule_parse(int64_t after_days, const char *expression,
    const char *duration, struct rotation_schedule *out, struct error *err)
{
	struct rotation_schedule s;
	enum status	 st;
	int		 last = -1;

	memset(&s, 0, sizeof(s));
	if (expression != NULL && expression[0] == '\0')
		expression = NULL;
	if (after_days > 0 && expression != NULL)
		return error_set(err, STATUS_INVALID_PARAMETER, MSG_BOTH);
	if (after_days > 0) {
		if (after_days > 1000)
			return error_set(err, STATUS_INVALID_PARAMETER,
			    MSG_RATE_DAYS);
		s.kind = ROTATION_SCHEDULE_DAYS;
		s.interval = (int)after_days;
	} else if (expression != NULL && strncmp(expression, "rate(", 5) == 0) {
		if ((st = parse_rate(expression, &s, err)) != STATUS_OK)
			return st;
	} else if (expression != NULL && strncmp(expression, "cron(", 5) == 0) {
		if ((st = parse_cron(expression, &s, err)) != STATUS_OK)
			return st;
	} else if (expression != NULL)
		return invalid(err);

	if (duration != NULL) {
		if ((st = parse_duration(duration, &s, err)) != STATUS_OK)
			return st;
		if (s.kind == ROTATION_SCHEDULE_NONE)
			return invalid(err);
		if (s.is_hourly && s.duration_hours > s.interval)
			return error_set(err, STATUS_INVALID_PARAMETER,
			    MSG_DURATION_RATE);
		for (int h = 0; h < 24; h++)
			if (schedule_hours(&s) & (1u << h))
				last = h;
		if (last + s.duration_hours > 24)
			return error_set(err, STATUS_INVALID_PARAMETER,
			    MSG_DURATION_DAY);
	}
	*out = s;
	return STATUS_OK;
}

/* ---- windows ---- */

enum status
rotation_schedule_next(const struct rotation_schedule *s, int64_t base_ms,
    int64_t *start_ms, int64_t *end_ms)
{
	int64_t		 day = floor_div(base_ms, DAY_MS);
	uint32_t	 hours = schedule_hours(s);

	if (s->kind == ROTATION_SCHEDULE_NONE)
		return STATUS_NOT_FOUND;
	if (s->kind == ROTATION_SCHEDULE_DAYS) {
		*start_ms = (day + s->interval) * DAY_MS;
		*end_ms = *start_ms + window_hours(s, 0) * ROTATION_HOUR_MS;
		return STATUS_OK;
	}
	for (int64_t i = 0; i < SEARCH_DAYS; i++, day++) {
		if (!day_matches(s, day))
			continue;
		for (int h = 0; h < 24; h++) {
			int64_t start = day * DAY_MS + h * ROTATION_HOUR_MS;

			if ((hours & (1u << h)) == 0 || start <= base_ms)
				continue;
			*start_ms = start;
			*end_ms = start + window_hours(s, h) * ROTATION_HOUR_MS;
			return STATUS_OK;
		}
	}
	return STATUS_NOT_FOUND;
}

int64_t
rotation_schedule_days(const struct rotation_schedule *s, int64_t now_ms)
{
	int64_t	 a, b, end, days;

	switch (s->kind) {
	case ROTATION_SCHEDULE_DAYS:
		return s->interval;
	case ROTATION_SCHEDULE_HOURS:
		return 1;
	case ROTATION_SCHEDULE_CRON:
		if (rotation_schedule_next(s, now_ms, &a, &end) != STATUS_OK)
			return 1;
		/* From the first window to the next one on another day. */
		b = a;
		do {
			if (rotation_schedule_next(s, b, &b, &end) != STATUS_OK)
				return 1;
		} while (floor_div(b, DAY_MS) == floor_div(a, DAY_MS));
		days = floor_div(b, DAY_MS) - floor_div(a, DAY_MS);
		return days < 1 ? 1 : days;
	default:
		return 0;
	}
}

/* ---- the plan RotateSecret and the scheduler store ---- */

enum status
rotation_plan(void *arg, const struct core_rotation_rules *rules,
    int64_t last_rotated_at, int64_t now_ms, struct core_rotation_plan *out,
    struct error *err)
{
	struct rotation_schedule s;
	int64_t		 base, start, end;
	enum status	 st;

	(void)arg;
	memset(out, 0, sizeof(*out));
	if ((st = rotation_schedule_parse(rules->after_days,
	    rules->schedule_expression, rules->duration, &s, err)) !=
	    STATUS_OK)
		return st;
	if (s.kind == ROTATION_SCHEDULE_NONE)
		return STATUS_OK;
	base = s.kind == ROTATION_SCHEDULE_DAYS && last_rotated_at > 0 ?
	    last_rotated_at : now_ms;
	if (rotation_schedule_next(&s, base, &start, &end) != STATUS_OK)
		return invalid(err);
	out->next_window_at = start;
	out->next_window_end_at = end;
	out->display_days = rotation_schedule_days(&s, now_ms);
	return STATUS_OK;
}
