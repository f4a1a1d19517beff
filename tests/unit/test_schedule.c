/*
 * test_schedule.c: unit tests for RotationRules (rotation/schedule.c):
 * rate() and cron() expressions as Secrets Manager accepts them, the
 * rotation window (Duration and its defaults), the next window from a given
 * time, the refusals with AWS's messages, and the moment inside a window
 * a rotation starts at (core_rotation_start_at).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "rotation/rotation.h"

#define HOUR	ROTATION_HOUR_MS
#define DAY	(24 * HOUR)

/* UTC y-m-d h:00 in milliseconds. */
static int64_t
utc(int y, int m, int d, int h)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	return (int64_t)timegm(&tm) * 1000;
}

static void
parse_ok(int64_t days, const char *expr, const char *duration,
    struct rotation_schedule *s)
{
	struct error err;

	error_clear(&err);
	assert_int_equal(rotation_schedule_parse(days, expr, duration, s, &err),
	    STATUS_OK);
}

static void
parse_refused(int64_t days, const char *expr, const char *duration,
    const char *message)
{
	struct rotation_schedule s;
	struct error	 err;

	error_clear(&err);
	assert_int_equal(rotation_schedule_parse(days, expr, duration, &s,
	    &err), STATUS_INVALID_PARAMETER);
	assert_string_equal(err.message, message);
}

/* The window after base must be [start, end). */
static void
expect_window(const struct rotation_schedule *s, int64_t base, int64_t start,
    int64_t end)
{
	int64_t a = 0, b = 0;

	assert_int_equal(rotation_schedule_next(s, base, &a, &b), STATUS_OK);
	assert_int_equal(a, start);
	assert_int_equal(b, end);
}

#define INVALID		"Invalid schedule expression."

static void
test_rate_in_days_opens_at_midnight_n_days_after_the_base(void **state)
{
	struct rotation_schedule s;

	(void)state;
	parse_ok(0, "rate(10 days)", NULL, &s);
	assert_int_equal(s.kind, ROTATION_SCHEDULE_DAYS);
	expect_window(&s, utc(2024, 3, 10, 15), utc(2024, 3, 20, 0),
	    utc(2024, 3, 21, 0));
	parse_ok(0, "rate(1 day)", "3h", &s);
	expect_window(&s, utc(2024, 12, 31, 23), utc(2025, 1, 1, 0),
	    utc(2025, 1, 1, 3));
	assert_int_equal(rotation_schedule_days(&s, 0), 1);
}

static void
test_automatically_after_days_is_a_rate_in_days(void **state)
{
	struct rotation_schedule s;

	(void)state;
	parse_ok(30, NULL, NULL, &s);
	assert_int_equal(s.kind, ROTATION_SCHEDULE_DAYS);
	assert_int_equal(s.interval, 30);
	expect_window(&s, utc(2024, 2, 10, 9), utc(2024, 3, 11, 0),
	    utc(2024, 3, 12, 0));
	assert_int_equal(rotation_schedule_days(&s, 0), 30);
	parse_ok(7, NULL, "24h", &s);
	parse_ok(7, "", "2h", &s);
	expect_window(&s, utc(2024, 2, 10, 9), utc(2024, 2, 17, 0),
	    utc(2024, 2, 17, 2));
}

static void
test_rate_in_hours_restarts_each_day_at_midnight(void **state)
{
	struct rotation_schedule s;

	(void)state;
	parse_ok(0, "rate(6 hours)", NULL, &s);
	assert_int_equal(s.kind, ROTATION_SCHEDULE_HOURS);
	assert_true(s.is_hourly);
	/* Default window: one hour. */
	expect_window(&s, utc(2024, 3, 10, 7), utc(2024, 3, 10, 12),
	    utc(2024, 3, 10, 13));
	expect_window(&s, utc(2024, 3, 10, 18), utc(2024, 3, 11, 0),
	    utc(2024, 3, 11, 1));
	/* A base exactly on a window's opening moves to the next one. */
	expect_window(&s, utc(2024, 3, 10, 12), utc(2024, 3, 10, 18),
	    utc(2024, 3, 10, 19));
	parse_ok(0, "rate(10 hours)", "4h", &s);
	expect_window(&s, utc(2024, 3, 10, 11), utc(2024, 3, 10, 20),
	    utc(2024, 3, 10, 24));
	assert_int_equal(rotation_schedule_days(&s, 0), 1);
	parse_ok(0, "rate(4 hours)", NULL, &s);
	parse_ok(0, "rate(23 hours)", NULL, &s);
	parse_refused(0, "rate(1 hour)", NULL,
	    "Rate in hour should be least 4 and less than 24.");
}

static void
test_rate_limits_answer_with_aws_messages(void **state)
{
	(void)state;
	parse_refused(0, "rate(3 hours)", NULL,
	    "Rate in hour should be least 4 and less than 24.");
	parse_refused(0, "rate(24 hours)", NULL,
	    "Rate in hour should be least 4 and less than 24.");
	parse_refused(0, "rate(0 days)", NULL,
	    "Rate in day should be greater than 0 and less than 1000.");
	parse_refused(0, "rate(1000 days)", NULL,
	    "Rate in day should be greater than 0 and less than 1000.");
	parse_refused(0, "rate(5 minutes)", NULL, INVALID);
	parse_refused(0, "rate(2 weeks)", NULL, INVALID);
	parse_refused(0, "rate(5)", NULL, INVALID);
	parse_refused(0, "rate( 5 days)", NULL, INVALID);
	parse_refused(0, "rate(5 days", NULL, INVALID);
	parse_refused(0, "rate(5 days) ", NULL, INVALID);
	parse_refused(0, "every 5 days", NULL, INVALID);
	parse_refused(0, "RATE(5 days)", NULL, INVALID);
}

static void
test_days_and_expression_together_are_refused(void **state)
{
	(void)state;
	parse_refused(10, "rate(10 days)", NULL, "You cannot specify both "
	    "rotation frequency and schedule expression together.");
	parse_refused(1, "cron(0 4 * * ? *)", "1h", "You cannot specify both "
	    "rotation frequency and schedule expression together.");
}

static void
test_cron_daily_window_runs_to_midnight_or_duration(void **state)
{
	struct rotation_schedule s;

	(void)state;
	parse_ok(0, "cron(0 16 * * ? *)", NULL, &s);
	assert_false(s.is_hourly);
	expect_window(&s, utc(2024, 3, 10, 17), utc(2024, 3, 11, 16),
	    utc(2024, 3, 12, 0));
	expect_window(&s, utc(2024, 3, 10, 15), utc(2024, 3, 10, 16),
	    utc(2024, 3, 11, 0));
	parse_ok(0, "cron(0 5 * * ? *)", "2h", &s);
	expect_window(&s, utc(2024, 3, 10, 5) + 30 * 60000,
	    utc(2024, 3, 11, 5), utc(2024, 3, 11, 7));
	assert_int_equal(rotation_schedule_days(&s, utc(2024, 3, 10, 0)), 1);
}

static void
test_cron_hourly_increments_reset_each_day(void **state)
{
	struct rotation_schedule s;

	(void)state;
	/* AWS's example: 4:00 AM, 4:00 PM, then 4:00 AM the next day. */
	parse_ok(0, "cron(0 4/12 * * ? *)", NULL, &s);
	assert_true(s.is_hourly);
	expect_window(&s, utc(2024, 3, 10, 5), utc(2024, 3, 10, 16),
	    utc(2024, 3, 10, 17));
	expect_window(&s, utc(2024, 3, 10, 16), utc(2024, 3, 11, 4),
	    utc(2024, 3, 11, 5));
	parse_ok(0, "cron(0 8/8 * * ? *)", "8h", &s);
	parse_ok(0, "cron(0 2/10 * * ? *)", NULL, &s);
	expect_window(&s, utc(2024, 3, 10, 13), utc(2024, 3, 10, 22),
	    utc(2024, 3, 10, 23));
	parse_ok(0, "cron(0 1,9,17 ? * MON-FRI *)", NULL, &s);
	/* 2024-03-09 is a Saturday: Monday 01:00 is next. */
	expect_window(&s, utc(2024, 3, 9, 3), utc(2024, 3, 11, 1),
	    utc(2024, 3, 11, 2));
}

static void
test_cron_day_of_month_wildcards(void **state)
{
	struct rotation_schedule s;

	(void)state;
	/* L: the last day of the month (2024 is a leap year). */
	parse_ok(0, "cron(0 16 L * ? *)", NULL, &s);
	expect_window(&s, utc(2024, 2, 10, 0), utc(2024, 2, 29, 16),
	    utc(2024, 3, 1, 0));
	expect_window(&s, utc(2024, 4, 30, 17), utc(2024, 5, 31, 16),
	    utc(2024, 6, 1, 0));
	/* Every 7 days from the 1st. */
	parse_ok(0, "cron(0 8 1/7 * ? *)", NULL, &s);
	expect_window(&s, utc(2024, 3, 2, 0), utc(2024, 3, 8, 8),
	    utc(2024, 3, 9, 0));
	expect_window(&s, utc(2024, 3, 29, 9), utc(2024, 4, 1, 8),
	    utc(2024, 4, 2, 0));
	/* 15W: 2024-06-15 is a Saturday, so Friday the 14th. */
	parse_ok(0, "cron(0 0 15W * ? *)", NULL, &s);
	expect_window(&s, utc(2024, 6, 1, 0), utc(2024, 6, 14, 0),
	    utc(2024, 6, 15, 0));
	/* 1W: 2024-06-01 is a Saturday; the month is not left: Monday 3rd. */
	parse_ok(0, "cron(0 0 1W * ? *)", NULL, &s);
	expect_window(&s, utc(2024, 5, 31, 0), utc(2024, 6, 3, 0),
	    utc(2024, 6, 4, 0));
	/* LW: 2024-03-31 is a Sunday, so Friday the 29th. */
	parse_ok(0, "cron(0 0 LW * ? *)", NULL, &s);
	expect_window(&s, utc(2024, 3, 1, 0), utc(2024, 3, 29, 0),
	    utc(2024, 3, 30, 0));
	/* February 29th comes every four years. */
	parse_ok(0, "cron(0 0 29 2 ? *)", NULL, &s);
	expect_window(&s, utc(2024, 3, 1, 0), utc(2028, 2, 29, 0),
	    utc(2028, 3, 1, 0));
	parse_ok(0, "cron(0 12 1,15 JAN-MAR,oct ? *)", NULL, &s);
	expect_window(&s, utc(2024, 3, 15, 13), utc(2024, 10, 1, 12),
	    utc(2024, 10, 2, 0));
}

static void
test_cron_day_of_week_wildcards(void **state)
{
	struct rotation_schedule s;

	(void)state;
	/* The first Sunday of every month. */
	parse_ok(0, "cron(0 0 ? * SUN#1 *)", NULL, &s);
	expect_window(&s, utc(2024, 3, 4, 0), utc(2024, 4, 7, 0),
	    utc(2024, 4, 8, 0));
	/* The second Tuesday of February, May, August, November. */
	parse_ok(0, "cron(0 10 ? FEB,MAY,AUG,NOV TUE#2 *)", NULL, &s);
	expect_window(&s, utc(2024, 3, 1, 0), utc(2024, 5, 14, 10),
	    utc(2024, 5, 15, 0));
	/* 5L: the last Thursday of the month. */
	parse_ok(0, "cron(0 3 ? * 5L *)", "1h", &s);
	expect_window(&s, utc(2024, 3, 1, 0), utc(2024, 3, 28, 3),
	    utc(2024, 3, 28, 4));
	/* Numbers: 1 is Sunday; a weekly schedule shows 7 days. */
	parse_ok(0, "cron(0 6 ? * 2 *)", NULL, &s);
	expect_window(&s, utc(2024, 3, 9, 0), utc(2024, 3, 11, 6),
	    utc(2024, 3, 12, 0));
	assert_int_equal(rotation_schedule_days(&s, utc(2024, 3, 9, 0)), 7);
	parse_ok(0, "cron(0 6 ? * L *)", NULL, &s);
	expect_window(&s, utc(2024, 3, 10, 0), utc(2024, 3, 16, 6),
	    utc(2024, 3, 17, 0));
	parse_ok(0, "cron(0 6 ? * MON-FRI/2 *)", NULL, &s);
}

static void
test_cron_rules_of_secrets_manager_are_enforced(void **state)
{
	(void)state;
	/* Minutes must be 0, year must be *. */
	parse_refused(0, "cron(15 4 * * ? *)", NULL, INVALID);
	parse_refused(0, "cron(0 4 * * ? 2025)", NULL, INVALID);
	/* Exactly one of the day fields is '?'. */
	parse_refused(0, "cron(0 4 * * * *)", NULL, INVALID);
	parse_refused(0, "cron(0 4 ? * ? *)", NULL, INVALID);
	parse_refused(0, "cron(0 4 1 * MON *)", NULL, INVALID);
	/* Six fields, no more, no less. */
	parse_refused(0, "cron(0 4 * * ?)", NULL, INVALID);
	parse_refused(0, "cron(0 4 * * ? * *)", NULL, INVALID);
	parse_refused(0, "cron()", NULL, INVALID);
	/* At most every four hours. */
	parse_refused(0, "cron(0 * * * ? *)", NULL, INVALID);
	parse_refused(0, "cron(0 0/2 * * ? *)", NULL, INVALID);
	parse_refused(0, "cron(0 1,3 * * ? *)", NULL, INVALID);
	parse_refused(0, "cron(0 8-10 * * ? *)", NULL, INVALID);
	/* Values, names and wildcards in their fields only. */
	parse_refused(0, "cron(0 24 * * ? *)", NULL, INVALID);
	parse_refused(0, "cron(0 4 32 * ? *)", NULL, INVALID);
	parse_refused(0, "cron(0 4 0 * ? *)", NULL, INVALID);
	parse_refused(0, "cron(0 4 * 13 ? *)", NULL, INVALID);
	parse_refused(0, "cron(0 4 ? * 8 *)", NULL, INVALID);
	parse_refused(0, "cron(0 4 ? * SUN#6 *)", NULL, INVALID);
	parse_refused(0, "cron(0 4 ? JANUARY * *)", NULL, INVALID);
	parse_refused(0, "cron(0 4 ? * FUNDAY *)", NULL, INVALID);
	parse_refused(0, "cron(0 4 L ? ? *)", NULL, INVALID);
	parse_refused(0, "cron(0 4 * L ? *)", NULL, INVALID);
	parse_refused(0, "cron(0 L * * ? *)", NULL, INVALID);
	parse_refused(0, "cron(0 4 10-5 * ? *)", NULL, INVALID);
	parse_refused(0, "cron(0 4 1,,2 * ? *)", NULL, INVALID);
	parse_refused(0, "cron(0 4 1, * ? *)", NULL, INVALID);
	parse_refused(0, "cron(0 4 */0 * ? *)", NULL, INVALID);
	/* A day that never comes. */
	parse_refused(0, "cron(0 4 30 2 ? *)", NULL, INVALID);
	parse_refused(0, "cron(0 4 31 4,6,9,11 ? *)", NULL, INVALID);
}

static void
test_duration_must_fit_the_day_and_the_interval(void **state)
{
	struct rotation_schedule s;

	(void)state;
	parse_refused(0, "rate(1 day)", "0h",
	    "Duration must be at least 1 hour, at most 24 hour.");
	parse_refused(0, "rate(1 day)", "25h",
	    "Duration must be at least 1 hour, at most 24 hour.");
	parse_refused(0, "rate(1 day)", "h",
	    "Duration must be at least 1 hour, at most 24 hour.");
	parse_refused(0, "rate(6 hours)", "7h",
	    "Duration cannot be greater than Rate in hour.");
	parse_refused(0, "cron(0 0/4 * * ? *)", "5h",
	    "Duration cannot be greater than Rate in hour.");
	parse_refused(0, "cron(0 20 * * ? *)", "5h",
	    "Starting hour and duration must be within a day.");
	parse_refused(0, "rate(5 hours)", "5h",
	    "Starting hour and duration must be within a day.");
	parse_ok(0, "cron(0 20 * * ? *)", "4h", &s);
	expect_window(&s, utc(2024, 3, 10, 21), utc(2024, 3, 11, 20),
	    utc(2024, 3, 12, 0));
	/* A Duration without a schedule is no schedule. */
	parse_refused(0, NULL, "2h", INVALID);
}

static void
test_no_rules_is_no_schedule(void **state)
{
	struct rotation_schedule s;
	int64_t a, b;

	(void)state;
	parse_ok(0, NULL, NULL, &s);
	assert_int_equal(s.kind, ROTATION_SCHEDULE_NONE);
	assert_int_equal(rotation_schedule_next(&s, 0, &a, &b),
	    STATUS_NOT_FOUND);
	assert_int_equal(rotation_schedule_days(&s, 0), 0);
}

static void
test_plan_bases_days_on_the_last_rotation_and_others_on_now(void **state)
{
	struct core_rotation_rules rules;
	struct core_rotation_plan plan;
	struct error	 err;

	(void)state;
	memset(&rules, 0, sizeof(rules));
	rules.after_days = 5;
	assert_int_equal(rotation_plan(NULL, &rules, utc(2024, 3, 1, 13),
	    utc(2024, 3, 4, 9), &plan, &err), STATUS_OK);
	assert_int_equal(plan.next_window_at, utc(2024, 3, 6, 0));
	assert_int_equal(plan.next_window_end_at, utc(2024, 3, 7, 0));
	assert_int_equal(plan.display_days, 5);
	/* Never rotated: from now. */
	assert_int_equal(rotation_plan(NULL, &rules, 0, utc(2024, 3, 4, 9),
	    &plan, &err), STATUS_OK);
	assert_int_equal(plan.next_window_at, utc(2024, 3, 9, 0));
	rules.after_days = 0;
	rules.schedule_expression = "cron(0 10 ? * MON *)";
	rules.duration = "2h";
	assert_int_equal(rotation_plan(NULL, &rules, utc(2024, 3, 1, 13),
	    utc(2024, 3, 4, 9), &plan, &err), STATUS_OK);
	assert_int_equal(plan.next_window_at, utc(2024, 3, 4, 10));
	assert_int_equal(plan.next_window_end_at, utc(2024, 3, 4, 12));
	assert_int_equal(plan.display_days, 7);
	rules.schedule_expression = NULL;
	rules.duration = NULL;
	assert_int_equal(rotation_plan(NULL, &rules, 0, utc(2024, 3, 4, 9),
	    &plan, &err), STATUS_OK);
	assert_int_equal(plan.next_window_at, 0);
	rules.schedule_expression = "cron(0 10 ? * MON *";
	assert_int_equal(rotation_plan(NULL, &rules, 0, utc(2024, 3, 4, 9),
	    &plan, &err), STATUS_INVALID_PARAMETER);
}

static void
test_builtin_function_names(void **state)
{
	const struct rotation_builtin *b;

	(void)state;
	b = rotation_builtin_find("sesame-builtin-mysql-single-user");
	assert_non_null(b);
	assert_string_equal(b->engine, "mysql");
	assert_int_equal(b->strategy, ROTATION_SINGLE_USER);
	b = rotation_builtin_find("sesame-builtin-postgres-alternating-users");
	assert_non_null(b);
	assert_string_equal(b->engine, "postgres");
	assert_int_equal(b->strategy, ROTATION_ALTERNATING_USERS);
	assert_null(rotation_builtin_find("sesame-builtin-oracle-single-user"));
	assert_null(rotation_builtin_find("my-function"));
	assert_string_equal(rotation_function_name(
	    "arn:aws:lambda:us-east-1:123456789012:function:rotate-it"),
	    "rotate-it");
	assert_null(rotation_function_name(
	    "arn:aws:lambda:us-east-1:123456789012:layer:rotate-it"));
	assert_null(rotation_function_name(
	    "arn:aws:lambda:us-east-1:123456789012:function:"));
	assert_null(rotation_function_name(
	    "arn:aws:s3:us-east-1:123456789012:function:x"));
	assert_null(rotation_function_name("rotate-it"));
}

static void
test_rotation_starts_at_a_stable_moment_inside_the_window(void **state)
{
	const char	*a = "arn:aws:secretsmanager:us-east-1:123456789012:"
			    "secret:app/a-AbCdEf";
	const char	*b = "arn:aws:secretsmanager:us-east-1:123456789012:"
			    "secret:app/b-GhIjKl";
	int64_t		 start = utc(2026, 3, 1, 0), end = start + DAY;
	int64_t		 at, distinct = 0, previous = 0;

	(void)state;
	/* Inside the window, before its tail, on a whole second. */
	for (int day = 0; day < 50; day++) {
		int64_t s0 = start + day * DAY;

		at = core_rotation_start_at(a, s0, s0 + DAY);
		assert_true(at >= s0);
		assert_true(at < s0 + DAY - ROTATION_WINDOW_TAIL_MS);
		assert_int_equal(at % 1000, 0);
		/* The same secret and window: the same moment, always. */
		assert_int_equal(at, core_rotation_start_at(a, s0, s0 + DAY));
		if (at - s0 != previous)
			distinct++;
		previous = at - s0;
	}
	/* Another window or another secret: another draw. */
	assert_true(distinct > 40);
	assert_true(core_rotation_start_at(a, start, end) !=
	    core_rotation_start_at(b, start, end));
	/* A one-hour window keeps its last quarter hour. */
	at = core_rotation_start_at(b, start, start + HOUR);
	assert_true(at >= start && at < start + HOUR - 15 * 60 * 1000);
	/* Nothing to draw from: the window's start. */
	assert_int_equal(core_rotation_start_at(a, start, start + 10 * 60 *
	    1000), start);
	assert_int_equal(core_rotation_start_at(NULL, start, end), start);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rate_in_days_opens_at_midnight_n_days_after_the_base),
		cmocka_unit_test(test_automatically_after_days_is_a_rate_in_days),
		cmocka_unit_test(test_rate_in_hours_restarts_each_day_at_midnight),
		cmocka_unit_test(test_rate_limits_answer_with_aws_messages),
		cmocka_unit_test(test_days_and_expression_together_are_refused),
		cmocka_unit_test(test_cron_daily_window_runs_to_midnight_or_duration),
		cmocka_unit_test(test_cron_hourly_increments_reset_each_day),
		cmocka_unit_test(test_cron_day_of_month_wildcards),
		cmocka_unit_test(test_cron_day_of_week_wildcards),
		cmocka_unit_test(test_cron_rules_of_secrets_manager_are_enforced),
		cmocka_unit_test(test_duration_must_fit_the_day_and_the_interval),
		cmocka_unit_test(test_no_rules_is_no_schedule),
		cmocka_unit_test(test_plan_bases_days_on_the_last_rotation_and_others_on_now),
		cmocka_unit_test(test_builtin_function_names),
		cmocka_unit_test(test_rotation_starts_at_a_stable_moment_inside_the_window),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
